"""
IGNY8 AI Framework
Unified framework for all AI functions with consistent lifecycle, progress tracking, and logging.
"""

from igny8_core.ai.base import BaseAIFunction
from igny8_core.ai.engine import AIEngine
from igny8_core.ai.registry import (
    register_lazy_function,
    get_function,
)
from igny8_core.ai.settings import (
    get_model_config,
)

__all__ = [
    # Core
    'BaseAIFunction',
    'AIEngine',

    # Registry
    'register_lazy_function',
    'get_function',

    # Model settings
    'get_model_config',
]
