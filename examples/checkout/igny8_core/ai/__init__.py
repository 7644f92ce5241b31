"""
IGNY8 AI Framework
Unified framework for all AI functions with consistent lifecycle, progress tracking, and logging.
"""

from igny8_core.ai.base import BaseAIFunction
from igny8_core.ai.engine import AIEngine
from igny8_core.ai.registry import (
    register_function,
    register_lazy_function,
    get_function,
    list_functions,
)
from igny8_core.ai.settings import (
    MODEL_CONFIG,
    get_model_config,
    get_model,
    get_max_tokens,
    get_temperature,
)

__all__ = [
    # Core
    'BaseAIFunction',
    'AIEngine',

    # Registry
    'register_function',
    'register_lazy_function',
    'get_function',
    'list_functions',

    # Model settings
    'get_model_config',
    'get_model',
    'get_max_tokens',
    'get_temperature',
]
