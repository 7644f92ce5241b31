from __future__ import annotations

from igny8_refactor.audit.checks import Check, Invalid, register
from igny8_refactor.audit.checks.hardcoded_model_config import PLAN_FUNCTION, PLAN_SETTINGS
from igny8_refactor.audit.patterns import fallback_setting_read
from igny8_refactor.audit.rule_visitor import RuleVisitor


class _Visitor(RuleVisitor):
    def _check(self, node):
        if setting := fallback_setting_read(self, node):
            message = f"model default read from Django settings `{setting}`"
            note = "a read the plan does not rewrite: take the model from IntegrationSettings"
            self.report_in_plan(node, f"django.conf.settings.{setting}", message, note)

    visit_Call = _check
    visit_Attribute = _check


@register
class SettingsFallback(Check):
    kind, code, fixable = "settings-fallback", "IG102", True
    codemod = "remove_model_config"

    @classmethod
    def triggers(cls, settings):
        return frozenset(settings.fallback_settings), None, False

    VALID = [
        'model = integration.config["model"]',
        "settings = {'DEFAULT_AI_MODEL': 'x'}\nmodel = settings.get('DEFAULT_AI_MODEL')",
        "from django.conf import settings\ntimeout = settings.OPENAI_TIMEOUT",
        "class C:\n    settings = None\n    def f(self, settings):\n        return settings.DEFAULT_AI_MODEL",
    ]
    INVALID = [
        Invalid("from django.conf import settings as s\nm = s.DEFAULT_AI_MODEL", expected=None),
        Invalid(
            "from django.conf import settings\nm = getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')",
            expected=None,
        ),
        Invalid(
            "def f():\n    from django.conf import settings\n    return getattr(settings, 'DEFAULT_AI_MODEL')",
            expected=None,
        ),
        Invalid("import django.conf\nm = django.conf.settings.DEFAULT_AI_MODEL", expected=None),
        Invalid(  # inside the plan's get_model_config: the function is rewritten whole
            PLAN_SETTINGS.replace("\n", "\nfrom django.conf import settings\n", 1)
            + "def get_model_config(function_name, account=None):\n    return {'model': settings.DEFAULT_AI_MODEL}\n",
            expected=PLAN_SETTINGS + PLAN_FUNCTION,
        ),
    ]
    DOCS = """\
    A model default read from Django settings.

    ## What it flags

    Reads of a setting named in `fallback_settings` (default `DEFAULT_AI_MODEL`) from
    `django.conf.settings`: `settings.DEFAULT_AI_MODEL`, `getattr(settings,
    "DEFAULT_AI_MODEL", ...)`, including through an alias such as
    `from django.conf import settings as s`. Matching is by qualified name: a local variable
    that happens to be called `settings` is not Django's.

    ## Why it hurts

    It is tier 3 of the old lookup: a single global model that hides a missing
    `IntegrationSettings` row. Every account without configuration quietly shares it, and a
    deployment that changes the setting changes the model for all of them at once.

    ## Example

    Before:

    ```python
    try:
        from django.conf import settings
        self._default_model = getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')
    except:
        self._default_model = 'gpt-4.1'
    ```

    After: the block is gone; the model comes from the account's `IntegrationSettings`
    through `get_model_config(function_name, account=account)`.

    ## How `igny8-refactor fix` handles it

    Fixable where the plan removes the code around the read: the `_default_model` initialisation
    in the plan's `ai_core.py` (removed with its `try`/`except` by `remove_default_model`, see
    IG103) and the plan's `get_model_config` (rewritten whole by `remove_model_config`). Other
    reads are reported with a note, for a person to replace with the account's configuration.

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    A trailing comment on the flagged line:

    ```python
    model = getattr(settings, "DEFAULT_AI_MODEL", None)  # igny8: ignore[settings-fallback]
    ```

    `# igny8: ignore[IG102]` works the same.
    """

    def visitor(self, ctx):
        return _Visitor(self, ctx)
