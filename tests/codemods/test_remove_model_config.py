"""remove_model_config (the fixes of IG101, IG102 and IG104): MODEL_CONFIG goes, get_model_config reads IntegrationSettings only.

Every case runs the real `fix` pipeline on a tiny project with the code in the plan's
`igny8_core/ai/settings.py` (and a model module defining IntegrationSettings), and compares bytes.
"""

from __future__ import annotations

import pytest
from codemod_helpers import (
    PACKAGES,
    dedent,
    fix_project,
    fix_tree,
    legacy_source,
    notes_of,
    refactored_function,
    target_source,
    write_tree,
)

from igny8_refactor.audit.config import Config

SETTINGS = "igny8_core/ai/settings.py"
MODELS = {
    "igny8_core/modules/__init__.py": "",
    "igny8_core/modules/system/__init__.py": "",
    "igny8_core/modules/system/models.py": "class IntegrationSettings:\n    objects = None\n",
}
IMPORT = "from igny8_core.modules.system.models import IntegrationSettings\n"
NEW_FUNCTION = refactored_function("get_model_config")  # the contract's function, local import included


def new_function(**renames: str) -> str:
    text = NEW_FUNCTION
    for old, new in renames.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def user(*names: str) -> dict[str, str]:
    """A module of the project that reads `names` from settings.py, so they are not unused."""
    return {
        "igny8_core/ai/functions.py": f"from igny8_core.ai.settings import {', '.join(names)}\n\nUSED = [{', '.join(names)}]\n"
    }


def fixed(tmp_path, source: str | bytes, config: Config | None = None, uses=("get_model_config",), **others) -> bytes:
    """settings.py after `fix`, in a project where another module reads `uses` (unused functions go)."""
    return fix_project(
        tmp_path, {**MODELS, **(user(*uses) if uses else {}), SETTINGS: source, **others}, SETTINGS, config
    )


OLD_FUNCTION = dedent('''
    def get_model_config(function_name, account=None):
        """Old docstring."""
        actual_name = FUNCTION_ALIASES.get(function_name, function_name)
        config = MODEL_CONFIG.get(actual_name, {}).copy()
        if account:
            from igny8_core.modules.system.models import IntegrationSettings
            row = IntegrationSettings.objects.filter(account=account).first()
            if row:
                config.update(row.config)
        return config
''')


# -- no-op cases first ---------------------------------------------------------------------
def test_module_without_config_or_function_is_unchanged(tmp_path) -> None:
    assert fixed(tmp_path, "x = {'model': 1}\n", uses=()) == b"x = {'model': 1}\n"


def test_refactored_settings_module_is_unchanged(tmp_path) -> None:
    assert fixed(tmp_path, target_source("settings.py")) == target_source("settings.py")


def test_function_without_fallback_is_left_alone(tmp_path) -> None:
    before = dedent("""
        def get_model_config(function_name, account=None):
            return lookup(function_name, account)
    """)
    assert fixed(tmp_path, before).decode() == before


def test_function_without_account_parameter_is_declined_with_a_note(tmp_path) -> None:
    before = dedent("""
        from igny8_core.ai.defaults import MODEL_CONFIG


        def get_model_config(function_name):
            return MODEL_CONFIG[function_name]
    """)
    others = {"igny8_core/ai/defaults.py": "MODEL_CONFIG = {'a': {'model': 'gpt-4.1'}}\n"}
    assert fixed(tmp_path, before, **others).decode() == before
    notes = notes_of(tmp_path)
    assert any("`get_model_config` has no account parameter" in n for n in notes), notes


def test_dict_still_used_elsewhere_in_the_module_is_kept_with_a_note(tmp_path) -> None:
    before = dedent("""
        MODEL_CONFIG = {"a": {"model": "gpt-4.1"}}

        def names():
            return list(MODEL_CONFIG)
    """)
    assert fixed(tmp_path, before, uses=("names",)).decode() == before
    notes = notes_of(tmp_path)
    assert any("IG101 `igny8_core.ai.settings.MODEL_CONFIG` left as it is" in n for n in notes), notes


def test_dict_another_module_imports_is_kept_with_a_note(tmp_path) -> None:
    # new semantics: the reader is found by the project analysis and named in the note
    before = "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"
    report = "from igny8_core.ai.settings import MODEL_CONFIG\n\nNAMES = sorted(MODEL_CONFIG)\n"
    assert fixed(tmp_path, before, uses=(), **{"igny8_core/ai/report.py": report}).decode() == before
    assert (tmp_path / "igny8_core/ai/report.py").read_text() == report
    notes = notes_of(tmp_path)
    assert any(n.endswith("`MODEL_CONFIG` is still used by `igny8_core.ai.report`") for n in notes), notes


def test_dict_outside_the_plans_settings_is_left_with_a_note(tmp_path) -> None:
    # new semantics: the plan's rewrites touch only the AI package's five files
    before = "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"
    assert fix_project(tmp_path, {"igny8_core/ai/config.py": before}, "igny8_core/ai/config.py") == before.encode()
    notes = notes_of(tmp_path)
    assert any("outside the plan's `igny8_core.ai.settings`" in n for n in notes), notes


# -- rewrites ------------------------------------------------------------------------------
def test_plain_dict_and_its_comment_are_removed(tmp_path) -> None:
    before = dedent('''
        """Settings."""

        # Per-function defaults
        MODEL_CONFIG = {
            "auto_cluster": {"model": "gpt-4o-mini", "max_tokens": 4000},
        }
        OTHER = 1
    ''')
    after = dedent('''
        """Settings."""
        OTHER = 1
    ''')
    assert fixed(tmp_path, before, uses=()).decode() == after


def test_annotated_single_quoted_dict_with_comments_inside_is_removed(tmp_path) -> None:
    before = dedent("""
        from typing import Any

        MODEL_CONFIG: dict[str, dict[str, Any]] = {
            # clustering
            'auto_cluster': {'model': 'gpt-4o-mini',  # cheap
                             'temperature': 0.7,},
        }
        KEEP = True
    """)
    # `typing.Any` fed only the annotation: it goes with the dict
    assert fixed(tmp_path, before, uses=()).decode() == "KEEP = True\n"


def test_deleted_dict_leaves_the_modules_own_all(tmp_path) -> None:
    before = dedent("""
        __all__ = [
            'MODEL_CONFIG',  # defaults
            'OTHER',
        ]
        MODEL_CONFIG = {}
        OTHER = 1
    """)
    after = dedent("""
        __all__ = [
            'OTHER',
        ]
        OTHER = 1
    """)
    assert fixed(tmp_path, before, uses=("OTHER",)).decode() == after


def test_configured_dict_name_is_removed(tmp_path) -> None:
    before = "AI_DEFAULTS = {'x': {'model': 'gpt-4.1'}}\nMODEL_CONFIG = 1\n"
    assert fixed(tmp_path, before, Config(config_names=("AI_DEFAULTS",)), uses=()) == b"MODEL_CONFIG = 1\n"


@pytest.mark.parametrize("comment", ["", "  # noqa: C901"], ids=["plain", "comment-on-the-def-line"])
def test_function_body_becomes_the_seed_logic_and_the_local_import_stays_inside(tmp_path, comment) -> None:
    # changed: the old command added a module-level import; the import is now the checkout's own,
    # so the function-local one moves into the new body (SPEC section 6: inside stays inside).
    # Only the body is replaced: a comment after the `def` line's colon (a noqa comment) stays.
    def_line = "account=None):\n"
    before = dedent('''
        """Settings."""

        FUNCTION_ALIASES = {"auto_generate_ideas": "generate_ideas"}

        MODEL_CONFIG = {"auto_cluster": {"model": "gpt-4o-mini"}}


    ''') + OLD_FUNCTION.replace(def_line, f"account=None):{comment}\n", 1)
    after = dedent('''
        """Settings."""

        FUNCTION_ALIASES = {"auto_generate_ideas": "generate_ideas"}


    ''') + NEW_FUNCTION.replace(def_line, f"account=None):{comment}\n", 1)
    assert fixed(tmp_path, before).decode() == after


def test_own_alias_dict_and_parameter_names_are_kept(tmp_path) -> None:
    # changed: the module imports IntegrationSettings itself (module level), so it is used as it is;
    # `settings` is Django's through its import (dropped with the old body)
    before = (
        "from django.conf import settings\n"
        + IMPORT
        + "\n"
        + dedent("""
        ALIASES = {}


        def get_model_config(name, acct=None):
            real = ALIASES.get(name, name)
            return {"model": getattr(settings, "DEFAULT_AI_MODEL", "gpt-4.1"), "for": real}
    """)
    )
    local = "    from igny8_core.modules.system.models import IntegrationSettings\n\n"
    after = (
        IMPORT
        + "\n"
        + dedent("""
        ALIASES = {}


    """)
        + new_function(
            **{
                local: "",
                "(function_name, account=None)": "(name, acct=None)",
                "if not account:": "if not acct:",
                "account=account,": "account=acct,",
                "{account.id}": "{acct.id}",
                "FUNCTION_ALIASES.get(function_name, function_name)": "ALIASES.get(name, name)",
            }
        )
    )
    assert fixed(tmp_path, before).decode() == after


def test_integration_settings_imported_nowhere_is_found_in_the_project(tmp_path) -> None:
    # SPEC section 6: "if it imports it nowhere, the model class is found in the project and
    # imported inside the function". The old command added the (known) import; keep the contract.
    before = "from django.conf import settings\n\n" + dedent("""
        FUNCTION_ALIASES = {}


        def get_model_config(function_name, account=None):
            actual_name = FUNCTION_ALIASES.get(function_name, function_name)
            return {"model": getattr(settings, "DEFAULT_AI_MODEL", "gpt-4.1")}
    """)
    after = (
        dedent("""
        FUNCTION_ALIASES = {}


    """)
        + NEW_FUNCTION
    )
    assert fixed(tmp_path, before).decode() == after


def test_without_alias_resolution_the_alias_step_is_left_out(tmp_path) -> None:
    # changed: a returned `{"model": "gpt-4.1"}` alone is a reply shape, not a finding
    # (model-literal-default VALID), and only a finding's edit is applied; the body reads
    # Django's setting instead, which settings-fallback reports with the rewrite
    before = (
        "from django.conf import settings\n"
        + IMPORT
        + "\n\n"
        + dedent("""
        def get_model_config(function_name, account=None):
            return {"model": settings.DEFAULT_AI_MODEL}
    """)
    )
    code = fixed(tmp_path, before).decode()
    assert "FUNCTION_ALIASES" not in code and "actual_name" not in code
    assert "IntegrationSettings.objects.get(" in code
    assert code.startswith(IMPORT)


def test_existing_integration_settings_import_is_not_duplicated(tmp_path) -> None:
    # changed: `settings` must be Django's (resolved through its import) to be a finding at all
    before = dedent("""
        from django.conf import settings
        from igny8_core.modules.system.models import IntegrationSettings


        def get_model_config(function_name, account=None):
            return {"model": settings.DEFAULT_AI_MODEL}
    """)
    code = fixed(tmp_path, before).decode()
    assert code.count("import IntegrationSettings") == 1
    assert code.startswith(IMPORT)
    assert "IntegrationSettings.objects.get(" in code


def test_settings_import_used_only_by_the_old_body_is_dropped(tmp_path) -> None:
    before = dedent("""
        from django.conf import settings as dj
        from igny8_core.modules.system.models import IntegrationSettings


        def get_model_config(function_name, account=None):
            return {"model": dj.DEFAULT_AI_MODEL}
    """)
    code = fixed(tmp_path, before).decode()
    assert "django.conf" not in code
    assert code.startswith(IMPORT)


def test_settings_import_still_used_elsewhere_stays(tmp_path) -> None:
    before = dedent("""
        from django.conf import settings
        from igny8_core.modules.system.models import IntegrationSettings


        def get_model_config(function_name, account=None):
            return {"model": settings.DEFAULT_AI_MODEL}


        def timeout():
            return settings.OPENAI_TIMEOUT
    """)
    code = fixed(tmp_path, before, uses=("get_model_config", "timeout")).decode()
    assert code.startswith("from django.conf import settings\n" + IMPORT)
    assert "IntegrationSettings.objects.get(" in code


def test_legacy_settings_module_becomes_the_target_byte_for_byte(tmp_path) -> None:
    # changed: the whole pipeline runs, so the dead helpers (unused in this tiny project) go too
    # and the result is the contract's settings.py itself, not only its prefix
    assert fixed(tmp_path, legacy_source("settings.py")) == target_source("settings.py")


@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_newlines_and_tabs_are_kept(tmp_path, newline: str) -> None:
    source = (
        IMPORT + "MODEL_CONFIG = {\n\t'a': 1,\n}\n\n\n"
        "def get_model_config(function_name, account=None):\n\treturn MODEL_CONFIG.get(function_name)\n"
    )
    text = fixed(tmp_path, source.replace("\n", newline).encode()).decode()
    assert "\tif not account:" in text and "    if not account" not in text
    assert "MODEL_CONFIG" not in text
    assert text.count(newline) == text.count("\n")


def test_dict_the_unrewritable_body_still_reads_is_kept(tmp_path) -> None:
    # IntegrationSettings is defined nowhere, so the body is not rewritten: it still reads the dict
    before = dedent("""
        from django.conf import settings
        MODEL_CONFIG = {"a": {"model": "gpt-4.1"}}

        def get_model_config(function_name, account=None):
            return MODEL_CONFIG.get(function_name, {"model": settings.DEFAULT_AI_MODEL})
    """)
    assert fix_project(tmp_path, {**user("get_model_config"), SETTINGS: before}, SETTINGS) == before.encode()
    notes = notes_of(tmp_path)
    assert any(
        n.startswith(f"{SETTINGS}:2:1: note: IG101") and n.endswith(f"`MODEL_CONFIG` is still used at {SETTINGS}:5")
        for n in notes
    ), notes
    assert any(
        n.endswith(
            "`IntegrationSettings` is imported nowhere here and defined in no project module: "
            "import it inside the function and run the fix again"
        )
        for n in notes
    ), notes


def test_integration_settings_defined_twice_is_not_guessed(tmp_path) -> None:
    before = "from django.conf import settings\n\n\ndef get_model_config(function_name, account=None):\n    return {'model': settings.DEFAULT_AI_MODEL}\n"
    twice = {"igny8_core/other.py": "class IntegrationSettings:\n    pass\n"}
    assert fixed(tmp_path, before, **twice).decode() == before
    assert any(
        n.endswith(
            "`IntegrationSettings` is imported nowhere here and defined in 2 project modules "
            "(igny8_core.modules.system.models, igny8_core.other): import it inside the function and run the fix again"
        )
        for n in notes_of(tmp_path)
    ), notes_of(tmp_path)


def test_dict_read_by_several_modules_names_the_first_and_counts_the_others(tmp_path) -> None:
    before = "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"
    readers = {
        "igny8_core/ai/b.py": "from igny8_core.ai import settings\n\nNAMES = list(settings.MODEL_CONFIG)\n",
        "igny8_core/ai/a.py": "from igny8_core.ai.settings import MODEL_CONFIG\n\nNAMES = sorted(MODEL_CONFIG)\n",
    }
    assert fixed(tmp_path, before, uses=(), **readers).decode() == before
    assert (
        f"{SETTINGS}:1:1: note: IG101 `igny8_core.ai.settings.MODEL_CONFIG` left as it is: "
        "`MODEL_CONFIG` is still used by `igny8_core.ai.a` and 1 more" in notes_of(tmp_path)
    )


def test_dict_of_a_module_passed_around_as_an_object_is_kept(tmp_path) -> None:
    before = "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"
    registry = {"igny8_core/ai/registry.py": "from igny8_core.ai import settings\n\nMODULES = [settings]\n"}
    assert fixed(tmp_path, before, uses=(), **registry).decode() == before
    assert (
        f"{SETTINGS}:1:1: note: IG101 `igny8_core.ai.settings.MODEL_CONFIG` left as it is: "
        "`igny8_core.ai.settings` is passed around as an object: `MODEL_CONFIG` may be reached through it"
        in notes_of(tmp_path)
    )


LOCAL_IMPORT = "    " + IMPORT


@pytest.mark.parametrize(
    "signature, account",
    [
        ("(function_name, *, account=None)", "account"),
        ("(function_name, acct=None, /)", "acct"),
        ("(name, /, account=None)", "account"),
        ("(name, acct, *, account=None)", "account"),
    ],
    ids=["keyword-only", "positional-only", "after-a-slash", "account-by-name-wins"],
)
def test_the_account_parameter_however_declared(tmp_path, signature, account) -> None:
    before = f"from django.conf import settings\n\n\ndef get_model_config{signature}:\n    return {{'model': settings.DEFAULT_AI_MODEL}}\n"
    code = fixed(tmp_path, before).decode()
    assert f"def get_model_config{signature}:\n" in code
    assert f"    if not {account}:\n" in code and f"account={account},\n" in code and f"{{{account}.id}}" in code
    assert code.count(LOCAL_IMPORT) == 1 and "DEFAULT_AI_MODEL" not in code


def test_a_class_the_module_defines_itself_is_not_imported(tmp_path) -> None:
    before = dedent("""
        from django.conf import settings


        class IntegrationSettings:
            objects = None


        def get_model_config(function_name, account=None):
            return {"model": settings.DEFAULT_AI_MODEL}
    """)
    code = fixed(tmp_path, before).decode()
    assert "import IntegrationSettings" not in code
    assert "class IntegrationSettings:" in code and "IntegrationSettings.objects.get(" in code


def test_an_import_under_another_name_does_not_bind_the_class(tmp_path) -> None:
    before = dedent("""
        from django.conf import settings
        from igny8_core.modules.system.models import IntegrationSettings as Row


        def get_model_config(function_name, account=None):
            return {"model": settings.DEFAULT_AI_MODEL, "row": Row}
    """)
    code = fixed(tmp_path, before).decode()
    assert code.count(LOCAL_IMPORT) == 1  # `Row` is not the name the seed's body reads


@pytest.mark.parametrize(
    "lookup",
    [
        'TABLE.get(function_name, "default")',
        "conf.TABLE.get(function_name, function_name)",
        "TABLE.setdefault(function_name, function_name)",
    ],
    ids=["another-default", "an-attribute-of-an-object", "not-get"],
)
def test_other_lookups_are_not_the_alias_step(tmp_path, lookup) -> None:
    before = (
        "from django.conf import settings\nTABLE = {}\n\n\nclass conf:\n    TABLE = {}\n\n\n"
        "def get_model_config(function_name, account=None):\n"
        f"    entry = {lookup}\n"
        "    return {'model': settings.DEFAULT_AI_MODEL, 'entry': entry}\n"
    )
    code = fixed(tmp_path, before, uses=("get_model_config", "TABLE")).decode()
    assert "actual_name" not in code and "entry" not in code
    assert code.count(LOCAL_IMPORT) == 1


def test_while_a_file_cannot_be_parsed_the_body_is_rewritten_and_the_dict_kept(tmp_path) -> None:
    # the rewrite is local to the function; deleting the dict needs the whole project's facts
    before = (
        IMPORT
        + "MODEL_CONFIG = {'a': {'model': 'gpt-4.1'}}\n\n\n"
        + dedent("""
        def get_model_config(function_name, account=None):
            return MODEL_CONFIG.get(function_name)
    """)
    )
    write_tree(
        tmp_path,
        {**PACKAGES, **MODELS, **user("get_model_config"), SETTINGS: before, "igny8_core/broken.py": "def (:\n"},
    )
    result = fix_tree(tmp_path)
    assert [f.path for f in result.failed] == ["igny8_core/broken.py"]
    code = (tmp_path / SETTINGS).read_text()
    assert code.startswith(IMPORT + "MODEL_CONFIG = {'a': {'model': 'gpt-4.1'}}\n")
    assert "IntegrationSettings.objects.get(" in code and "MODEL_CONFIG.get" not in code
    assert result.notes == [
        f"{SETTINGS}:2:1: note: IG101 `igny8_core.ai.settings.MODEL_CONFIG` left as it is: "
        "nothing is deleted while 1 path of the project cannot be read or parsed (igny8_core/broken.py)"
    ]


def test_settings_as_a_package_reading_the_dict_relatively_is_rewritten(tmp_path) -> None:
    # `from .defaults import ...` in settings/__init__.py is igny8_core.ai.settings.defaults: the
    # rewrite finds the same findings the audit did only if it knows the file is a package
    before = "from .defaults import MODEL_CONFIG\n\n\n" + OLD_FUNCTION
    defaults = "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"
    files = {
        **MODELS,
        **user("get_model_config"),
        "igny8_core/ai/settings/__init__.py": before,
        "igny8_core/ai/settings/defaults.py": defaults,
    }
    assert fix_project(tmp_path, files, "igny8_core/ai/settings/__init__.py").decode() == NEW_FUNCTION
    assert (tmp_path / "igny8_core/ai/settings/defaults.py").read_text() == defaults
    assert notes_of(tmp_path) == [
        "igny8_core/ai/settings/defaults.py:1:1: note: IG101 `igny8_core.ai.settings.defaults.MODEL_CONFIG` left as "
        "it is: outside the plan's `igny8_core.ai.settings`: remove it by hand"
    ]
