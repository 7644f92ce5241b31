"""`model or self._default_model`-style fallbacks and the `_default_model` attribute itself.

An instance-wide default model lets a request without a configured model go through
with whatever model the process happened to pick.
"""
from __future__ import annotations

import functools

from audit.checks import Check, register


@functools.cache
def _visitor_class():
    """The LibCST visitor, built on first use so that listing and cached runs never import LibCST."""
    import libcst as cst
    from audit.patterns import CheckVisitor, is_default_model_attr

    class _Visitor(CheckVisitor):
        def __init__(self, check, ctx):
            super().__init__(check, ctx)
            self.covered: set[cst.CSTNode] = set()

        def _symbol(self, node: cst.Attribute) -> str:
            owner = self.enclosing_class(node)
            base = self.ctx.module
            if owner and isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
                base = f"{base}.{owner}" if base else owner
            return f"{base}.{node.attr.value}" if base else node.attr.value

        def visit_BooleanOperation(self, node):
            if isinstance(node.operator, cst.Or) and is_default_model_attr(node.right):
                self.covered.add(node.right)
                self.report(node, self._symbol(node.right), f"`{self.ctx.code(node)}` falls back to a default model")

        def visit_AssignTarget(self, node):
            if is_default_model_attr(node.target):
                self.covered.add(node.target)
                self.report(node.target, self._symbol(node.target), f"`{node.target.attr.value}` holds a fallback model")

        def visit_AnnAssign(self, node):
            if is_default_model_attr(node.target) and node.value is not None:
                self.covered.add(node.target)
                self.report(node.target, self._symbol(node.target), f"`{node.target.attr.value}` holds a fallback model")

        def visit_Attribute(self, node):
            if node in self.covered or not is_default_model_attr(node):
                return
            parent = self.parent(node)
            if isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.Del)):
                return
            self.report(node, self._symbol(node), f"fallback model `{node.attr.value}` is used")

    return _Visitor


@register
class DefaultModelFallback(Check):
    """`model or self._default_model` fallbacks and the `_default_model` attribute.

    A request without a model should fail loudly, not borrow a process-wide default.
    """

    kind, code, fixable = "default-model-fallback", "IG103", True
    VALID = [
        "def run(model):\n    if not model:\n        raise ValueError('Model is required')\n    active_model = model",
        "active_model = model or config['model']",
        "self.default_timeout = 30",
    ]
    INVALID = [
        "class C:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'",
        "class C:\n    def run(self, model=None):\n        return model or self._default_model",
    ]

    def visitor(self, ctx):
        return _visitor_class()(self, ctx)
