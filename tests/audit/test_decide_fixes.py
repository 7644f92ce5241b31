"""`decide_fixes`: which findings the fix removes, and the fixes it applies.

Each case writes a small project to disk and audits it, then checks every finding's position,
fixable flag and note, and the fixes (the edits per file, the carrier imports dropped, the
classes imported). The last cases call `decide_fixes` directly with findings built by hand on a real
project, for shapes no rule reports today.
"""

from __future__ import annotations

from igny8_refactor.audit.config import Config
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.fixability import Fixes, decide_fixes
from igny8_refactor.audit.records import Edit, Import

PKG = Config(internal=("pkg",))
# as if read from a configuration file: the whole tree is read for references when only some paths are given
PKG_FILE = Config(internal=("pkg",), source="setup.cfg")
SETTINGS = "igny8_core/ai/settings.py"
BASE = {
    "igny8_core/__init__.py": "",
    "igny8_core/ai/__init__.py": "",
    "igny8_core/modules/__init__.py": "",
    "igny8_core/modules/system/__init__.py": "",
    "igny8_core/modules/system/models.py": "class IntegrationSettings:\n    objects = None\n",
    # reads get_model_config, so it is not an unused function
    "igny8_core/ai/functions.py": "from igny8_core.ai.settings import get_model_config\n\nUSED = [get_model_config]\n",
}
DICT = 'MODEL_CONFIG = {"a": {"model": "gpt-4.1"}}\n'
FUNCTION = (
    "def get_model_config(function_name, account=None):\n"
    "    config = MODEL_CONFIG.get(function_name, {}).copy()\n"
    "    if account:\n"
    "        row = IntegrationSettings.objects.filter(account=account).first()\n"
    "        if row:\n"
    "            config.update(row.config)\n"
    "    return config\n"
)
OLD = DICT + "\n" + FUNCTION  # the dict on line 1, its use in the function on line 4, column 14
DICT_MESSAGE = "`MODEL_CONFIG` is a hardcoded per-function model default"
USE_MESSAGE = "`MODEL_CONFIG` (hardcoded model defaults) is used"
CLASS_NOTE = "import it inside the function and run the fix again"


def rows(result, kinds=None):
    """(path, line, column, kind, symbol, fixable, note) of each finding, edit stripped as decide_fixes leaves it."""
    return [
        (f.path, f.line, f.column, f.kind, f.symbol, f.fixable, f.note)
        for f in result.findings
        if kinds is None or f.kind in kinds
    ]


def fixed_by(fixes: Fixes):
    return {path: [(f.line, f.column, f.kind, f.symbol) for f in edits] for path, edits in fixes.edits.items()}


def model_config_rows(result):
    return rows(result, {"hardcoded-model-config", "unused-function"})


# ---- the plan's settings module: the dict goes, the function is rewritten ---------------------------


def test_dict_deleted_and_function_rewritten_with_the_class_module_recorded(audit_tree):
    result = audit_tree({**BASE, SETTINGS: OLD}, config=Config())
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    assert model_config_rows(result) == [
        (SETTINGS, 1, 1, "hardcoded-model-config", symbol, True, ""),
        (SETTINGS, 4, 14, "hardcoded-model-config", symbol, True, ""),
    ]
    assert all(f.edit is not None for f in result.findings if f.fixable)
    assert all(f.edit is None for f in result.findings if not f.fixable)
    assert fixed_by(result.fixes) == {
        SETTINGS: [(1, 1, "hardcoded-model-config", symbol), (4, 14, "hardcoded-model-config", symbol)],
    }
    assert result.fixes.imports == {SETTINGS: {"IntegrationSettings": "igny8_core.modules.system.models"}}
    assert result.fixes.drops == {}
    assert result.fixes.paths() == {SETTINGS}
    assert [f.message for f in result.fixes.edits[SETTINGS]] == [DICT_MESSAGE, USE_MESSAGE]
    assert [f.edit for f in result.fixes.edits[SETTINGS]] == [
        Edit(1, 1, 1, 43, ("MODEL_CONFIG",), ()),
        Edit(4, 5, 9, 18, (), ("IntegrationSettings",)),
    ]


def test_class_defined_in_no_module_declines_the_rewrite_and_keeps_the_dict(audit_tree):
    files = {**BASE, "igny8_core/modules/system/models.py": "", SETTINGS: OLD}
    result = audit_tree(files, config=Config())
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    assert model_config_rows(result) == [
        (SETTINGS, 1, 1, "hardcoded-model-config", symbol, False, f"`MODEL_CONFIG` is still used at {SETTINGS}:4"),
        (
            SETTINGS,
            4,
            14,
            "hardcoded-model-config",
            symbol,
            False,
            f"`IntegrationSettings` is imported nowhere here and defined in no project module: {CLASS_NOTE}",
        ),
    ]
    assert result.fixes.edits == {} and result.fixes.imports == {} and result.fixes.drops == {}


def _class_in(*modules: str) -> dict[str, str]:
    files = {**BASE, "igny8_core/modules/system/models.py": ""}
    for module in modules:
        parts = module.split(".")
        for i in range(1, len(parts)):
            files.setdefault("/".join(parts[:i]) + "/__init__.py", "")
        files["/".join(parts) + ".py"] = "class IntegrationSettings:\n    objects = None\n"
    return files


def test_class_defined_in_two_modules_names_both(audit_tree):
    files = {**_class_in("zoo.models", "apps.models"), SETTINGS: OLD}
    result = audit_tree(files, config=Config())
    notes = [f.note for f in result.findings if f.line == 4 and f.path == SETTINGS]
    assert notes == [
        f"`IntegrationSettings` is imported nowhere here and defined in 2 project modules (apps.models, zoo.models): {CLASS_NOTE}"
    ]
    assert result.fixes.edits == {} and result.fixes.imports == {}


def test_class_defined_in_four_modules_names_the_first_three(audit_tree):
    files = {**_class_in("d.models", "b.models", "c.models", "a.models"), SETTINGS: OLD}
    result = audit_tree(files, config=Config())
    notes = [f.note for f in result.findings if f.line == 4 and f.path == SETTINGS]
    assert notes == [
        "`IntegrationSettings` is imported nowhere here and defined in 4 project modules "
        f"(a.models, b.models, c.models): {CLASS_NOTE}"
    ]


def test_dict_read_by_another_module_is_kept_with_the_reader_named(audit_tree):
    files = {
        **BASE,
        SETTINGS: OLD,
        "igny8_core/ai/report.py": "from igny8_core.ai.settings import MODEL_CONFIG\n\nN = len(MODEL_CONFIG)\n",
    }
    result = audit_tree(files, config=Config())
    dict_row = [r for r in rows(result) if r[:3] == (SETTINGS, 1, 1)]
    assert dict_row == [
        (
            SETTINGS,
            1,
            1,
            "hardcoded-model-config",
            "igny8_core.ai.settings.MODEL_CONFIG",
            False,
            "`MODEL_CONFIG` is still used by `igny8_core.ai.report`",
        )
    ]
    # the rewrite of the function itself needs no deletion: it still applies
    assert fixed_by(result.fixes) == {
        SETTINGS: [(4, 14, "hardcoded-model-config", "igny8_core.ai.settings.MODEL_CONFIG")]
    }


def test_dict_read_by_three_modules_names_the_first_and_counts_the_others(audit_tree):
    reader = "from igny8_core.ai.settings import MODEL_CONFIG\n\nN = len(MODEL_CONFIG)\n"
    files = {
        **BASE,
        SETTINGS: OLD,
        "igny8_core/ai/zeta.py": reader,
        "igny8_core/ai/beta.py": reader,
        "igny8_core/ai/mu.py": reader,
    }
    result = audit_tree(files, config=Config())
    notes = [f.note for f in result.findings if (f.path, f.line) == (SETTINGS, 1)]
    assert notes == ["`MODEL_CONFIG` is still used by `igny8_core.ai.beta` and 2 more"]


def test_dict_of_a_module_passed_around_as_an_object_is_kept(audit_tree):
    files = {**BASE, SETTINGS: OLD, "igny8_core/ai/registry.py": "import igny8_core.ai.settings as s\n\nprint(s)\n"}
    result = audit_tree(files, config=Config())
    notes = [f.note for f in result.findings if (f.path, f.line) == (SETTINGS, 1)]
    assert notes == ["`igny8_core.ai.settings` is passed around as an object: `MODEL_CONFIG` may be reached through it"]
    assert fixed_by(result.fixes) == {
        SETTINGS: [(4, 14, "hardcoded-model-config", "igny8_core.ai.settings.MODEL_CONFIG")]
    }


def test_dict_used_elsewhere_in_its_module_is_kept_with_the_line_of_the_use(audit_tree):
    source = OLD + "\n\ndef names():\n    return list(MODEL_CONFIG)\n"
    files = {
        **BASE,
        SETTINGS: source,
        "igny8_core/ai/functions.py": "from igny8_core.ai.settings import get_model_config, names\n\nUSED = [get_model_config, names]\n",
    }
    result = audit_tree(files, config=Config())
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    assert model_config_rows(result) == [
        (SETTINGS, 1, 1, "hardcoded-model-config", symbol, False, f"`MODEL_CONFIG` is still used at {SETTINGS}:13"),
        (SETTINGS, 4, 14, "hardcoded-model-config", symbol, True, ""),
        (
            SETTINGS,
            13,
            17,
            "hardcoded-model-config",
            symbol,
            False,
            "a use the plan does not rewrite: read the model from IntegrationSettings",
        ),
    ]


def test_a_use_inside_a_deleted_function_is_fixed_with_it_and_lets_the_dict_go(audit_tree):
    source = OLD + "\n\ndef names():\n    return list(MODEL_CONFIG)\n"
    result = audit_tree({**BASE, SETTINGS: source}, config=Config())
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    assert model_config_rows(result) == [
        (SETTINGS, 1, 1, "hardcoded-model-config", symbol, True, ""),
        (SETTINGS, 4, 14, "hardcoded-model-config", symbol, True, ""),
        (SETTINGS, 12, 1, "unused-function", "igny8_core.ai.settings.names", True, ""),
        (SETTINGS, 13, 17, "hardcoded-model-config", symbol, True, ""),  # inside `names`, deleted with it
    ]
    covered = [f for f in result.findings if (f.line, f.column) == (13, 17)]
    assert covered[0].edit is None
    assert fixed_by(result.fixes) == {
        SETTINGS: [
            (1, 1, "hardcoded-model-config", symbol),
            (4, 14, "hardcoded-model-config", symbol),
            (12, 1, "unused-function", "igny8_core.ai.settings.names"),
        ]
    }


def test_a_use_inside_a_function_whose_deletion_is_not_selected_keeps_the_dict(audit_tree):
    source = OLD + "\n\ndef names():\n    return list(MODEL_CONFIG)\n"
    result = audit_tree({**BASE, SETTINGS: source}, config=Config(), kinds={"hardcoded-model-config"})
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    assert model_config_rows(result) == [
        (SETTINGS, 1, 1, "hardcoded-model-config", symbol, False, f"`MODEL_CONFIG` is still used at {SETTINGS}:13"),
        (SETTINGS, 4, 14, "hardcoded-model-config", symbol, True, ""),
        (
            SETTINGS,
            12,
            1,
            "unused-function",
            "igny8_core.ai.settings.names",
            False,
            "its codemod is not selected (--only)",
        ),
        (
            SETTINGS,
            13,
            17,
            "hardcoded-model-config",
            symbol,
            False,
            "a use the plan does not rewrite: read the model from IntegrationSettings",
        ),
    ]
    assert fixed_by(result.fixes) == {SETTINGS: [(4, 14, "hardcoded-model-config", symbol)]}


def test_a_use_inside_a_function_that_is_not_removable_keeps_the_dict(audit_tree):
    source = OLD + "\n\ndef names():\n    return list(MODEL_CONFIG)\n"
    result = audit_tree({**BASE, SETTINGS: source}, config=Config(internal=()))
    notes = {(f.line, f.kind): (f.fixable, f.note) for f in result.findings if f.path == SETTINGS}
    assert notes[(1, "hardcoded-model-config")] == (False, f"`MODEL_CONFIG` is still used at {SETTINGS}:13")
    assert notes[(13, "hardcoded-model-config")] == (
        False,
        "a use the plan does not rewrite: read the model from IntegrationSettings",
    )
    assert notes[(12, "unused-function")][0] is False


# ---- files that cannot be parsed ----------------------------------------------------------------------


BAD = "def broken(:\n"


def test_nothing_is_deleted_while_a_file_cannot_be_parsed_but_local_rewrites_apply(audit_tree):
    result = audit_tree({**BASE, SETTINGS: OLD, "igny8_core/ai/bad.py": BAD}, config=Config())
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    assert model_config_rows(result) == [
        (
            SETTINGS,
            1,
            1,
            "hardcoded-model-config",
            symbol,
            False,
            "nothing is deleted while 1 path of the project cannot be read or parsed (igny8_core/ai/bad.py)",
        ),
        (SETTINGS, 4, 14, "hardcoded-model-config", symbol, True, ""),
    ]
    assert fixed_by(result.fixes) == {SETTINGS: [(4, 14, "hardcoded-model-config", symbol)]}
    assert result.fixes.imports == {SETTINGS: {"IntegrationSettings": "igny8_core.modules.system.models"}}


EXPORTED = {
    "pkg/__init__.py": "from pkg.core import helper\n\n__all__ = ['helper']\n",
    "pkg/core.py": "def helper():\n    pass\n\n\ndef dead():\n    pass\n",
}


def test_project_rules_edits_wait_while_files_cannot_be_parsed(audit_tree):
    files = {**EXPORTED, "pkg/bad3.py": BAD, "pkg/bad1.py": BAD, "pkg/bad2.py": BAD}
    result = audit_tree(files, config=PKG)
    note = "nothing is deleted while 3 paths of the project cannot be read or parsed (pkg/bad1.py, pkg/bad2.py, pkg/bad3.py)"
    assert rows(result) == [
        ("pkg/__init__.py", 3, 12, "orphan-export", "pkg.helper", False, note),
        ("pkg/core.py", 1, 1, "unused-function", "pkg.core.helper", False, note),
        ("pkg/core.py", 5, 1, "unused-function", "pkg.core.dead", False, note),
    ]
    assert result.fixes.edits == {} and result.fixes.drops == {}


def test_more_than_three_unparsed_files_are_counted_and_the_first_three_named(audit_tree):
    files = {**EXPORTED, **{f"pkg/bad{i}.py": BAD for i in (4, 2, 1, 3)}}
    result = audit_tree(files, config=PKG)
    notes = {f.note for f in result.findings}
    assert notes == {
        "nothing is deleted while 4 paths of the project cannot be read or parsed (pkg/bad1.py, pkg/bad2.py, pkg/bad3.py, ...)"
    }


def test_a_codemod_left_out_by_only_keeps_its_own_note_beside_unparsed_files(audit_tree):
    files = {**EXPORTED, "pkg/bad.py": BAD}
    result = audit_tree(files, config=PKG, kinds={"unused-function"})
    note = "nothing is deleted while 1 path of the project cannot be read or parsed (pkg/bad.py)"
    assert rows(result) == [
        ("pkg/__init__.py", 3, 12, "orphan-export", "pkg.helper", False, "its codemod is not selected (--only)"),
        ("pkg/core.py", 1, 1, "unused-function", "pkg.core.helper", False, note),
        ("pkg/core.py", 5, 1, "unused-function", "pkg.core.dead", False, note),
    ]


# ---- exports, carrier imports and the files being fixed ------------------------------------------------


def _helper_import(line=1, column=22):
    return Import(
        kind="from",
        target="pkg.core",
        name="helper",
        asname=None,
        line=line,
        column=column,
        conditional=False,
        toplevel=True,
    )


def test_an_orphan_export_and_its_function_go_together_with_the_carrier_import(audit_tree):
    result = audit_tree(EXPORTED, config=PKG)
    assert rows(result) == [
        ("pkg/__init__.py", 3, 12, "orphan-export", "pkg.helper", True, ""),
        ("pkg/core.py", 1, 1, "unused-function", "pkg.core.helper", True, ""),
        ("pkg/core.py", 5, 1, "unused-function", "pkg.core.dead", True, ""),
    ]
    assert fixed_by(result.fixes) == {
        "pkg/__init__.py": [(3, 12, "orphan-export", "pkg.helper")],
        "pkg/core.py": [(1, 1, "unused-function", "pkg.core.helper"), (5, 1, "unused-function", "pkg.core.dead")],
    }
    assert result.fixes.drops == {"pkg/__init__.py": [_helper_import()]}
    assert result.fixes.imports == {}
    assert result.fixes.paths() == {"pkg/__init__.py", "pkg/core.py"}


def test_a_function_still_exported_is_kept_when_the_export_is_not_pruned(audit_tree):
    result = audit_tree(EXPORTED, config=PKG, kinds={"unused-function"})
    assert rows(result) == [
        ("pkg/__init__.py", 3, 12, "orphan-export", "pkg.helper", False, "its codemod is not selected (--only)"),
        ("pkg/core.py", 1, 1, "unused-function", "pkg.core.helper", False, "`helper` is still exported by `pkg`"),
        ("pkg/core.py", 5, 1, "unused-function", "pkg.core.dead", True, ""),
    ]
    assert fixed_by(result.fixes) == {"pkg/core.py": [(5, 1, "unused-function", "pkg.core.dead")]}
    assert result.fixes.drops == {}


def test_only_the_selected_codemod_applies(audit_tree):
    result = audit_tree(EXPORTED, config=PKG, kinds={"orphan-export"})
    assert rows(result) == [
        ("pkg/__init__.py", 3, 12, "orphan-export", "pkg.helper", True, ""),
        ("pkg/core.py", 1, 1, "unused-function", "pkg.core.helper", False, "its codemod is not selected (--only)"),
        ("pkg/core.py", 5, 1, "unused-function", "pkg.core.dead", False, "its codemod is not selected (--only)"),
    ]
    assert fixed_by(result.fixes) == {"pkg/__init__.py": [(3, 12, "orphan-export", "pkg.helper")]}
    assert result.fixes.drops == {}


CARRIED = {
    "pkg/__init__.py": "",
    "pkg/core.py": "def helper():\n    pass\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/app.py": "import os\nfrom pkg.core import helper\n\nprint(os.sep)\n",
}


def test_an_import_that_only_carries_a_deleted_function_is_dropped(audit_tree):
    result = audit_tree(CARRIED, config=PKG)
    assert rows(result) == [("pkg/core.py", 1, 1, "unused-function", "pkg.core.helper", True, "")]
    assert result.fixes.drops == {"pkg/sub/app.py": [_helper_import(2, 22)]}
    assert result.fixes.paths() == {"pkg/core.py", "pkg/sub/app.py"}


def test_a_function_imported_by_a_file_not_being_fixed_is_kept(audit_tree):
    result = audit_tree(CARRIED, "pkg/core.py", config=PKG_FILE)
    assert rows(result) == [
        (
            "pkg/core.py",
            1,
            1,
            "unused-function",
            "pkg.core.helper",
            False,
            "`helper` is imported by `pkg.sub.app`, which is not among the files being fixed",
        ),
    ]
    assert result.fixes.edits == {} and result.fixes.drops == {}


def test_only_the_files_being_fixed_are_edited(audit_tree):
    files = {"pkg/__init__.py": "", "pkg/a.py": "def dead_a():\n    pass\n", "pkg/b.py": "def dead_b():\n    pass\n"}
    result = audit_tree(files, "pkg/a.py", config=PKG_FILE)
    assert rows(result) == [("pkg/a.py", 1, 1, "unused-function", "pkg.a.dead_a", True, "")]
    assert fixed_by(result.fixes) == {"pkg/a.py": [(1, 1, "unused-function", "pkg.a.dead_a")]}


# ---- decide_fixes called directly: shapes no rule reports today ---------------------------------------------


def _project(audit_tree):
    files = {"pkg/__init__.py": "", "pkg/core.py": "def dead():\n    pass\n\n\ndef other():\n    pass\n"}
    result = audit_tree(files, config=PKG)
    return result.project, result.modules


def _finding(line, column, *, kind="unused-function", symbol="pkg.core.dead", edit=None, note="", path="pkg/core.py"):
    return Finding(path, line, column, "IG002", kind, symbol, "message", edit is not None, edit=edit, note=note)


DELETE_DEAD = Edit(1, 1, 2, 10**6, ("dead",))


def _decide(audit_tree, findings, **options):
    project, modules = _project(audit_tree)
    return decide_fixes(findings, project, modules, {"unused-function"}, **options)


def _view(out):
    return [(f.line, f.column, f.kind, f.fixable, f.note, f.edit) for f in out]


def test_a_finding_without_an_edit_or_a_note_gets_the_default_note(audit_tree):
    out, fixes = _decide(audit_tree, [_finding(9, 1), _finding(10, 1, note="its own note")])
    assert _view(out) == [
        (9, 1, "unused-function", False, "no automatic fix", None),
        (10, 1, "unused-function", False, "its own note", None),
    ]
    assert fixes.edits == {} and fixes.drops == {} and fixes.imports == {}


def test_a_finding_in_a_file_not_being_fixed_is_not_fixable(audit_tree):
    findings = [_finding(1, 1, edit=DELETE_DEAD)]
    out, fixes = _decide(audit_tree, findings, writable=lambda path: path != "pkg/core.py")
    assert _view(out) == [(1, 1, "unused-function", False, "no automatic fix", None)]
    assert fixes.edits == {}
    out, fixes = _decide(audit_tree, findings, writable=lambda path: path == "pkg/core.py")
    assert _view(out) == [(1, 1, "unused-function", True, "", DELETE_DEAD)]
    assert fixes.edits == {"pkg/core.py": findings}


def test_a_use_of_the_same_symbol_and_kind_left_in_place_vetoes_the_deletion(audit_tree):
    out, fixes = _decide(audit_tree, [_finding(1, 1, edit=DELETE_DEAD), _finding(7, 3)])
    assert _view(out) == [
        (1, 1, "unused-function", False, "`dead` is still used at pkg/core.py:7", None),
        (7, 3, "unused-function", False, "no automatic fix", None),
    ]
    assert fixes.edits == {}


def test_findings_of_another_symbol_or_kind_or_at_the_same_place_do_not_veto(audit_tree):
    findings = [
        _finding(1, 1, edit=DELETE_DEAD),
        _finding(7, 3, symbol="pkg.core.other"),
        _finding(8, 3, kind="orphan-export"),
    ]
    out, fixes = _decide(audit_tree, findings)
    assert [(f.line, f.fixable, f.note) for f in out] == [
        (1, True, ""),
        (7, False, "no automatic fix"),
        (8, False, "no automatic fix"),
    ]
    assert fixes.edits == {"pkg/core.py": [findings[0]]}


def test_a_use_inside_another_finding_s_edit_is_skipped_and_the_next_use_still_vetoes(audit_tree):
    wide = Edit(1, 1, 20, 10**6, ())  # a finding of the same symbol whose (vetoed) edit spans the definition
    findings = [
        _finding(1, 1, edit=DELETE_DEAD),
        _finding(5, 1, edit=wide),
        _finding(30, 3),
    ]
    out, fixes = _decide(audit_tree, findings, writable=lambda path: True, kinds={"unused-function"})
    # the deletion is vetoed by the use at line 30; the definition is then fixed by the wide edit
    assert _view(out) == [
        (1, 1, "unused-function", True, "", None),
        (5, 1, "unused-function", True, "", wide),
        (30, 3, "unused-function", False, "no automatic fix", None),
    ]
    assert fixes.edits == {"pkg/core.py": [findings[1]]}


def test_a_second_finding_at_the_definition_itself_does_not_veto(audit_tree):
    below = Edit(2, 1, 2, 10**6, ("dead",))  # an edit that does not span its own finding's position
    findings = [_finding(1, 1, edit=below), _finding(1, 1, note="the same place")]
    out, fixes = _decide(audit_tree, findings)
    assert _view(out) == [
        (1, 1, "unused-function", True, "", below),
        (1, 1, "unused-function", False, "the same place", None),
    ]
    assert fixes.edits == {"pkg/core.py": [findings[0]]}


def test_a_use_on_the_definition_line_in_another_column_still_vetoes(audit_tree):
    below = Edit(2, 1, 2, 10**6, ("dead",))
    out, fixes = _decide(audit_tree, [_finding(1, 1, edit=below), _finding(1, 5)])
    assert _view(out) == [
        (1, 1, "unused-function", False, "`dead` is still used at pkg/core.py:1", None),
        (1, 5, "unused-function", False, "no automatic fix", None),
    ]
    assert fixes.edits == {}


def test_a_finding_at_the_definition_is_skipped_and_a_later_use_still_vetoes(audit_tree):
    below = Edit(2, 1, 2, 10**6, ("dead",))
    out, fixes = _decide(audit_tree, [_finding(1, 1, edit=below), _finding(1, 1, note="here"), _finding(30, 3)])
    assert [(f.line, f.fixable, f.note) for f in out] == [
        (1, False, "`dead` is still used at pkg/core.py:30"),
        (1, False, "here"),
        (30, False, "no automatic fix"),
    ]
    assert fixes.edits == {}


def test_a_finding_in_a_file_that_is_no_module_keeps_its_definition(audit_tree):
    project, _ = _project(audit_tree)
    out, fixes = decide_fixes([_finding(1, 1, edit=DELETE_DEAD)], project, {}, {"unused-function"})
    assert _view(out) == [(1, 1, "unused-function", False, "the file is not a module of the project", None)]
    assert fixes.edits == {} and fixes.drops == {}


def test_an_applied_edit_makes_its_finding_fixable_and_clears_its_note(audit_tree):
    stale = Finding(
        "pkg/core.py",
        1,
        1,
        "IG002",
        "unused-function",
        "pkg.core.dead",
        "message",
        False,
        edit=DELETE_DEAD,
        note="a note from the rule",
    )
    out, fixes = _decide(audit_tree, [stale])
    assert _view(out) == [(1, 1, "unused-function", True, "", DELETE_DEAD)]
    assert fixes.edits == {"pkg/core.py": [stale]}


def test_dict_read_by_two_modules_names_the_first_and_one_more(audit_tree):
    reader = "from igny8_core.ai.settings import MODEL_CONFIG\n\nN = len(MODEL_CONFIG)\n"
    files = {**BASE, SETTINGS: OLD, "igny8_core/ai/zeta.py": reader, "igny8_core/ai/beta.py": reader}
    result = audit_tree(files, config=Config())
    notes = [f.note for f in result.findings if (f.path, f.line) == (SETTINGS, 1)]
    assert notes == ["`MODEL_CONFIG` is still used by `igny8_core.ai.beta` and 1 more"]


def test_an_orphan_export_of_a_subpackage_lets_its_function_go(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from pkg.sub.core import helper\n\n__all__ = ['helper']\n",
        "pkg/sub/core.py": "def helper():\n    pass\n",
    }
    result = audit_tree(files, config=PKG)
    assert rows(result) == [
        ("pkg/sub/__init__.py", 3, 12, "orphan-export", "pkg.sub.helper", True, ""),
        ("pkg/sub/core.py", 1, 1, "unused-function", "pkg.sub.core.helper", True, ""),
    ]
    assert result.fixes.drops == {
        "pkg/sub/__init__.py": [
            Import(
                kind="from",
                target="pkg.sub.core",
                name="helper",
                asname=None,
                line=1,
                column=26,
                conditional=False,
                toplevel=True,
            ),
        ]
    }
