"""
Function registry for dynamic AI function discovery.
Functions register lazily (see igny8_core/ai/functions/__init__.py): the module of a
function is only imported the first time someone asks for it.
"""
import importlib
import logging

from igny8_core.ai.settings import FUNCTION_ALIASES

logger = logging.getLogger(__name__)

_FUNCTION_REGISTRY = {}
_FUNCTION_LOADERS = {}
_loaded = False


def register_function(name, function_class):
    """Register an AI function class"""
    _FUNCTION_REGISTRY[name] = function_class
    logger.debug("Registered AI function: %s", name)


def register_lazy_function(name, loader):
    """Register a function loader: a callable returning the class, or 'module.ClassName'"""
    _FUNCTION_LOADERS[name] = loader


def _ensure_loaded():
    global _loaded
    if not _loaded:
        importlib.import_module('igny8_core.ai.functions')
        _loaded = True


def get_function(name):
    """Get an instance of the function registered as `name` (aliases allowed), or None"""
    _ensure_loaded()
    actual_name = FUNCTION_ALIASES.get(name, name)
    fn_class = _FUNCTION_REGISTRY.get(actual_name)
    if fn_class is None and actual_name in _FUNCTION_LOADERS:
        loader = _FUNCTION_LOADERS[actual_name]
        if isinstance(loader, str):
            module_path, _, class_name = loader.rpartition('.')
            fn_class = getattr(importlib.import_module(module_path), class_name)
        else:
            fn_class = loader()
        _FUNCTION_REGISTRY[actual_name] = fn_class
    return fn_class() if fn_class else None


def list_functions():
    """List all registered functions"""
    _ensure_loaded()
    return sorted(set(_FUNCTION_REGISTRY) | set(_FUNCTION_LOADERS))
