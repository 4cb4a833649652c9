#!/bin/sh
# run_libfuzzer.sh SECONDS: builds the reader fuzz targets with clang
# (-fsanitize=fuzzer,address,undefined) in a temporary directory and runs each
# for SECONDS seconds on a copy of the seed corpus. Exits non-zero on the first
# crash; the reproducer is left in the temporary directory (printed).
set -eu
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/geolab-fuzz.XXXXXX)
echo "fuzz: building in $tmp"
kernels="$root/kernels/core/gzfile.c $root/kernels/array/npy.c $root/kernels/array/idx.c $root/kernels/array/textio.c $root/kernels/array/npz.c $root/kernels/array/dtype.c"
incs=$(for d in "$root"/kernels/*/; do printf -- "-I%s " "$d"; done)
status=0
for r in npy npz idx text gz; do
  R=$(echo $r | tr a-z A-Z)
  clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DFUZZ_READER=FUZZ_$R $incs "$root/tests/fuzz/fuzz_readers.c" $kernels \
    $(pkg-config --cflags --libs zlib libzip) -lm -o "$tmp/fuzz_$r"
  mkdir -p "$tmp/corpus_$r"
  cp "$root/tests/fuzz/corpus/$r/"* "$tmp/corpus_$r/"
  echo "fuzz: $r for ${secs}s"
  if ! (cd "$tmp" && ./fuzz_$r -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 \
          -print_final_stats=1 "corpus_$r" >"fuzz_$r.log" 2>&1); then
    echo "fuzz: $r FAILED, see $tmp/fuzz_$r.log"; tail -40 "$tmp/fuzz_$r.log"; status=1
  else
    grep -E "^stat::number_of_executed_units|^Done" "$tmp/fuzz_$r.log" | tail -1 || true
  fi
done
[ $status -eq 0 ] && rm -rf "$tmp"
exit $status
