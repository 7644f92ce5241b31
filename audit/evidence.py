"""Evidence of use outside the project's Python code, which keeps a definition from removal.

Entry points, `.pyi` stubs, docs, doctests, dotted paths in config, templates, notebooks, Makefiles
and shell scripts. Such a finding is still reported but never removed; its note names where the name was seen.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from igny8_refactor.audit.files import _skipped_dir, module_name, source_root

MAX_BYTES = 2 * 1024 * 1024  # larger text files are data dumps, not docs or config
TEXT_SUFFIXES = frozenset(".rst .md .txt .json .ini .cfg .toml .yaml .yml .html .jinja .j2 .ipynb".split())
# build and run scripts that call code by name (`python -c "from pkg.mod import f; f()"`)
SCRIPT_NAMES = frozenset({"Makefile", "GNUmakefile", "makefile", "Procfile", "Dockerfile", "Justfile", "justfile"})
SCRIPT_SUFFIXES = frozenset({".mk", ".sh"})
DOC_FOLDERS = frozenset({"docs", "doc"})
DOCTEST = re.compile(r"^[ \t]*(?:>>>|\.\.\.) (.*)$", re.MULTILINE)
# `pkg.mod.name` or `pkg.mod:name` (entry points), and `from pkg.mod import a, b`
DOTTED = re.compile(r"\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::([A-Za-z_]\w*))?")
FROM_IMPORT = re.compile(r"\bfrom\s+([A-Za-z_][\w.]*)\s+import\s+\(?([\w\s,]+)")


def _text_files(root: Path):
    """The text files under `root` that may name code: docs and config anywhere, other text at the root."""
    top = os.fspath(root)
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not _skipped_dir(d))
        in_docs = not DOC_FOLDERS.isdisjoint(os.path.relpath(directory, top).split(os.sep))
        for name in sorted(files):
            suffix = os.path.splitext(name)[1]
            if suffix in (".pyi", ".py") or name in SCRIPT_NAMES or suffix in SCRIPT_SUFFIXES:
                yield Path(directory, name)
            elif suffix in TEXT_SUFFIXES and (in_docs or directory == top or suffix not in {".rst", ".md", ".txt"}):
                yield Path(directory, name)


def _stub_names(text: str, module: str) -> list[tuple[str, int]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append((f"{module}.{node.name}", node.lineno))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    names.append((f"{module}.{target.id}", node.lineno))
    return names


def gather(root: str | os.PathLike) -> dict[str, str]:
    """Dotted names used outside the Python code under `root`, each with where it was first seen (`path:line`)."""
    root = Path(root)
    found: dict[str, str] = {}
    for path in _text_files(root):
        try:
            if path.stat().st_size > MAX_BYTES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        rel = path.relative_to(root).as_posix()
        if path.suffix == ".pyi":
            # named as the module beside it is: from the top of its package, else from the root
            top = source_root(path, set()) if (path.parent / "__init__.py").is_file() else root
            for name, line in _stub_names(text, module_name(path, top)[0]):
                found.setdefault(name, f"{rel}:{line}")
            continue
        lines = enumerate(text.splitlines(), 1)
        if path.suffix == ".py" and path.name != "setup.py":
            if ">>>" not in text:
                continue
            # only the doctests of Python code are text evidence: the code itself is analysed
            lines = ((text.count("\n", 0, m.start()) + 1, m.group(1)) for m in DOCTEST.finditer(text))
        for number, line in lines:
            where = f"{rel}:{number}"
            for match in FROM_IMPORT.finditer(line):
                for name in re.split(r"[\s,]+", match.group(2)):
                    if name.isidentifier():
                        found.setdefault(f"{match.group(1)}.{name}", where)
            for match in DOTTED.finditer(line):
                found.setdefault(".".join(filter(None, match.groups())), where)
    return found


def evidence_for(symbol: str, found: dict[str, str], imports_by_name: bool = False) -> str:
    """Where `symbol` (`pkg.mod.name`) is used outside Python, or "" when nowhere.

    Seen through re-exports: any dotted name of the same package ending in `.name` keeps it. When the
    project imports modules by a computed name (`imports_by_name`), a module the docs or config spell
    out may come back as an object whose names are read by attribute: every name in it is kept.
    """
    if symbol in found:
        return found[symbol]
    package, name = symbol.partition(".")[0], symbol.rpartition(".")[2]
    for dotted, where in found.items():
        if dotted.startswith(package + ".") and dotted.rpartition(".")[2] == name:
            return where
    module = symbol.rpartition(".")[0]
    if imports_by_name and module in found:
        return f"{found[module]}, which names its module (the project imports modules by a computed name)"
    return ""
