"""How the cost of igny8-refactor grows with the tree, against vulture and ruff, with CPU use and peak memory.

    .venv/bin/python bench/bench_scale.py [--trees django,site-packages,legacy] [--legacy 1,10,100]
                                          [--rounds 3] [--json FILE] [--strict]

Trees, each copied into a temporary directory without bytecode:

    django         the installed Django package (as `django/` in the tree)
    site-packages  this venv's site-packages, copied to a directory named `sp` (igny8-refactor
                   and ruff both skip directories named site-packages)
    pkg:NAME       the installed package NAME (kombu, celery, rest_framework, ...), as `NAME/`
    legacy-N       N copies of examples/checkout as c000/, c001/, ... each without its own
                   setup.cfg, under one root setup.cfg (paths = ., the copies' migrations
                   excluded, internal = igny8_core)

In legacy-N every copy is the package `igny8_core`, so module names repeat across copies:
the first copy supplies the project-wide facts (which module imports what), while the plan's
file-level rewrites apply in every copy (an orphan export in ai/__init__.py, which needs those
facts, is removed in c000 only). It measures how the work grows with the number of
files, not a project that could run.

Every command runs with the tree as its working directory and `.` as its argument:

    vulture       vulture .
    parse 1 core  ast.parse of every .py file the tool would read, in one process: the floor of
                  any analysis that parses every file with Python's own parser on one core
    parse 2 cores the same spread over two forked processes (a pool of two, as audit uses here)
    python start  python -c pass: the interpreter's own start, the floor of any run of a Python tool
    ruff          ruff check --no-cache --select F401,F811,F822 -q .
    audit cold    igny8-refactor audit --no-cache --format json .
    audit warm    igny8-refactor audit --format json .      (after a warming run: every file's
                                                             result from the cache)
    fix --check   igny8-refactor fix --check .
    fix           igny8-refactor fix --allow-dirty .        (legacy-N only, on a fresh copy
                                                             of the tree made before the clock starts)

Each round runs every measurement once, in an order rotated by one each round, so that the
ratios come from one run of alternating measurements. For every run os.wait4 gives the wall
time, the user+sys CPU time of the child and of the processes it waited for (its workers),
and the largest resident set among them (ru_maxrss: the largest single process, not the sum
of parallel workers). The table shows medians (peak memory: the maximum over the rounds),
then the targets with ok or MISSED; they are reported, not enforced, unless --strict:

    audit cold    <= 0.25x vulture on django and site-packages, <= 0.4x on any tree
    audit warm    <= 1.0x ruff on django and site-packages (on a smaller tree the ratio is printed
                  beside python start's: ruff is done there before a Python interpreter has started)
    fix --check   <= 0.3x vulture
    peak memory   igny8-refactor's (its largest over its runs) <= vulture's, on site-packages
    fix           seconds per legacy copy at each N <= 1.1x those at the next smaller N (linear)
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import sys
import sysconfig
import tempfile
from dataclasses import asdict
from pathlib import Path

from _bench import Run, compile_tool, copy_tree, django_source, run, tool

PROG = "bench_scale"
CHECKOUT = Path(__file__).resolve().parent.parent / "examples" / "checkout"
LEGACY_CONFIG = """[igny8_refactor]
paths = .
exclude = */migrations
    */*/migrations
    */*/*/migrations
internal = igny8_core
"""
BIG_TREES = ("django", "site-packages")  # where audit cold must be at most 0.25x vulture


# what "parse 1 core" / "parse 2 cores" run in the tree: every .py file (skipping the folders
# audit.files skips, by its own rule), read and given to ast.parse, with the collector paused as the scan does
PARSE_FLOOR = """
import ast, gc, os, sys
from concurrent.futures import ProcessPoolExecutor
from igny8_refactor.audit.files import _skipped_dir
def parse(path):
    gc.disable()
    try:
        with open(path, "rb") as handle:
            ast.parse(handle.read())
    except (SyntaxError, ValueError):
        pass
    return 0
files = []
for top, dirs, names in os.walk("."):
    dirs[:] = [d for d in dirs if not _skipped_dir(d)]
    files += [os.path.join(top, n) for n in names if n.endswith(".py")]
jobs = int(sys.argv[1])
if jobs == 1:
    for path in files:
        parse(path)
else:
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse, files, chunksize=max(1, len(files) // (jobs * 32))))
"""


def package_source(name: str) -> Path:
    """The directory of the installed package `name`."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{PROG}: pkg:{name}: no installed package of that name next to {sys.executable}")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def build(name: str, root: Path) -> int:
    """Make the tree `name` at `root`; the number of .py files in it."""
    root.mkdir(parents=True)
    if name == "django":
        return copy_tree(django_source(PROG), root / "django")
    if name.startswith("pkg:"):
        package = name.removeprefix("pkg:")
        return copy_tree(package_source(package), root / package)
    if name == "site-packages":
        return copy_tree(Path(sysconfig.get_paths()["purelib"]), root / "sp")
    files = 0
    for k in range(int(name.removeprefix("legacy-"))):
        files += copy_tree(CHECKOUT, root / f"c{k:03d}")
        (root / f"c{k:03d}" / "setup.cfg").unlink()
    (root / "setup.cfg").write_text(LEGACY_CONFIG)
    return files


def measurements(legacy: bool) -> dict[str, tuple[list[str], tuple[int, ...]]]:
    """Each measurement's command line (run in the tree) and the exit statuses that are fine."""
    igny8 = tool("igny8-refactor", PROG)
    found = {
        "vulture": ([tool("vulture", PROG), "."], (0, 3)),
        "parse 1 core": ([sys.executable, "-c", PARSE_FLOOR, "1"], (0,)),
        "parse 2 cores": ([sys.executable, "-c", PARSE_FLOOR, "2"], (0,)),
        "python start": ([sys.executable, "-c", "pass"], (0,)),
        "ruff": ([tool("ruff", PROG), "check", "--no-cache", "--select", "F401,F811,F822", "-q", "."], (0, 1)),
        "audit cold": ([igny8, "audit", "--no-cache", "--format", "json", "."], (0, 1)),
        "audit warm": ([igny8, "audit", "--format", "json", "."], (0, 1)),
        "fix --check": ([igny8, "fix", "--check", "."], (0, 1)),
    }
    if legacy:
        found["fix"] = ([igny8, "fix", "--allow-dirty", "."], (0,))
    return found


def measure(name: str, work: Path, rounds: int) -> dict:
    root = work / name
    files = build(name, root)
    commands = measurements(name.startswith("legacy-"))
    run(commands["audit warm"][0], root, commands["audit warm"][1], PROG)  # warms the cache and the OS
    runs: dict[str, list[Run]] = {what: [] for what in commands}
    fresh = work / f"{name}-fix"
    for round_no in range(rounds):
        order = list(commands)[round_no % len(commands) :] + list(commands)[: round_no % len(commands)]
        for what in order:
            cmd, ok = commands[what]
            if what == "fix":
                shutil.rmtree(fresh, ignore_errors=True)
                shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".igny8_refactor_cache"))
                runs[what].append(run(cmd, fresh, ok, PROG))
            else:
                runs[what].append(run(cmd, root, ok, PROG))
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(root)
    return {"files": files, "rounds": rounds, "runs": {what: [asdict(r) for r in rs] for what, rs in runs.items()}}


def summary(runs: list[dict]) -> dict[str, float]:
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu_per_wall": statistics.median(r["cpu"] / r["wall"] for r in runs),
        "peak_mb": max(r["maxrss_mb"] for r in runs),
    }


def verdict(tree: str, label: str, value: float, bar: float) -> dict:
    ok = value <= bar
    print(f"  target {label:<22} {value:6.2f}x  (<= {bar}x)  {'ok' if ok else 'MISSED'}")
    return {"tree": tree, "target": label, "value": value, "bar": bar, "ok": ok}


def report(name: str, result: dict) -> list[dict]:
    """Print the tree's table and targets; the targets, as dicts."""
    s = {what: summary(runs) for what, runs in result["runs"].items()}
    vulture, ruff = s["vulture"]["wall"], s["ruff"]["wall"]
    rounds = result["rounds"]
    print(f"\n{name}: {result['files']} .py files, {rounds} round{'s' * (rounds != 1)} (medians; peak: the maximum)")
    print(f"  {'':<12} {'wall s':>8} {'/vulture':>9} {'/ruff':>7} {'cpu/wall':>9} {'peak MB':>8}")
    for what, v in s.items():
        print(
            f"  {what:<12} {v['wall']:8.3f} {v['wall'] / vulture:9.2f} {v['wall'] / ruff:7.2f}"
            f" {v['cpu_per_wall']:9.2f} {v['peak_mb']:8.1f}"
        )
    targets = [("audit cold / vulture", s["audit cold"]["wall"] / vulture, 0.25 if name in BIG_TREES else 0.4)]
    if name in BIG_TREES:
        targets.append(("audit warm / ruff", s["audit warm"]["wall"] / ruff, 1.0))
    else:
        print(
            f"  (no target) audit warm / ruff {s['audit warm']['wall'] / ruff:6.2f}x"
            f"  (python start / ruff {s['python start']['wall'] / ruff:.2f}x)"
        )
    targets.append(("fix --check / vulture", s["fix --check"]["wall"] / vulture, 0.3))
    if name == "site-packages":
        ours = max(s[what]["peak_mb"] for what in ("audit cold", "audit warm", "fix --check"))
        targets.append(("peak MB / vulture's", ours / s["vulture"]["peak_mb"], 1.0))
    return [verdict(name, label, value, bar) for label, value, bar in targets]


def report_legacy(results: dict[str, dict]) -> list[dict]:
    """Seconds per copy of `fix` for each N; the target that they do not grow with N."""
    sizes = sorted(int(name.removeprefix("legacy-")) for name in results if name.startswith("legacy-"))
    if not sizes:
        return []
    print("\nfix on N legacy copies (a fresh copy each round):")
    per_copy = {}
    for n in sizes:
        s = summary(results[f"legacy-{n}"]["runs"]["fix"])
        per_copy[n] = s["wall"] / n
        print(f"  N={n:<4} {s['wall']:8.3f} s  {per_copy[n]:7.3f} s per copy  cpu/wall {s['cpu_per_wall']:.2f}")
    # linear growth: the cost per copy does not rise with N (10% for noise)
    return [
        verdict(f"legacy-{large}", f"fix s/copy N={large}/N={small}", per_copy[large] / per_copy[small], 1.1)
        for small, large in itertools.pairwise(sizes)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--trees",
        default="django,site-packages,legacy",
        help="comma-separated: django, site-packages, legacy, pkg:NAME (default: the first three)",
    )
    parser.add_argument("--legacy", default="1,10,100", help="numbers of legacy copies (default 1,10,100)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of alternating measurements (default 3)")
    parser.add_argument("--json", type=Path, help="write every run's numbers to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    compile_tool()

    names = []
    for tree in args.trees.split(","):
        if tree == "legacy":
            names += [f"legacy-{int(n)}" for n in args.legacy.split(",")]
        elif tree in BIG_TREES:
            names.append(tree)
        elif tree.startswith("pkg:"):
            package_source(tree.removeprefix("pkg:"))
            names.append(tree)
        else:
            parser.error(f"--trees: unknown tree {tree!r}")
    measurements(legacy=True)  # every tool is there before anything is copied

    results, targets = {}, []
    with tempfile.TemporaryDirectory(prefix="igny8-bench-scale-") as tmp:
        for name in names:
            results[name] = measure(name, Path(tmp), args.rounds)
            targets += report(name, results[name])
    targets += report_legacy(results)
    if args.json:
        args.json.write_text(json.dumps({"trees": results, "targets": targets}, indent=1) + "\n")
    missed = [t for t in targets if not t["ok"]]
    print(f"\n{len(targets) - len(missed)} of {len(targets)} targets met")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
