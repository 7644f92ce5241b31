"""One wording for bad input: `fix` names an unreadable or unparsable file as `audit` does.

The analysis reads each file first; the reason it gives (`cannot read: ...`, `binary file
(contains NUL bytes)`, `cannot decode: ...`, `cannot parse: ... (line L, column C)`) is the
reason both commands print. Failures that are not about the input (a codemod that raised, a
write that failed, a rewrite that would not parse) keep the fix pipeline's own words.
"""
from __future__ import annotations

import os


def input_reason(path: str, config) -> str | None:
    """Why the analysis cannot use `path`, in its words; None when it can."""
    from audit.scan import ScanSettings, scan_file

    try:
        result = scan_file(os.path.abspath(path), "", False, ScanSettings.from_config(config))
    except Exception:  # noqa: BLE001 - the analysis failing on its own is not an input problem to name
        return None
    return result.get("error") or None
