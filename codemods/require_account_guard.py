"""Insert the plan's account guards: before the engine's get_model_config call, and for account_id in run_ai_task.

The edits come from the rules whose `codemod` is `require_account_guard` (`igny8-refactor list`); this
command applies them to one file, for `--only require_account_guard` and for LibCST's own runner.
"""
from __future__ import annotations

from codemods.command import RuleCodemod


class RequireAccountGuard(RuleCodemod):
    DESCRIPTION = "Insert the plan's account guards: before the engine's get_model_config call, and for account_id in run_ai_task."
