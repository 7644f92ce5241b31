"""A hardcoded model name used as a default.

Flags `cfg.get("model", "gpt-4.1")`, `def f(model="gpt-4o-mini")`, `model or "gpt-4.1"` and
`DEFAULT_MODEL = "gpt-4.1"` (a name saying default/fallback) and
`{"model": "gpt-4.1", ...}` fallback dicts: bound to a name that says default/fallback,
merged in with `.update`/`.setdefault`, used as a `.get` or parameter default, the right
side of `or`, or returned by a function that says default/fallback. A dict that is only
data (a request body, `create(config={...})`) is not a default. A literal that another check already covers
(inside a `MODEL_CONFIG` dict, the default of a settings `getattr`, the value assigned to
`_default_model`) is left to that check. Model names are recognised by `model_patterns`.
The fix removes a literal only where the plan rewrites its code: inside `get_model_config`
(rewritten whole) or inside a function the fix removes as unused; elsewhere it is a
decision for a person, and the finding says so.
"""

from __future__ import annotations

import re

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, register
from igny8_refactor.audit.checks.hardcoded_model_config import PLAN_FUNCTION, PLAN_SETTINGS
from igny8_refactor.audit.patterns import (
    RuleVisitor,
    fallback_setting_read,
    is_config_dict_assignment,
    is_default_model_attr,
    is_model_key,
    is_model_literal,
    string_value,
)

DEFAULT_WORDS = re.compile(r"default|fallback", re.IGNORECASE)


def _says_default(target) -> bool:
    name = (
        target.value if isinstance(target, cst.Name) else target.attr.value if isinstance(target, cst.Attribute) else ""
    )
    return bool(DEFAULT_WORDS.search(name))


class _Visitor(RuleVisitor):
    def __init__(self, check, ctx):
        super().__init__(check, ctx)
        self.skip_depth = 0

    def _skipped_assignment(self, node) -> bool:
        if is_config_dict_assignment(self.ctx, node):
            return True
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        return any(is_default_model_attr(t) for t in targets)

    def visit_Assign(self, node):
        if self._skipped_assignment(node):
            self.skip_depth += 1
        elif is_model_literal(self.ctx, node.value) and any(_says_default(t.target) for t in node.targets):
            self._report(node.value)  # DEFAULT_MODEL = "gpt-4.1"

    def leave_Assign(self, node):
        if self._skipped_assignment(node):
            self.skip_depth -= 1

    def visit_AnnAssign(self, node):
        if node.value is not None and self._skipped_assignment(node):
            self.skip_depth += 1
        elif node.value is not None and is_model_literal(self.ctx, node.value) and _says_default(node.target):
            self._report(node.value)  # DEFAULT_MODEL: str = "gpt-4.1"

    def leave_AnnAssign(self, node):
        if node.value is not None and self._skipped_assignment(node):
            self.skip_depth -= 1

    def _report(self, literal):
        if self.skip_depth:
            return
        value = string_value(literal)
        fix, note, needs = self.plan_rewrite(literal)
        self.report(
            literal,
            self.scope_name(literal),
            f"hardcoded model `{value}` is used as a default",
            fix=fix,
            needs=needs,
            note=note or "set the model in IntegrationSettings and remove this default by hand",
        )

    def visit_Call(self, node):
        if fallback_setting_read(self, node):
            self.skip_depth += 1
            return
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("get", "setdefault", "pop")
            and len(node.args) >= 2
            and node.args[0].keyword is None
            and is_model_key(node.args[0].value)
            and is_model_literal(self.ctx, node.args[1].value)
        ):
            self._report(node.args[1].value)

    def leave_Call(self, node):
        if fallback_setting_read(self, node):
            self.skip_depth -= 1

    def visit_DictElement(self, node):
        if is_model_key(node.key) and is_model_literal(self.ctx, node.value):
            if self._is_fallback_dict(self.parent(node)):
                self._report(node.value)

    def _is_fallback_dict(self, node) -> bool:
        """Whether a dict display serves as defaults, judged by where it goes.

        Defaults: bound to a name saying so (`default_config = {...}`), merged in
        (`config.update({...})`, `setdefault`), the default of `.get(key, {...})` or of a
        parameter, the right side of `or`, or returned by a function saying so. A dict
        that is just data (a request body, a `create(config={...})` argument) is not.
        """
        child, parent = node, self.parent(node)
        while isinstance(parent, (cst.DictElement, cst.Dict)):  # nested: judge the outermost
            child, parent = parent, self.parent(parent)
        if isinstance(parent, cst.AssignTarget):
            return False
        if isinstance(parent, cst.Assign):
            return any(_says_default(t.target) for t in parent.targets)
        if isinstance(parent, (cst.AnnAssign, cst.AugAssign)):
            return _says_default(parent.target)
        if isinstance(parent, cst.Param):
            return parent.default is child
        if isinstance(parent, cst.BooleanOperation):
            return isinstance(parent.operator, cst.Or) and parent.right is child
        if isinstance(parent, cst.Arg):
            call = self.parent(parent)
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
                method = call.func.attr.value
                if method in ("update", "setdefault"):
                    return True
                if method == "get" and len(call.args) >= 2 and call.args[1] is parent:
                    return True
            return False
        if isinstance(parent, cst.Return):
            current = self.parent(parent)
            while current is not None and not isinstance(current, cst.FunctionDef):
                current = self.parent(current)
            return current is not None and bool(DEFAULT_WORDS.search(current.name.value))
        return False

    def visit_Param(self, node):
        if node.default is not None and is_model_literal(self.ctx, node.default):
            self._report(node.default)

    def visit_BooleanOperation(self, node):
        if isinstance(node.operator, cst.Or) and is_model_literal(self.ctx, node.right):
            self._report(node.right)


@register
class ModelLiteralDefault(Check):
    """Hardcoded model name used as a default (`cfg.get("model", "gpt-4.1")`).

    The model must come from the account's IntegrationSettings; a literal default masks a missing one.
    """

    kind, code, fixable = "model-literal-default", "IG104", True
    codemod = "remove_model_config"

    @classmethod
    def triggers(cls, settings):
        return frozenset(), None, True

    VALID = [
        'model = config.get("model")',
        'logger.info("switching to gpt-4 for %s", name)',
        'MODEL_LABELS = {"gpt-4o-mini": "GPT-4o mini"}',
        'max_tokens = config.get("max_tokens", 4000)',
        'body = {"model": active_model, "messages": []}',
        'IntegrationSettings.objects.create(config={"model": "gpt-4o-mini"})',
        'def fake_reply():\n    return {"model": "gpt-4o-mini", "choices": []}',
    ]
    INVALID = [
        Invalid('model = config.get("model", "gpt-4.1")', expected=None),
        Invalid('image_model = config.get("image_model", "dall-e-3")', expected=None),
        Invalid('def run(prompt, model="gpt-4o-mini"):\n    pass', expected=None),
        Invalid('default_config = {"model": "gpt-4.1", "max_tokens": 4000}', expected=None),
        Invalid('active = model or "gpt-4.1"', expected=None),
        Invalid('config.update({"model": "gpt-4.1"})', expected=None),
        Invalid('DEFAULT_MODEL = "gpt-4o-mini"', expected=None),
        Invalid('def default_settings():\n    return {"chat": {"model": "gpt-4o"}}', expected=None),
        Invalid(  # inside the plan's get_model_config: the function is rewritten whole
            PLAN_SETTINGS + "def get_model_config(function_name, account=None):\n"
            "    return {'model': account.config.get('model', 'gpt-4.1')}\n",
            expected=PLAN_SETTINGS + PLAN_FUNCTION,
        ),
    ]
    DOCS = """\
    A hardcoded model name used as a default.

    ## What it flags

    A string literal matching the `model_patterns` setting (by default OpenAI, Anthropic and
    Google model names such as `gpt-4.1`, `gpt-4o-mini`, `o3-mini`, `dall-e-3`) used as a
    fallback:

    - the default of a lookup: `cfg.get("model", "gpt-4.1")`;
    - a parameter default: `def f(model="gpt-4o-mini")`;
    - the `"model"` value of a fallback dict: `{"model": "gpt-4.1", "max_tokens": 4000}`.

    Numeric defaults such as `config.get('max_tokens', 4000)` are not flagged: the refactoring
    plan keeps them as API limits.

    ## Why it hurts

    A literal default is a fallback tier in disguise: the account's configuration is
    bypassed without an error, and the model name goes stale in the code long after the
    provider retires it.

    ## Example

    Before:

    ```python
    if not config.get('model'):
        default_config = {
            "model": "gpt-4.1",
            "max_tokens": 4000,
            "temperature": 0.7,
        }
        config.update(default_config)
    ```

    After:

    ```python
    model = config.get('model')
    if not model:
        raise ValueError(
            f"Model not configured in IntegrationSettings for account {account.id}. "
            f"Please set 'model' in OpenAI integration settings."
        )
    ```

    ## How `igny8-refactor fix` handles it

    Fixed where the plan rewrites the code around it: inside the plan's `get_model_config` (rewritten
    whole by `remove_model_config`) and inside a function `remove_dead_helpers` removes. A literal
    default elsewhere is reported with a note, not rewritten: the right replacement (an error, a
    parameter, the account's configuration) is a decision for a person.

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    A trailing comment on the flagged line:

    ```python
    def embed(text, model="text-embedding-3-small"):  # igny8: ignore[model-literal-default]
    ```

    `# igny8: ignore[IG104]` works the same. To stop a family of names being treated as model
    names, narrow `model_patterns` in the configuration.
    """

    def visitor(self, ctx):
        return _Visitor(self, ctx)
