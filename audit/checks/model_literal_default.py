from __future__ import annotations

import re

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, lazy_module, register
from igny8_refactor.audit.checks.hardcoded_model_config import PLAN_FUNCTION, PLAN_SETTINGS
from igny8_refactor.audit.patterns import (
    fallback_setting_read,
    is_config_dict_assignment,
    is_default_model_attr,
    is_model_key,
    is_model_literal,
    string_value,
    targets_of,
)
from igny8_refactor.audit.rule_visitor import RuleVisitor

m = lazy_module("libcst.matchers")

DEFAULT_WORDS = re.compile(r"default|fallback", re.IGNORECASE)


def _says_default(target) -> bool:
    name = target.attr if isinstance(target, cst.Attribute) else target
    return isinstance(name, cst.Name) and bool(DEFAULT_WORDS.search(name.value))


class _Visitor(RuleVisitor):
    def _left_to_another_rule(self, node) -> bool:
        """Inside a `MODEL_CONFIG` dict, the value assigned to `_default_model` or a settings `getattr`."""
        if isinstance(node, cst.Call):
            return fallback_setting_read(self, node) is not None
        if isinstance(node, cst.Assign) or isinstance(node, cst.AnnAssign) and node.value is not None:
            return bool(is_config_dict_assignment(self.ctx, node)) or any(map(is_default_model_attr, targets_of(node)))
        return False

    def _report(self, literal):
        if any(self._left_to_another_rule(a) for a in self.ancestors(literal)):
            return
        message = f"hardcoded model `{string_value(literal)}` is used as a default"
        note = "set the model in IntegrationSettings and remove this default by hand"
        self.report_in_plan(literal, self.scope_name(literal), message, note)

    def visit_Assign(self, node):  # DEFAULT_MODEL = "gpt-4.1", DEFAULT_MODEL: str = "gpt-4.1"
        if is_model_literal(self.ctx, node.value) and any(map(_says_default, targets_of(node))):
            self._report(node.value)

    visit_AnnAssign = visit_Assign

    def visit_Call(self, node):  # cfg.get("model", "gpt-4.1"), .setdefault(...), .pop(...)
        method = m.Attribute(attr=m.Name("get") | m.Name("setdefault") | m.Name("pop"))
        key = m.Arg(keyword=None, value=m.MatchIfTrue(is_model_key))
        literal = m.Arg(value=m.MatchIfTrue(lambda value: is_model_literal(self.ctx, value)))
        if m.matches(node, m.Call(func=method, args=[key, literal, m.ZeroOrMore()])):
            self._report(node.args[1].value)

    def visit_DictElement(self, node):
        if is_model_key(node.key) and is_model_literal(self.ctx, node.value) and self._is_fallback_dict(node):
            self._report(node.value)

    def _is_fallback_dict(self, element) -> bool:
        """Whether the dict display holding `element` serves as defaults, judged by where it goes.

        Defaults: bound to a name saying so (`default_config = {...}`), merged in
        (`config.update({...})`, `setdefault`), the default of `.get(key, {...})` or of a
        parameter, the right side of `or`, or returned by a function saying so. A dict
        that is just data (a request body, a `create(config={...})` argument) is not.
        """
        child, parent = element, self.parent(element)
        while isinstance(parent, (cst.DictElement, cst.Dict)):  # nested: judge the outermost
            child, parent = parent, self.parent(parent)
        if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            return any(map(_says_default, targets_of(parent)))
        if isinstance(parent, cst.Param):
            return parent.default is child
        if isinstance(parent, cst.BooleanOperation):
            return isinstance(parent.operator, cst.Or) and parent.right is child
        if isinstance(parent, cst.Arg):
            call = self.parent(parent)
            method = call.func.attr.value if m.matches(call, m.Call(func=m.Attribute())) else None
            return method in ("update", "setdefault") or method == "get" and parent in call.args[1:2]
        if isinstance(parent, cst.Return):
            function = self.enclosing_function(parent)
            return function is not None and bool(DEFAULT_WORDS.search(function.name.value))
        return False

    def visit_Param(self, node):
        if node.default is not None and is_model_literal(self.ctx, node.default):
            self._report(node.default)

    def visit_BooleanOperation(self, node):
        if isinstance(node.operator, cst.Or) and is_model_literal(self.ctx, node.right):
            self._report(node.right)


@register
class ModelLiteralDefault(Check):
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
    - the `"model"` value of a fallback dict: `{"model": "gpt-4.1", "max_tokens": 4000}`;
    - the right side of an `or`: `model or "gpt-4.1"`;
    - a module constant whose name says default or fallback: `DEFAULT_MODEL = "gpt-4.1"`.

    A literal another check already covers (inside a `MODEL_CONFIG` dict, the default of a
    settings `getattr`, the value assigned to `_default_model`) is left to that check.

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
