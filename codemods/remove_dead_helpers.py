"""Remove module-level functions nothing in the project calls (get_model, get_max_tokens, ...).

The edits come from the rules whose `codemod` is `remove_dead_helpers` (`igny8-refactor list`); this
command applies them to one file, for `--only remove_dead_helpers` and for LibCST's own runner.
"""
from __future__ import annotations

from codemods.command import RuleCodemod


class RemoveDeadHelpers(RuleCodemod):
    DESCRIPTION = "Remove module-level functions nothing in the project calls (get_model, get_max_tokens, ...)."
