"""prune_orphan_exports (the orphan-export fix): orphan names leave __all__, with the imports that only fed them.

Every case runs the real `fix` pipeline on a tiny project: the package `igny8_core.ai` exports
some names and `igny8_core/app.py` imports the ones that are used; the orphans are found by the
project analysis, not given.
"""

from __future__ import annotations

import shutil

from codemod_helpers import LEGACY, ROOT, dedent, fix_project, fix_tree, notes_of, target_source

from igny8_refactor.audit.config import Config

INIT = "igny8_core/ai/__init__.py"


def user(*names: str) -> dict[str, str]:
    """A module of the project that imports `names` from the package (so they are not orphans)."""
    if not names:
        return {}
    return {"igny8_core/app.py": f"from igny8_core.ai import {', '.join(names)}\n\nUSED = [{', '.join(names)}]\n"}


def pruned(tmp_path, before: str, *used: str, **others) -> str:
    """The package's __init__.py after `fix --only prune_orphan_exports`, `used` imported elsewhere."""
    files = {INIT: before, **user(*used), **others}
    return fix_project(tmp_path, files, INIT, only=["prune_orphan_exports"]).decode()


# -- no-op cases first ---------------------------------------------------------------------
def test_module_without_orphans_is_unchanged(tmp_path) -> None:
    source = "from m import b\n__all__ = ['b']\n"
    assert pruned(tmp_path, source, "b") == source


def test_orphans_of_another_module_are_ignored(tmp_path) -> None:
    source = "from m import b\n__all__ = ['b']\n"
    other = "from m import b, x\n__all__ = ['b', 'x']\n"
    assert pruned(tmp_path, source, "b", **{"igny8_core/other.py": other}) == source
    # the other module's own orphans go there, and only there
    assert (tmp_path / "igny8_core/other.py").read_text() == "__all__ = []\n"


def test_module_outside_internal_packages_is_never_rewritten(tmp_path) -> None:
    source = "from a import b\n__all__ = ['b']\n"
    files = {"library/__init__.py": "", "library/api.py": source}
    assert fix_project(tmp_path, files, "library/api.py", packages=False) == source.encode()
    assert any("outside the `internal` packages are reported, not removed" in n for n in notes_of(tmp_path))


def test_already_pruned_init_is_unchanged(tmp_path, monkeypatch) -> None:
    # changed: the orphans come from the analysis of a real project (the refactored igny8_core)
    shutil.copytree(ROOT / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    result = fix_tree(
        tmp_path, Config(exclude=("igny8_core/*/migrations",)), only=["prune_orphan_exports"], write=False
    )
    assert not result.changed and not result.errors


# -- rewrites ------------------------------------------------------------------------------
def test_single_line_list(tmp_path) -> None:
    before = 'from m import a, b, c\n__all__ = ["a", "b", "c"]\n'
    assert pruned(tmp_path, before, "a", "c") == 'from m import a, c\n__all__ = ["a", "c"]\n'


def test_last_name_of_an_unparenthesised_import(tmp_path) -> None:
    before = "from m import a, b\n__all__ = ['a', 'b']\n"
    assert pruned(tmp_path, before, "a") == "from m import a\n__all__ = ['a']\n"


def test_tuple_form(tmp_path) -> None:
    before = "from m import a, b\n__all__ = ('a', 'b',)\n"
    assert pruned(tmp_path, before, "a") == "from m import a\n__all__ = ('a',)\n"


def test_tuple_left_with_one_name_keeps_its_comma(tmp_path) -> None:
    before = "from m import a, b\n__all__ = 'a', 'b'\n"
    assert pruned(tmp_path, before, "a") == "from m import a\n__all__ = 'a',\n"


def test_augmented_and_extended_all(tmp_path) -> None:
    before = dedent("""
        from m import a, b, c
        __all__ = ['a']
        __all__ += ['b']
        __all__.extend(['c'])
    """)
    after = dedent("""
        from m import a
        __all__ = ['a']
        __all__ += []
        __all__.extend([])
    """)
    assert pruned(tmp_path, before, "a") == after


def test_annotated_all_and_other_lists_on_the_line(tmp_path) -> None:
    # only `__all__` is pruned: a list beside it on the same line, or another method call, is not
    before = dedent("""
        from m import a, b, c
        __all__: list[str] = ['a', 'b']; NAMES = ['b']
        __all__.extend(['c']); NAMES.extend(['c'])
        __all__.append('a')
        NAMES.append('c')
    """)
    after = dedent("""
        from m import a
        __all__: list[str] = ['a']; NAMES = ['b']
        __all__.extend([]); NAMES.extend(['c'])
        __all__.append('a')
        NAMES.append('c')
    """)
    assert pruned(tmp_path, before, "a") == after


def test_parenthesised_import_with_comments_keeps_its_layout(tmp_path) -> None:
    before = dedent("""
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
    """)
    after = dedent("""
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
    """)
    assert pruned(tmp_path, before, "a", "c") == after


def test_first_names_removed_keep_the_heading_comment(tmp_path) -> None:
    before = dedent("""
        from m import (
            a,
            b,
        )
        __all__ = [
            # Registry
            'a',
            'b',
        ]
    """)
    after = dedent("""
        from m import (
            b,
        )
        __all__ = [
            # Registry
            'b',
        ]
    """)
    assert pruned(tmp_path, before, "b") == after


def test_import_of_only_orphans_is_removed_whole(tmp_path) -> None:
    before = dedent("""
        from m import (
            a,
            b,
        )
        from n import c
        __all__ = ['a', 'b', 'c']
    """)
    assert pruned(tmp_path, before, "c") == "from n import c\n__all__ = ['c']\n"


def test_aliased_imports(tmp_path) -> None:
    before = dedent("""
        from m import real as exported, kept
        import pkg.mod as modalias
        __all__ = ['exported', 'kept', 'modalias']
    """)
    assert pruned(tmp_path, before, "kept") == "from m import kept\n__all__ = ['kept']\n"


def test_name_still_used_in_the_module_keeps_its_import(tmp_path) -> None:
    before = "from m import a, b\n__all__ = ['a', 'b']\nDEFAULT = b()\n"
    assert pruned(tmp_path, before, "a") == "from m import a, b\n__all__ = ['a']\nDEFAULT = b()\n"


def test_defined_name_is_only_dropped_from_all(tmp_path) -> None:
    before = "def helper():\n    pass\n__all__ = ['helper']\n"
    assert pruned(tmp_path, before) == "def helper():\n    pass\n__all__ = []\n"


def test_legacy_init_becomes_the_target_byte_for_byte(tmp_path) -> None:
    # changed: the seed's orphans are found by analysing the project (legacy AI files over igny8_core)
    shutil.copytree(ROOT / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LEGACY, tmp_path / "igny8_core" / "ai", dirs_exist_ok=True)
    result = fix_tree(tmp_path, Config(exclude=("igny8_core/*/migrations",)), only=["prune_orphan_exports"])
    assert not result.errors, result.errors
    assert (tmp_path / INIT).read_bytes() == target_source("__init__.py")


def test_crlf_and_bom_survive_pruning(tmp_path) -> None:
    source = "\ufefffrom m import (\r\n    a,\r\n    b,\r\n)\r\n__all__ = [\r\n    'a',\r\n    'b',\r\n]\r\n"
    files = {INIT: source.encode("utf-8"), **user("a")}
    after = fix_project(tmp_path, files, INIT, only=["prune_orphan_exports"])
    assert after == "\ufefffrom m import (\r\n    a,\r\n)\r\n__all__ = [\r\n    'a',\r\n]\r\n".encode("utf-8")


def test_package_folder_named_build_is_fixed_like_any_other(tmp_path) -> None:
    # issue 8: one file walker for audit and fix; a `build/` package is not skipped by either
    files = {
        "igny8_core/build/__init__.py": "from m import a, b\n__all__ = ['a', 'b']\n",
        "igny8_core/app.py": "from igny8_core.build import a\n\nUSED = [a]\n",
    }
    after = fix_project(tmp_path, files, "igny8_core/build/__init__.py", only=["prune_orphan_exports"])
    assert after == b"from m import a\n__all__ = ['a']\n"


def test_relative_imports_that_fed_only_pruned_entries_go(tmp_path) -> None:
    # listed by `extend`, which LibCST does not count as a use: only the pruned names say the import fed them
    before = "from .settings import a, kept\nfrom . import registry\n__all__ = []\n__all__.extend(['a', 'kept', 'registry'])\n"
    others = {
        "igny8_core/ai/settings.py": "def a():\n    pass\n\n\ndef kept():\n    pass\n",
        "igny8_core/ai/registry.py": "X = 1\n",
        "igny8_core/main.py": "import igny8_core.ai.settings\nfrom igny8_core.ai import registry\nregistry.X\n",
    }  # `a` used nowhere: an orphan
    assert pruned(tmp_path, before, "kept", **others) == (
        "from .settings import kept\nfrom . import registry\n__all__ = []\n__all__.extend(['kept', 'registry'])\n"
    )  # `registry` is imported from the package elsewhere: not an orphan
