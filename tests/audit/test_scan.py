"""The per-file pass (audit.scan): what one file's `FileScan` record holds, field by field.

Every fact the project model uses to decide that a name is unused (and may be removed) comes
from this record, so each kind of definition, binding, import and use is pinned here on real
source, parsed from text as the audit parses files.
"""

from __future__ import annotations

import ast
import textwrap

import pytest

from igny8_refactor.audit.records import Export, Function, Import, ScanSettings
from igny8_refactor.audit.scan import LARGE_FILE, scan_file

SETTINGS = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), (r"gpt-[0-9a-z.-]+",))


def scan(
    code: str, module: str = "pkg.mod", is_package: bool = False, settings: ScanSettings = SETTINGS, path="mod.py"
):
    source = textwrap.dedent(code).lstrip("\n")
    result = scan_file(path, module, is_package, settings, data=source.encode("utf-8"))
    assert result.error is None, result.error
    return result


# -- imports -------------------------------------------------------------------------------
def test_imports_with_targets_names_aliases_positions_and_flags() -> None:
    result = scan(
        """
        import os, os.path as osp
        from . import sibling
        from ..up import thing as other
        from .sub.deep import *
        if TYPE_CHECKING:
            import typing
        def f():
            from .inner import late
            import json
    """,
        module="pkg.sub.mod",
    )
    assert result.imports == (
        Import("import", "os", None, None, 1, 1, False, True),
        Import("import", "os.path", None, "osp", 1, 1, False, True),
        Import("from", "pkg.sub", "sibling", None, 2, 15, False, True),
        Import("from", "pkg.up", "thing", "other", 3, 18, False, True),
        Import("from", "pkg.sub.sub.deep", "*", None, 4, 23, False, True),
        Import("import", "typing", None, None, 6, 5, True, True),  # conditional, but a module global
        Import("from", "pkg.sub.inner", "late", None, 8, 24, True, False),  # relative, inside a function
        Import("import", "json", None, None, 9, 5, False, False),
    )
    assert {"os", "osp", "sibling", "other", "f"} <= set(result.bound) and "TYPE_CHECKING" in result.reads
    assert "typing" in result.bound  # bound at module level, conditionally
    assert "late" not in result.bound and "json" not in result.bound
    assert set(result.local) == {"f"}


def test_a_relative_import_in_a_package_resolves_from_the_package_itself() -> None:
    result = scan("from .models import Row\nfrom . import views\n", module="pkg.app", is_package=True)
    assert [(i.target, i.name) for i in result.imports] == [("pkg.app.models", "Row"), ("pkg.app", "views")]


def test_import_inside_try_with_and_loops_is_conditional() -> None:
    result = scan("""
        try:
            import a
        except ImportError:
            import b
        with ctx():
            import c
        for _ in range(1):
            import d
        while False:
            import e
        import f
    """)
    assert [(i.target, i.conditional) for i in result.imports] == [
        ("a", True),
        ("b", True),
        ("c", True),
        ("d", True),
        ("e", True),
        ("f", False),
    ]


# -- module-level definitions and bindings -------------------------------------------------
def test_functions_with_lines_decorators_ends_and_conditional_definitions() -> None:
    result = scan("""
        def plain():
            return 1

        @decorator
        @other(1)
        def decorated():
            pass

        async def coroutine():
            pass

        if flag:
            def conditional():
                pass
        else:
            def fallback(): pass

        try:
            def in_try():
                pass
        except Exception:
            def in_handler():
                pass
        finally:
            def in_finally():
                pass

        class C:
            def method(self):
                pass

        def outer():
            def inner():
                pass
            return inner

        lam = lambda: 0
    """)
    assert result.functions == (
        Function("plain", 1, 1, False, 2, 1, False),
        Function("decorated", 6, 1, True, 7, 4, False),
        Function("coroutine", 9, 1, False, 10, 9, False),
        Function("conditional", 13, 5, False, 14, 13, True),
        Function("fallback", 16, 5, False, 16, 16, True),
        Function("in_try", 19, 5, False, 20, 19, True),
        Function("in_handler", 22, 5, False, 23, 22, True),
        Function("in_finally", 25, 5, False, 26, 25, True),
        Function("outer", 32, 1, False, 35, 32, False),
    )
    assert result.classes == ("C",)
    assert {"plain", "decorated", "coroutine", "conditional", "fallback", "C", "outer", "lam"} <= set(result.local)
    assert "method" not in result.bound and "inner" not in result.bound


def test_names_bound_by_every_statement_form() -> None:
    result = scan("""
        a, (b, *c) = 1, (2, 3)
        [d] = [4]
        e: int = 5
        f: int
        g += 1
        for h, i in []:
            pass
        async def co():
            async for inner in x:
                pass
        with open("x") as j, open("y") as (k, l):
            pass
        try:
            pass
        except ValueError as m:
            n = 1
        match value:
            case [o, *p]:
                q = 1
            case {"key": r, **s}:
                pass
            case Point(x=t) as u:
                pass
        del v
        while w:
            x = 1
    """)
    expected = set("abcdefghijklmnopqrstuvx") | {"co"}
    assert expected <= set(result.bound), expected - set(result.bound)
    assert "inner" not in result.bound  # inside a function
    assert {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "n", "q", "x"} <= set(result.local)
    assert "v" not in result.local  # `del` unbinds, it binds nothing of its own


def test_an_assignment_expression_binds_at_module_level_and_a_comprehension_keeps_its_own_names() -> None:
    result = scan("""
        if (found := lookup()):
            pass
        squares = [y * y for y in range(3)]
        class C:
            attr = 1
    """)
    assert {"found", "squares", "C"} <= set(result.local)
    assert "y" not in result.bound and "attr" not in result.bound


def test_getattr_at_module_level_is_noted_and_nested_getattr_is_not() -> None:
    assert scan("def __getattr__(name):\n    raise AttributeError(name)\n").has_getattr
    assert not scan("class C:\n    def __getattr__(self, name):\n        return 1\n").has_getattr


# -- __all__ -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "code, exports, refs, unknown",
    [
        ("__all__ = ['a', 'b']", [("a", 1, 12), ("b", 1, 17)], [], False),
        ("__all__ = ('a',)", [("a", 1, 12)], [], False),
        ("__all__: list[str] = ['a']", [("a", 1, 23)], [], False),
        ("__all__: list[str]", [], [], False),
        ("__all__ = ['a'] + ['b']", [("a", 1, 12), ("b", 1, 20)], [], False),
        ("__all__ = list(['a'])", [("a", 1, 17)], [], False),
        ("__all__ = tuple(('a', 'b'))", [("a", 1, 18), ("b", 1, 23)], [], False),
        ("__all__ = ['a']\n__all__ += ['b']", [("a", 1, 12), ("b", 2, 13)], [], False),
        ("__all__ = ['a']\n__all__.extend(['b'])", [("a", 1, 12), ("b", 2, 17)], [], False),
        ("__all__ = ['a'] + other.__all__ + pkg.mod.__all__", [("a", 1, 12)], ["other", "pkg.mod"], False),
        ("__all__ = ['a']\n__all__ = __all__ + ['b']", [("a", 1, 12), ("b", 2, 22)], [], False),
        ("__all__ = ['a', name]", [], [], True),
        ("__all__ = names()", [], [], True),
        ("__all__ = list(a, b)", [], [], True),
        ("__all__ = sorted(['a'])", [], [], True),
        ("__all__ = f().__all__", [], [], True),
        ("__all__ = ['a'] - ['b']", [], [], True),
        ("__all__ = []\n__all__.append(name)", [], [], True),
        ("__all__ = []\n__all__.insert(0, 'a')", [], [], True),
        ("__all__ = ['a', 'b']\n__all__.remove('b')\n__all__.sort()", [("a", 1, 12), ("b", 1, 17)], [], False),
        ("__all__ = []\n__all__.append('a', 'b')", [], [], True),
        ("__all__ = []\n__all__.extend(['a'], ['b'])", [], [], True),
        ("__all__ = ['a']\n__all__.reverse()\n__all__.pop()\n__all__.clear()", [("a", 1, 12)], [], False),
    ],
)
def test_all_forms(code: str, exports, refs, unknown) -> None:
    result = scan(code)
    assert [(e.name, e.line, e.column) for e in result.exports or ()] == exports
    assert list(result.export_refs) == refs
    assert result.exports_unknown is unknown


def test_no_all_is_none_and_an_empty_one_is_declared() -> None:
    assert scan("x = 1\n").exports is None
    assert scan("__all__ = []\n").exports == ()
    assert scan("__all__: list[str] = []\n").exports == ()
    assert scan("__all__: list[str]\n").exports is None  # annotated, never assigned


def test_an_appended_entry_is_listed_but_not_prunable_and_names_in_all_are_not_words() -> None:
    result = scan("__all__ = ['alpha']\n__all__.append('beta')\nlabel = get_class('dashboard', 'Widget')\n")
    assert result.exports == (Export("alpha", 1, 12, True), Export("beta", 2, 16, False))
    assert "alpha" not in result.name_strings and "beta" not in result.name_strings
    assert {"dashboard", "Widget"} <= set(result.name_strings)


# -- uses ----------------------------------------------------------------------------------
def test_loads_bare_names_attribute_chains_and_stores() -> None:
    result = scan("""
        x = y
        f(z)
        pkg.mod.func()
        obj.attr = 1
        call().method()
        items[0].name
        self.value
        del gone
    """)
    assert {"y", "f", "z", "pkg", "obj", "call", "items", "self", "gone"} <= set(result.reads)
    assert "x" not in result.reads
    assert {"y", "f", "z", "call", "items", "gone"} <= set(result.value_reads)
    assert "pkg" not in result.value_reads and "self" not in result.value_reads and "obj" not in result.value_reads
    assert set(result.attrs) == {"pkg.mod.func", "pkg.mod", "?.method", "?.name", "self.value"}


def test_strings_that_name_dotted_paths_and_words() -> None:
    result = scan("""
        a = "pkg.mod.func"
        b = "pkg.mod:func"
        c = "not a path"
        d = "x.y"
        e = "ab"
        f = "1pkg.mod"
        g = "pkg.mod.func:attr:more"
        h = getattr(settings, "DEFAULT_AI_MODEL")
        i = "a" * 2
        j = b"bytes.are.not.paths"
    """)
    assert set(result.strings) == {"pkg.mod.func", "x.y"}
    assert {"DEFAULT_AI_MODEL"} <= set(result.name_strings)
    assert "ab" not in result.name_strings  # too short to be a name anyone looks up


def test_a_long_string_is_not_a_name_or_a_path() -> None:
    name = "n" * 64
    path = "p." * 99 + "p"  # 199 characters
    result = scan(f"a = {name!r}\nb = {name[:63]!r}\nc = {path!r}\nd = {path + '.p'!r}\ne = {path + 'p'!r}\n")
    assert name not in result.name_strings and name[:63] in result.name_strings
    assert result.strings == (path,)


def test_a_model_literal_alone_brings_the_rules_in() -> None:
    code = 'x = 1\nother = "claude"\nmodel = cfg.get("model", "gpt-4o-mini")\n'
    assert [(r.code, r.line, r.column) for r in scan(code).findings] == [("IG104", 3, 26)]
    no_patterns = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ())
    assert scan(code, settings=no_patterns).findings == ()
    assert scan('model = cfg.get("model", "claude")\n').findings == ()


@pytest.mark.parametrize(
    "code, dynamic, dynamic_import",
    [
        ("x = 1", False, False),
        ("globals()['x'] = 1", True, False),
        ("vars()['x'] = 1", True, False),
        ("vars(obj)['x'] = 1", False, False),
        ("globals", False, False),
        ("import sys\nsys.modules[__name__].x = 1", True, False),
        ("import sys\nsys.modules['other'].x = 1", False, False),
        ("import sys\nmodules[__name__].x = 1", False, False),
        ("import sys\nsys.meta_path.append(Finder())", True, False),
        ("import sys\nsys.path_hooks.append(hook)", True, False),
        ("import sys\nother.meta_path.append(Finder())", False, False),
        ("import sys\nsys._getframe(1).f_globals['x'] = 1", True, False),
        ("@enum.global_enum\nclass Color(enum.Enum):\n    RED = 1", True, False),
        ("@global_enum\nclass Color(Enum):\n    RED = 1", True, False),
        ("@_simple_enum(IntEnum)\nclass Color:\n    RED = 1", True, False),
        ("@dataclass\nclass C:\n    x: int", False, False),
        ("@decorators[0]\nclass C:\n    pass", False, False),
        ("importlib.import_module(name)", False, True),
        ("import_module(f'pkg.{name}')", False, True),
        ("__import__(name)", False, True),
        ("importlib.import_module('pkg.mod')", False, False),
        ("import_module()", False, False),
        ("handlers[0](name)", False, False),
        ("load_module(name)", False, False),
    ],
)
def test_dynamic_namespaces_and_imports(code: str, dynamic: bool, dynamic_import: bool) -> None:
    result = scan(code)
    assert (result.dynamic, result.dynamic_import) == (dynamic, dynamic_import)


def test_a_global_statement_binds_its_names_at_module_level() -> None:
    result = scan("def setup():\n    global CONFIG, CACHE\n    CONFIG = 1\n")
    assert {"CONFIG", "CACHE"} <= set(result.bound) and {"CONFIG", "CACHE"} <= set(result.local)


def test_names_inside_functions_classes_and_comprehensions_are_read() -> None:
    result = scan("""
        class C(Base, metaclass=Meta):
            attr = helper()
            def method(self, arg=default_value):
                return [transform(v) for v in arg if check(v)]
        async def co():
            await fetch()
    """)
    assert {"Base", "Meta", "helper", "default_value", "transform", "check", "fetch", "v", "arg"} <= set(result.reads)


# -- positions -----------------------------------------------------------------------------
def test_columns_count_characters_not_bytes() -> None:
    result = scan("""
        label = "café"; import os
        déjà = 1; from pkg import thing
        def ünïcode(): pass
        __all__ = ["é", "ok"]
    """)
    assert [(i.line, i.column) for i in result.imports] == [(1, 17), (2, 27)]
    assert [(e.name, e.column) for e in result.exports] == [("é", 12), ("ok", 17)]
    assert result.functions[0][:3] == ("ünïcode", 3, 1)


# -- suppressions --------------------------------------------------------------------------
def test_suppression_comments_with_and_without_codes() -> None:
    result = scan("""
        # an ordinary comment first
        x = 1  # igny8: ignore[IG101, IG102]
        y = 2  # IGNY8: IGNORE
        z = "# igny8: ignore"
        w = 3  # igny8: ignore[]
        v = 4  # igny8: ignore-file[IG900]
    """)
    assert result.suppressions == (
        (2, 8, ("IG101", "IG102"), False),
        (3, 8, None, False),
        (5, 8, (), False),
        (6, 8, ("IG900",), True),
    )


# -- large files: LibCST reads only the statements that can match --------------------------
def test_a_large_file_is_reduced_to_its_relevant_statements_and_reports_keep_the_files_lines() -> None:
    filler = "".join(f"def filler_{n}():\n    return {n}\n\n\n" for n in range(LARGE_FILE // 30))
    assert len(filler) > LARGE_FILE
    tail = (
        "from django.conf import settings\n"
        "MODEL_CONFIG = {'auto_cluster': {'model': 'gpt-4.1'}}\n"
        "@decorated\n"
        "def reads():\n"
        "    return settings.DEFAULT_AI_MODEL\n"
        "DEFAULT_MODEL = 'gpt-4o-mini'\n"
    )
    text = "import os\n" + filler + tail
    large = scan_file("big.py", "pkg.big", False, SETTINGS, data=text.encode())
    small = scan_file("small.py", "pkg.big", False, SETTINGS, data=("import os\n" + tail).encode())
    offset = text.count("\n") - ("import os\n" + tail).count("\n")
    assert large.error is None and small.error is None
    assert [(r.code, r.line, r.column, r.symbol) for r in large.findings] == [
        (r.code, r.line + (offset if r.line > 1 else 0), r.column, r.symbol) for r in small.findings
    ]
    assert [r.code for r in small.findings] == ["IG101", "IG102", "IG104"]
    for big, little in zip(large.findings, small.findings):
        if little.edit is not None:
            assert (big.edit.start_line, big.edit.end_line) == (
                little.edit.start_line + offset,
                little.edit.end_line + offset,
            )
            assert (big.edit.start_column, big.edit.end_column) == (little.edit.start_column, little.edit.end_column)


def test_the_reduction_keeps_whole_statements_imports_and_model_lines_and_maps_lines_back() -> None:
    import ast

    from igny8_refactor.audit.scan import _relevant_statements

    text = (
        "import os\n"  # 1: an import, always kept
        "x = 1\n"  # 2
        "@deco\n"  # 3: the decorator of a relevant function
        "def f():\n"  # 4
        "    return MODEL_CONFIG\n"  # 5
        "y = 2\n"  # 6
        "z = (\n"  # 7: a model literal on line 8
        "    'gpt-4.1')\n"  # 8
        "last = 3"  # 9: no newline at the end
    )
    reduced, line_map = _relevant_statements(text, ast.parse(text), ("MODEL_CONFIG",), [8])
    assert reduced == "import os\n@deco\ndef f():\n    return MODEL_CONFIG\nz = (\n    'gpt-4.1')\n"
    assert line_map == [1, 3, 4, 5, 7, 8, 10]
    reduced, line_map = _relevant_statements(text, ast.parse(text), ("last",), [])
    assert reduced == "import os\nlast = 3\n" and line_map == [1, 9, 10]
    reduced, line_map = _relevant_statements(text, ast.parse(text), (), [2, 5])
    assert reduced == "import os\nx = 1\n@deco\ndef f():\n    return MODEL_CONFIG\n" and line_map == [1, 2, 3, 4, 5, 10]


def test_char_col_beyond_the_lines_and_on_ascii_lines() -> None:
    from igny8_refactor.audit.scan import _char_col

    lines = ["abc", "é = 1", "x = 'é'"]
    assert _char_col(lines, 1, 2) == 3
    assert _char_col(lines, 2, 2) == 2  # after the two bytes of é: the second character
    assert _char_col(lines, 3, 4) == 5
    assert _char_col(lines, 9, 4) == 5  # a line the text does not have: the byte offset, one-based


def test_functions_vulture_ignores_are_not_listed() -> None:
    code = "def test_one():\n    pass\n\n\ndef helper():\n    pass\n\n\ndef __getattr__(name):\n    pass\n"
    in_tests = scan_file("tests/test_thing.py", "tests.test_thing", False, SETTINGS, data=code.encode())
    assert [f.name for f in in_tests.functions] == ["helper", "__getattr__"]  # test functions in test files
    elsewhere = scan_file("pkg/mod.py", "pkg.mod", False, SETTINGS, data=code.encode())
    assert [f.name for f in elsewhere.functions] == ["test_one", "helper", "__getattr__"]
    assert elsewhere.classes == () and elsewhere.has_getattr


def test_the_walk_visits_each_kind_of_node_it_dispatches_on() -> None:
    # every node class the walk meets gets its own entry: conditionals and functions are counted,
    # leaves are not stepped into, visit_ methods are found by the class's name
    from igny8_refactor.audit.scan import FUNCTION, SCOPE, _node_info, _Walker

    method, cond, scope, fields = _node_info(_Walker, ast.If)
    assert (method, cond, scope, fields) == (None, True, None, ("test", "body", "orelse"))
    method, cond, scope, fields = _node_info(_Walker, ast.AsyncFunctionDef)
    assert method is _Walker.visit_AsyncFunctionDef and (cond, scope) == (False, FUNCTION)
    assert "name" not in fields and "body" in fields
    assert _node_info(_Walker, ast.Lambda)[1:3] == (False, FUNCTION)
    assert _node_info(_Walker, ast.ClassDef)[1:3] == (False, SCOPE)
    assert _node_info(_Walker, ast.ListComp)[1:3] == (False, SCOPE)  # its targets are its own
    assert _node_info(_Walker, ast.Constant) == (_Walker.visit_Constant, False, None, ())
    assert _node_info(_Walker, ast.Attribute) == (_Walker.visit_Attribute, False, None, ())
    assert _node_info(_Walker, ast.MatchSingleton)[3] == ()
    assert _node_info(_Walker, ast.Compare)[3] == ("left", "comparators")  # `ops` holds no node


def test_a_function_inside_a_conditional_function_is_still_read() -> None:
    result = scan("""
        if flag:
            def outer():
                lam = lambda: hidden()
                return lam
        with ctx():
            value = used_in_with()
    """)
    assert {"hidden", "used_in_with"} <= set(result.reads)
    assert [(f.name, f.conditional) for f in result.functions] == [("outer", True)]


# -- files that cannot be used: the record names the reason and keeps the file's module --------
def test_a_file_is_read_from_disk_when_no_bytes_are_given(tmp_path) -> None:
    path = tmp_path / "mod.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\nimport os\n")
    from_disk = scan_file(str(path), "pkg.mod", False, SETTINGS)
    assert from_disk == scan_file(str(path), "pkg.mod", False, SETTINGS, data=path.read_bytes())
    assert from_disk.imports == (Import("import", "os", None, None, 3, 1, False, True),)


@pytest.mark.parametrize(
    "data, error",
    [
        (b"x = 1\0\n", "binary file (contains NUL bytes)"),
        (b"def f(:\n", "cannot parse with Python 3.11: invalid syntax (line 1, column 7)"),
        (b"x = " + b"-" * 5000 + b"1\n", "cannot parse: too deeply nested"),
        (b"x = " + b"+".join([b"1"] * 30000) + b"\n", "cannot parse: too deeply nested"),
    ],
)
def test_a_file_that_cannot_be_used_is_named_with_its_module_kept(data: bytes, error: str) -> None:
    result = scan_file("pkg/sub/__init__.py", "pkg.sub", True, SETTINGS, data=data)
    assert (result.module, result.is_package, result.error) == ("pkg.sub", True, error)
    assert result.imports == () and result.functions == ()


def test_an_unreadable_file_is_named_with_its_module_kept(tmp_path) -> None:
    missing = tmp_path / "gone.py"
    result = scan_file(str(missing), "pkg.gone", False, SETTINGS)
    assert (result.module, result.is_package) == ("pkg.gone", False)
    assert result.error and "No such file" in result.error


def test_the_edits_of_a_large_plan_file_are_moved_back_to_its_own_lines() -> None:
    filler = "".join(f"def filler_{n}():\n    return {n}\n\n\n" for n in range(LARGE_FILE // 30))
    tail = "MODEL_CONFIG = {\n    'auto_cluster': {'model': 'gpt-4.1'},\n}\nOTHER = 1\n"
    text = "import os\n" + filler + tail
    offset = filler.count("\n")
    large = scan_file("s.py", "igny8_core.ai.settings", False, SETTINGS, data=text.encode())
    small = scan_file("s.py", "igny8_core.ai.settings", False, SETTINGS, data=("import os\n" + tail).encode())
    edits = [
        (r.line, r.edit.start_line, r.edit.start_column, r.edit.end_line, r.edit.end_column) for r in small.findings
    ]
    assert edits == [(2, 2, 1, 4, 2)]  # the dict's whole statement, lines 2 to 4
    assert [
        (r.line, r.edit.start_line, r.edit.start_column, r.edit.end_line, r.edit.end_column) for r in large.findings
    ] == [(2 + offset, 2 + offset, 1, 4 + offset, 2)]


def test_nested_blocks_keep_their_flags_after_an_inner_block_ends() -> None:
    result = scan("""
        import xml.dom
        if a:
            if b:
                pass
            import after_inner_if
            match c:
                case 1:
                    def in_case():
                        pass
        def outer():
            def inner():
                pass
            from .sibling import after_inner_function
        from . import after_a_function
        match d:
            case _:
                def in_top_level_case():
                    pass
    """)
    assert [(i.target, i.conditional) for i in result.imports] == [
        ("xml.dom", False),
        ("after_inner_if", True),
        ("pkg.sibling", True),
        ("pkg", False),
    ]
    assert "xml" in result.bound and "xml.dom" not in result.bound
    assert [(f.name, f.conditional) for f in result.functions] == [
        ("in_case", True),
        ("outer", False),
        ("in_top_level_case", True),
    ]


def test_every_model_pattern_finds_literals() -> None:
    settings = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), (r"gpt-[0-9a-z.-]+", r"claude-[0-9a-z.-]+"))
    code = 'model = cfg.get("model", "claude-3-opus")\n'
    assert [(r.code, r.line) for r in scan(code, settings=settings).findings] == [("IG104", 1)]


def test_the_rules_resolve_relative_imports_from_a_package_init() -> None:
    code = "from .settings import MODEL_CONFIG\n\nconfig = MODEL_CONFIG['x']\n"
    result = scan(code, module="igny8_core.ai", is_package=True, path="igny8_core/ai/__init__.py")
    assert [(r.code, r.line, r.symbol) for r in result.findings] == [
        ("IG101", 3, "igny8_core.ai.settings.MODEL_CONFIG")
    ]
    plain = scan(code, module="igny8_core.ai.views", is_package=False, path="igny8_core/ai/views.py")
    assert [(r.code, r.line, r.symbol) for r in plain.findings] == [("IG101", 3, "igny8_core.ai.settings.MODEL_CONFIG")]
