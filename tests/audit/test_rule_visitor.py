"""The helpers every rule's visitor inherits (`audit.rule_visitor.RuleVisitor`), asked directly about real code.

Each test parses a snippet, runs a probe visitor over it with the metadata the rules get, and
asks one helper about the marked nodes: each call `probe(...)` (or each name `HERE`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from igny8_refactor.audit.records import Edit, FileFinding, ScanSettings
from igny8_refactor.audit.rule_visitor import FileContext, RuleVisitor

SETTINGS = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ("gpt-",))
SEED_SETTINGS = (Path(__file__).parents[2] / "igny8_core" / "ai" / "settings.py").read_text(encoding="utf-8")


class _Probe(RuleVisitor):
    def __init__(self, ctx, question, marker):
        super().__init__(None, ctx)
        self.question = question
        self.marker = marker
        self.answers = []

    def visit_Call(self, node):
        if isinstance(node.func, cst.Name) and node.func.value == "probe":
            self.answers.append(self.question(self, node))

    def visit_Name(self, node):
        if node.value == self.marker:
            self.answers.append(self.question(self, node))


def ask(code: str, question, module: str = "pkg.mod", is_package: bool = False, marker: str = "HERE") -> list:
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(code)), unsafe_skip_copy=True)
    probe = _Probe(FileContext(wrapper, module, is_package, SETTINGS), question, marker)
    wrapper.visit(probe)
    return probe.answers


def first_argument(question):
    """Ask about the first argument of each `probe(...)` call."""
    return lambda visitor, call: question(visitor, call.args[0].value)


@pytest.mark.parametrize(
    ("module", "is_package", "expected"),
    [
        ("pkg", True, "pkg.sub.f"),  # pkg/__init__.py: `.` is the package itself
        ("pkg.mod", False, "pkg.sub.f"),  # pkg/mod.py: `.` is the package holding it
        ("pkg.inner", True, "pkg.inner.sub.f"),  # pkg/inner/__init__.py
    ],
)
def test_a_relative_import_resolves_from_the_package_the_file_is_in(module, is_package, expected):
    code = "from .sub import f\nprobe(f)\n"
    assert ask(code, first_argument(lambda v, n: v.resolves_to(n, expected)), module, is_package) == [True]
    assert ask(code, first_argument(lambda v, n: v.resolves_to(n, "sub.f", "f")), module, is_package) == [False]


def test_a_two_dot_relative_import_and_an_absolute_one():
    code = "from ..other import g\nimport os.path\nprobe(g)\nprobe(os.path.join)\n"
    answers = ask(code, first_argument(lambda v, n: sorted(v.ctx.absolute(q) for q in v.qualified(n))), "pkg.inner.mod")
    assert answers == [["pkg.other.g"], ["os.path.join"]]


def test_names_defined_in_the_module_are_prefixed_with_it():
    code = "def helper():\n    pass\n\nclass C:\n    def m(self):\n        def local():\n            pass\n        probe(local)\n\nprobe(helper)\n"
    answers = ask(code, first_argument(lambda v, n: sorted(v.ctx.absolute(q) for q in v.qualified(n))), "pkg.mod")
    assert answers == [["pkg.mod.C.m.<locals>.local"], ["pkg.mod.helper"]]
    # a file with no module name (a script outside any package) keeps the bare name
    assert ask(
        "def helper():\n    pass\n\nprobe(helper)\n", first_argument(lambda v, n: v.resolves_to(n, "helper")), ""
    ) == [True]


@pytest.mark.parametrize(
    ("code", "module", "expected"),
    [
        ("x = HERE\n", "pkg.mod", "pkg.mod"),
        ("def f():\n    return HERE\n", "pkg.mod", "pkg.mod.f"),
        ("class C:\n    def m(self):\n        def inner():\n            return HERE\n", "pkg.mod", "pkg.mod.C.m.inner"),
        ("def f():\n    return HERE\n", "", "f"),
        ("x = HERE\n", "", ""),
    ],
)
def test_scope_name_is_the_dotted_path_of_the_enclosing_definitions(code, module, expected):
    assert ask(code, lambda v, n: v.scope_name(n), module) == [expected]


def test_enclosing_class_and_function_are_the_nearest_or_none():
    code = "x = HERE\n\nclass C:\n    y = HERE\n\n    def m(self):\n        def inner():\n            return HERE\n"

    def question(visitor, node):
        cls, function = visitor.enclosing_class(node), visitor.enclosing_function(node)
        return (cls.name.value if cls else None, function.name.value if function else None)

    assert ask(code, question) == [(None, None), ("C", None), ("C", "inner")]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = HERE\n", None),
        ("def f():\n    return HERE\n", "f"),
        ("def f():\n    def g():\n        return HERE\n", "f"),  # the module-level one, not the nearest
        ("class C:\n    def m(self):\n        return HERE\n", None),  # a method is not a module-level function
        ("def f():\n    class C:\n        def m(self):\n            return HERE\n", "f"),
        ("if True:\n    def f():\n        return HERE\n", None),  # defined inside an `if`: not module-level
        ("try:\n    pass\nexcept Exception:\n    def f():\n        return HERE\n", None),
    ],
)
def test_toplevel_function_is_a_function_defined_directly_in_the_module(code, expected):
    def question(visitor, node):
        function = visitor.toplevel_function(node)
        return function.name.value if function is not None else None

    assert ask(code, question) == [expected]


def test_statement_of_is_the_line_or_compound_statement_holding_the_node():
    code = "a = [HERE]\nif HERE:\n    pass\nfor x in y:\n    b = HERE + 1\n"
    assert ask(code, lambda v, n: type(v.statement_of(n)).__name__) == [
        "SimpleStatementLine",
        "If",
        "SimpleStatementLine",
    ]


def test_plan_rewrite_outside_the_plans_get_model_config_is_no_fix_and_no_note():
    legacy = "def get_model_config(function_name, account=None):\n    return HERE\n"
    # the right function in another file, another function in the plan's file
    assert ask(legacy, lambda v, n: v.plan_rewrite(n), "igny8_core.ai.engine") == [(None, "", ())]
    assert ask("def other():\n    return HERE\n", lambda v, n: v.plan_rewrite(n), "igny8_core.ai.settings") == [
        (None, "", ())
    ]
    assert ask("x = HERE\n", lambda v, n: v.plan_rewrite(n), "igny8_core.ai.settings") == [(None, "", ())]


def test_plan_rewrite_of_a_body_already_in_the_plans_form_is_declined_with_the_reason():
    # the seed's own settings.py, asked about the names `actual_name` inside its get_model_config
    answers = ask(SEED_SETTINGS, lambda v, n: v.plan_rewrite(n)[:2], "igny8_core.ai.settings", marker="actual_name")
    assert answers and set(answers) == {(None, "already in the plan's form")}


def test_plan_rewrite_of_a_legacy_body_is_one_shared_fix():
    legacy = (
        "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n\n"
        "def get_model_config(function_name, account=None):\n"
        "    config = MODEL_CONFIG.get(function_name, {})\n"
        "    return {**config, 'model': HERE}\n\n"
        "def f():\n    return HERE\n"
    )

    def question(visitor, node):
        fix, note, needs = visitor.plan_rewrite(node)
        return (fix is not None, note, needs, id(fix) if fix else None)

    first, second = ask(legacy, question, "igny8_core.ai.settings")
    assert second == (False, "", (), None)
    assert first[0] and first[1] == ""


class _Check:
    code, kind = "IG999", "probe-rule"


def reports_of(code: str, how, fixing: bool = False, marker: str = "HERE"):
    """Run `how(visitor, node)` on each marked name (it calls `report`); the context's reports and edits."""
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(code)), unsafe_skip_copy=True)
    ctx = FileContext(wrapper, "pkg.mod", False, SETTINGS, fixing=fixing)
    probe = _Probe(ctx, how, marker)
    probe.check = _Check
    wrapper.visit(probe)
    return ctx.findings, ctx.edits


def test_a_report_with_a_fix_carries_the_targets_range_one_based_and_no_note():
    code = "x = 1\nvalue = compute(\n    HERE, 2)\n"

    def how(visitor, node):
        call = visitor.parent(visitor.parent(node))  # HERE -> Arg -> Call
        visitor.report(
            node, "sym", "msg", fix=(call, cst.Name("y")), note="ignored when fixable", removes=["A"], needs=["B"]
        )

    (report,), edits = reports_of(code, how)
    assert report == FileFinding(3, 5, "IG999", "probe-rule", "sym", "msg", Edit(2, 9, 3, 13, ("A",), ("B",)), "")
    assert edits is None  # the audit only locates the edit


def test_when_fixing_the_replacement_is_kept_for_the_report():
    def how(visitor, node):
        visitor.report(node, "sym", "msg", fix=(node, cst.Name("y")))

    (report,), edits = reports_of("a = HERE\n", how, fixing=True)
    assert report.edit == Edit(1, 5, 1, 9)
    assert list(edits) == [report]
    target, replacement = edits[report]
    assert isinstance(target, cst.Name) and target.value == "HERE" and replacement.value == "y"


def test_a_report_fixed_elsewhere_has_an_empty_edit_at_its_own_position():
    from igny8_refactor.audit.rule_visitor import FIXED_ELSEWHERE

    def how(visitor, node):
        visitor.report(node, "sym", "msg", fix=FIXED_ELSEWHERE, note="ignored")

    (report,), edits = reports_of("a = 1\nb = [0, HERE]\n", how, fixing=True)
    assert report.edit == Edit(2, 9, 2, 9) and report.note == ""
    assert edits == {}  # nothing to apply: the sibling's edit does it


@pytest.mark.parametrize(
    ("note", "expected"), [("", "no automatic fix for this shape"), ("add it by hand", "add it by hand")]
)
def test_a_report_without_a_fix_says_why(note, expected):
    def how(visitor, node):
        visitor.report(node, "sym", "msg", note=note)

    (report,), _ = reports_of("a = HERE\n", how, fixing=True)
    assert (report.edit, report.note) == (None, expected)

    def default(visitor, node):
        visitor.report(node, "sym", "msg")

    (report,), _ = reports_of("a = HERE\n", default)
    assert report.note == "no automatic fix for this shape"


def test_qualified_names_of_a_node_and_of_a_node_without_any():
    code = "import os.path as p\nfrom django.conf import settings\nprobe(p.join)\nprobe(settings)\nprobe(1)\n"
    assert ask(code, first_argument(lambda v, n: v.qualified(n))) == [{"os.path.join"}, {"django.conf.settings"}, set()]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("MODEL_CONFIG = {'a': 1}", "MODEL_CONFIG"),
        ("MODEL_CONFIG: dict = {'a': 1}", "MODEL_CONFIG"),
        ("MODEL_CONFIG = dict(a=1)", "MODEL_CONFIG"),
        ("OTHER = MODEL_CONFIG = {}", "MODEL_CONFIG"),
        ("MODEL_CONFIG: dict", None),  # declared, not assigned
        ("MODEL_CONFIG = load()", None),
        ("MODEL_CONFIG = OrderedDict(a=1)", None),
        ("MODEL_CONFIG = [1]", None),
        ("OTHER = {}", None),
        ("self.MODEL_CONFIG = {}", None),
        ("MODEL_CONFIG += {}", None),
    ],
)
def test_a_config_dict_assignment_is_a_dict_bound_to_a_configured_name(statement, expected):
    from igny8_refactor.audit.patterns import is_config_dict_assignment

    found = []

    class Visitor(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node):
            found.append(is_config_dict_assignment(ctx, node.body[0]))

    wrapper = MetadataWrapper(cst.parse_module(statement + "\n"), unsafe_skip_copy=True)
    ctx = FileContext(wrapper, "pkg.mod", False, SETTINGS)
    wrapper.module.visit(Visitor())
    assert found == [expected]


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("igny8_core.ai", ""),
        ("igny8_core.ai.settings", "settings"),
        ("igny8_core.ai.tasks", "tasks"),
        ("igny8_core.ai.functions", None),
        ("igny8_core.ai.settings.extra", None),
        ("igny8_core.aix.settings", None),
        ("igny8_core", None),
    ],
)
def test_plan_file_names_the_plans_five_files(module, expected):
    from igny8_refactor.audit.rule_visitor import plan_file

    assert plan_file(module, "igny8_core.ai") == expected


def test_plan_name_is_dotted_from_the_ai_package():
    wrapper = MetadataWrapper(cst.parse_module(""), unsafe_skip_copy=True)
    ctx = FileContext(wrapper, "pkg.mod", False, SETTINGS)
    assert ctx.plan_name("settings", "get_model_config") == "igny8_core.ai.settings.get_model_config"
    assert ctx.plan_name("", "get_model_config") == "igny8_core.ai.get_model_config"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'gpt-4'", "gpt-4"),
        ("'gpt' '-4'", "gpt-4"),
        ("b'gpt-4'", None),
        ("f'gpt-{n}'", None),
        ("gpt", None),
        ("4", None),
    ],
)
def test_string_value_is_the_text_of_a_str_literal_only(expression, expected):
    from igny8_refactor.audit.patterns import string_value

    assert string_value(cst.parse_expression(expression)) == expected
