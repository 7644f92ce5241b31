"""Drop orphan names from `__all__` and the imports that only fed them (internal packages only).

The edits come from the rules whose `codemod` is `prune_orphan_exports` (`igny8-refactor list`); this
command applies them to one file, for `--only prune_orphan_exports` and for LibCST's own runner.
"""
from __future__ import annotations

from codemods.command import RuleCodemod


class PruneOrphanExports(RuleCodemod):
    DESCRIPTION = "Drop orphan names from `__all__` and the imports that only fed them (internal packages only)."
