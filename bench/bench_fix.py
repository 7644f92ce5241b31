"""Time `igny8-refactor fix --check` on the installed Django source against vulture and LibCST's runner.

    python bench/bench_fix.py [--runs 5] [--tree DIR]

All three tools run on the same copy of the tree, in alternating order, and the medians
are compared. Bars: fix --check at most 1.0x vulture and at most 0.3x
`python -m libcst.tool codemod noop.NOOPCommand` (a codemod that changes nothing).
Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from _bench import compile_tool, copy_tree, django_source, run, tool

BARS = {"vulture": 1.0, "libcst": 0.3}
PROG = "bench_fix"


def commands(tree: Path) -> dict[str, list[str]]:
    return {
        "fix": [tool("igny8-refactor", PROG), "fix", "--check", str(tree)],
        "vulture": [tool("vulture", PROG), str(tree)],
        "libcst": [
            sys.executable,
            "-m",
            "libcst.tool",
            "codemod",
            "--no-format",
            "--hide-progress",
            "noop.NOOPCommand",
            str(tree),
        ],
    }


def run_once(argv: list[str], cwd: Path) -> float:
    ok = (0,) if argv[1:3] == ["fix", "--check"] else None  # the other tools' status is not checked
    return run(argv, cwd, ok=ok, prog=PROG).wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument("--tree", type=Path, default=None, help="source tree (default: the installed Django)")
    args = parser.parse_args(argv)
    compile_tool()

    source = django_source(PROG) if args.tree is None else args.tree
    with tempfile.TemporaryDirectory(prefix="igny8-bench-") as scratch:
        work = Path(scratch)
        tree = work / source.name
        files = copy_tree(source, tree)
        argvs = commands(tree)
        env_note = f"{files} files, {os.cpu_count()} cpus, {args.runs} runs each, alternating"
        print(f"tree: {source} ({env_note})")
        for argv in argvs.values():  # warm the OS cache and the tools' caches
            run_once(argv, work)
        times: dict[str, list[float]] = {name: [] for name in argvs}
        for i in range(args.runs):
            order = list(argvs) if i % 2 == 0 else list(reversed(argvs))
            for name in order:
                times[name].append(run_once(argvs[name], work))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        spread = ", ".join(f"{v:.2f}" for v in times[name])
        print(f"{name:>8}: median {value:6.2f}s  ({spread})")
    failed = False
    for other, bar in BARS.items():
        ratio = medians["fix"] / medians[other]
        verdict = "ok" if ratio <= bar else "MISSED"
        failed |= ratio > bar
        print(f"fix / {other}: {ratio:.2f}x (bar {bar:.1f}x) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
