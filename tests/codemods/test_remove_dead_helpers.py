"""RemoveDeadHelpers: unused module-level functions go, `keep` names never do."""
from __future__ import annotations

import textwrap

from libcst.codemod import CodemodContext, CodemodTest

from codemods.remove_dead_helpers import RemoveDeadHelpers
from codemod_helpers import legacy_source, run_codemod, target_source

MODULE = "igny8_core.ai.settings"
HELPERS = [f"{MODULE}.{n}" for n in ("get_model", "get_max_tokens", "get_temperature")]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


class TestRemoveDeadHelpers(CodemodTest):
    TRANSFORM = RemoveDeadHelpers

    def assertRemoved(self, before: str, after: str, unused, keep=(), module=MODULE, **extra) -> None:
        self.assertCodemod(
            dedent(before), dedent(after),
            context_override=CodemodContext(full_module_name=module, full_package_name=module.rpartition(".")[0]),
            unused=unused, internal=["igny8_core"], keep=list(keep), **extra,
        )

    # -- no-op cases first ---------------------------------------------------------------
    def test_nothing_unused_is_skipped(self) -> None:
        self.assertRemoved("def f():\n    pass\n", "def f():\n    pass\n", [], expected_skip=True)

    def test_keep_name_is_never_removed(self) -> None:
        source = "def register_function(name):\n    pass\n"
        self.assertRemoved(
            source, source, [f"{MODULE}.register_function"], keep=[f"{MODULE}.register_function"], expected_skip=True,
        )

    def test_outside_internal_packages_nothing_is_removed(self) -> None:
        source = "def helper():\n    pass\n"
        self.assertRemoved(source, source, ["lib.mod.helper"], module="lib.mod", expected_skip=True)

    def test_methods_and_nested_functions_of_the_same_name_stay(self) -> None:
        source = dedent("""
            class A:
                def get_model(self):
                    pass


            def outer():
                def get_model():
                    pass
                return get_model
        """)
        self.assertRemoved(source, source, HELPERS)

    # -- rewrites ------------------------------------------------------------------------
    def test_unused_functions_are_removed_with_their_comments_and_decorators(self) -> None:
        self.assertRemoved(
            """
            import functools


            def used():
                return 1


            # cached helper nobody calls
            @functools.lru_cache
            def get_model(name: str) -> str:
                return "x"


            def get_temperature(name):
                return 0.7
            """,
            """
            def used():
                return 1
            """,
            HELPERS,
        )

    def test_import_used_elsewhere_stays(self) -> None:
        self.assertRemoved(
            """
            import functools


            @functools.cache
            def get_model():
                pass


            @functools.cache
            def used():
                pass
            """,
            """
            import functools


            @functools.cache
            def used():
                pass
            """,
            HELPERS,
        )


def test_legacy_helpers_are_removed_and_the_rest_is_untouched() -> None:
    run = run_codemod(RemoveDeadHelpers, legacy_source("settings.py"), module=MODULE,
                      unused=HELPERS, internal=["igny8_core"], keep=[])
    head = legacy_source("settings.py").split(b"\n\n\ndef get_model(")[0]
    assert run.new == head + b"\n"
    assert b"def get_model_config(" in run.new


def test_target_settings_is_unchanged() -> None:
    run = run_codemod(RemoveDeadHelpers, target_source("settings.py"), module=MODULE,
                      unused=HELPERS, internal=["igny8_core"], keep=[])
    assert run.unchanged
