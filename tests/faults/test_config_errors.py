"""A configuration that cannot be read or is wrong: one line `path: problem`, exit 2, nothing touched,
the same for `audit` and `fix`."""

from __future__ import annotations

from pathlib import Path

import pytest
from faults_helpers import CACHE, invoke, snapshot

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
# a file `fix` would rewrite if it ever ran on defaults
LEGACY_LIKE = "class AICore:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'\n\n    def run(self, model=None):\n        return model or self._default_model\n"

CASES = {
    "malformed-ini": (
        {"setup.cfg": b"[igny8_refactor\npaths = pkg\n"},
        "setup.cfg",
        "setup.cfg: malformed configuration: line 1: a key before any [section] header",
    ),
    "ini-garbage-line": (
        {"setup.cfg": b"[igny8_refactor]\npaths = pkg\n= nothing\n"},
        "setup.cfg",
        "setup.cfg: malformed configuration: line 3: cannot parse '= nothing'",
    ),
    "duplicate-key": (
        {"setup.cfg": b"[igny8_refactor]\npaths = pkg\nexclude = x\npaths = other\n"},
        "setup.cfg",
        "setup.cfg: malformed configuration: line 4: duplicate key 'paths' in [igny8_refactor]",
    ),
    "duplicate-spelling": (
        {"setup.cfg": b"[igny8_refactor]\nconfig-names = A\nconfig_names = B\n"},
        "setup.cfg",
        "setup.cfg: duplicate key 'config_names' in [igny8_refactor]",
    ),
    "duplicate-section": (
        {"setup.cfg": b"[igny8_refactor]\npaths = pkg\n[igny8_refactor]\nexclude = x\n"},
        "setup.cfg",
        "setup.cfg: malformed configuration: line 3: duplicate section [igny8_refactor]",
    ),
    "duplicate-in-other-section": (
        {"setup.cfg": b"[flake8]\nmax = 1\nmax = 2\n[igny8_refactor]\npaths = pkg\n"},
        "setup.cfg",
        "setup.cfg: malformed configuration: line 3: duplicate key 'max' in [flake8]",
    ),
    "bad-toml": (
        {"pyproject.toml": b"[tool.igny8_refactor]\npaths = [pkg\n"},
        "pyproject.toml",
        "pyproject.toml: invalid TOML: ",
    ),
    "toml-duplicate": (
        {"pyproject.toml": b"[tool.igny8_refactor]\npaths = ['pkg']\npaths = ['x']\n"},
        "pyproject.toml",
        "pyproject.toml: invalid TOML: ",
    ),
    "not-utf8-ini": (
        {"setup.cfg": b"[igny8_refactor]\n# caf\xe9\npaths = pkg\n"},
        "setup.cfg",
        "setup.cfg: cannot read configuration: not UTF-8 (byte 22)",
    ),
    "not-utf8-toml": (
        {"pyproject.toml": b"[tool.igny8_refactor]\n# caf\xe9\n"},
        "pyproject.toml",
        "pyproject.toml: cannot read configuration: not UTF-8 (byte 27)",
    ),
    "wrong-type": (
        {"pyproject.toml": b"[tool.igny8_refactor]\npaths = 3\n"},
        "pyproject.toml",
        "pyproject.toml: key 'paths' must be a string or a list of strings, not int",
    ),
    "wrong-item-type": (
        {"pyproject.toml": b"[tool.igny8_refactor]\nexclude = ['a', 1, true]\n"},
        "pyproject.toml",
        "pyproject.toml: key 'exclude' must be a string or a list of strings, not a list holding bool, int",
    ),
    "table-not-table": (
        {"pyproject.toml": b"[tool]\nigny8_refactor = 3\n"},
        "pyproject.toml",
        "pyproject.toml: [tool.igny8_refactor] must be a table",
    ),
    "tool-not-table": ({"pyproject.toml": b"tool = 3\n"}, "pyproject.toml", "pyproject.toml: 'tool' must be a table"),
    "bad-regex": (
        {"setup.cfg": b"[igny8_refactor]\nmodel_patterns =\n    ^gpt-[0-9]+$\n    ^claude-(\n"},
        "setup.cfg",
        "setup.cfg: invalid regex '^claude-(' in 'model_patterns': missing ), unterminated subpattern at position 8",
    ),
    "regexes-that-do-not-combine": (
        {"pyproject.toml": b"[tool.igny8_refactor]\nmodel_patterns = ['(?P<m>gpt)', '(?P<m>o1)']\n"},
        "pyproject.toml",
        "pyproject.toml: the regexes in 'model_patterns' cannot be combined: redefinition of group name 'm'",
    ),
    "unknown-key": (
        {"setup.cfg": b"[igny8_refactor]\npath = pkg\n"},
        "setup.cfg",
        "setup.cfg: unknown key 'path' in [igny8_refactor]",
    ),
    "unknown-check": (
        {"setup.cfg": b"[igny8_refactor]\nselect = IG999\n"},
        "setup.cfg",
        "setup.cfg: unknown check 'IG999' in select/ignore",
    ),
}


def project(root: Path, files: dict[str, bytes]) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "core.py").write_text(LEGACY_LIKE)
    (root / "pkg" / "a.py").write_text(FALLBACK)
    for name, data in files.items():
        (root / name).write_bytes(data)


@pytest.mark.parametrize("command", ["audit", "fix"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_configuration_is_one_line_exit_2_nothing_touched(
    tmp_path: Path, monkeypatch, command: str, case: str
) -> None:
    files, name, message = CASES[case]
    project(tmp_path, files)
    before = snapshot(tmp_path)
    done = invoke(tmp_path, monkeypatch, command)
    assert done.exit_code == 2, done.output
    [line] = done.output.splitlines()
    expected = f"{tmp_path}/{message}"
    assert line.startswith(expected)
    assert snapshot(tmp_path) == before  # no file rewritten, no cache written
    assert not (tmp_path / CACHE).exists()


def test_a_broken_config_is_named_not_skipped_for_a_parent_one(tmp_path: Path, monkeypatch) -> None:
    """A malformed setup.cfg used to be skipped, and a parent directory's configuration used."""
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = .\n")
    child = tmp_path / "child"
    child.mkdir()
    project(child, {"setup.cfg": b"[igny8_refactor]\npaths = pkg\npaths = pkg\n"})
    before = snapshot(tmp_path)
    for command in ("audit", "fix"):
        done = invoke(child, monkeypatch, command)
        assert done.exit_code == 2
        assert (
            done.output
            == f"{child / 'setup.cfg'}: malformed configuration: line 3: duplicate key 'paths' in [igny8_refactor]\n"
        )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["audit", "fix"])
def test_config_option_naming_a_missing_file(tmp_path: Path, monkeypatch, command: str) -> None:
    project(tmp_path, {})
    before = snapshot(tmp_path)
    done = invoke(tmp_path, monkeypatch, command, "--config", "typo.cfg")
    assert (done.exit_code, done.output) == (2, "typo.cfg: configuration file not found\n")
    done = invoke(tmp_path, monkeypatch, command, "--config", "pkg")
    assert (done.exit_code, done.output) == (2, "pkg: is a directory, not a configuration file\n")
    (tmp_path / "other.cfg").write_text("[flake8]\nmax = 1\n")
    (tmp_path / "other.toml").write_text("[tool.black]\nline = 1\n")
    done = invoke(tmp_path, monkeypatch, command, "--config", "other.cfg")
    assert (done.exit_code, done.output) == (2, "other.cfg: no [igny8_refactor] section\n")
    done = invoke(tmp_path, monkeypatch, command, "--config", "other.toml")
    assert (done.exit_code, done.output) == (2, "other.toml: no [tool.igny8_refactor] section\n")
    assert snapshot(tmp_path) == {
        **before,
        "other.cfg": b"[flake8]\nmax = 1\n",
        "other.toml": b"[tool.black]\nline = 1\n",
    }


def test_empty_paths_means_the_whole_project_for_audit_and_fix(tmp_path: Path, monkeypatch) -> None:
    # the rewrites apply to the plan's files (the AI package's ai_core.py) and to internal packages
    plan = "ai_package = pkg\ninternal = pkg, top\nunsafe-fixes = true\n"
    project(tmp_path, {"setup.cfg": b"[igny8_refactor]\npaths =\n" + plan.encode()})
    (tmp_path / "pkg" / "ai_core.py").write_text(LEGACY_LIKE)
    (tmp_path / "top.py").write_text("def dead():\n    pass\n")
    audited = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--format", "json")
    assert audited.exit_code == 1
    import json

    flagged = {f["path"] for f in json.loads(audited.stdout)}
    assert {"top.py", "pkg/ai_core.py", "pkg/a.py"} <= flagged
    checked = invoke(tmp_path, monkeypatch, "fix", "--check", "--no-cache", "--diff")
    assert checked.exit_code == 1
    assert "a/top.py" in checked.stdout and "a/pkg/ai_core.py" in checked.stdout
    # and exactly as with no `paths` key at all
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\n" + plan)
    assert invoke(tmp_path, monkeypatch, "fix", "--check", "--no-cache", "--diff").stdout == checked.stdout


# -- what a good configuration gives --------------------------------------------------------------
def test_values_are_split_on_commas_and_lines_but_regexes_only_on_lines(tmp_path: Path) -> None:
    from igny8_refactor.audit.config import load_config

    (tmp_path / "setup.cfg").write_text(
        "[igny8_refactor]\npaths = a, b\n    c\nmodel-patterns =\n    ^gpt-[0-9]{1,2}$\n    ^o[1-9]$\nselect = all, IG101\nignore = ALL\n"
    )
    config = load_config(tmp_path)
    assert config.paths == ("a", "b", "c")
    assert config.model_patterns == ("^gpt-[0-9]{1,2}$", "^o[1-9]$")
    assert (config.select, config.ignore) == (("all", "IG101"), ("ALL",))
    assert config.root == str(tmp_path.resolve()) and config.source == str(tmp_path.resolve() / "setup.cfg")


def test_an_unknown_check_after_all_is_still_named(tmp_path: Path) -> None:
    from igny8_refactor.audit.config import ConfigError, load_config

    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\nignore = ALL, IG999\n")
    with pytest.raises(ConfigError, match=r"setup.cfg: unknown check 'IG999' in select/ignore$"):
        load_config(tmp_path)


def test_a_pyproject_without_a_tool_table_is_passed_over(tmp_path: Path) -> None:
    from igny8_refactor.audit.config import load_config

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\nconfig_names = TABLE\n")
    config = load_config(tmp_path)
    assert config.config_names == ("TABLE",) and config.source.endswith("setup.cfg")


def test_toml_lists_and_strings(tmp_path: Path) -> None:
    from igny8_refactor.audit.config import load_config

    (tmp_path / "pyproject.toml").write_text(
        "[tool.igny8_refactor]\nexclude = 'x, y'\ninternal = ['one', 'two']\nmodel_patterns = 'a,b'\n"
    )
    config = load_config(tmp_path)
    assert (config.exclude, config.internal, config.model_patterns) == (("x", "y"), ("one", "two"), ("a,b",))
    assert config.paths == (".",)


def test_a_config_file_that_cannot_be_read(tmp_path: Path, monkeypatch) -> None:
    from igny8_refactor.audit.config import ConfigError, load_config

    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == f"{tmp_path.resolve() / 'setup.cfg'}: cannot read configuration: Permission denied"
