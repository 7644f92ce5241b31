#!/usr/bin/env bash
# The main job on a realistic legacy igny8 checkout (examples/checkout): a whole Django +
# Celery project whose AI framework still has the three-tier model configuration.
# The checkout is copied to a temporary directory, audited, fixed and audited again;
# then Django is started on the fixed copy and the plan's runtime checks are run there
# (tests/checkout/runtime_checks.py: the three configuration errors, the 4000/0.7
# defaults, model required, both account guards, Celery's app, one AI function end to
# end against a fake OpenAI server on 127.0.0.1). Exits non-zero on any failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
tool=${IGNY8_REFACTOR:-$(dirname "$python")/igny8-refactor}
work=$(mktemp -d "${TMPDIR:-/tmp}/igny8-checkout-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
checkout=$work/checkout
failures=()
fail() { failures+=("$1"); echo "FAILED: $1" >&2; }

cp -R "$repo/examples/checkout" "$checkout"
find "$checkout" \( -name __pycache__ -o -name '*.sqlite3' \) -prune -exec rm -rf {} +
cd "$checkout"
cp -R "$checkout" "$work/legacy"

echo "== 1. audit of the legacy checkout (findings expected)"
status=0; "$tool" audit --no-cache || status=$?
[ "$status" -eq 1 ] || fail "the legacy audit exited $status, expected 1"

echo
echo "== 2. fix"
status=0; "$tool" fix --no-cache || status=$?
[ "$status" -eq 0 ] || fail "fix exited $status"
changed=$(diff -rq -x __pycache__ "$work/legacy" "$checkout" | sed "s|^Files $work/legacy/\([^ ]*\) and .*|\1|; s|$work/legacy|(legacy)|; s|$checkout|(fixed)|" || true)
echo "changed: $(echo $changed)"
outside=$(echo "$changed" | grep -v -x -E 'igny8_core/ai/(settings|ai_core|engine|tasks|__init__)\.py' | grep . || true)
[ -z "$outside" ] || fail "fix changed files outside the AI package's five plan files: $(echo $outside)"

echo
echo "== 3. audit again: only what the plan leaves to a person (not fixable)"
status=0; report=$("$tool" audit --no-cache --format json) || status=$?
"$tool" audit --no-cache || true
fixable=$(printf '%s' "$report" | "$python" -c 'import json,sys; print(sum(f["fixable"] for f in json.load(sys.stdin)))' 2>/dev/null || echo "?")
[ "$fixable" = "0" ] || fail "the audit after fix still has fixable findings ($fixable)"

echo
echo "== 4. a second fix changes nothing"
status=0; "$tool" fix --check --no-cache || status=$?
[ "$status" -eq 0 ] || fail "fix --check after fix exited $status"

echo
echo "== 5. Django starts on the fixed checkout and the plan's runtime checks pass"
observed=$(IGNY8_DB_PATH="$work/demo.sqlite3" LOG_LEVEL=CRITICAL "$python" "$repo/tests/checkout/runtime_checks.py" "$checkout" | grep '^RUNTIME-CHECKS:' | sed 's/^RUNTIME-CHECKS://')
summary=$(printf '%s' "$observed" | "$python" -c '
import json, sys
sys.path.insert(0, sys.argv[1])
from runtime_checks import fixed_expected
observed = json.loads(sys.stdin.read() or "{}")
ids = observed.pop("account_ids", None)
if observed.get("django_setup") != "ok":
    print("  django.setup(): " + observed.get("django_setup", "did not run"))
    print(observed.get("traceback", "")[-1500:])
    sys.exit(1)
expected = fixed_expected(ids)
bad = 0
for name, value in expected.items():
    ok = observed.get(name) == value
    bad += not ok
    print(("  ok    " if ok else "  FAIL  ") + name + ("" if ok else "\n        observed: %s\n        expected: %s" % (observed.get(name), value)))
sys.exit(1 if bad else 0)
' "$repo/tests/checkout")
status=$?
echo "$summary"
[ "$status" -eq 0 ] || fail "runtime checks on the fixed checkout"

echo
if [ ${#failures[@]} -eq 0 ]; then
    echo "summary: fixed checkout starts, passes the plan's runtime checks; only the five plan files changed; second fix is a no-op"
    exit 0
fi
echo "summary: ${#failures[@]} failure(s):"
printf '  - %s\n' "${failures[@]}"
exit 1
