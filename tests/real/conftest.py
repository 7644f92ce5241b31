"""Real trees nobody here wrote: copy an installed package, `fix` it as a user would, prove it still works.

Two independent proofs that no removal broke an import:
- dynamic: `probe.py` imports every module of the copy in a fresh interpreter (Django configured
  where the package needs it) before and after `fix`; every module that imported before must import
  after, from the copy;
- static: every `import`, `from … import …` and `pkg.mod.attr` chain naming a project module, in
  every file (migrations, tests and modules whose optional dependencies are not installed included),
  is resolved against the tree with `ast`; what resolved before must resolve after.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real: fixes real packages from PyPI and runs their own test suites (the network on a cold cache);"
        " deselect with -m 'not real'",
    )


TOOL = Path(sys.executable).with_name("igny8-refactor")


def site_package(name: str) -> Path:
    """The directory of an installed top-level package."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(list(spec.submodule_search_locations)[0])


def copy_package(name: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site_package(name), dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def run_tool(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """The venv's console script, from the project root, default --jobs, as a user runs it."""
    return subprocess.run([str(TOOL), *args], cwd=root, capture_output=True, text=True, timeout=timeout)


def python_files(root: Path, package: str) -> dict[str, Path]:
    """relative posix path -> path, for every .py file of the package."""
    return {p.relative_to(root).as_posix(): p for p in sorted((root / package).rglob("*.py"))}


def snapshot(root: Path, package: str) -> dict[str, bytes]:
    return {rel: path.read_bytes() for rel, path in python_files(root, package).items()}


def module_name(rel: str) -> str:
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# ---------------------------------------------------------------- the static model of a tree


def _targets(node) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for elt in node.elts for n in _targets(elt)]
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return []


@dataclass
class Module:
    name: str
    is_package: bool
    tree: ast.Module | None
    bound: set[str] = field(default_factory=set)
    stars: list[str] = field(default_factory=list)  # absolute module names star-imported
    dynamic: bool = False  # module __getattr__, globals() writes, a star import from outside
    defs: set[str] = field(default_factory=set)  # functions and classes, any module-level block
    exports: set[str] = field(default_factory=set)  # strings in __all__


def resolve_relative(current: str, is_package: bool, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _scan_block(mod: Module, body: list[ast.stmt]) -> None:
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            mod.bound.add(stmt.name)
            mod.defs.add(stmt.name)
            if stmt.name == "__getattr__":
                mod.dynamic = True
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                mod.bound.update(_targets(target))
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
                mod.exports.update(_strings(stmt.value))
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            mod.bound.update(_targets(stmt.target))
            if isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__" and stmt.value is not None:
                mod.exports.update(_strings(stmt.value))
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                mod.bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            source = resolve_relative(mod.name, mod.is_package, stmt.level, stmt.module)
            for alias in stmt.names:
                if alias.name == "*":
                    mod.stars.append(source)
                else:
                    mod.bound.add(alias.asname or alias.name)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            mod.bound.update(_targets(stmt.target))
            _scan_block(mod, stmt.body)
            _scan_block(mod, stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    mod.bound.update(_targets(item.optional_vars))
            _scan_block(mod, stmt.body)
        elif isinstance(stmt, (ast.If, ast.While)):
            _scan_block(mod, stmt.body)
            _scan_block(mod, stmt.orelse)
        elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            _scan_block(mod, stmt.body)
            for handler in stmt.handlers:
                if handler.name:
                    mod.bound.add(handler.name)
                _scan_block(mod, handler.body)
            _scan_block(mod, stmt.orelse)
            _scan_block(mod, stmt.finalbody)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func  # __all__.append("X") / __all__.extend([...]) / __all__ += ...
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "__all__":
                for arg in stmt.value.args:
                    mod.exports.update(_strings(arg))
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
            mod.exports.update(_strings(stmt.value))


def _strings(node) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return {elt.value for elt in node.elts if isinstance(elt, ast.Constant) and isinstance(elt.value, str)}
    if isinstance(node, ast.BinOp):
        return _strings(node.left) | _strings(node.right)
    return set()


class Tree:
    """Every module of `package` under `root`, parsed, with what each binds at module level."""

    def __init__(self, root: Path, package: str):
        self.root, self.package = root, package
        self.modules: dict[str, Module] = {}
        self.paths: dict[str, str] = {}
        for rel, path in python_files(root, package).items():
            name = module_name(rel)
            source = path.read_text(encoding="utf-8")
            try:
                tree = ast.parse(source, filename=rel)
            except SyntaxError:
                tree = None
            mod = Module(name, rel.endswith("__init__.py"), tree)
            if tree is not None:
                _scan_block(mod, tree.body)
                if "globals()" in source or "f_globals" in source:
                    mod.dynamic = True
            self.modules[name] = mod
            self.paths[name] = rel

    def in_project(self, dotted: str) -> bool:
        return dotted.split(".")[0] == self.package

    def binds(self, module: str, name: str, seen=None) -> bool:
        """Does `from module import name` work: a submodule, a module-level name, or a star source."""
        if f"{module}.{name}" in self.modules:
            return True
        mod = self.modules.get(module)
        if mod is None:
            return False
        if mod.dynamic or name in mod.bound:
            return True
        seen = seen or set()
        seen.add(module)
        for star in mod.stars:
            if not self.in_project(star):
                return True  # names come from outside the project: not ours to resolve
            if star in seen:
                continue
            source = self.modules.get(star)
            if source is None:
                continue
            if source.exports and name not in source.exports:
                continue
            if not source.exports and name.startswith("_"):
                continue
            if self.binds(star, name, seen):
                return True
        return False

    def references(self) -> dict[tuple[str, int, str], bool]:
        """(file, line, what) -> resolves, for every reference to a project module in every file."""
        found: dict[tuple[str, int, str], bool] = {}
        for name, mod in self.modules.items():
            if mod.tree is None:
                continue
            rel = self.paths[name]
            imported_tops: set[str] = set()
            for node in ast.walk(mod.tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        if not self.in_project(alias.name):
                            continue
                        if alias.asname is None:
                            imported_tops.add(alias.name.split(".")[0])
                        found[(rel, node.lineno, f"import {alias.name}")] = alias.name in self.modules
                elif isinstance(node, ast.ImportFrom):
                    source = resolve_relative(name, mod.is_package, node.level, node.module)
                    if not self.in_project(source):
                        continue
                    for alias in node.names:
                        if alias.name == "*":
                            ok = source in self.modules
                        else:
                            ok = self.binds(source, alias.name)
                        found[(rel, node.lineno, f"from {source} import {alias.name}")] = ok
            if not imported_tops:
                continue
            for node in ast.walk(mod.tree):
                if not isinstance(node, ast.Attribute):
                    continue
                chain = _chain(node)
                if not chain or chain[0] not in imported_tops or len(chain) < 2:
                    continue
                # the longest module prefix, then the attribute after it
                for cut in range(len(chain) - 1, 0, -1):
                    prefix = ".".join(chain[:cut])
                    if prefix in self.modules:
                        found[(rel, node.lineno, ".".join(chain[: cut + 1]))] = self.binds(prefix, chain[cut])
                        break
        return found


def _chain(node: ast.Attribute) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def removed_definitions(before: Tree, after: Tree) -> dict[str, list[str]]:
    """module -> functions/classes and __all__ entries present before and gone after."""
    gone: dict[str, list[str]] = {}
    for name, old in before.modules.items():
        new = after.modules.get(name)
        defs = old.defs - (new.defs if new else set())
        exports = old.exports - (new.exports if new else set())
        items = sorted(defs) + sorted(f"__all__:{e}" for e in exports)
        if items:
            gone[name] = items
    return gone


# ---------------------------------------------------------------- the dynamic probe


def probe(root: Path, modules: list[str], out: Path, settings_dir: Path | None = None, timeout: int = 300) -> dict:
    args = [sys.executable, str(HERE / "probe.py"), str(root), str(out)]
    if settings_dir is not None:
        args.append(str(settings_dir))
    done = subprocess.run(
        args, input=json.dumps(modules), capture_output=True, text=True, timeout=timeout, cwd=out.parent
    )
    assert done.returncode == 0 and out.is_file(), f"probe of {root} crashed:\n{done.stderr[-4000:]}"
    return json.loads(out.read_text(encoding="utf-8"))


_PRISTINE: dict = {}


@dataclass
class RealRun:
    """Everything one real tree's test measured, for its assertions and its summary line."""

    package: str
    fix_args: tuple[str, ...] = ()
    files: int = 0
    changed: list[str] = field(default_factory=list)
    removed: dict[str, list[str]] = field(default_factory=dict)
    fix: subprocess.CompletedProcess | None = None
    again: subprocess.CompletedProcess | None = None
    static_checked: int = 0
    static_broken: list[str] = field(default_factory=list)
    imported_before: int = 0
    import_broken: dict[str, str] = field(default_factory=dict)
    wrong_origin: list[str] = field(default_factory=list)
    migrations: dict | None = None
    migrations_before: dict | None = None
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        removed = sum(len(v) for v in self.removed.values())
        lines = [
            f"[{self.package}] {self.files} files; fix exit {self.fix.returncode if self.fix else '-'}; "
            f"{len(self.changed)} files changed; {removed} definitions/exports removed; "
            f"{self.static_checked} import references resolved statically ({len(self.static_broken)} broken); "
            f"{self.imported_before} modules imported before and after ({len(self.import_broken)} broken); "
            f"second run `fix --check{''.join(' ' + a for a in self.fix_args)}` exit {self.again.returncode if self.again else '-'}; {self.seconds:.0f}s",
        ]
        if self.migrations is not None:
            m = self.migrations
            lines.append(
                f"[{self.package}] migrations: {len(m.get('loaded', []))} loaded, rendered={m.get('rendered')}, "
                f"makemigrations --check={m.get('makemigrations_check')}, migrate={m.get('migrate')}"
                + (f", load_error={m['load_error']}" if "load_error" in m else "")
            )
        for module, items in sorted(self.removed.items()):
            lines.append(f"  removed from {module}: {', '.join(items)}")
        lines.extend(f"  PROBLEM: {p}" for p in self.problems)
        return "\n".join(lines)


def check_real_tree(
    tmp_path: Path,
    package: str,
    config: str,
    settings: str | None = None,
    fix_args: tuple[str, ...] = (),
) -> RealRun:
    """Copy `package` twice (pristine and to fix), fix one, compare both, and collect every problem."""
    start = time.monotonic()
    run = RealRun(package, fix_args)
    pristine = copy_package(package, tmp_path / "pristine")
    work = copy_package(package, tmp_path / "work")
    (work / "setup.cfg").write_text(config, encoding="utf-8")
    settings_dir = None
    if settings is not None:
        settings_dir = tmp_path / "settings"
        settings_dir.mkdir()
        (settings_dir / "real_settings.py").write_text(settings, encoding="utf-8")

    before_bytes = snapshot(work, package)
    run.files = len(before_bytes)
    run.fix = run_tool(work, "fix", "--unsafe-fixes", *fix_args)  # removals outside an AI package
    after_bytes = snapshot(work, package)
    run.changed = sorted(rel for rel in before_bytes if after_bytes.get(rel) != before_bytes[rel])
    if run.fix.returncode != 0:
        run.problems.append(
            f"`igny8-refactor fix` exited {run.fix.returncode}:\n{(run.fix.stderr + run.fix.stdout)[-3000:]}"
        )
    if "Traceback" in run.fix.stderr:
        run.problems.append("`fix` printed a traceback")

    before_tree, after_tree = Tree(pristine, package), Tree(work, package)
    run.removed = removed_definitions(before_tree, after_tree)
    refs_before, refs_after = before_tree.references(), after_tree.references()
    # a removal deletes the line it was on, so match references by file and text, not line
    resolved_before = {(f, what) for (f, _, what), ok in refs_before.items() if ok}
    resolved_after = {(f, what) for (f, _, what), ok in refs_after.items() if ok}
    still_there = {(f, what) for (f, _, what) in refs_after}
    run.static_checked = len(resolved_before & still_there)
    run.static_broken = sorted(f"{f}: {what}" for f, what in (resolved_before & still_there) - resolved_after)
    if run.static_broken:
        run.problems.append("imports that resolved before no longer resolve:\n" + "\n".join(run.static_broken[:50]))

    modules = sorted(module_name(rel) for rel in before_bytes if not rel.endswith("__main__.py"))
    key = (package, settings, tuple(modules))
    if key not in _PRISTINE:  # the pristine copy is the installed package: probe it once a session
        _PRISTINE[key] = probe(pristine, modules, tmp_path / "probe-before.json", settings_dir)
    old = _PRISTINE[key]
    new = probe(work, modules, tmp_path / "probe-after.json", settings_dir)
    assert old["setup_error"] is None, f"django.setup() fails on the pristine copy: {old['setup_error']}"
    if new["setup_error"] is not None:
        run.problems.append(f"django.setup() fails after fix: {new['setup_error']}")
    ok_before = [m for m, err in old["imports"].items() if err is None]
    run.imported_before = len(ok_before)
    run.import_broken = {m: new["imports"][m] for m in ok_before if new["imports"][m] is not None}
    if run.import_broken:
        run.problems.append(
            "modules that imported before fail after:\n"
            + "\n".join(f"{m}: {e}" for m, e in sorted(run.import_broken.items())[:50])
        )
    for label, result in (("pristine", old), ("fixed", new)):
        wrong = [m for m, origin in result["origin"].items() if origin and not origin.startswith(result["root"])]
        assert not wrong, f"{label} probe imported from outside the copy: {wrong[:5]}"
    assert run.imported_before >= 0.8 * len(modules), (
        f"only {run.imported_before} of {len(modules)} modules import even before fix: the probe's setup is wrong\n"
        + "\n".join(f"{m}: {e}" for m, e in sorted(old["imports"].items()) if e)[:4000]
    )

    if settings_dir is not None:
        run.migrations_before, run.migrations = old["migrations"], new["migrations"] or {}
        m, b = run.migrations, run.migrations_before
        assert b.get("rendered") and b.get("migrate") == "ok", f"the pristine copy's migrations do not load: {b}"
        if new["setup_error"] is not None:
            run.problems.append("migrations cannot be loaded: Django does not start on the fixed tree")
        elif not m.get("rendered") or m.get("loaded") != b.get("loaded"):
            run.problems.append(f"migrations no longer load: {m.get('load_error')}")
        else:
            if m.get("makemigrations_check") != b.get("makemigrations_check"):
                run.problems.append(
                    f"makemigrations --check: {b.get('makemigrations_check')} before, "
                    f"{m.get('makemigrations_check')} after:\n" + str(m.get("makemigrations_output"))[-2000:]
                )
            if m.get("migrate") != "ok":
                run.problems.append(f"migrate on SQLite fails after fix: {m.get('migrate')}")

    run.again = run_tool(work, "fix", "--check", "--unsafe-fixes", *fix_args)
    if run.again.returncode != 0:
        run.problems.append(
            f"second run: `fix --check` exited {run.again.returncode}:\n{(run.again.stderr + run.again.stdout)[-3000:]}"
        )
    if snapshot(work, package) != after_bytes:
        run.problems.append("`fix --check` wrote files")
    run.seconds = time.monotonic() - start
    print(run.summary())
    return run
