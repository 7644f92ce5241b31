"""The plan's "New Logic" for `get_model_config`, and the rewrite of a legacy body into it (carried by whichever
rule reports first inside the function; the others' findings lie inside its edit)."""

from __future__ import annotations

import functools

import libcst as cst

from igny8_refactor.audit.checks import lazy_module

m = lazy_module("libcst.matchers")
FUNCTION = "get_model_config"
INTEGRATION_SETTINGS = "IntegrationSettings"

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


@functools.cache
def _template(newline: str = "\n") -> cst.FunctionDef:
    """The seed's function, parsed once per newline style (its docstring holds raw newlines)."""
    (template,) = cst.parse_module(NEW_LOGIC.replace("\n", newline)).body
    return template


class _Rename(cst.CSTTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.names.get(original_node.value)
        return updated_node.with_changes(value=new) if new else updated_node

    # a keyword is not a variable: `account=account` keeps its keyword (no attribute of the template is renamed)
    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)


def _binds(statement: cst.CSTNode, name: str) -> bool:
    """True when an import statement line binds `name`."""
    return isinstance(statement, cst.SimpleStatementLine) and any(
        (alias.evaluated_alias or alias.evaluated_name).split(".")[0] == name
        for small in statement.body
        if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar)
        for alias in small.names
    )


def rewrite(
    function: cst.FunctionDef, module: cst.Module, resolved: dict[str, str] | None = None
) -> tuple[cst.BaseSuite | None, str, tuple[str, ...]]:
    """The plan's body for a legacy `get_model_config`, why it cannot be written, and the classes it needs.

    Parameter names, the alias table and the `IntegrationSettings` import are the module's own (one inside the old
    body moves into the new one); without any, the body imports it from the module `resolved` (class -> module,
    from the project) names, and the third value asks for it. A path is never made up.
    """
    params = [*function.params.posonly_params, *function.params.params]
    names = {p.name.value for p in (*params, *function.params.kwonly_params)}
    account = "account" if "account" in names else (params[1].name.value if len(params) > 1 else None)
    if not params or account is None:
        return None, f"`{FUNCTION}` has no account parameter", ()
    renames = {"function_name": params[0].name.value, "account": account}
    name = m.Arg(value=m.Name(params[0].name.value))  # the module's alias resolution: `ALIASES.get(<name>, <name>)`
    aliases = m.findall(function.body, m.Call(func=m.Attribute(value=m.Name(), attr=m.Name("get")), args=[name, name]))
    body = _template(module.default_newline).body
    if aliases:
        renames["FUNCTION_ALIASES"] = aliases[0].func.value.value
    else:  # no alias table: the template's alias resolution goes
        resolution = m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name("actual_name"))])])
        body = body.with_changes(body=[s for s in body.body if not m.matches(s, resolution)])
    body = body.visit(_Rename({k: v for k, v in renames.items() if k != v}))
    needs: tuple[str, ...] = ()
    defined = m.ClassDef(name=m.Name(INTEGRATION_SETTINGS)) | m.FunctionDef(name=m.Name(INTEGRATION_SETTINGS))
    if not any(_binds(statement, INTEGRATION_SETTINGS) or m.matches(statement, defined) for statement in module.body):
        local = [s for s in m.findall(function.body, m.SimpleStatementLine()) if _binds(s, INTEGRATION_SETTINGS)]
        if local:
            statement = local[0].with_changes(leading_lines=())
        else:
            needs = (INTEGRATION_SETTINGS,)
            where = (resolved or {}).get(INTEGRATION_SETTINGS, "__unresolved__")
            (statement,) = cst.parse_module(f"from {where} import {INTEGRATION_SETTINGS}\n").body
        statements = list(body.body)
        statements[1:1] = [statement]  # after the docstring
        statements[2] = statements[2].with_changes(leading_lines=[cst.EmptyLine(indent=False)])
        body = body.with_changes(body=statements)
    if isinstance(function.body, cst.IndentedBlock):
        body = body.with_changes(header=function.body.header)
    return body, "", needs
