"""Delete the hardcoded MODEL_CONFIG dict and rewrite get_model_config into the IntegrationSettings-only logic.

The edits come from the rules whose `codemod` is `remove_model_config` (`igny8-refactor list`); this
command applies them to one file, for `--only remove_model_config` and for LibCST's own runner.
"""
from __future__ import annotations

from codemods.command import RuleCodemod


class RemoveModelConfig(RuleCodemod):
    DESCRIPTION = "Delete the hardcoded MODEL_CONFIG dict and rewrite get_model_config into the IntegrationSettings-only logic."
