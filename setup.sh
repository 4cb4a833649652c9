#!/usr/bin/env bash
# setup.sh: installs what geolab needs on Debian 12, builds it, then runs
#   ./setup.sh demo        practical 1, river sensor calibration (figures in figures/)
#   ./setup.sh test        the whole test suite (ctest)
#   ./setup.sh test-asan   the test suite built with AddressSanitizer + UBSan
#   ./setup.sh build       just the build (build/geolab)
#   ./setup.sh fuzz [SECS] libFuzzer on every reader (tests/fuzz/CMakeLists.txt), SECS seconds each (clang)
#   ./setup.sh package     the .deb (cpack), unpacked into a scratch root and run from there
#   ./setup.sh test-tsan   the test suite under ThreadSanitizer (see docs/dev/ci.md)
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES="cmake make gcc pkg-config lua5.4 liblua5.4-dev libopenblas-dev liblapacke-dev \
libpng-dev zlib1g-dev libcairo2-dev libfreetype-dev libfontconfig-dev libreadline-dev libfftw3-dev \
libzip-dev libmseed-dev libseccomp-dev libzmq3-dev libjansson-dev libssl-dev fonts-dejavu-core dataset-fashion-mnist"

install_packages () {
  local missing=""
  for p in $PACKAGES ${EXTRA_PACKAGES:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "geolab needs these Debian packages:$missing" >&2
    echo "Run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
  fi
  echo "Installing:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing > /dev/null
}

build () {  # build DIR [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DGEOLAB_WERROR=ON "$@" > /dev/null
  cmake --build "$dir" -j "$(nproc)"
}

mode=${1:-demo}
[ "$mode" = fuzz ] && EXTRA_PACKAGES="clang libclang-rt-14-dev libomp-14-dev"
[ "$mode" = package ] && EXTRA_PACKAGES="dpkg-dev file"
[ "$mode" = test-tsan ] && EXTRA_PACKAGES="clang libclang-rt-14-dev libomp-14-dev"
install_packages
case "$mode" in
  build) build build ;;
  demo) build build && ./build/geolab scripts/01_calibration.lua figures ;;
  test) build build && ctest --test-dir build --output-on-failure -j "$(nproc)" ;;
  test-asan)
    build build-asan -DGEOLAB_SANITIZE=ON
    # allocator_may_return_null: a refused allocation returns NULL as malloc
    # does, so tests/array/array_limits.lua checks geolab's own error for it
    # GEOLAB_PRACTICALS_ONE_RUN: the practicals run once each (2 threads),
    # not twice; the 1- against 2-thread comparison is the plain build's
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      GEOLAB_PRACTICALS_ONE_RUN=1 ctest --test-dir build-asan --output-on-failure -j "$(nproc)" ;;
  fuzz) tests/fuzz/run_libfuzzer.sh "${2:-30}" ;;
  package)
    # The .deb is unpacked with dpkg-deb -x into a scratch root (never
    # installed into this system) and run from there: the program, one
    # practical (data from this tree) and the module from a stock lua5.4.
    build build-pkg -DCMAKE_INSTALL_PREFIX=/usr
    rm -f build-pkg/geolab_*.deb
    (cd build-pkg && cpack -G DEB > /dev/null)
    deb=$(ls build-pkg/geolab_*.deb)
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    dpkg-deb -x "$deb" "$root"
    echo "$deb: $(du -k "$deb" | cut -f1) KB; Depends: $(dpkg-deb -f "$deb" Depends)"
    "$root/usr/bin/geolab" -e 'print(np.arange(3) * 2)' | grep -qx 'array(\[0, 2, 4\])'
    "$root/usr/bin/geolab" scripts/05_exam_example.lua "$root/figures" | diff - scripts/05_exam_example.expected
    grep -q '^\.TH GEOLAB 1' "$root/usr/share/man/man1/geolab.1"
    lua5.4 -e "package.cpath = '$root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/lua/5.4/?.so;' .. package.cpath
               assert(tostring(require('geolab.array').arange(3)) == 'array([0, 1, 2])')"
    echo "package OK: geolab, a practical and the Lua module run from the unpacked .deb" ;;
  test-tsan)
    # Kernel tests and the Lua tests that run OpenMP kernels through geolab
    # (a regex of test names as $2 overrides: "." runs the whole suite, some
    # hours under TSan). Archer (OMP_TOOL_LIBRARIES) tells TSan about libomp's
    # barriers and locks. geolab uses every core by default, so regions fork.
    CC=clang build build-tsan -DGEOLAB_TSAN=ON
    OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so \
    TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1" \
      ctest --test-dir build-tsan --output-on-failure -j "$(nproc)" --timeout 3000 \
        -R "${2:-^kernels\.|^lua\.(cluster_(core|contract)|spatial_(kdtree|eigen)|ml_determinism|ml_trees_exact|frame_read|array_reduce)}" ;;
  *) echo "usage: ./setup.sh [demo|test|test-asan|test-tsan|build|package|fuzz [SECS]]" >&2; exit 2 ;;
esac
