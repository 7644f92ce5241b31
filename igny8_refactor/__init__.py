"""igny8-refactor: move the igny8 AI framework to IntegrationSettings-only configuration, and keep it there.

The analysis and the codemods are installed inside this package as `igny8_refactor.audit` and
`igny8_refactor.codemods` (the repository keeps them in its top-level `audit/` and `codemods/`).
"""

import _signal  # signal's C core: `import signal` first builds its enums, a window in which Ctrl-C is a traceback
import os
import sys

__version__ = "0.1.0"


def _interrupted(signum, frame):  # pragma: no cover - runs in the interrupted process
    os.write(2, b"interrupted\n")
    os._exit(130)  # 128 + SIGINT, as a shell reports it


# Ctrl-C while the command (`igny8-refactor`, `python -m igny8_refactor`) is still importing click
# and LibCST, or parsing its arguments, ends it quietly; while the subcommand runs it is a
# KeyboardInterrupt (cli._Group.invoke), so that a `fix` can roll back. A program importing the
# package keeps its own handler.
_command = sys.argv[:1] == ["-m"] or os.path.basename(sys.argv[0] if sys.argv else "").startswith("igny8-refactor")
if _command and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, _interrupted)
