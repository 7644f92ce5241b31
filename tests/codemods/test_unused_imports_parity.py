"""`_UnusedImports.find` (codemods/unused_imports.py) finds what LibCST's GatherUnusedImportsVisitor finds.

The reference below is the visitor itself, run as `find` ran it before. Both run on the same metadata
wrapper and must name the same (alias, import) nodes, over the snippets here, this repository's example
trees, and a fixed sample of the installed Django and LibCST: every n-th of their files of at most
20 kB (the visitor takes seconds on a large file), or every file of both with IGNY8_PARITY_FULL=1
(some 1,200 files, half an hour).
"""
from __future__ import annotations

import dataclasses
import os
import textwrap
from pathlib import Path

import django
import libcst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import GatherExportsVisitor, GatherNamesFromStringAnnotationsVisitor, GatherUnusedImportsVisitor
from libcst.metadata import MetadataWrapper, ScopeProvider

from codemods.pipeline import _triple, _UnusedImports
from codemods.unused_imports import _Exports, _Gather, unused_imports

ROOT = Path(__file__).resolve().parents[2]
FULL = os.environ.get("IGNY8_PARITY_FULL") == "1"
LARGEST = 20_000  # bytes: larger files only in the full run


def reference(wrapper: MetadataWrapper, context: CodemodContext) -> set:
    """GatherUnusedImportsVisitor's unused (alias, import) pairs, as `_UnusedImports.find` used to get them."""
    wrapper.resolve_many(GatherUnusedImportsVisitor.METADATA_DEPENDENCIES)
    visitor = GatherUnusedImportsVisitor(dataclasses.replace(context, wrapper=wrapper))
    wrapper.module.visit(visitor)
    return visitor.unused_imports


def context_for(module: str, is_package: bool = False) -> CodemodContext:
    return CodemodContext(full_module_name=module, full_package_name=module if is_package else module.rpartition(".")[0])


def assert_same(source: str | bytes, module: str = "pkg.mod", is_package: bool = False) -> set:
    """Both ways on one parse of `source`; returns the triples `find` gives."""
    context = context_for(module, is_package)
    wrapper = MetadataWrapper(libcst.parse_module(source))
    expected = reference(wrapper, context)
    assert unused_imports(wrapper) == expected
    # and the two collections it is made of, each against the LibCST visitor it stands for
    gathered = _Gather(wrapper.resolve(ScopeProvider))
    wrapper.module.visit(gathered)
    visitor_context = dataclasses.replace(context, wrapper=wrapper)
    names = GatherNamesFromStringAnnotationsVisitor(visitor_context)
    wrapper.module.visit(names)
    assert gathered.names == names.names
    exports = GatherExportsVisitor(visitor_context)
    wrapper.module.visit(exports)
    ours = _Exports()
    for statement in gathered.exports:
        statement.visit(ours)
    assert ours.explicit_exported_objects == exports.explicit_exported_objects
    package = context.full_package_name
    triples = {t for t in (_triple(node, alias, package) for alias, node in expected) if t}
    assert _UnusedImports(context).find(wrapper.module, wrapper) == triples
    return triples


def python_files(top: Path) -> list[Path]:
    return sorted(p for p in top.rglob("*.py") if "__pycache__" not in p.parts)


def module_of(path: Path, top: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(top.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def sample(files: list[Path], size: int | None) -> list[Path]:
    """Every file in the full run or when `size` is None; else `size` of those up to LARGEST, at a fixed stride."""
    if FULL or size is None:
        return files
    files = [p for p in files if p.stat().st_size <= LARGEST]
    stride = len(files) / size
    return [files[int(i * stride)] for i in range(size)]


def cases(top: Path, label: str, size: int | None) -> list:
    return [pytest.param(path, top, id=f"{label}/{path.relative_to(top)}") for path in sample(python_files(top), size)]


def check_file(path: Path, top: Path) -> None:
    data = path.read_bytes()
    try:
        libcst.parse_module(data)
    except libcst.ParserSyntaxError:
        pytest.skip("LibCST cannot parse it")
    module, is_package = module_of(path, top)
    assert_same(data, module, is_package)


TREES = [  # (top, label, how many files in the regular run: None for all)
    (Path(django.__file__).parent, "django", 150),
    (Path(libcst.__file__).parent, "libcst", 50),
    (ROOT / "examples" / "checkout" / "igny8_core", "checkout", None),
    (ROOT / "tests" / "fixtures" / "legacy" / "igny8_core", "legacy", None),
]


@pytest.mark.parametrize("path, top", [case for top, label, size in TREES for case in cases(top, label, size)])
def test_real_files(path, top):
    check_file(path, top)


def test_trees_are_there():
    for top, label, size in TREES:
        assert len(python_files(top)) >= max(5, size or 0), label


def same(source: str, module: str = "pkg.mod", is_package: bool = False) -> set:
    return assert_same(textwrap.dedent(source), module, is_package)


def test_plain_unused_and_used():
    assert same("import os\nimport sys\nfrom json import dumps, loads as ld\nprint(sys, ld)\n") == {
        ("os", None, None), ("json", "dumps", None),
    }


def test_two_line_module():
    assert same("import os\nx = 1\n") == {("os", None, None)}


def test_empty_module():
    assert same("") == set()


def test_suppression_comments_do_not_count():
    # the visitor reads no comments: `# noqa` is RemoveUnusedImportsCommand's, not the visitor's
    assert same(
        """\
        import os  # noqa
        import re  # noqa: F401
        # lint-ignore: unused-import
        import sys
        import json  # lint-ignore: F401
        """
    ) == {("os", None, None), ("re", None, None), ("sys", None, None), ("json", None, None)}


def test_all_exports():
    assert same(
        """\
        from a import b, c, d, e, f, g, h
        from .rel import i
        __all__ = ["b", "i"]
        __all__ += ("c",)
        __all__: list = ["d"]
        __all__, other = ["e"], []
        x = __all__ = ["f" "", "h" if 1 else "zz"]
        __all__.extend(["g"])
        """
    ) == {("a", "g", None)}


def test_all_shapes_the_exports_visitor_reads_or_not():
    same(
        """\
        from a import b, c, d, e, f
        __all__ = {"b"}
        __all__ += {"c"}
        __all__ = ["x", ("d",), f("e")]
        __all__[:] = ["f"]
        """
    )
    same("from a import b\n__all__ = list(['b'])\n")
    same("from a import b\n__all__ = ['a'] + ['b']\n")
    same("from a import b\n__all__: list\n")
    same("from a import b\nclass C:\n    __all__ = ['b']\n")
    same("from a import b\ndef f():\n    __all__ = ['b']\n")
    same("from a import b\nif x:\n    __all__ = ('b',)\n")
    same("from a import b\nm.__all__ = ['b']\n")


def test_future_imports_and_star():
    assert same("from __future__ import annotations\nfrom os import *\nfrom os.path import join\n") == {
        ("os.path", "join", None),
    }


def test_relative_imports():
    # `from . import x` is never a candidate for the visitor; `from .m import x` is
    assert same("from . import x\nfrom .. import y\nfrom .m import z\nfrom ..n import w as v\n", "pkg.sub.mod") == {
        ("pkg.sub.m", "z", None), ("pkg.n", "w", "v"),
    }
    same("from . import x\nfrom .m import z\n", "pkg", is_package=True)


def test_dotted_imports():
    assert same("import a.b.c\nimport d.e\nimport f.g\nimport h.i\na.b.c.x()\nd.y\nprint(f)\n") == {("h.i", None, None)}
    same("import a.b\nimport a.c\na.b.x\n")
    same("import os.path\nos.getcwd()\n")
    same("import a.b.c\na.b\n")
    same("import a.b as x\nimport c.d as y\nx.z\n")
    same("import a.b as x\na.b.c\n")


def test_aliases():
    assert same("import os as o\nimport sys as s\nfrom json import dumps as d, loads as l\ns.exit(d)\n") == {
        ("os", None, "o"), ("json", "loads", "l"),
    }


def test_function_and_class_local_imports():
    same(
        """\
        import os
        def f():
            import os
            import sys
            from json import dumps
            return os.sep
        class C:
            import re
            from typing import List
            x: List[int] = 1
        def g():
            return os
        """
    )


def test_conditional_imports_and_type_checking():
    same(
        """\
        from typing import TYPE_CHECKING
        try:
            import ujson as json
        except ImportError:
            import json
        if TYPE_CHECKING:
            from a import B, C
            import d
        def f(x: "B") -> "list[d.E]":
            return json.dumps(x)
        """
    )
    same("import sys\nif sys.version_info >= (3, 8):\n    from typing import Protocol\nelse:\n    from typing_extensions import Protocol\n")


def test_del_and_reimport():
    same("import os\ndel os\n")
    same("import os\nimport os\nos.sep\n")
    same("import os\nos = 1\nprint(os)\n")
    same("from a import b\nfrom c import b\nb()\n")
    same("from a import b\nb()\nfrom c import b\n")
    same("import os\ndef f():\n    global os\n    import os\n")


def test_string_annotations():
    same(
        """\
        from typing import Literal, TypeVar, Optional, cast
        import typing
        from a import A, B, C, D, E, F, G, H
        import m.n
        x: "A" = 1
        y: Literal["B"] = 2
        z: typing.Literal["C"]
        T = TypeVar("T", bound="D")
        U = typing.TypeVar("U", "E", "m.n.Q")
        def f(p: "Optional[F]", q: Optional["G"] = None) -> "H.attr":
            pass
        w = cast("A", 1)
        """
    )
    same("from a import A, B\nx: f('A') = 1\nv: 'not python ((' = 2\n")
    same("from a import A\nx: 'A' 'B' = 1\n")
    same("from a import A\nx: b'A' = 1\n")
    same("from a import A\nfrom typing import TypeVar as TV\nT = TV('T', bound='A')\n")
    same("from a import A\nfrom typing import TypeVar\nT = foo(TypeVar('T', bound='A'))\n")
    same("from a import A\nfrom typing import TypeVar, Literal\nT = Literal[TypeVar('T', bound='A')]\n")
    same("from a import A\nfrom typing import TypeVar\nT = [TypeVar('T', bound='A')]\n")
    same("from a import A\nfrom typing import TypeVar\nT = lambda: TypeVar('T', bound=f('A'))\n")
    same("from a import A\nclass typing:\n    TypeVar = 1\nT = typing.TypeVar('T', bound='A')\n")
    same("from a import A, B\nx: 'import B' = 1\ny: 'A = 1' = 2\n")
    same("from a import A\ndef f(x: '\"A\"'): pass\n")


def test_annotation_use_without_strings():
    same("from a import A\nfrom b import B\ndef f(x: A) -> B: pass\n")


def test_one_statement_many_names():
    assert same("from a import (b,\n  c,  # comment\n  d as e,\n)\nprint(c)\n") == {("a", "b", None), ("a", "d", "e")}


def test_find_copies_a_tree_without_wrapper():
    tree = libcst.parse_module("import os\nimport sys\nsys.exit()\n")
    assert _UnusedImports(context_for("pkg.mod")).find(tree) == {("os", None, None)}
