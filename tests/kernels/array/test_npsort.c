/* test_npsort.c: gl_argsort_numpy_f64 gives numpy.argsort's permutation,
 * equal keys and NaNs included (values from
 * tests/fixtures/kernels/gen_kernels.py), and a sorted permutation for
 * inputs too small to partition. */
#include <math.h>
#include <stdint.h>
#include "npsort.h"
#include "testhelp.h"
#include "../../fixtures/kernels/expected.h"

#define N(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

static void test_numpy_order (void) {
  int64_t idx[N(NPSORT_KEYS)];
  CHECK(gl_argsort_numpy_f64(N(NPSORT_KEYS), NPSORT_KEYS, idx) == 0);
  for (int64_t k = 0; k < N(NPSORT_KEYS); k++) CHECK(idx[k] == NPSORT_ORDER[k]);
}

static void test_small (void) {
  const double v[5] = {3, NAN, 1, 2, 1};
  const int64_t want[5] = {2, 4, 3, 0, 1};   /* insertion sort: stable, NaN last */
  int64_t idx[5];
  CHECK(gl_argsort_numpy_f64(5, v, idx) == 0);
  for (int k = 0; k < 5; k++) CHECK(idx[k] == want[k]);
  CHECK(gl_argsort_numpy_f64(0, v, idx) == 0);
}

int main (void) {
  test_numpy_order();
  test_small();
  return TEST_REPORT();
}
