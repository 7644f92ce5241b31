"""Findings are the same in every run: nothing in them follows string hashing, which differs
from one interpreter to the next (each run here gets its own PYTHONHASHSEED)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

DICT = "MODEL_CONFIG = {'auto_cluster': {'model': 'gpt-4o-mini'}}\n"


def test_a_name_bound_by_two_imports_has_the_same_symbol_in_every_run(tmp_path):
    # the name has two qualified names, which LibCST gives as a set
    code = (
        "def f():\n    if flag:\n        from pkg.settings import MODEL_CONFIG\n    else:\n"
        "        from pkg.legacy import MODEL_CONFIG\n    return MODEL_CONFIG\n\n\nf()\n"
    )
    for rel, text in {
        "pkg/__init__.py": "",
        "pkg/settings.py": DICT,
        "pkg/legacy.py": DICT,
        "pkg/views.py": code,
    }.items():
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(text)
    symbols = []
    for seed in ("1", "2", "3", "4", "5", "6"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "igny8_refactor",
                "audit",
                "--no-cache",
                "--select",
                "IG101",
                "--format",
                "json",
                "pkg/views.py",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        symbols.append([(f["line"], f["symbol"]) for f in json.loads(done.stdout)])
    assert symbols == [[(6, "pkg.legacy.MODEL_CONFIG")]] * 6  # the first in name order
