"""unused-function: vulture's definitions and uses, scoped by the import graph."""

from __future__ import annotations


def found(result):
    return [(f.line, f.column, f.symbol) for f in result.findings if f.kind == "unused-function"]


def test_called_referenced_and_unused(audit_tree):
    code = (
        "def called():\n    pass\n\ndef referenced():\n    pass\n\ndef unused():\n    pass\n\n"
        "def _private_unused():\n    pass\n\ncalled()\nHANDLERS = [referenced]\n"
    )
    assert found(audit_tree({"m.py": code})) == [(7, 1, "m.unused"), (10, 1, "m._private_unused")]


def test_methods_and_nested_functions_are_not_module_level_functions(audit_tree):
    code = "class C:\n    def method(self):\n        def inner():\n            pass\n\nC()\n"
    assert found(audit_tree({"m.py": code})) == []


def test_getattr_string_counts_as_a_use(audit_tree):
    code = "import sys\n\ndef handler():\n    pass\n\ngetattr(sys.modules[__name__], 'handler')()\n"
    assert found(audit_tree({"m.py": code})) == []


def test_only_the_internal_package_and_its_subpackages_are_removable(audit_tree):
    # `internal` is igny8_core: igny8_core.ai is inside it, igny8_core_sdk merely shares the prefix
    dead = "def helper():\n    pass\n"
    files = {
        "igny8_core/__init__.py": "",
        "igny8_core/ai/__init__.py": "",
        "igny8_core/ai/m.py": dead,
        "igny8_core_sdk/__init__.py": "",
        "igny8_core_sdk/m.py": dead,
    }
    result = audit_tree(files)
    fixable = {f.symbol: (f.fixable, f.note) for f in result.findings if f.kind == "unused-function"}
    assert fixable == {
        "igny8_core.ai.m.helper": (True, ""),
        "igny8_core_sdk.m.helper": (False, "not in an `internal` package: it may be a library's public API"),
    }


def test_only_dunder_names_are_left_to_python_and_each_function_is_judged_alone(audit_tree):
    # a decorated function, a dunder one and one the module names in a string are kept;
    # a function after any of them is judged on its own
    code = (
        "import functools\n\n@functools.cache\ndef cached():\n    pass\n\ndef after_cached():\n    pass\n\n"
        "def __dir__():\n    return []\n\ndef __mangled():\n    pass\n\ndef trailing__():\n    pass\n\n"
        "def routed():\n    pass\n\ndef after_routed():\n    pass\n\nROUTE = 'pkg.m.routed'\n"
    )
    assert [symbol for _, _, symbol in found(audit_tree({"pkg/__init__.py": "", "pkg/m.py": code}))] == [
        "pkg.m.after_cached",
        "pkg.m.__mangled",
        "pkg.m.trailing__",
        "pkg.m.after_routed",
    ]


def test_findings_inside_a_removed_function_go_with_it(audit_tree):
    files = {
        "igny8_core/__init__.py": "",
        "igny8_core/ai/__init__.py": "",
        "igny8_core/ai/helpers.py": (
            "def pick(model='gpt-4o-mini'):\n    return model\n\n\n"
            "def configured(config):\n    return config.get('first_configured_value_for_this_account', {}).get('model', 'gpt-4.1')\n"
        ),
    }
    findings = [(f.line, f.column, f.kind, f.fixable, f.message) for f in audit_tree(files).findings]
    assert findings == [
        (1, 1, "unused-function", True, "function `pick` is never called or referenced"),
        (1, 16, "model-literal-default", True, "hardcoded model `gpt-4o-mini` is used as a default"),
        (5, 1, "unused-function", True, "function `configured` is never called or referenced"),
        (6, 83, "model-literal-default", True, "hardcoded model `gpt-4.1` is used as a default"),  # far right
    ]
