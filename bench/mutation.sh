#!/usr/bin/env bash
# Mutation testing (bench/mutation.md) in the installed layout: mutmut names a mutant by its file's
# path, and the tests import `igny8_refactor.audit.x`, so the run happens in a copy of the tree
# where audit/ and codemods/ sit inside igny8_refactor/, as setup.cfg's package_dir installs them.
# Usage: bash bench/mutation.sh [mutmut run arguments]; then `cd $MUTATION_DIR && mutmut results`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${MUTATION_DIR:-/tmp/igny8-mutation}
rm -rf "$work"
mkdir -p "$work"
cp -r "$repo"/{igny8_refactor,tests,igny8_core,examples,setup.cfg,pyproject.toml,manage.py} "$work"/
cp -r "$repo/audit" "$work/igny8_refactor/audit"
cp -r "$repo/codemods" "$work/igny8_refactor/codemods"
find "$work" -name __pycache__ -prune -exec rm -rf {} +
cd "$work"
"$repo/.venv/bin/mutmut" run --max-children 1 "$@"
