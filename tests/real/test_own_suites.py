"""`fix --unsafe-fixes` on six real packages from PyPI, with their own test suites as the judge.

Three Django apps with migrations (django-otp: migrations in four plugins, docs, tests run by Django's
runner, `load_tests` included; django-axes: migrations, docs, a pytest-django suite; django-guardian:
migrations, its tests inside the package, seven orphan exports removed) and three libraries with docs
and console-script entry points (Markdown: `markdown_py` and eighteen extension entry points, a
unittest suite; sqlparse: `sqlformat`, a pytest suite; python-dotenv: a src layout, `dotenv`). Each package is made
`internal` (its orphan exports and dead functions may be removed) and judged by `own_suite.py`:
no test that passed before fails after, no name its entry points, stubs or docs use is gone, and
a second run changes nothing. The figures of each run are in its summary (printed, and in the
assertion message); docs/fixing.md keeps a table of them.

The sdists and the suites' virtualenvs are cached in ~/.cache/igny8-refactor-tests (or
$IGNY8_REAL_CACHE); a cold cache needs the network, and without it these tests fail.
"""

from __future__ import annotations

import pytest

from tests.real.own_suite import OwnSuite, check_own_suite

pytestmark = pytest.mark.real

# every distribution of each suite's virtualenv, pinned (installed with --no-deps): the judge does not drift
DJANGO_VENV = (
    "Django==5.2.20",
    "asgiref==3.13.0",
    "sqlparse==0.6.1",  # Django's; the sqlparse under test runs in the library virtualenv, which has none
    "tzdata==2026.6",
    "pytest==8.3.5",
    "iniconfig==2.3.1",
    "packaging==26.4",
    "pluggy==1.7.0",
    "pytest-django==4.14.0",
    "pytest-subtests==0.15.0",
    "attrs==26.1.0",
    "django-ipware==8.0.0",  # django-axes
    "python-ipware==4.1.1",
    "django-environ==0.14.0",  # django-guardian
    "typing_extensions==4.16.0",
    "freezegun==1.5.5",  # django-otp
    "python-dateutil==4.0.0",
    "segno==1.6.6",
    "qrcode==8.2",
)
LIBRARY_VENV = (
    "pytest==8.3.5",
    "iniconfig==2.3.1",
    "packaging==26.4",
    "pluggy==1.7.0",
    "Pygments==2.21.0",  # Markdown's codehilite tests
    "PyYAML==6.0.4",  # Markdown's meta tests
)

# python-dotenv's tox environment: pytest, click, ipython (its `%load_ext dotenv` tests)
DOTENV_VENV = (
    "pytest==8.3.5",
    "iniconfig==2.3.1",
    "packaging==26.4",
    "pluggy==1.7.0",
    "click==8.5.1",
    "ipython==9.19.1",
    "ipython_pygments_lexers==1.1.1",
    "Pygments==2.21.0",
    "asttokens==3.0.2",
    "executing==2.3.0",
    "jedi==0.20.1",
    "parso==0.8.7",
    "matplotlib-inline==0.2.2",
    "pexpect==4.9.0",
    "ptyprocess==0.7.0",
    "prompt_toolkit==3.0.53",
    "wcwidth==0.9.5",
    "psutil==7.2.2",
    "pure_eval==0.2.4",
    "stack-data==0.6.3",
    "traitlets==5.16.1",
    "typing_extensions==4.16.0",
)

DJANGO_OTP = OwnSuite(
    dist="django-otp",
    version="1.7.5",
    sha256="7f554d21dcd035550c3b8e3f154b1f422fee71fdc75c8a3bf96e42a2ea6dafcc",
    package="django_otp",
    src="src",
    venv=DJANGO_VENV,
    # the project's own command (hatch): PYTHONPATH=test DJANGO_SETTINGS_MODULE=test_project.settings
    # python -m django test django_otp
    kind="django",
    args=("django_otp",),
    pythonpath=("test",),
    # its settings, with the fast password hasher Django's docs recommend for tests (44s -> 2s)
    settings='from test_project.settings import *  # noqa: F403\n\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n',
    min_tests=150,
)

DJANGO_AXES = OwnSuite(
    dist="django-axes",
    version="7.0.1",
    sha256="16121bbb7bacf1ed83f23a4800ac168707ffce014407df1049aa4f2ea28d3d52",
    package="axes",
    venv=DJANGO_VENV,
    kind="pytest",  # its pyproject's pytest-django configuration (tests.settings), without its --cov options
    args=(),
    min_tests=300,
)

DJANGO_GUARDIAN = OwnSuite(
    dist="django-guardian",
    version="3.5.2",
    sha256="ca14b7c9cc37bc852f3749f8a998a76cfd0ebbd66ac85726ef331289a712d389",
    package="guardian",
    venv=DJANGO_VENV,
    kind="pytest",  # its pyproject's pytest-django configuration; its tests are inside the package
    args=(),
    # its settings, with the fast password hasher (60s -> 7s)
    settings='from guardian.testapp.testsettings import *  # noqa: F403\n\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n',
    min_tests=450,
)

MARKDOWN = OwnSuite(
    dist="Markdown",
    version="3.7",
    sha256="2ae2471477cfd02dbbf038d5d9bc226d40def84b4fe2986e49b59b6b472bbed2",
    package="markdown",
    venv=LIBRARY_VENV,
    kind="unittest",  # its tox command: python -m unittest discover tests
    args=("tests",),
    min_tests=800,
)

SQLPARSE = OwnSuite(
    dist="sqlparse",
    version="0.5.3",
    sha256="09f67787f56a0b16ecdbde1bfc7f5d9c3371ca683cfeaa8e6ff60b4807ec9272",
    package="sqlparse",
    venv=LIBRARY_VENV,
    kind="pytest",  # its hatch command: pytest tests
    args=("tests",),
    min_tests=400,
)

PYTHON_DOTENV = OwnSuite(
    dist="python-dotenv",
    version="1.2.4",
    sha256="f0d53e69935a851c0dcc78f3ab7aaccd8cabef0b92382b576b824212902873c0",
    package="dotenv",
    src="src",
    venv=DOTENV_VENV,
    kind="pytest",  # its tox command: pytest (without --cov); its CLI tests run the `dotenv` script of the tree
    args=("tests",),
    min_tests=200,
)


@pytest.mark.parametrize(
    "suite", [DJANGO_OTP, DJANGO_AXES, DJANGO_GUARDIAN, MARKDOWN, SQLPARSE, PYTHON_DOTENV], ids=lambda s: s.dist
)
def test_fix_keeps_the_package_s_own_suite_green(tmp_path, suite):
    run = check_own_suite(tmp_path, suite)
    assert not run.problems, run.summary()


def test_the_judge_fails_a_removal_that_drops_tests(tmp_path):
    """A control, so that a green run above means something: the removal `fix` made before it knew
    unittest's `load_tests` (django-otp's doctests were then no longer collected), made by hand on the
    fixed tree, is a failure the judge names test by test."""

    def drop_load_tests(tree):
        path = tree / "src" / "django_otp" / "tests.py"
        text = path.read_text(encoding="utf-8")
        start = text.index("def load_tests(")
        path.write_text(text[:start] + text[text.index("\nclass ", start) + 1 :], encoding="utf-8")

    run = check_own_suite(tmp_path, DJANGO_OTP, damage=drop_load_tests)
    lost = {"django_otp.oath.TOTP", "django_otp.oath.hotp", "django_otp.oath.totp", "django_otp.util.hex_validator"}
    assert run.new_failures == dict.fromkeys(lost, "passed -> missing"), run.summary()
