#!/usr/bin/env bash
# The main job on the bundled example: a legacy igny8 checkout (igny8_core with the
# pre-refactor AI framework of tests/fixtures/legacy overlaid) is audited, fixed, and
# audited again; the rewritten AI framework is then compared with igny8_core/ai.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
work=$(mktemp -d "${TMPDIR:-/tmp}/igny8-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
checkout=$work/checkout

mkdir -p "$checkout"
cp -R "$repo/igny8_core" "$repo/manage.py" "$checkout/"
cp -R "$repo/tests/fixtures/legacy/igny8_core/." "$checkout/igny8_core/"
find "$checkout" -name __pycache__ -prune -exec rm -rf {} +
cat > "$checkout/setup.cfg" <<'CFG'
[igny8_refactor]
paths = igny8_core
exclude = igny8_core/*/migrations
CFG
cd "$checkout"
run() { "$python" -m igny8_refactor "$@"; }

echo "== 1. audit of the legacy checkout (findings expected)"
status=0; run audit --no-cache || status=$?
[ "$status" -eq 1 ] || { echo "expected exit 1 from the legacy audit, got $status" >&2; exit 1; }

echo
echo "== 2. fix --diff (what would change)"
status=0; run fix --diff --no-cache || status=$?
[ "$status" -eq 1 ] || { echo "expected exit 1 from fix --diff, got $status" >&2; exit 1; }

echo
echo "== 3. fix (rewrite in place)"
run fix --no-cache

echo
echo "== 4. audit again (clean) and fix --check (nothing left to change)"
run audit --no-cache
run fix --check --no-cache

echo
echo "== 5. the rewritten AI framework equals igny8_core/ai byte for byte"
diff -r -x __pycache__ "$repo/igny8_core/ai" "$checkout/igny8_core/ai"
echo "identical: $(find "$checkout/igny8_core/ai" -name '*.py' | wc -l) files"
