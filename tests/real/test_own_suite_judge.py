"""The own-suite judge's rules on small inputs (no network, no suite run)."""

from __future__ import annotations

from tests.real.own_suite import OwnSuite, SuiteResult, console_scripts, named_as_code, new_failures, outside_names


def result(**outcomes: str) -> SuiteResult:
    return SuiteResult(outcomes, 0, 0.0, "")


def test_a_test_must_keep_what_it_did_before_and_be_there():
    before = result(a="passed", b="passed", c="skipped", d="xfail", e="failed", f="passed", g="skipped")
    after = result(a="passed", b="skipped", c="passed", d="xpass", e="error", g="error", h="failed", i="passed")
    assert new_failures(before, after) == {
        "b": "passed -> skipped",  # a skip after a removal may hide an import that broke
        "f": "passed -> missing",  # a test no longer collected (django-otp's doctests)
        "g": "skipped -> error",
        "h": "absent -> failed",
    }


def test_names_from_entry_points_stubs_and_docs(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project.scripts]\ntool = "pkg.cli:main"\n[project.entry-points."pkg.plugins"]\nx = "pkg.ext.x:Plugin"\n',
        encoding="utf-8",
    )
    (tmp_path / "setup.cfg").write_text(
        "[options.entry_points]\nconsole_scripts =\n    other = pkg.other:run\n", encoding="utf-8"
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "api.pyi").write_text("def public() -> None: ...\nVERSION: str\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "usage.rst").write_text(
        "    from pkg.filters import A, B\n\nSee ``pkg.utils.slug`` and `makeExtension`; call setup_thing().\n",
        encoding="utf-8",
    )
    suite = OwnSuite("pkg", "1", "", "pkg", (), "pytest", ())
    assert outside_names(tmp_path, suite) == {
        "pkg.cli.main": "pyproject.toml",
        "pkg.ext.x.Plugin": "pyproject.toml",
        "pkg.other.run": "setup.cfg",
        "pkg.api.public": "pkg/api.pyi",
        "pkg.api.VERSION": "pkg/api.pyi",
        "pkg.filters": "docs/usage.rst:1",  # the module, as a dotted name
        "pkg.filters.A": "docs/usage.rst:1",
        "pkg.filters.B": "docs/usage.rst:1",
        "pkg.utils.slug": "docs/usage.rst:3",
    }
    assert console_scripts(tmp_path) == {"tool": ("pkg.cli", "main"), "other": ("pkg.other", "run")}
    assert named_as_code(tmp_path, {"makeExtension", "setup_thing", "hidden"}) == {
        "makeExtension": "docs/usage.rst:3",
        "setup_thing": "docs/usage.rst:3",
    }
