"""
Registry of AI functions: name -> BaseAIFunction subclass.

The active functions register lazily (igny8_core/ai/functions/__init__.py); their
modules are imported the first time one of them is asked for.
"""

import importlib
import threading

from igny8_core.ai.settings import FUNCTION_ALIASES

_FUNCTION_REGISTRY = {}
_LAZY_LOADERS = {}
_FUNCTIONS_PACKAGE = "igny8_core.ai.functions"
_lock = threading.Lock()
_package_loaded = False


def register_function(name, function_class):
    """Register an AI function class under `name`."""
    _FUNCTION_REGISTRY[name] = function_class
    return function_class


def register_lazy_function(name, loader):
    """Register `name` with a loader: a callable returning the class, or its dotted path."""
    _LAZY_LOADERS[name] = loader


def _load_registrations():
    global _package_loaded
    if _package_loaded:
        return
    with _lock:
        if not _package_loaded:
            importlib.import_module(_FUNCTIONS_PACKAGE)
            _package_loaded = True


def _resolve_loader(loader):
    if callable(loader):
        return loader()
    module_name, _, class_name = loader.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)


def get_function(name):
    """An instance of the function registered as `name` (aliases resolved), or None."""
    _load_registrations()
    actual_name = FUNCTION_ALIASES.get(name, name)
    function_class = _FUNCTION_REGISTRY.get(actual_name)
    if function_class is None and actual_name in _LAZY_LOADERS:
        function_class = _resolve_loader(_LAZY_LOADERS[actual_name])
        _FUNCTION_REGISTRY[actual_name] = function_class
    if function_class is None:
        return None
    return function_class()


def list_functions():
    """Names of every registered function, eager and lazy."""
    _load_registrations()
    return sorted(set(_FUNCTION_REGISTRY) | set(_LAZY_LOADERS))
