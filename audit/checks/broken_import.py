from __future__ import annotations

from igny8_refactor.audit.checks import Check, Invalid, register
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.project import MODULE_ATTRIBUTES, parents


def _missing_module(project, dotted: str) -> tuple[str, str] | None:
    """(package, name) when `dotted` names a module a project package does not have."""
    package, _, last = dotted.rpartition(".")
    if dotted in project.modules or not package or package not in project.modules or not project.is_package(package):
        return None
    return None if project.is_dynamic(package) or project.is_bound(package, last) else (package, last)


def resolves(project, target: str, name: str) -> bool:
    """Whether `name` imported from the project module `target` (`from target import name`,
    `import target.name`) is there, wherever the import stands: in a function or an `if` too."""
    if target not in project.modules:
        return f"{target}.{name}" in project.modules
    return name in MODULE_ATTRIBUTES or project.is_dynamic(target) or project.is_bound(target, name)


def broken_imports(project, module: str):
    """Imports in `module` of what a project module does not bind: (module, name, line, column).

    `from X import n` where X binds no `n`, and `import X.m` / `from X.m import n` where
    the project package X has no module `m`.
    """
    data = project.modules.get(module)
    if data is None:
        return
    for imp in data.imports:
        if imp.conditional or imp.target == "__future__" or imp.target == module:
            continue
        if imp.kind == "import" or imp.target not in project.modules:
            missing = (_missing_module(project, dotted) for dotted in (*parents(imp.target), imp.target))
            if first := next(filter(None, missing), None):
                yield (*first, imp.line, imp.column)
        elif imp.name != "*" and not resolves(project, imp.target, imp.name):
            yield (imp.target, imp.name, imp.line, imp.column)


@register
class BrokenImport(Check):
    kind, code, fixable = "broken-import", "IG003", False
    scope = "project"
    VALID = [
        "# pkg/core.py\ndef run():\n    pass\n# pkg/app.py\nfrom pkg.core import run",
    ]
    INVALID = [
        Invalid("# pkg/core.py\ndef run():\n    pass\n# pkg/app.py\nfrom pkg.core import get_model", expected=None),
    ]
    DOCS = """\
    An import of a name that the target module (inside the project) neither defines nor re-exports.

    ## What it flags

    `from package.module import name` where `package.module` belongs to the analysed project
    and does not define `name`, import it, or export it through `__all__` or a star import.
    Also an import of a module a project package does not have (`from pkg.removed import x`).
    Imports of modules outside the project are not checked.

    Nothing is reported when the target could provide the name in a way the analysis cannot
    list: it has a module `__getattr__`, manipulates `globals()`, star-imports something whose
    names cannot be listed, or has a submodule of that name. A name bound by any module-level
    statement (assignment, `def`, import, `for`/`with` target, `del`, `global` in a function,
    either branch of `try`/`except` or `if TYPE_CHECKING`) counts as defined. Imports inside
    `try`/`if` blocks are not checked.

    ## Why it hurts

    The import fails at run time with `ImportError` — often only on the code path that needs
    it, so tests that never import that module stay green. This is the usual way an orphan
    cleanup goes wrong: a name is removed from a package while one forgotten caller still
    imports it from there.

    ## Example

    Before (`get_model` was removed from `igny8_core.ai.settings`, a caller was missed):

    ```python
    from igny8_core.ai.settings import get_model

    model = get_model("auto_cluster")
    ```

    After (read the configuration the supported way):

    ```python
    from igny8_core.ai.settings import get_model_config

    model = get_model_config("auto_cluster", account=account)["model"]
    ```

    ## How `igny8-refactor fix` handles it

    Not fixable: the right replacement depends on what the caller meant. `fix` itself never
    creates a broken import — it verifies the project after rewriting — and this check is how
    the gate catches one made by hand.

    ## Suppressing it

    A trailing comment on the line of the imported name (in a parenthesised import, the line
    where that name stands):

    ```python
    from igny8_core.ai.settings import get_model  # igny8: ignore[broken-import]
    ```

    `# igny8: ignore[IG003]` works the same.
    """

    @classmethod
    def damage(cls, project_before, finding) -> str:
        target, _, name = finding.symbol.rpartition(".")
        if project_before is not None and not resolves(project_before, target, name):
            return ""  # it did not work before either (reported then, or only now checked: moved out of an `if`)
        return f"the fix would break this import of `{finding.symbol}`"

    def run(self, project, config):
        for module in sorted(project.reported):
            path = project.path_of(module)
            for target, name, line, col in broken_imports(project, module):
                yield Finding(
                    path=path,
                    line=line,
                    column=col,
                    code=self.code,
                    kind=self.kind,
                    symbol=f"{target}.{name}",
                    message=f"`{name}` is imported from `{target}`, which does not define it",
                    fixable=False,
                    note="restore the definition or change the import",
                )
