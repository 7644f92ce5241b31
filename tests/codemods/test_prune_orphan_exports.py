"""PruneOrphanExports: orphan names leave __all__, with the imports that only fed them."""
from __future__ import annotations

import textwrap

from libcst.codemod import CodemodContext, CodemodTest

from codemods.prune_orphan_exports import PruneOrphanExports
from codemod_helpers import legacy_source, run_codemod, target_source

MODULE = "igny8_core.ai"
SEED_ORPHANS = [f"{MODULE}.{n}" for n in (
    "register_function", "list_functions", "MODEL_CONFIG", "get_model", "get_max_tokens", "get_temperature",
)]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def orphans(*names: str) -> dict:
    return dict(orphans=[f"{MODULE}.{n}" for n in names], internal=["igny8_core"])


class TestPruneOrphanExports(CodemodTest):
    TRANSFORM = PruneOrphanExports

    def assertPruned(self, before: str, after: str, *names: str, **extra) -> None:
        self.assertCodemod(
            dedent(before), dedent(after),
            context_override=CodemodContext(full_module_name=MODULE, full_package_name=MODULE),
            **orphans(*names), **extra,
        )

    # -- no-op cases first ---------------------------------------------------------------
    def test_module_without_orphans_is_skipped(self) -> None:
        source = "from a import b\n__all__ = ['b']\n"
        self.assertCodemod(
            source, source, expected_skip=True,
            context_override=CodemodContext(full_module_name=MODULE), orphans=[], internal=["igny8_core"],
        )

    def test_orphans_of_another_module_are_ignored(self) -> None:
        source = "from a import b\n__all__ = ['b']\n"
        self.assertCodemod(
            source, source, expected_skip=True,
            context_override=CodemodContext(full_module_name=MODULE),
            orphans=["igny8_core.other.b"], internal=["igny8_core"],
        )

    def test_module_outside_internal_packages_is_never_rewritten(self) -> None:
        source = "from a import b\n__all__ = ['b']\n"
        self.assertCodemod(
            source, source, expected_skip=True,
            context_override=CodemodContext(full_module_name="library.api"),
            orphans=["library.api.b"], internal=["igny8_core"],
        )

    def test_already_pruned_init_is_unchanged(self) -> None:
        run = run_codemod(PruneOrphanExports, target_source("__init__.py"), module=MODULE,
                          orphans=SEED_ORPHANS, internal=["igny8_core"])
        assert run.unchanged

    # -- rewrites ------------------------------------------------------------------------
    def test_single_line_list(self) -> None:
        self.assertPruned(
            """
            from m import a, b, c
            __all__ = ["a", "b", "c"]
            """,
            """
            from m import a, c
            __all__ = ["a", "c"]
            """,
            "b",
        )

    def test_last_name_of_an_unparenthesised_import(self) -> None:
        self.assertPruned(
            """
            from m import a, b
            __all__ = ['a', 'b']
            """,
            """
            from m import a
            __all__ = ['a']
            """,
            "b",
        )

    def test_tuple_form(self) -> None:
        self.assertPruned(
            """
            from m import a, b
            __all__ = ('a', 'b',)
            """,
            """
            from m import a
            __all__ = ('a',)
            """,
            "b",
        )

    def test_tuple_left_with_one_name_keeps_its_comma(self) -> None:
        self.assertPruned(
            """
            from m import a, b
            __all__ = 'a', 'b'
            """,
            """
            from m import a
            __all__ = 'a',
            """,
            "b",
        )

    def test_augmented_and_extended_all(self) -> None:
        self.assertPruned(
            """
            from m import a, b, c
            __all__ = ['a']
            __all__ += ['b']
            __all__.extend(['c'])
            """,
            """
            from m import a
            __all__ = ['a']
            __all__ += []
            __all__.extend([])
            """,
            "b", "c",
        )

    def test_parenthesised_import_with_comments_keeps_its_layout(self) -> None:
        self.assertPruned(
            """
            from m import (
                # core
                a,
                b,  # orphan, and this comment goes with it
                # helpers
                c,
                d,
            )
            __all__ = [
                # core
                'a',
                'b',  # orphan
                # helpers
                'c',
                'd',
            ]
            """,
            """
            from m import (
                # core
                a,
                # helpers
                c,
            )
            __all__ = [
                # core
                'a',
                # helpers
                'c',
            ]
            """,
            "b", "d",
        )

    def test_first_names_removed_keep_the_heading_comment(self) -> None:
        self.assertPruned(
            """
            from m import (
                a,
                b,
            )
            __all__ = [
                # Registry
                'a',
                'b',
            ]
            """,
            """
            from m import (
                b,
            )
            __all__ = [
                # Registry
                'b',
            ]
            """,
            "a",
        )

    def test_import_of_only_orphans_is_removed_whole(self) -> None:
        self.assertPruned(
            """
            from m import (
                a,
                b,
            )
            from n import c
            __all__ = ['a', 'b', 'c']
            """,
            """
            from n import c
            __all__ = ['c']
            """,
            "a", "b",
        )

    def test_aliased_imports(self) -> None:
        self.assertPruned(
            """
            from m import real as exported, kept
            import pkg.mod as modalias
            __all__ = ['exported', 'kept', 'modalias']
            """,
            """
            from m import kept
            __all__ = ['kept']
            """,
            "exported", "modalias",
        )

    def test_name_still_used_in_the_module_keeps_its_import(self) -> None:
        self.assertPruned(
            """
            from m import a, b
            __all__ = ['a', 'b']
            DEFAULT = b()
            """,
            """
            from m import a, b
            __all__ = ['a']
            DEFAULT = b()
            """,
            "b",
        )

    def test_defined_name_is_only_dropped_from_all(self) -> None:
        self.assertPruned(
            """
            def helper():
                pass
            __all__ = ['helper']
            """,
            """
            def helper():
                pass
            __all__ = []
            """,
            "helper",
        )


def test_legacy_init_becomes_the_target_byte_for_byte() -> None:
    run = run_codemod(PruneOrphanExports, legacy_source("__init__.py"), module=MODULE,
                      orphans=SEED_ORPHANS, internal=["igny8_core"])
    assert run.new == target_source("__init__.py")


def test_crlf_and_bom_survive_pruning() -> None:
    source = "\ufefffrom m import (\r\n    a,\r\n    b,\r\n)\r\n__all__ = [\r\n    'a',\r\n    'b',\r\n]\r\n"
    run = run_codemod(PruneOrphanExports, source.encode("utf-8"), module=MODULE, **orphans("b"))
    assert run.new == "\ufefffrom m import (\r\n    a,\r\n)\r\n__all__ = [\r\n    'a',\r\n]\r\n".encode("utf-8")
