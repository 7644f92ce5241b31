"""Delete the hardcoded MODEL_CONFIG dict and rewrite get_model_config to read IntegrationSettings only."""
from __future__ import annotations

import argparse
import re
from typing import Collection

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from codemods._util import is_all_target, prune_sequence, string_value
from codemods.facts import config_for
from codemods.registry import register

FUNCTION = "get_model_config"
INTEGRATION_SETTINGS = "IntegrationSettings"
INTEGRATION_SETTINGS_MODULE = "igny8_core.modules.system.models"
ALIASES = "FUNCTION_ALIASES"

# The seed's "New Logic", verbatim. `function_name`, `account` and `FUNCTION_ALIASES` are
# renamed to whatever the module being rewritten calls them.
NEW_LOGIC = '''\
def get_model_config(function_name, account=None):
    """
    Get model configuration from IntegrationSettings only.

    No fallbacks - account must have IntegrationSettings configured.

    Args:
        function_name: Name of the AI function
        account: Account instance (required)

    Returns:
        dict: Model configuration with 'model', 'max_tokens', 'temperature'

    Raises:
        ValueError: If account not provided or IntegrationSettings not configured
    """
    if not account:
        raise ValueError("Account is required for model configuration")

    # Resolve function alias
    actual_name = FUNCTION_ALIASES.get(function_name, function_name)

    # Get IntegrationSettings for OpenAI
    try:
        integration_settings = IntegrationSettings.objects.get(
            integration_type='openai',
            account=account,
            is_active=True
        )
    except IntegrationSettings.DoesNotExist:
        raise ValueError(
            f"OpenAI IntegrationSettings not configured for account {account.id}. "
            f"Please configure OpenAI settings in the integration page."
        )

    config = integration_settings.config or {}

    # Get model from config
    model = config.get('model')
    if not model:
        raise ValueError(
            f"Model not configured in IntegrationSettings for account {account.id}. "
            f"Please set 'model' in OpenAI integration settings."
        )

    # Get max_tokens and temperature from config (with reasonable defaults for API)
    max_tokens = config.get('max_tokens', 4000)  # Reasonable default for API limits
    temperature = config.get('temperature', 0.7)  # Reasonable default

    return {
        'model': model,
        'max_tokens': max_tokens,
        'temperature': temperature,
    }
'''

_TEMPLATES: dict[str, cst.FunctionDef] = {}


def _template(newline: str = "\n") -> cst.FunctionDef:
    """The seed's function, parsed once per newline style (its docstring holds raw newlines)."""
    if newline not in _TEMPLATES:
        (_TEMPLATES[newline],) = cst.parse_module(NEW_LOGIC.replace("\n", newline)).body
    return _TEMPLATES[newline]


class _Rename(cst.CSTTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.names.get(original_node.value)
        return updated_node.with_changes(value=new) if new else updated_node

    # keyword names and attribute names are not variables: keep them
    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)


class _Drop(cst.CSTTransformer):
    """Drop the template's alias-resolution statement (for a module that has none)."""

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if m.matches(original_node, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name("actual_name"))])])):
            return cst.RemoveFromParent()
        return updated_node


def _assigned_name(statement: cst.CSTNode) -> tuple[str | None, cst.BaseSmallStatement | None]:
    """The single module-level name a `NAME = ...` / `NAME: T = ...` line binds."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None, None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value, small
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        return small.target.value, small
    return None, None


@register
class RemoveModelConfig(VisitorBasedCodemodCommand):
    DESCRIPTION = "Delete hardcoded MODEL_CONFIG dicts and rewrite get_model_config into the IntegrationSettings-only logic."

    NEEDS_FACTS = True  # which config dicts other modules still use

    @classmethod
    def prefilter(cls, data: bytes, path: str, config, facts) -> bool:
        """Cheap test on the raw bytes."""
        return FUNCTION.encode() in data or any(name.encode() in data for name in config.config_names)

    @classmethod
    def from_config(cls, context: CodemodContext, config, facts) -> "RemoveModelConfig":
        return cls(
            context, config_names=config.config_names, fallback_settings=config.fallback_settings,
            model_patterns=config.model_patterns, shared=facts.shared,
        )

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--config-name", dest="config_names", action="append", metavar="NAME",
            help="A module-level model-defaults dict to delete (repeatable). Default: from the configuration.",
        )
        arg_parser.add_argument(
            "--fallback-setting", dest="fallback_settings", action="append", metavar="NAME",
            help="A Django setting used as a model default (repeatable). Default: from the configuration.",
        )

    def __init__(
        self,
        context: CodemodContext,
        config_names: Collection[str] | None = None,
        fallback_settings: Collection[str] | None = None,
        model_patterns: Collection[str] | None = None,
        shared: Collection[str] | None = None,
    ) -> None:
        super().__init__(context)
        # config dicts ("module.NAME") another module still uses; None: ask the audit
        self.shared = None if shared is None else frozenset(shared)
        self.config_names = None if config_names is None else frozenset(config_names)
        self.fallback_settings = None if fallback_settings is None else frozenset(fallback_settings)
        self.model_patterns = None if model_patterns is None else tuple(model_patterns)

    def _load_config(self) -> None:
        if None in (self.config_names, self.fallback_settings, self.model_patterns):
            config = config_for(self.context.filename)
            if self.config_names is None:
                self.config_names = frozenset(config.config_names)
            if self.fallback_settings is None:
                self.fallback_settings = frozenset(config.fallback_settings)
            if self.model_patterns is None:
                self.model_patterns = tuple(config.model_patterns)
        self._model_re = [re.compile(p) for p in self.model_patterns]

    def _is_shared(self, name: str) -> bool:
        """True when another module still uses this module's dict `name` (asks the audit if not told)."""
        if self.shared is None:
            from codemods.facts import facts_for

            self.shared = facts_for(self.context.filename).shared
        return f"{self.context.full_module_name}.{name}" in self.shared

    def visit_Module(self, node: cst.Module) -> bool:
        self._load_config()
        wanted = any(
            _assigned_name(s)[0] in self.config_names
            or (isinstance(s, cst.FunctionDef) and s.name.value == FUNCTION)
            for s in node.body
        )
        if not wanted:
            raise SkipFile(f"no {FUNCTION} or model-config dict here")
        return False

    # -- what counts as the old, fallback logic ----------------------------------------
    def _has_fallback(self, node: cst.CSTNode) -> bool:
        for name in m.findall(node, m.Name()):
            if name.value in self.config_names or name.value in self.fallback_settings:
                return True
        for string in m.findall(node, m.SimpleString() | m.ConcatenatedString()):
            value = string_value(string)
            if value is not None and (value in self.fallback_settings or any(r.match(value) for r in self._model_re)):
                return True
        return False

    def _new_body(self, function: cst.FunctionDef) -> cst.BaseSuite | None:
        params = [p for p in (*function.params.posonly_params, *function.params.params)]
        if len(params) < 2 and not function.params.kwonly_params:
            self.warn(f"{FUNCTION} has no account parameter; left as it is")
            return None
        names = {p.name.value for p in (*params, *function.params.kwonly_params)}
        account = "account" if "account" in names else (params[1].name.value if len(params) > 1 else None)
        if account is None or not params:
            self.warn(f"{FUNCTION} has no account parameter; left as it is")
            return None
        renames = {"function_name": params[0].name.value, "account": account}
        template = _template(self.module.default_newline)
        # keep the module's alias resolution: `ALIASES.get(<name>, <name>)`
        alias = None
        for call in m.findall(function.body, m.Call(func=m.Attribute(value=m.Name(), attr=m.Name("get")))):
            args = call.args
            if len(args) == 2 and all(m.matches(a.value, m.Name(params[0].name.value)) for a in args):
                alias = call.func.value.value
                break
        body = template.body
        if alias is None:
            body = body.visit(_Drop())
        else:
            renames[ALIASES] = alias
        body = body.visit(_Rename({k: v for k, v in renames.items() if k != v}))
        return body.with_changes(header=function.body.header) if isinstance(function.body, cst.IndentedBlock) else body

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = list(updated_node.body)
        rewritten = set()
        for index, statement in enumerate(body):
            if isinstance(statement, cst.FunctionDef) and statement.name.value == FUNCTION and self._has_fallback(statement.body):
                new_body = self._new_body(statement)
                if new_body is not None and not new_body.deep_equals(statement.body):
                    self.remove_unused_import_by_node(statement.body)
                    body[index] = statement.with_changes(body=new_body)
                    rewritten.add(index)
        # the dicts, unless something that stays still reads them
        remaining_uses = set()
        for index, statement in enumerate(body):
            if index in rewritten:
                continue
            name, small = _assigned_name(statement)
            scan = small.value if name in self.config_names else statement
            remaining_uses |= {n.value for n in m.findall(scan, m.Name()) if n.value in self.config_names}
        new_body, deleted = [], set()
        for index, statement in enumerate(body):
            name, small = _assigned_name(statement)
            if name in self.config_names:
                if name in remaining_uses:
                    self.warn(f"`{name}` is still used in this module; left in place")
                elif self._is_shared(name):
                    self.warn(f"`{name}` is still imported by another module; left in place")
                else:
                    self.remove_unused_import_by_node(statement)
                    deleted.add(name)
                    continue
            new_body.append(statement)
        if deleted:  # a deleted dict leaves the module's own __all__ too
            new_body = [self._unexport(s, deleted) for s in new_body]
        if not rewritten and len(new_body) == len(body):
            return updated_node
        if rewritten and not self._binds(original_node, INTEGRATION_SETTINGS):
            self.add_needed_import(INTEGRATION_SETTINGS_MODULE, INTEGRATION_SETTINGS)
        return updated_node.with_changes(body=new_body)

    @staticmethod
    def _unexport(statement: cst.BaseStatement, names: set[str]) -> cst.BaseStatement:
        if not isinstance(statement, cst.SimpleStatementLine):
            return statement
        body = []
        for small in statement.body:
            if isinstance(small, cst.Assign) and any(is_all_target(t.target) for t in small.targets):
                small = small.with_changes(value=prune_sequence(small.value, names))
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and is_all_target(small.target) and small.value:
                small = small.with_changes(value=prune_sequence(small.value, names))
            body.append(small)
        return statement.with_changes(body=body)

    @staticmethod
    def _binds(module: cst.Module, name: str) -> bool:
        """True when a module-level import already binds `name` (from wherever)."""
        for statement in module.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    if any((a.evaluated_alias or a.evaluated_name) == name for a in small.names):
                        return True
        return False
