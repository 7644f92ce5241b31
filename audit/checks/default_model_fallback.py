from __future__ import annotations

import itertools

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, lazy_module, register
from igny8_refactor.audit.edits import raise_guard
from igny8_refactor.audit.patterns import is_default_model_attr, targets_of
from igny8_refactor.audit.rule_visitor import RuleVisitor

m = lazy_module("libcst.matchers")

MESSAGE = "Model is required. Ensure IntegrationSettings is configured for the account."


def assigns_default_model(small) -> bool:
    """`self._default_model = ...` (plain, annotated or augmented)."""
    return isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and any(
        map(is_default_model_attr, targets_of(small))
    )


def is_settings_import(small) -> bool:
    """`from django.conf import settings` and the like: what the initialisation imported for itself."""
    if isinstance(small, cst.ImportFrom):
        return m.matches(small.module, m.Attribute(value=m.Name("django"), attr=m.Name("conf")))
    if isinstance(small, cst.Import):
        return all(a.evaluated_name == "django" or a.evaluated_name.startswith("django.") for a in small.names)
    return False


def only_initialises(statements) -> bool:
    """True when a block does nothing but set the attribute (and import settings for it)."""
    seen = False
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if assigns_default_model(small):
                    seen = True
                elif not (is_settings_import(small) or isinstance(small, cst.Pass)):
                    return False
        elif isinstance(statement, cst.Try) and is_initialisation_try(statement):
            seen = True
        else:
            return False
    return seen


def is_initialisation_try(statement) -> bool:
    """`try: <init> except ...: <init>` (except/else/finally may also just `pass`); `statement` is a `try`."""
    clauses = [c.body.body for c in (*statement.handlers, statement.orelse, statement.finalbody) if c is not None]
    return only_initialises(statement.body.body) and all(
        only_initialises(block) or all(m.matches(s, m.SimpleStatementLine(body=[m.Pass()])) for s in block)
        for block in clauses
    )


class _Visitor(RuleVisitor):
    def __init__(self, check, ctx):
        super().__init__(check, ctx)
        self.covered: set[cst.CSTNode] = set()
        self.fixing = ctx.plan == "ai_core"  # the plan's file: elsewhere nothing is rewritten

    def _symbol(self, node: cst.Attribute) -> str:
        owner = self.enclosing_class(node)
        on_owner = owner is not None and m.matches(node.value, m.Name("self") | m.Name("cls"))
        return ".".join(filter(None, [self.ctx.module, owner.name.value if on_owner else "", node.attr.value]))

    def _outside(self) -> str:
        return f"outside the plan's `{self.ctx.settings.ai_package}.ai_core`: remove it by hand"

    # -- the initialisation ----------------------------------------------------------
    def _removal(self, target: cst.CSTNode):
        """The statement to delete for an assignment: the init-only `try` around it, or its own line."""
        statement = self.statement_of(target)
        scope = itertools.takewhile(
            lambda a: not isinstance(a, (cst.FunctionDef, cst.ClassDef)), self.ancestors(statement)
        )
        tries = [a for a in scope if isinstance(a, cst.Try) and is_initialisation_try(a)]
        if tries:
            return (tries[-1], cst.RemoveFromParent())
        if isinstance(statement, cst.SimpleStatementLine):
            kept = [s for s in statement.body if not assigns_default_model(s)]
            if not kept:
                return (statement, cst.RemoveFromParent())
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            return (statement, statement.with_changes(body=kept))
        return None

    def _assigned(self, target):
        fix = self._removal(target) if self.fixing else None
        message = f"`{target.attr.value}` holds a fallback model"
        self.report(target, self._symbol(target), message, fix=fix, note=self._outside())

    def visit_AssignTarget(self, node):
        if is_default_model_attr(node.target):
            self._assigned(node.target)

    def visit_AnnAssign(self, node):
        if is_default_model_attr(node.target) and node.value is not None:
            self._assigned(node.target)

    # -- the fallback ----------------------------------------------------------------
    def _guarded(self, node: cst.BooleanOperation | cst.IfExp, model: cst.BaseExpression):
        """`x = model or self._default_model` -> `if not model: raise ...` + `x = model`."""
        small = self.parent(node)
        statement = self.parent(small)
        one_assignment = m.SimpleStatementLine(body=[m.Assign() | m.AnnAssign()])
        if not m.matches(statement, one_assignment) or small.value is not node:
            return None
        guard = raise_guard(self.ctx.wrapper.module, model, MESSAGE).with_changes(leading_lines=statement.leading_lines)
        if isinstance(small, cst.Assign) and all(t.target.deep_equals(model) for t in small.targets):
            return (statement, guard)  # `model = model or self._default_model`
        value = model.with_changes(lpar=[], rpar=[]) if isinstance(model, cst.Name) else model
        assignment = statement.with_changes(body=[small.with_changes(value=value)], leading_lines=())
        return (statement, cst.FlattenSentinel([guard, assignment]))

    def _fallback(self, node, model, default) -> None:
        """`model or self._default_model` / `model if model else self._default_model`."""
        self.covered.add(default)
        fix = self._guarded(node, model) if self.fixing else None
        note = "not a plain `x = model or ...` assignment" if self.fixing else self._outside()
        self.report(
            node,
            self._symbol(default),
            f"`{self.ctx.code(node)}` falls back to a default model",
            fix=fix,
            note=note,
        )

    def visit_BooleanOperation(self, node):
        if isinstance(node.operator, cst.Or) and is_default_model_attr(node.right):
            self._fallback(node, node.left, node.right)

    def visit_IfExp(self, node):
        if is_default_model_attr(node.orelse) and node.body.deep_equals(node.test):
            self._fallback(node, node.body, node.orelse)

    def visit_Attribute(self, node):
        if node in self.covered or not is_default_model_attr(node):
            return
        parent = self.parent(node)
        if isinstance(parent, (cst.AssignTarget, cst.Del, cst.AnnAssign)) and parent.target is node:
            return  # an assignment (reported above), a bare annotation or a deletion; `+=` reads it, so it is a read
        note = "a read the plan does not rewrite: pass the model from IntegrationSettings instead"
        self.report(node, self._symbol(node), f"fallback model `{node.attr.value}` is used", note=note)


@register
class DefaultModelFallback(Check):
    kind, code, fixable = "default-model-fallback", "IG103", True
    codemod = "remove_default_model"

    @classmethod
    def triggers(cls, settings):
        return frozenset(), r"(?i:_?default_?model)", False

    VALID = [
        "def run(model):\n    if not model:\n        raise ValueError('Model is required')\n    active_model = model",
        "active_model = model or config['model']",
        "self.default_timeout = 30",
    ]
    INVALID = [
        Invalid("class C:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'", expected=None),
        Invalid(
            "class C:\n    def run(self, model=None):\n        return model or self._default_model",
            expected=None,
        ),
        Invalid(
            "class C:\n    def run(self, model=None):\n        return model or self.default_model",
            expected=None,
        ),
        Invalid(
            "class C:\n    def run(self, model=None):\n        active_model = model or self._default_model\n"
            "        return active_model",
            expected=None,
        ),
        Invalid(
            "# igny8_core/ai/ai_core.py\nclass C:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'\n"
            "        self.timeout = 30\n",
            expected="# igny8_core/ai/ai_core.py\nclass C:\n    def __init__(self):\n        self.timeout = 30\n",
        ),
        Invalid(
            "# igny8_core/ai/ai_core.py\nclass C:\n    def run(self, model=None):\n"
            "        active_model = model or self._default_model\n        return active_model\n",
            expected="# igny8_core/ai/ai_core.py\nclass C:\n    def run(self, model=None):\n        if not model:\n"
            f'            raise ValueError("{MESSAGE}")\n        active_model = model\n        return active_model\n',
        ),
    ]
    DOCS = """\
    A `model or self._default_model` style fallback, and the `_default_model` attribute itself.

    ## What it flags

    An expression that substitutes a default model when the caller passed none —
    `model or self._default_model`, `model if model else self._default_model` — and every
    assignment to the `_default_model` attribute.

    ## Why it hurts

    The caller is supposed to pass the model from the account's `IntegrationSettings`. When
    it passes nothing, that is a bug upstream (no account, no configuration), and the fallback
    turns the bug into a silent request with some other model instead of a clear error.

    ## Example

    Before:

    ```python
    def run_ai_request(self, prompt, model=None, max_tokens=4000, temperature=0.7):
        active_model = model or self._default_model
    ```

    After:

    ```python
    def run_ai_request(self, prompt, model=None, max_tokens=4000, temperature=0.7):
        if not model:
            raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")
        active_model = model
    ```

    ## How `igny8-refactor fix` handles it

    Fixable in the plan's `ai_core.py` (the AI package's, `igny8_core.ai` by default). The
    `remove_default_model` codemod removes the attribute's initialisation (with the `try`/`except`
    that only computes it) and turns `active_model = model or self._default_model` (or
    `model if model else ...`) into the guard above followed by `active_model = model`. The
    attribute is recognised however it is spelled (`_default_model`, `default_model`,
    `_defaultModel`); audit and fix use the same pattern. A fallback in another shape (a `return`,
    an argument) or in another module, and any other read of the attribute, is reported with a
    note: no automatic fix.

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    A trailing comment on the flagged line:

    ```python
    active_model = model or self._default_model  # igny8: ignore[default-model-fallback]
    ```

    `# igny8: ignore[IG103]` works the same.
    """

    def visitor(self, ctx):
        return _Visitor(self, ctx)
