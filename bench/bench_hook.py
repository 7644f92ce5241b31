"""The pre-commit audit hook on a 1-file change inside Django's source, against vulture on the whole tree.

A copy of the installed Django package becomes the project (a setup.cfg with
`[igny8_refactor] paths = django`). The cache is warmed once; then each round changes one
file and times, in alternating order,

    igny8-refactor audit <that file>      (what the igny8-audit hook runs on a commit)
    vulture django                         (whole tree)

and prints the medians and their ratio. The bar is a ratio of at most 0.3.

    .venv/bin/python bench/bench_hook.py [--rounds N] [--file django/utils/text.py]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BAR = 0.3
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if not found:
            sys.exit(f"bench_hook: {name}: not installed next to {sys.executable} nor on PATH")
        return found
    return str(path)


def timed(cmd: list[str], cwd: Path, ok: tuple[int, ...]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"bench_hook: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument(
        "--file", default="django/test/utils.py", help="the file changed each round, relative to the copy"
    )
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the cache-warming audit")
    args = parser.parse_args(argv)

    import django

    source = Path(django.__file__).resolve().parent
    audit_cmd = [tool("igny8-refactor"), "audit"]
    vulture_cmd = [tool("vulture")]

    with tempfile.TemporaryDirectory(prefix="igny8-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(source, work / "django", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        (work / "setup.cfg").write_text("[igny8_refactor]\npaths = django\ninternal = django\n")
        files = sum(1 for _ in (work / "django").rglob("*.py"))
        changed = work / args.file
        if not changed.is_file():
            sys.exit(f"bench_hook: {args.file}: no such file in the copy")
        original = changed.read_text(encoding="utf-8")
        print(f"Django {django.get_version()}: {files} .py files copied from {source}")

        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        cold = timed([*audit_cmd, *jobs, "django"], work, ok=(0, 1))
        print(f"cache warm-up (whole tree, cold cache): {cold:.2f} s")

        hook_times, vulture_times = [], []
        for round_ in range(args.rounds):
            # an edit that changes the file's content, as a commit would
            changed.write_text(original + f"\n\ndef _bench_round_{round_}():\n    return {round_}\n", encoding="utf-8")
            hook = lambda: hook_times.append(timed([*audit_cmd, args.file], work, ok=(0, 1)))
            whole = lambda: vulture_times.append(timed([*vulture_cmd, "django"], work, ok=(0, 1, 3)))
            for run in (hook, whole) if round_ % 2 == 0 else (whole, hook):
                run()
        # what the hook reported on the last round: whole-project facts, for that one file
        last = subprocess.run([*audit_cmd, args.file], cwd=work, capture_output=True, text=True)
        reported = [line for line in last.stdout.splitlines() if line.startswith(args.file + ":")]
        print(f"the hook reports {len(reported)} findings in {args.file} (exit {last.returncode})")
        changed.write_text(original, encoding="utf-8")

    hook_median = statistics.median(hook_times)
    vulture_median = statistics.median(vulture_times)
    ratio = hook_median / vulture_median
    fmt = lambda values: ", ".join(f"{v:.2f}" for v in values)
    print(f"audit hook, 1 changed file, warm cache: median {hook_median:.2f} s  [{fmt(hook_times)}]")
    print(f"vulture, whole tree:                    median {vulture_median:.2f} s  [{fmt(vulture_times)}]")
    verdict = "PASS" if ratio <= BAR else "FAIL"
    print(f"ratio {ratio:.3f}x (bar <= {BAR}x): {verdict}")
    return 0 if ratio <= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
