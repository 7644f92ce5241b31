"""Real packages from PyPI, judged by their own test suites: `fix --unsafe-fixes`, then their tests.

For one pinned sdist: download it once (kept in a cache folder reused between runs, checked by
sha256), unpack it twice (a pristine copy and one to fix), commit the one to fix in a fresh git
repository with a configuration that makes the package `internal`, and run the package's own test
suite with its own runner in a virtualenv of its own (every distribution pinned, built once,
cached; the package itself is never installed in it: the suite imports the tree it runs in, and the
tree's console scripts, written as pip writes them, come first on PATH). Then:

- the suite runs on the pristine copy (before) and on the fixed tree (after): every test that passed
  (or was skipped, or failed as expected) before must do the same after, and be there at all;
- every name the package's entry points, `.pyi` stubs and docs name (`from pkg.mod import x`,
  `pkg.mod.x`) that resolved in the pristine tree resolves in the fixed one (checked with `ast`),
  and no removed name is one the docs show as code by its bare name (`makeExtension`);
- a second `fix --check --unsafe-fixes` exits 0 and the tree is as the first run left it.

No skip anywhere: without the network (and a cold cache) the download fails and the test with it.
"""

from __future__ import annotations

import ast
import configparser
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.real.conftest import Tree, run_tool

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("IGNY8_REAL_CACHE") or Path.home() / ".cache" / "igny8-refactor-tests")

# the outcomes a test may keep or reach after the fix, given what it did before
ACCEPTABLE_AFTER = {
    "passed": {"passed"},
    "skipped": {"skipped", "passed"},
    "xfail": {"xfail", "passed", "xpass"},
}


@dataclass(frozen=True)
class OwnSuite:
    """One pinned sdist and how its own suite is run."""

    dist: str  # the name on PyPI
    version: str
    sha256: str
    package: str  # the top-level import name
    venv: tuple[str, ...]  # the suite's requirements, pinned
    kind: str  # pytest (junit XML) | unittest (discovery) | django (`python -m django test`)
    args: tuple[str, ...]  # pytest arguments, the unittest start folder, the Django test labels
    src: str = ""  # the folder holding the package ("src" for a src layout)
    pythonpath: tuple[str, ...] = ()  # extra folders of the tree on sys.path, as the project's tox/hatch sets
    settings: str | None = None  # a settings module written outside the tree (Django), importing the project's
    min_tests: int = 50


@dataclass
class SuiteResult:
    outcomes: dict[str, str]
    returncode: int
    seconds: float
    output: str

    def count(self, *kinds: str) -> int:
        return sum(1 for o in self.outcomes.values() if o in kinds)

    def line(self) -> str:
        parts = [f"{self.count('passed')} passed", f"{self.count('failed', 'error')} failed"]
        for kind in ("skipped", "xfail", "xpass"):
            if self.count(kind):
                parts.append(f"{self.count(kind)} {kind}")
        return ", ".join(parts) + f" ({len(self.outcomes)} tests, {self.seconds:.1f}s)"


@dataclass
class OwnRun:
    suite: OwnSuite
    fix: subprocess.CompletedProcess | None = None
    again: subprocess.CompletedProcess | None = None
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # "CODE symbol" as `fix` names them
    before: SuiteResult | None = None
    after: SuiteResult | None = None
    new_failures: dict[str, str] = field(default_factory=dict)  # test id -> "before -> after"
    names_checked: int = 0
    names_lost: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        s = self.suite
        lines = [
            f"[{s.dist} {s.version}] fix exit {self.fix.returncode if self.fix else '-'}; "
            f"{len(self.changed)} files changed; {len(self.removed)} names removed; "
            f"suite before: {self.before.line() if self.before else '-'}; "
            f"after: {self.after.line() if self.after else '-'}; "
            f"{self.names_checked} names from entry points, stubs and docs checked ({len(self.names_lost)} lost); "
            f"second `fix --check --unsafe-fixes` exit {self.again.returncode if self.again else '-'}; "
            f"{self.seconds:.0f}s",
        ]
        lines.extend(f"  changed {path}" for path in self.changed)
        lines.extend(f"  removed {name}" for name in self.removed)
        lines.extend(f"  PROBLEM: {p}" for p in self.problems)
        return "\n".join(lines)


# ---------------------------------------------------------------- download, unpack, virtualenvs


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess: nothing of this test session's Django, pytest or venv leaks in."""
    drop = ("PYTHONPATH", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith(("PYTEST_", "COV_", "IGNY8_"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0", NO_COLOR="1", **extra)
    return env


class _Lock:
    """An exclusive lock on a file of the cache: parallel sessions build each thing once."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "w")  # noqa: SIM115 - closed in __exit__
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sdist(suite: OwnSuite) -> Path:
    """The sdist, from the cache or downloaded with pip (`--no-binary :all:`), checked against its sha256."""
    folder = CACHE / "sdists" / f"{suite.dist}-{suite.version}"
    with _Lock(CACHE / "sdists" / f".{suite.dist}-{suite.version}.lock"):
        for path in sorted(folder.glob("*.tar.gz")):
            if _sha256(path) == suite.sha256:
                return path
            path.unlink()  # a truncated or foreign file: fetch it again
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
            + ["--disable-pip-version-check", "-d", str(folder), f"{suite.dist}=={suite.version}"],
            capture_output=True,
            text=True,
            timeout=600,
            env=clean_env(),
        )
        found = sorted(folder.glob("*.tar.gz"))
        assert done.returncode == 0 and len(found) == 1, (
            f"cannot download the sdist of {suite.dist}=={suite.version} (is PyPI reachable?):\n"
            f"{(done.stdout + done.stderr)[-3000:]}"
        )
        digest = _sha256(found[0])
        assert digest == suite.sha256, f"{found[0].name}: sha256 {digest}, expected {suite.sha256}"
        return found[0]


def unpack(archive: Path, dest: Path) -> Path:
    """The sdist's single top folder, unpacked under `dest` (owned by us: the `data` filter sets no owner)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tops = {member.name.split("/")[0] for member in tar.getmembers()}
        assert len(tops) == 1, f"{archive.name}: more than one top folder: {sorted(tops)[:5]}"
        tar.extractall(dest, filter="data")  # Python >= 3.11.4
    return dest / tops.pop()


def venv(requirements: tuple[str, ...]) -> Path:
    """The python of a virtualenv holding exactly `requirements` (--no-deps; no system site-packages), built once."""
    key = hashlib.sha256(f"{sys.version}\n{sys.base_prefix}\n".encode() + "\n".join(requirements).encode())
    folder = CACHE / "venvs" / key.hexdigest()[:16]
    python = folder / "bin" / "python"
    marker = folder / ".complete"
    with _Lock(folder.with_suffix(".lock")):
        if marker.is_file() and python.exists():
            return python
        shutil.rmtree(folder, ignore_errors=True)  # a build cut short: start again
        for command in (
            [sys.executable, "-m", "venv", str(folder)],
            [str(python), "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", *requirements],
        ):
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=clean_env())
            assert done.returncode == 0, (
                f"cannot build the suite's virtualenv ({' '.join(command[:4])} ...):\n"
                + (done.stdout + done.stderr)[-3000:]
            )
        marker.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    return python


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=real", "-c", "user.email=real@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def configure(root: Path, suite: OwnSuite) -> None:
    """`[igny8_refactor]` in setup.cfg (appended, or a new file): the package is internal, only it is rewritten."""
    path = root / "setup.cfg"
    where = f"{suite.src}/{suite.package}" if suite.src else suite.package
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(
        text
        + ("\n" if text and not text.endswith("\n") else "")
        + f"\n[igny8_refactor]\npaths = {where}\ninternal = {suite.package}\n",
        encoding="utf-8",
    )


# ---------------------------------------------------------------- the package's own suite


class SuiteProcess:
    """The package's own suite, started in `root` with its own runner; `.result()` waits for {test id: outcome}.

    Started as a process so that the pristine copy's run (before) goes on while `fix` works on the
    other copy, then beside the fixed tree's run (after): most of a Django suite's time is waiting.
    """

    def __init__(self, suite: OwnSuite, python: Path, root: Path, scratch: Path):
        self.suite, self.scratch = suite, scratch
        scratch.mkdir(parents=True, exist_ok=True)
        shutil.copy(HERE / "suite_runner.py", scratch / "suite_runner.py")
        paths = [str(root / p) for p in ((suite.src,) if suite.src else ()) + suite.pythonpath] + [str(scratch)]
        extra = {"PYTHONPATH": os.pathsep.join([str(root), *paths])}
        if suite.settings is not None:
            (scratch / "machine_settings.py").write_text(suite.settings, encoding="utf-8")
            extra["DJANGO_SETTINGS_MODULE"] = "machine_settings"
        # the tree's console scripts, as pip would write them, first on PATH, then the virtualenv's
        # (as activated): a suite that runs `dotenv ...` runs this tree's code, never an installed copy
        bin_dir = scratch / "bin"
        bin_dir.mkdir(exist_ok=True)
        for name, (module, function) in console_scripts(root).items():
            shim = bin_dir / name
            shim.write_text(
                f"#!{python}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n", encoding="utf-8"
            )
            shim.chmod(0o755)
        extra["PATH"] = os.pathsep.join([str(bin_dir), str(python.parent), os.environ.get("PATH", "")])
        self.out, self.junit = scratch / "outcomes.json", scratch / "junit.xml"
        if suite.kind == "pytest":  # its own configuration, without its coverage options; our own temp folder
            command = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q"]
            command += [f"--basetemp={scratch / 'basetemp'}", f"--junitxml={self.junit}", *suite.args]
        elif suite.kind == "unittest":
            command = [str(python), str(scratch / "suite_runner.py"), str(self.out), "unittest", *suite.args]
        else:
            command = [str(python), "-m", "django", "test", "--testrunner", "suite_runner.RecordingRunner"]
            command += list(suite.args)
            extra["OWN_SUITE_OUT"] = str(self.out)
        self.log = open(scratch / "output.txt", "w+", encoding="utf-8")  # noqa: SIM115 - closed in result()
        self.start = time.monotonic()
        self.process = subprocess.Popen(
            command, cwd=root, stdout=self.log, stderr=subprocess.STDOUT, env=clean_env(**extra)
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self.log.closed:
            self.log.close()

    def result(self, timeout: float = 600) -> SuiteResult:
        try:
            returncode = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            returncode = self.process.wait()
        seconds = time.monotonic() - self.start
        self.log.seek(0)
        output = self.log.read()[-6000:]
        self.log.close()
        outcomes: dict[str, str] = {}
        if self.suite.kind == "pytest" and self.junit.is_file():
            for case in ET.parse(self.junit).getroot().iter("testcase"):
                test = f"{case.get('classname')}::{case.get('name')}"
                kinds = {child.tag for child in case}
                skipped = case.find("skipped")
                if "error" in kinds:
                    outcomes[test] = "error"
                elif "failure" in kinds:
                    outcomes[test] = "failed"
                elif skipped is not None:
                    outcomes[test] = "xfail" if skipped.get("type") == "pytest.xfail" else "skipped"
                else:
                    outcomes[test] = "passed"
        elif self.out.is_file():
            outcomes = json.loads(self.out.read_text(encoding="utf-8"))["outcomes"]
        if not outcomes:
            outcomes = {"<the whole suite>": "error"}  # it did not even start: every test it had is missing
        return SuiteResult(outcomes, returncode, seconds, output)


def new_failures(before: SuiteResult, after: SuiteResult) -> dict[str, str]:
    """Tests that passed (or were skipped, or failed as expected) before and do not now, or are gone."""
    worse = {}
    for test, old in before.outcomes.items():
        new = after.outcomes.get(test, "missing")
        if old in ACCEPTABLE_AFTER and new not in ACCEPTABLE_AFTER[old]:
            worse[test] = f"{old} -> {new}"
    for test, new in after.outcomes.items():
        if test not in before.outcomes and new in ("failed", "error"):
            worse[test] = f"absent -> {new}"
    return worse


# ---------------------------------------------------------------- names used outside Python code

ENTRY = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)")
SETUP_PY_ENTRY = re.compile(r"""["'][^"'=]+=\s*([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)""")
DOC_SUFFIXES = (".rst", ".md", ".txt")


def console_scripts(root: Path) -> dict[str, tuple[str, str]]:
    """name -> (module, function) of the console scripts pyproject.toml or setup.cfg declares."""
    scripts: dict[str, tuple[str, str]] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        for name, value in (
            tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("scripts", {}).items()
        ):
            if match := ENTRY.match(value):
                scripts[name] = (match[1], match[2])
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(setup_cfg.read_text(encoding="utf-8"))
        value = parser.get("options.entry_points", "console_scripts", fallback="")
        for line in value.splitlines():
            name, _, target = line.partition("=")
            if match := ENTRY.match(target):
                scripts.setdefault(name.strip(), (match[1], match[2]))
    return scripts


def outside_names(root: Path, suite: OwnSuite) -> dict[str, str]:
    """Dotted names of the package that its entry points, stubs and docs name, each with where."""
    found: dict[str, str] = {}
    pkg = suite.package

    def add(dotted: str, where: str) -> None:
        if dotted.split(".")[0] == pkg:
            found.setdefault(dotted, where)

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        groups = [project.get("scripts", {}), project.get("gui-scripts", {}), *project.get("entry-points", {}).values()]
        for group in groups:
            for value in group.values():
                if match := ENTRY.match(value):
                    add(f"{match[1]}.{match[2]}", "pyproject.toml")
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(setup_cfg.read_text(encoding="utf-8"))
        if parser.has_section("options.entry_points"):
            for value in parser["options.entry_points"].values():
                for line in value.splitlines():
                    if match := ENTRY.match(line.partition("=")[2]):
                        add(f"{match[1]}.{match[2]}", "setup.cfg")
    setup_py = root / "setup.py"
    if setup_py.is_file():
        for match in SETUP_PY_ENTRY.finditer(setup_py.read_text(encoding="utf-8")):
            add(f"{match[1]}.{match[2]}", "setup.py")
    base = root / suite.src if suite.src else root
    for stub in sorted(base.rglob("*.pyi")):
        parts = list(stub.relative_to(base).with_suffix("").parts)
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.parse(stub.read_text(encoding="utf-8")).body:
            names = [getattr(node, "name", None)] + [
                t.id for t in getattr(node, "targets", [getattr(node, "target", None)]) if hasattr(t, "id")
            ]
            for name in filter(None, names):
                add(f"{module}.{name}", stub.relative_to(root).as_posix())
    docs = doc_files(root)
    dotted = re.compile(rf"\b{re.escape(pkg)}(?:\.[A-Za-z_]\w*)+")
    from_import = re.compile(rf"\bfrom\s+({re.escape(pkg)}[\w.]*)\s+import\s+\(?([\w\s,]+)")
    for path in docs:
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for match in from_import.finditer(line):
                for name in re.split(r"[\s,]+", match[2]):
                    if name.isidentifier() and name != "import":
                        add(f"{match[1]}.{name}", f"{rel}:{number}")
            for match in dotted.finditer(line):
                add(match[0], f"{rel}:{number}")
    return found


def doc_files(root: Path) -> list[Path]:
    docs = [p for p in sorted(root.glob("*")) if p.is_file() and p.suffix in DOC_SUFFIXES]
    for folder in ("docs", "doc"):
        docs += [p for p in sorted((root / folder).rglob("*")) if p.is_file() and p.suffix in DOC_SUFFIXES]
    return docs


def named_as_code(root: Path, names: set[str]) -> dict[str, str]:
    """The bare names among `names` the docs show as code (`makeExtension`, ``load``, `def name(`), with where."""
    found: dict[str, str] = {}
    if not names:
        return found
    alternatives = "|".join(map(re.escape, sorted(names)))
    pattern = re.compile(rf"`({alternatives})\b|\b({alternatives})\(")
    for path in doc_files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for match in pattern.finditer(line):
                found.setdefault(match[1] or match[2], f"{path.relative_to(root).as_posix()}:{number}")
    return found


def resolves(tree: Tree, dotted: str) -> bool:
    """`dotted` is a module of the tree, or a name bound at module level in its longest module prefix."""
    if dotted in tree.modules:
        return True
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in tree.modules:
            return tree.binds(prefix, parts[cut])
    return False


# ---------------------------------------------------------------- the whole check


FIXED = re.compile(r"^fixed (\S+):(\d+): (\w+) (\S+)", re.MULTILINE)


def check_own_suite(tmp_path: Path, suite: OwnSuite, damage: Callable[[Path], None] | None = None) -> OwnRun:
    """The whole judgement of one package; `damage(tree)`, for a control, edits the fixed tree before its suite runs."""
    start = time.monotonic()
    run = OwnRun(suite)
    archive = sdist(suite)
    python = venv(suite.venv)
    probe = subprocess.run(  # the suite must import the tree it runs in, never an installed copy
        [str(python), "-I", "-c", f"import importlib.util as u; print(u.find_spec({suite.package!r}) is None)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert probe.stdout.strip() == "True", f"{suite.package} is installed in the suite's virtualenv: {probe}"

    pristine = unpack(archive, tmp_path / "pristine")
    work = unpack(archive, tmp_path / "work")
    configure(work, suite)
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", f"{suite.dist} {suite.version} as released, configured")

    started: list[SuiteProcess] = []
    try:
        before = SuiteProcess(suite, python, pristine, tmp_path / "suite-before")
        started.append(before)

        run.fix = run_tool(work, "fix", "--unsafe-fixes")
        output = run.fix.stdout + run.fix.stderr
        if run.fix.returncode != 0 or "Traceback" in output:
            run.problems.append(f"`igny8-refactor fix --unsafe-fixes` exited {run.fix.returncode}:\n{output[-3000:]}")
        run.removed = [f"{m[3]} {m[4]}" for m in FIXED.finditer(output)]
        run.changed = sorted(git(work, "diff", "--name-only").split())
        after_fix = git(work, "diff")
        run.again = run_tool(work, "fix", "--check", "--unsafe-fixes")
        if run.again.returncode != 0:
            run.problems.append(
                f"second run: `fix --check --unsafe-fixes` exited {run.again.returncode}:\n"
                + (run.again.stdout + run.again.stderr)[-3000:]
            )
        if git(work, "diff") != after_fix:
            run.problems.append("the second run changed the tree")

        if damage is not None:
            damage(work)
        after = SuiteProcess(suite, python, work, tmp_path / "suite-after")
        started.append(after)
        run.before, run.after = before.result(), after.result()
    finally:
        for process in started:
            process.stop()  # an assertion on the way leaves no suite running
    assert run.before.count("passed") >= suite.min_tests, (
        f"the pristine {suite.dist} suite passes only {run.before.count('passed')} tests: the harness is wrong\n"
        + run.before.output
    )
    run.new_failures = new_failures(run.before, run.after)
    if run.new_failures:
        listing = "\n".join(f"{t}: {o}" for t, o in sorted(run.new_failures.items())[:40])
        run.problems.append(f"{len(run.new_failures)} tests fail after fix that did not before:\n{listing}")

    base_before = pristine / suite.src if suite.src else pristine
    base_after = work / suite.src if suite.src else work
    tree_before, tree_after = Tree(base_before, suite.package), Tree(base_after, suite.package)
    names = {d: w for d, w in outside_names(pristine, suite).items() if resolves(tree_before, d)}
    run.names_checked = len(names)
    run.names_lost = sorted(f"{d} (named in {w})" for d, w in names.items() if not resolves(tree_after, d))
    # a removed function or export the docs show by its bare name (a protocol they document: `makeExtension`)
    shown = named_as_code(pristine, {removed.rpartition(".")[2] for removed in run.removed})
    run.names_lost += sorted(
        f"{removed.split()[1]} (its name shown as code in {shown[name]})"
        for removed in run.removed
        if (name := removed.rpartition(".")[2]) in shown
    )
    if run.names_lost:
        run.problems.append("names used outside Python code are gone:\n" + "\n".join(run.names_lost[:40]))

    run.seconds = time.monotonic() - start
    print(run.summary())
    return run
