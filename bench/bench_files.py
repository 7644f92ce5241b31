"""Per-file cost: each file's audit scan against its own parse, to find pathological files.

    .venv/bin/python bench/bench_files.py [TREE ...] [--repeat 3] [--top 10] [--limit 10]

For every .py file under each TREE (default: the installed Django and examples/checkout),
the best of `--repeat` timings (CPU time of this process, so another process's load counts
little) of `ast.parse` and of the audit's whole per-file pass (`audit.scan.scan_file`: read,
decode, parse, walk, and the LibCST rules where the file spells what a rule looks for) are
compared. It prints the `--top` worst ratios and how many files exceed `--limit` times their
parse; files whose parse takes under 0.2 ms are left out (their ratio is noise).
Exit status 1 when a file exceeds the limit.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from igny8_refactor.audit.config import Config  # noqa: E402
from igny8_refactor.audit.files import discover  # noqa: E402
from igny8_refactor.audit.records import ScanSettings  # noqa: E402
from igny8_refactor.audit.scan import scan_file  # noqa: E402

FLOOR = 0.0002  # seconds of parse below which a ratio says nothing


def best(repeat: int, call) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--limit", type=float, default=10.0)
    args = parser.parse_args(argv)
    trees = args.trees
    if not trees:
        import django

        trees = [Path(django.__file__).parent, REPO / "examples" / "checkout"]
    settings = ScanSettings.from_config(Config())
    rows = []
    warnings.simplefilter("ignore")
    for tree in trees:
        tree = tree.resolve()
        for source in discover([str(tree)], (), tree, {tree}).files:
            data = Path(source.path).read_bytes()
            try:
                ast.parse(data)
            except (SyntaxError, ValueError):
                continue
            parse = best(args.repeat, lambda: ast.parse(data))
            if parse < FLOOR:
                continue
            scan = best(
                args.repeat, lambda: scan_file(source.path, source.module, source.is_package, settings, data=data)
            )
            rows.append((scan / parse, scan, parse, source.path))
    rows.sort(reverse=True)
    over = [row for row in rows if row[0] > args.limit]
    print(
        f"{len(rows)} files; scan / parse: median {rows[len(rows) // 2][0]:.2f}x, worst {rows[0][0]:.1f}x; "
        f"{len(over)} over {args.limit}x"
    )
    for ratio, scan, parse, path in rows[: args.top]:
        print(f"  {ratio:6.1f}x  scan {scan * 1000:8.2f} ms  parse {parse * 1000:7.2f} ms  {path}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
