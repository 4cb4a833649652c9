#!/usr/bin/env bash
# run_libfuzzer.sh SECONDS [NAME...]: builds the fuzz targets of
# tests/fuzz/CMakeLists.txt with clang (GEOLAB_FUZZ=ON: libFuzzer, ASan, UBSan)
# in build-fuzz/ and runs each (or the NAMEs given) for SECONDS seconds, JOBS
# of them at a time (default: the number of cores), on its seed corpus and
# its kept crash inputs. New corpus entries go to a temporary folder, never
# into the source tree. Prints executions and rate per target and in total;
# exits non-zero if any target crashed, leaked or hung, leaving the input
# that did it in the temporary folder (printed; once fixed, keep it as
# tests/fuzz/regress/NAME/<short-name> so that ctest replays it).
set -euo pipefail
secs=${1:-30}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
bdir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${JOBS:-$(nproc)}
CC=clang cmake -S "$root" -B "$bdir" -DCMAKE_BUILD_TYPE=Release -DGEOLAB_FUZZ=ON > /dev/null
list=$bdir/fuzz_targets.txt
names=("$@")
[ ${#names[@]} -eq 0 ] && mapfile -t names < <(cut -d' ' -f1 "$list")
t0=$SECONDS
cmake --build "$bdir" -j "$jobs" --target $(printf 'fuzz_%s ' "${names[@]}") > "$bdir/fuzz_build.log" 2>&1 ||
  { tail -30 "$bdir/fuzz_build.log"; exit 1; }
echo "fuzz: built ${#names[@]} targets in $((SECONDS - t0)) s; ${secs} s each, $jobs at a time"
tmp=$(mktemp -d /tmp/geolab-fuzz.XXXXXX)
# JOBS fuzzers share the cores, and the csv targets ask for two OpenMP
# threads: spinning workers (sched_yield) would eat the other fuzzer's time
export OMP_WAIT_POLICY=passive

run_one () {  # NAME BINARY CORPUS REGRESS
  local name=$1 bin=$2 seeds=$3 regress=$4
  mkdir -p "$tmp/corpus_$name"
  local dirs=("$tmp/corpus_$name" "$seeds")
  [ -d "$regress" ] && dirs+=("$regress")
  # the exit status goes to a file: `wait PID` later can fail on its own
  # ("not a child of this shell") once the system's PIDs have wrapped
  local rc=0
  (cd "$tmp" && "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
     -print_final_stats=1 -artifact_prefix="$tmp/$name-" "${dirs[@]}" > "$tmp/$name.log" 2>&1) || rc=$?
  echo "$rc" > "$tmp/$name.rc"
}

declare -A pids
for n in "${names[@]}"; do
  read -r name bin seeds regress < <(grep "^$n " "$list") || { echo "fuzz: no target '$n'" >&2; exit 2; }
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 0.2; done
  run_one "$name" "$bin" "$seeds" "$regress" &
  pids[$name]=$!
done

status=0 total=0
printf '%-16s %12s %10s %8s  %s\n' target executions exec/s corpus result
for n in "${names[@]}"; do
  wait "${pids[$n]}" 2> /dev/null || true
  if [ "$(cat "$tmp/$n.rc" 2> /dev/null)" = 0 ]; then res=ok; else res=FAILED; status=1; fi
  log=$tmp/$n.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corp=$(ls "$tmp/corpus_$n" | wc -l)
  total=$((total + ${execs:-0}))
  printf '%-16s %12s %10s %8s  %s\n' "$n" "${execs:-?}" "${rate:-?}" "$corp" "$res"
  if [ $res = FAILED ]; then
    echo "---- $n: $log" ; grep -E "ERROR|SUMMARY|fuzz_lua|Test unit written|^==" "$log" | head -20 || true
  fi
done
echo "fuzz: $total executions in $((SECONDS - t0)) s (build included)"
if [ $status -eq 0 ]; then rm -rf "$tmp"; else echo "fuzz: logs and crash inputs in $tmp"; fi
exit $status
