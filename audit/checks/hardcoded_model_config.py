from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

from igny8_refactor.audit.checks import Check, Invalid, register
from igny8_refactor.audit.patterns import is_config_dict_assignment, targets_of
from igny8_refactor.audit.rule_visitor import RuleVisitor
from igny8_refactor.audit.target_config import NEW_LOGIC

# the plan's settings.py for the INVALID cases, and the `get_model_config` the fix writes into it (the
# plan's "New Logic", without the alias lookup a module that had none does not need)
PLAN_SETTINGS = "# igny8_core/ai/settings.py\nfrom igny8_core.modules.system.models import IntegrationSettings\n\n\n"
PLAN_FUNCTION = NEW_LOGIC.replace(
    "\n    # Resolve function alias\n    actual_name = FUNCTION_ALIASES.get(function_name, function_name)\n", ""
)


class _Visitor(RuleVisitor):
    def __init__(self, check, ctx):
        super().__init__(check, ctx)
        self.aliases: set[str] = set()

    def visit_Import(self, node):
        return False

    def visit_ImportFrom(self, node):
        configured = self.ctx.settings.config_names
        for alias in () if isinstance(node.names, cst.ImportStar) else node.names:
            if alias.asname is not None and isinstance(alias.name, cst.Name) and alias.name.value in configured:
                self.aliases.add(alias.asname.name.value)
        return False

    def visit_Assign(self, node):
        name = is_config_dict_assignment(self.ctx, node)
        if name is None or any(isinstance(a, (cst.FunctionDef, cst.ClassDef)) for a in self.ancestors(node)):
            return
        statement = self.parent(node)
        fix, note = None, "shares its line with other statements: remove it by hand"
        if self.ctx.plan != "settings":
            note = f"outside the plan's `{self.ctx.settings.ai_package}.settings`: remove it by hand"
        elif isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            fix = (statement, cst.RemoveFromParent())
        for target in targets_of(node):
            if isinstance(target, cst.Name) and target.value == name:
                self.report(
                    target,
                    f"{self.ctx.module}.{name}" if self.ctx.module else name,
                    f"`{name}` is a hardcoded per-function model default",
                    fix=fix,
                    removes=(name,),
                    note=note,
                )

    visit_AnnAssign = visit_Assign

    def _config_name(self, node) -> str | None:
        # in name order: a name bound in two ways has two qualified names, and a set's order
        # (string hashing) would change the finding's symbol from run to run
        for qualified in sorted(self.get_metadata(QualifiedNameProvider, node, set()), key=lambda q: q.name):
            name = qualified.name
            if qualified.source is QualifiedNameSource.LOCAL and "." in name:
                continue  # a function's local (`f.<locals>.X`) or a class attribute (`C.X`): not the module's dict
            if name.rsplit(".", 1)[-1] in self.ctx.settings.config_names:
                return self.ctx.absolute(name)
        return None

    def visit_Name(self, node):
        if node.value not in self.ctx.settings.config_names and node.value not in self.aliases:
            return
        parent = self.parent(node)
        written = isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)) and parent.target is node
        if written or isinstance(parent, cst.Attribute) and parent.attr is node:
            return  # a write (the definition is reported by visit_Assign), or an attribute's name (visit_Attribute)
        if symbol := self._config_name(node):
            self._use(node, symbol, symbol.rsplit(".", 1)[-1])

    def visit_Attribute(self, node):
        if node.attr.value in self.ctx.settings.config_names and (symbol := self._config_name(node)):
            self._use(node, symbol, node.attr.value)

    def _use(self, node, symbol, name):
        note = "a use the plan does not rewrite: read the model from IntegrationSettings"
        self.report_in_plan(node, symbol, f"`{name}` (hardcoded model defaults) is used", note)


@register
class HardcodedModelConfig(Check):
    kind, code, fixable = "hardcoded-model-config", "IG101", True
    codemod = "remove_model_config"

    @classmethod
    def triggers(cls, settings):
        return frozenset(settings.config_names), None, False

    VALID = [
        'MODEL_LABELS = {"gpt-4o-mini": "GPT-4o mini"}',
        "def f(MODEL_CONFIG):\n    return MODEL_CONFIG.get('x')",
        'config = integration.config or {}\nmodel = config["model"]',
    ]
    INVALID = [
        Invalid('MODEL_CONFIG = {"auto_cluster": {"model": "gpt-4o-mini"}}', expected=None),
        Invalid(
            "from igny8_core.ai.settings import MODEL_CONFIG as MC\nconfig = MC.get('auto_cluster', {})",
            expected=None,
        ),
        Invalid("import igny8_core.ai.settings as s\nconfig = s.MODEL_CONFIG['auto_cluster']", expected=None),
        Invalid(
            '# igny8_core/ai/settings.py\nMODEL_CONFIG = {"auto_cluster": {"model": "gpt-4o-mini"}}\nTIMEOUT = 30\n',
            expected="# igny8_core/ai/settings.py\nTIMEOUT = 30\n",
        ),
        Invalid(  # the dict goes, and the function that read it becomes the plan's
            PLAN_SETTINGS + "MODEL_CONFIG = {'auto_cluster': {'model': 'gpt-4.1'}}\n\n\n"
            "def get_model_config(function_name, account=None):\n    return MODEL_CONFIG.get(function_name, {})\n",
            expected=PLAN_SETTINGS + PLAN_FUNCTION,
        ),
    ]
    DOCS = """\
    A module-level per-function model-defaults dict such as `MODEL_CONFIG`, and every use of it.

    ## What it flags

    The assignment of a module-level dict named in the `config_names` setting (default
    `MODEL_CONFIG`) that maps AI function names to model settings, and every read of it
    anywhere in the project: `MODEL_CONFIG.get(name, {})`, `MODEL_CONFIG[name]`, an import of
    it, or an export of it in `__all__`. Uses are matched by qualified name, so an alias
    (`from igny8_core.ai.settings import MODEL_CONFIG as defaults`) is still found.

    ## Why it hurts

    The dict is tier 2 of the old three-tier lookup: when an account has no
    `IntegrationSettings`, the AI function silently runs on whatever model the dict names.
    The account is billed for a model it never chose, and a missing configuration that should
    be a clear error becomes a quiet difference in output quality.

    ## Example

    Before:

    ```python
    MODEL_CONFIG = {
        "auto_cluster": {"model": "gpt-4o-mini", "max_tokens": 4000, "temperature": 0.7},
    }


    def get_model_config(function_name, account=None):
        actual_name = FUNCTION_ALIASES.get(function_name, function_name)
        config = MODEL_CONFIG.get(actual_name, {}).copy()
        ...
    ```

    After (IntegrationSettings only):

    ```python
    def get_model_config(function_name, account=None):
        if not account:
            raise ValueError("Account is required for model configuration")
        actual_name = FUNCTION_ALIASES.get(function_name, function_name)
        try:
            integration_settings = IntegrationSettings.objects.get(
                integration_type='openai', account=account, is_active=True
            )
        except IntegrationSettings.DoesNotExist:
            raise ValueError(...)
        ...
    ```

    ## How `igny8-refactor fix` handles it

    Fixable in the plan's `settings.py`. The `remove_model_config` codemod deletes the dict (and
    its entry in the module's own `__all__`), and rewrites `get_model_config` into the plan's
    IntegrationSettings-only logic (the three `ValueError`s, `max_tokens` 4000 and `temperature`
    0.7 as the config's defaults), which removes the uses inside it. The `IntegrationSettings`
    import is the checkout's own: a module-level one is used as it is, one inside the old body
    moves into the new body; when the module imports it nowhere, the finding says so and nothing
    is rewritten (a path is never made up). Imports that only the removed code read go with it,
    in this module and in others (`from .settings import MODEL_CONFIG` in the package's
    `__init__.py`). The dict stays, with a note naming the user, when another module still reads
    it, when a use outside the rewritten function remains, or when the module object is passed
    around.

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    A trailing comment on the flagged line:

    ```python
    LEGACY_DEFAULTS = MODEL_CONFIG  # igny8: ignore[hardcoded-model-config]
    ```

    `# igny8: ignore[IG101]` works the same. A dict with another name that should not be
    treated as model configuration is best left out of `config_names`.
    """

    def visitor(self, ctx):
        return _Visitor(self, ctx)
