"""Remove the settings-backed `_default_model` and require an explicit model in run_ai_request.

The edits come from the rules whose `codemod` is `remove_default_model` (`igny8-refactor list`); this
command applies them to one file, for `--only remove_default_model` and for LibCST's own runner.
"""
from __future__ import annotations

from codemods.command import RuleCodemod


class RemoveDefaultModel(RuleCodemod):
    DESCRIPTION = "Remove the settings-backed `_default_model` and require an explicit model in run_ai_request."
