"""`igny8-refactor audit` against `vulture` on the installed Django source: cold, warm, one file changed.

Both run as subprocesses over the same copy of Django in a temporary directory, in
alternating order, for N rounds; the medians and their ratios are printed.

    cold     igny8-refactor audit --no-cache --format json django   vs   vulture django
    warm     igny8-refactor audit --format json django (cache warm, nothing changed)
    changed  as warm, after touch-editing one file between rounds

Bars: cold <= 0.35x vulture, warm <= 0.15x, one file changed <= 0.15x.

    .venv/bin/python bench/bench_audit.py [--rounds N] [--jobs N] [--file django/utils/text.py]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _bench import compile_tool, copy_tree, django_source, run, tool

BARS = {"cold": 0.35, "warm": 0.15, "changed": 0.15}
PROG = "bench_audit"


def timed(cmd: list[str], cwd: Path) -> float:
    return run(cmd, cwd, ok=(0, 1, 3), prog=PROG).wall  # 1: findings (audit) / 3: dead code (vulture)


def touch_edit(path: Path, round_no: int) -> None:
    text = path.read_text(encoding="utf-8")
    marker = "\n# bench edit "
    if marker in text:
        text = text[: text.index(marker)]
    path.write_text(f"{text}{marker}{round_no}\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="passed to audit --jobs")
    parser.add_argument("--file", default="django/utils/text.py", help="file changed between 'changed' rounds")
    args = parser.parse_args()
    compile_tool()

    source = django_source(PROG)
    audit_bin, vulture_bin = tool("igny8-refactor", PROG), tool("vulture", PROG)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        work = Path(tmp)
        files = copy_tree(source, work / "django")
        audit_cmd = [audit_bin, "audit", "--format", "json", *jobs, "django"]
        vulture_cmd = [vulture_bin, "django"]
        changed = work / args.file
        times: dict[str, list[float]] = {"vulture": [], "cold": [], "warm": [], "changed": []}

        timed(audit_cmd, work)  # warm the cache (and the OS file cache) once
        for round_no in range(args.rounds):
            order = [("vulture", vulture_cmd), ("cold", [*audit_cmd[:2], "--no-cache", *audit_cmd[2:]])]
            if round_no % 2:
                order.reverse()
            for name, cmd in order:
                times[name].append(timed(cmd, work))
            times["warm"].append(timed(audit_cmd, work))
            touch_edit(changed, round_no)
            times["changed"].append(timed(audit_cmd, work))

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"Django source: {files} files, {args.rounds} rounds, medians:")
    print(f"  vulture                 {medians['vulture']:7.3f}s")
    failed = False
    for name in ("cold", "warm", "changed"):
        ratio = medians[name] / medians["vulture"]
        ok = ratio <= BARS[name]
        failed |= not ok
        print(
            f"  audit {name:<17} {medians[name]:7.3f}s  ratio {ratio:5.2f}x"
            f"  (bar {BARS[name]}x: {'ok' if ok else 'MISSED'})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
