"""Make `faults_helpers` importable from the tests here, whatever pytest's import mode, and
share its fixtures."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from faults_helpers import checkout, legacy_template  # noqa: E402,F401 - pytest fixtures
