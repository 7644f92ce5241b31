"""`python -m igny8_refactor`: the command line, importing nothing from the current directory.

`python -m` puts the current directory first on sys.path, so a project root's own modules
could stand in for this tool's dependencies. As `python -m pip` does, the entry is dropped
first, unless the current directory is the tree this package itself was imported from (a
source checkout). `audit` and `codemods` are bound to this tool's own copies in any case
(`igny8_refactor/__init__.py`), whatever sys.path holds.
"""
import os
import sys


def _drop_cwd_from_path() -> None:
    cwd = os.getcwd()
    own = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if os.path.realpath(own) == os.path.realpath(cwd):
        return
    sys.path[:] = [entry for entry in sys.path if entry not in ("", ".") and os.path.realpath(entry) != os.path.realpath(cwd)]


_drop_cwd_from_path()

from igny8_refactor.console import main  # noqa: E402 - after the sys.path fix above

if __name__ == "__main__":  # not when a spawned worker process re-imports the main module
    main()
