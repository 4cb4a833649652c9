/* fuzz_readers.c: libFuzzer target over the reader kernels. Built once per
 * reader with -DFUZZ_READER=FUZZ_NPY (etc.) by tests/fuzz/CMakeLists.txt
 * (GEOLAB_FUZZ=ON) or tests/fuzz/run_libfuzzer.sh. */
#include <stddef.h>
#include <stdint.h>
#include "fuzz_common.h"

#ifndef FUZZ_READER
#define FUZZ_READER FUZZ_NPY
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  fuzz_run(FUZZ_READER, data, size);
  return 0;
}
