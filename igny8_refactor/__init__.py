"""igny8-refactor: move the igny8 AI framework to IntegrationSettings-only configuration, and keep it there."""
import importlib.machinery
import importlib.util
import os
import sys

__version__ = "0.1.0"

OWN_PACKAGES = ("audit", "codemods")  # installed beside this package, as top-level packages


def _bind_own_packages() -> None:
    """Import `audit` and `codemods` from beside this package, whatever comes first on sys.path.

    They are top-level packages (the requested layout), and `audit` is a common Django app
    name: a project root on sys.path (PYTHONPATH, or the current directory under
    `python -m`) must not put the project's own package in their place.
    """
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name in OWN_PACKAGES:
        if name in sys.modules:
            continue  # already imported (this tool's own test-suite, an embedding program)
        spec = importlib.machinery.PathFinder.find_spec(name, [here])
        if spec is None or spec.loader is None:
            continue  # not installed beside this package: the ordinary import decides
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise


_bind_own_packages()
