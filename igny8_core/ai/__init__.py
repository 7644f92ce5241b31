"""
IGNY8 AI framework: the registered AI functions, the engine that runs them and
the model configuration they use.
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
