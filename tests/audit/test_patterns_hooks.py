"""`audit.patterns` beyond the visitor helpers: the file context, the run of the rules over one
file (their order, their edits, the tree they see), the attribute hooks of the shared traversal,
the parent links, and the predicates the rules share, asked directly about real code."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from igny8_refactor.audit.patterns import fallback_setting_read, is_default_model_attr, is_model_key, is_model_literal
from igny8_refactor.audit.records import Edit, FileFinding, ScanSettings
from igny8_refactor.audit.rule_visitor import FileContext, RuleVisitor, run_file_checks, run_file_rules

SETTINGS = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ("gpt-", "claude-"))


def parse(code: str) -> cst.Module:
    return cst.parse_module(textwrap.dedent(code))


# ---- the file context -------------------------------------------------------------------------------


def test_a_context_keeps_no_edits_unless_fixing_and_holds_what_it_was_given():
    wrapper = MetadataWrapper(parse("x = 1\n"), unsafe_skip_copy=True)
    ctx = FileContext(wrapper, "pkg.mod", False, SETTINGS)
    assert ctx.edits is None and ctx.resolved is None and ctx.findings == [] and ctx.memo == {}
    fixing = FileContext(wrapper, "pkg.mod", False, SETTINGS, fixing=True, resolved={"IntegrationSettings": "a.models"})
    assert fixing.edits == {} and fixing.resolved == {"IntegrationSettings": "a.models"}
    # the model regex is built from the configured patterns, matched at the start of a string
    assert ctx.settings.model_re.match("claude-3") and ctx.settings.model_re.match("gpt-4o")
    assert not ctx.settings.model_re.match("llama-3") and not ctx.settings.model_re.match("my-gpt-4")


def test_code_is_the_source_text_of_a_node():
    tree = parse("value = compute(a,  b)\n")
    ctx = FileContext(MetadataWrapper(tree, unsafe_skip_copy=True), "pkg.mod", False, SETTINGS)
    call = tree.body[0].body[0].value
    assert ctx.code(call) == "compute(a,  b)"
    assert ctx.code(call.args[1]) == "b"


# ---- the run of the rules over one file -------------------------------------------------------------


class _Visitor(RuleVisitor):
    """Reports every name `TARGET` with a fix replacing it, noting what the context told it."""

    def visit_Name(self, node):
        if node.value == self.check.target:
            self.seen.append((self.ctx.absolute(".sub.f"), self.ctx.resolved, self.ctx.edits is not None))
            self.report(node, f"{self.ctx.module}.{node.value}", self.check.code, fix=(node, cst.Name("done")))


def _check(code: str, target: str):
    class Check:
        kind = f"probe-{code.lower()}"
        fixable = True
        seen: list = []

        def visitor(self, ctx):
            visitor = _Visitor(self, ctx)
            visitor.seen = Check.seen
            return visitor

    Check.code, Check.target = code, target
    return Check


def test_reports_and_edits_come_in_the_rules_order_from_the_nodes_of_the_given_tree():
    tree = parse("first = LATE\nEARLY = 1\nsecond = LATE\n")
    late, early = _check("IG901", "LATE"), _check("IG902", "EARLY")
    ctx = run_file_rules(
        tree, "pkg", True, SETTINGS, fixing=True, rules=[late, early], resolved={"IntegrationSettings": "pkg.models"}
    )
    assert ctx.findings == [
        FileFinding(1, 9, "IG901", "probe-ig901", "pkg.LATE", "IG901", Edit(1, 9, 1, 13), ""),
        FileFinding(3, 10, "IG901", "probe-ig901", "pkg.LATE", "IG901", Edit(3, 10, 3, 14), ""),
        FileFinding(2, 1, "IG902", "probe-ig902", "pkg.EARLY", "IG902", Edit(2, 1, 2, 6), ""),
    ]
    assert list(ctx.edits) == ctx.findings
    # the targets are the nodes of `tree` itself (no copy), so the pipeline can replace them by identity
    names = [tree.body[0].body[0].value, tree.body[2].body[0].value, tree.body[1].body[0].targets[0].target]
    assert all(target is name for (target, _), name in zip(ctx.edits.values(), names))
    assert ctx.wrapper.module is tree
    # each visitor got the module, the package flag, the classes' modules and the fixing flag
    assert late.seen == [("pkg.sub.f", {"IntegrationSettings": "pkg.models"}, True)] * 2
    assert early.seen == [("pkg.sub.f", {"IntegrationSettings": "pkg.models"}, True)]


def test_a_run_for_the_audit_keeps_no_edits_and_only_the_given_rules_run():
    tree = parse("x = LATE\n")
    late = _check("IG901", "LATE")
    ctx = run_file_rules(tree, "pkg.mod", False, SETTINGS, rules=[late])
    assert ctx.edits is None
    assert [r.code for r in ctx.findings] == ["IG901"]
    assert late.seen == [("pkg.sub.f", None, False)]


def test_positions_are_computed_only_for_a_file_that_reports():
    # a file that spells a rule's names but holds no finding (most of those the rules read) never
    # pays for LibCST's position pass; a report computes it once, and its lines and columns are exact
    quiet = run_file_rules(
        parse("from x import get_model_config\nget_model_config('a', account=acct)\n"), "pkg.mod", False, SETTINGS
    )
    assert quiet.findings == [] and PositionProvider not in quiet.wrapper._metadata
    tree = parse("a = 1\n\nvalue = (\n    LATE\n)\n")
    ctx = run_file_rules(tree, "pkg.mod", False, SETTINGS, rules=[_check("IG901", "LATE")])
    assert PositionProvider in ctx.wrapper._metadata
    assert [(r.line, r.column, r.edit) for r in ctx.findings] == [(4, 5, Edit(4, 5, 4, 9))]
    name = tree.body[1].body[0].value
    assert ctx.position(name) is ctx.wrapper.resolve(PositionProvider)[name]


def test_run_file_rules_without_rules_runs_every_per_file_rule():
    tree = parse("MODEL_CONFIG = {'a': {'model': 'gpt-4.1'}}\n")
    ctx = run_file_rules(tree, "pkg.mod", False, SETTINGS)
    assert [(r.line, r.column, r.code, r.symbol) for r in ctx.findings] == [(1, 1, "IG101", "pkg.mod.MODEL_CONFIG")]
    assert ctx.edits is None


def test_run_file_checks_sorts_by_position_and_resolves_relative_imports_in_a_package():
    code = textwrap.dedent("""\
        from .settings import MODEL_CONFIG as MC
        from django.conf import settings

        def pick(account):
            model = getattr(settings, "DEFAULT_AI_MODEL", "gpt-4.1")
            return MC.get("x") or model

        d = MC["y"]
        MODEL = settings.DEFAULT_AI_MODEL
        e, f = MC["e"], MC["f"]
        g = [MC, settings.DEFAULT_AI_MODEL, MC]
        """)
    reports = run_file_checks(code, "pkg", True, SETTINGS)
    config, fallback = "pkg.settings.MODEL_CONFIG", "django.conf.settings.DEFAULT_AI_MODEL"
    assert [(r.line, r.column, r.code, r.symbol) for r in reports] == [
        (5, 13, "IG102", fallback),
        (6, 12, "IG101", config),
        (8, 5, "IG101", config),
        (9, 9, "IG102", fallback),
        (10, 8, "IG101", config),
        (10, 17, "IG101", config),
        (11, 6, "IG101", config),
        (11, 10, "IG102", fallback),
        (11, 37, "IG101", config),
    ]
    # in a plain module the same import names a sibling module of the package
    plain = run_file_checks(code, "pkg.mod", False, SETTINGS)
    assert {r.symbol for r in plain if r.code == "IG101"} == {config}
    top = run_file_checks(code, "mod", False, SETTINGS)
    assert {r.symbol for r in top if r.code == "IG101"} == {"settings.MODEL_CONFIG"}


# ---- shared predicates --------------------------------------------------------------------------------------


class _Probe(RuleVisitor):
    def __init__(self, ctx, question):
        super().__init__(None, ctx)
        self.question = question
        self.answers = []

    def visit_Call(self, node):
        if isinstance(node.func, cst.Name) and node.func.value == "probe":
            self.answers.append(self.question(self, node.args[0].value))


def ask(code: str, question) -> list:
    wrapper = MetadataWrapper(parse(code), unsafe_skip_copy=True)
    probe = _Probe(FileContext(wrapper, "pkg.mod", False, SETTINGS), question)
    wrapper.visit(probe)
    return probe.answers


def test_qualified_names_of_a_node_libcst_gives_none_are_empty():
    # the lambda's parameters and the subscript have no entry in LibCST's qualified names
    code = "import os\nprobe(lambda q: q)\nprobe(x[0])\nprobe(os.sep)\n"
    assert ask(code, lambda v, n: v.qualified(n)) == [set(), set(), {"os.sep"}]
    detached = cst.Name("detached")  # a node that is not in the tree at all
    assert ask("probe(1)\n", lambda v, n: v.qualified(detached)) == [set()]


def test_fallback_setting_reads_by_attribute_and_by_getattr():
    code = """\
        from django.conf import settings
        from django.conf import settings as dj
        import builtins
        probe(settings.DEFAULT_AI_MODEL)
        probe(dj.DEFAULT_AI_MODEL)
        probe(settings.OTHER)
        probe(config.DEFAULT_AI_MODEL)
        probe(getattr(settings, "DEFAULT_AI_MODEL", "gpt-4.1"))
        probe(getattr(settings, "DEFAULT_AI_MODEL"))
        probe(builtins.getattr(settings, "DEFAULT_AI_MODEL"))
        probe(getattr(settings, "OTHER", "gpt-4.1"))
        probe(getattr(config, "DEFAULT_AI_MODEL", "gpt-4.1"))
        probe(getattr("DEFAULT_AI_MODEL", settings))
        probe(getattr(settings))
        probe(getattr(settings, name="DEFAULT_AI_MODEL"))
        probe(getattr(o=settings, name="DEFAULT_AI_MODEL"))
        probe(getattr(o=settings, *["DEFAULT_AI_MODEL"]))
        probe(hasattr(settings, "DEFAULT_AI_MODEL"))
        probe(settings.get("DEFAULT_AI_MODEL", "x"))
        probe(getattr(settings, NAME))
        probe("DEFAULT_AI_MODEL")
        """
    assert ask(code, fallback_setting_read) == [
        "DEFAULT_AI_MODEL",
        "DEFAULT_AI_MODEL",
        None,
        None,
        "DEFAULT_AI_MODEL",
        "DEFAULT_AI_MODEL",
        "DEFAULT_AI_MODEL",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'model'", True),
        ("'image_model'", True),
        ("'Chat_Model'", True),
        ("'models'", False),
        ("'the model'", False),
        ("'mymodel'", False),
        ("model", False),
        ("b'model'", False),
        ("'mo' 'del'", True),
    ],
)
def test_a_model_key_is_a_string_naming_a_model_setting(expression, expected):
    assert is_model_key(cst.parse_expression(expression)) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'gpt-4.1'", True),
        ("'claude-3-opus'", True),
        ("'gpt' '-4'", True),
        ("'my gpt-4'", False),
        ("'llama'", False),
        ("gpt", False),
        ("b'gpt-4'", False),
    ],
)
def test_a_model_literal_is_a_string_starting_with_a_configured_pattern(expression, expected):
    ctx = FileContext(MetadataWrapper(parse(""), unsafe_skip_copy=True), "pkg.mod", False, SETTINGS)
    assert is_model_literal(ctx, cst.parse_expression(expression)) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("self.default_model", True),
        ("self._default_model", True),
        ("cfg.DEFAULT_MODEL", True),
        ("cfg.defaultmodel", True),
        ("cfg.default_models", False),
        ("cfg.the_default_model", False),
        ("default_model", False),
        ("cfg.model", False),
    ],
)
def test_a_default_model_attribute_is_an_attribute_named_default_model(expression, expected):
    assert is_default_model_attr(cst.parse_expression(expression)) is expected


LEGACY_SETTINGS = """\
MODEL_CONFIG = {"a": {"model": "gpt-4.1"}}


def get_model_config(function_name, account=None):
    config = MODEL_CONFIG.get(function_name, {}).copy()
    return config
"""


@pytest.mark.parametrize(
    ("resolved", "where"),
    [
        ({"IntegrationSettings": "apps.system.models"}, "apps.system.models"),
        (None, "__unresolved__"),
    ],
)
def test_the_rewrite_of_get_model_config_imports_the_class_from_the_module_it_was_given(resolved, where):
    from igny8_refactor.audit.checks import load_checks

    tree = cst.parse_module(LEGACY_SETTINGS)
    rule = load_checks()["hardcoded-model-config"]
    ctx = run_file_rules(
        tree,
        "igny8_core.ai.settings",
        False,
        ScanSettings(("MODEL_CONFIG",), (), ()),
        fixing=True,
        rules=[rule],
        resolved=resolved,
    )
    rewrites = [(report, fix) for report, fix in ctx.edits.items() if report.edit.needs]
    assert [(r.line, r.column, r.edit.needs) for r, _ in rewrites] == [(5, 14, ("IntegrationSettings",))]
    ((_, (target, body)),) = rewrites
    assert target is tree.body[1].body
    code = tree.code_for_node(body)
    assert f"    from {where} import IntegrationSettings\n" in code
    assert code.count("import IntegrationSettings") == 1
