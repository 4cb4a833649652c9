#!/usr/bin/env bash
# bench/run.sh: geolab against the Python stack, side by side, and the page
# docs/performance.md written from what it measured. Not a test: nothing is
# asserted on times (tests/bench/ checks this script and bench/report.lua).
#
#   bench/run.sh [NAME...]    the cases of bench/TITLES, all of them by default
#
# A case is a pair bench/NAME.lua + bench/NAME.py listed in bench/TITLES (other
# files in bench/ are helpers). Each side prints, on stdout:
#   RESULT <row> <ms>                   the time of one row
#   CHECK <row> <what> <value> [rtol=x|atol=x]
#                                       a quantity both sides print; equal
#                                       (within the tolerance) or the row is
#                                       "not comparable"
#   VERIFIED <row> <what> <detail...>   a comparison one side made against the
#                                       other's saved output (it exits non-zero
#                                       when it fails)
#   MEM <row> <MB>                      a peak resident memory
#   ENV <key> <value...>                a setting worth recording
# Rounds are interleaved (geolab, Python, geolab, Python, ...) and the page
# gives medians and ranges over them; a ratio is printed only for rows whose
# checks passed.
#
# Environment:
#   BENCH_N=3        rounds per case (BENCH_N_<case>=n for one case)
#   BENCH_QUICK=1    a quick check of the scripts (smaller data, fewer
#                    repetitions, one round): the page goes to bench/out/,
#                    never to docs/
#   BENCH_THREADS=2  threads on both sides: geolab --threads, OMP_NUM_THREADS,
#                    OPENBLAS_NUM_THREADS (1 for the nn cases on both sides, as
#                    issue 14 prescribes for PyTorch); the Python scripts set
#                    n_jobs=2 and torch.set_num_threads(2) themselves
#   BENCH_OPENBLAS_CORETYPE  OpenBLAS's core type for both sides; unset by
#                    default (OpenBLAS then picks it from the CPU, on both sides)
#   GEOLAB, PY       the two programs (build/geolab, /usr/bin/python3)
#   BENCH_ROOT       the folder holding bench/ and data/ (this script's parent)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "${BENCH_ROOT:-$here/..}" || exit 1
GEOLAB=$(realpath "${GEOLAB:-build/geolab}" 2>/dev/null) || { echo "bench/run.sh: no geolab: build it first (./setup.sh build)" >&2; exit 1; }
PY=${PY:-/usr/bin/python3}
[ -x "$GEOLAB" ] || { echo "bench/run.sh: $GEOLAB is not executable: build geolab first" >&2; exit 1; }
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && N=${BENCH_N:-3} || N=${BENCH_N:-1}
THREADS=${BENCH_THREADS:-2}
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: BENCH_N must be a positive integer, got '$N'" >&2; exit 1; }
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: BENCH_THREADS must be a positive integer, got '$THREADS'" >&2; exit 1; }

# {====== the cases: bench/TITLES, in its order, and nothing else
[ -f bench/TITLES ] || { echo "bench/run.sh: bench/TITLES is missing" >&2; exit 1; }
all=()
while read -r name _; do
  [ -n "$name" ] && [ "${name:0:1}" != "#" ] && all+=("$name")
done < bench/TITLES
for n in "${all[@]}"; do
  for ext in lua py; do
    [ -f "bench/$n.$ext" ] || { echo "bench/run.sh: case '$n' of bench/TITLES has no bench/$n.$ext" >&2; exit 1; }
  done
done
for f in bench/*.py; do   # a pair left out of TITLES would silently never run
  n=$(basename "$f" .py)
  [ "$n" = common ] && continue   # the helpers every case loads
  if [ -f "bench/$n.lua" ] && ! printf '%s\n' "${all[@]}" | grep -qx -- "$n"; then
    echo "bench/run.sh: bench/$n.lua and bench/$n.py are not listed in bench/TITLES" >&2; exit 1
  fi
done
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")
for n in "${names[@]}"; do
  printf '%s\n' "${all[@]}" | grep -qx -- "$n" || { echo "bench/run.sh: unknown case '$n' (cases: ${all[*]})" >&2; exit 1; }
done

# {====== one environment for both sides
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE GOTO_NUM_THREADS MKL_NUM_THREADS
[ -n "${BENCH_OPENBLAS_CORETYPE:-}" ] && export OPENBLAS_CORETYPE=$BENCH_OPENBLAS_CORETYPE
export OMP_NUM_THREADS=$THREADS BENCH_THREADS=$THREADS BENCH_QUICK=$QUICK
blas_threads() { case "$1" in nn*|phasenet*) echo 1 ;; *) echo "$THREADS" ;; esac; }

out=bench/out
res=$out/results
mkdir -p "$res"
now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
{
  echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores $(nproc)"
  echo "memory_MB $(awk '/^MemTotal/ {printf "%d", $2 / 1024}' /proc/meminfo)"
  echo "os $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")"
  echo "geolab $("$GEOLAB" -v 2>&1 | head -1)"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "rounds $N"
  echo "quick $QUICK"
  echo "threads $THREADS"
  echo "openblas_coretype ${OPENBLAS_CORETYPE:-unset}"
  echo "cases ${names[*]}"
} > "$out/run.env"
# what the Python side sees: versions, OpenBLAS's chosen core (the same
# library geolab links), thread defaults
if [ -f bench/env.py ]; then
  "$PY" bench/env.py >> "$out/run.env" 2> "$out/env.err" || { echo "bench/run.sh: bench/env.py failed:" >&2; cat "$out/env.err" >&2; exit 1; }
fi
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f '%M' -o)

# {====== the rounds
failed=()
for n in "${names[@]}"; do
  d=$res/$n
  rm -rf "$d"; mkdir -p "$d"
  export OPENBLAS_NUM_THREADS
  OPENBLAS_NUM_THREADS=$(blas_threads "$n")
  echo "blas_threads $OPENBLAS_NUM_THREADS" > "$d/runs"
  nr_var=BENCH_N_$n; nr=${!nr_var:-$N}   # BENCH_N_<case>: rounds of one case
  [[ "$nr" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: $nr_var must be a positive integer, got '$nr'" >&2; exit 1; }
  echo "== $n ($nr rounds, load $(load1))" >&2
  status=ok
  for ((r = 1; r <= nr; r++)); do
    for side in geolab python; do
      if [ $side = geolab ]; then cmd=("$GEOLAB" --threads "$THREADS" "bench/$n.lua"); else cmd=("$PY" "bench/$n.py"); fi
      lb=$(load1); t0=$(now)
      if [ ${#TIME[@]} -gt 0 ]; then
        "${TIME[@]}" "$d/$side.$r.rss" "${cmd[@]}" > "$d/$side.$r.out" 2> "$d/$side.$r.err"; rc=$?
      else
        "${cmd[@]}" > "$d/$side.$r.out" 2> "$d/$side.$r.err"; rc=$?
      fi
      t1=$(now); la=$(load1)
      rss=$(tail -n 1 "$d/$side.$r.rss" 2>/dev/null); [[ "$rss" =~ ^[0-9]+$ ]] || rss=-
      echo "run $r $side rc=$rc load_before=$lb load_after=$la wall_s=$(awk "BEGIN {printf \"%.2f\", $t1 - $t0}") maxrss_kb=$rss" >> "$d/runs"
      if [ $rc -ne 0 ]; then
        status="$side exited with status $rc in round $r"
      elif ! grep -qE '^(RESULT|MEM) ' "$d/$side.$r.out"; then
        status="$side printed no RESULT (or MEM) line in round $r"
      fi
      if [ "$status" != ok ]; then
        echo "bench/run.sh: case $n: $status; its stderr ends with:" >&2
        tail -n 5 "$d/$side.$r.err" >&2
        echo "failed $status" >> "$d/runs"
        failed+=("$n")
        break 2
      fi
    done
  done
done

# {====== the page
page=docs/performance.md
if [ "$QUICK" != 0 ] || [ $# -gt 0 ]; then page=$out/performance.md; fi   # only a whole full run rewrites the manual
"$GEOLAB" "$here/report.lua" . > "$page.tmp" && mv "$page.tmp" "$page" || { echo "bench/run.sh: bench/report.lua failed" >&2; exit 1; }
echo "wrote $page" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench/run.sh: failed cases: ${failed[*]}" >&2
  exit 1
fi
