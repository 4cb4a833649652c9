#!/usr/bin/env bash
# bench/run.sh: runs every bench/NAME.lua with geolab and bench/NAME.py with
# Debian's python3 (NumPy/pandas/scikit-learn/matplotlib) on the same data, in
# the same run, and rewrites docs/performance.md with the times and ratios.
# Each side prints lines "RESULT <case> <milliseconds>". Not a test: no
# assertion is made on the numbers.
#   bench/run.sh [NAME...]     (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
GEOLAB=${GEOLAB:-build/geolab}
PY=${PY:-/usr/bin/python3}
[ -x "$GEOLAB" ] || { echo "build geolab first (./setup.sh build)" >&2; exit 1; }
mkdir -p bench/out
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in bench/*.lua; do names+=("$(basename "$f" .lua)"); done
fi
for n in "${names[@]}"; do
  echo "== $n" >&2
  "$GEOLAB" "bench/$n.lua" | grep '^RESULT' > "bench/out/$n.geolab"
  # OPENBLAS_CORETYPE/L2_SIZE are set on some machines for old OpenBLAS builds
  # and slow a current NumPy down: unset them for the Python side only.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" "bench/$n.py" | grep '^RESULT' > "bench/out/$n.python"
done
bench/report.lua > docs/performance.md
echo "wrote docs/performance.md" >&2
