/* test_stats.c: histogram edges and counts, bincount and nonzero against
 * NumPy 1.24 (np.histogram_bin_edges, np.histogram with and without weights,
 * uniform and irregular edges, np.bincount; values from
 * tests/fixtures/kernels/gen_kernels.py). The kernels are float64 only: the
 * binding converts float32 input first, as np.histogram computes in float64. */
#include <math.h>
#include <stdint.h>
#include "stats.h"
#include "testhelp.h"
#include "../../fixtures/kernels/expected.h"

#define N(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

static void test_edges (void) {
  double e5[6], e7[8];
  gl_hist_edges(5, 0, 1, e5);
  for (int i = 0; i < 6; i++) CHECK(e5[i] == HIST_EDGES5[i]);
  gl_hist_edges(7, 0.1, 0.8, e7);      /* np.linspace's arithmetic, bit for bit */
  for (int i = 0; i < 8; i++) CHECK(e7[i] == HIST_EDGES7[i]);
}

static void test_histogram (void) {
  int64_t n = N(HIST_X), c[5];
  double w[5], e[6];
  gl_hist_edges(5, 0, 1, e);
  CHECK(gl_histogram_f64(n, HIST_X, NULL, 5, e, 1, c, NULL) == GL_OK);
  for (int i = 0; i < 5; i++) CHECK(c[i] == HIST_COUNTS5[i]);
  CHECK(gl_histogram_f64(n, HIST_X, HIST_W, 5, e, 1, NULL, w) == GL_OK);
  for (int i = 0; i < 5; i++) CLOSE(w[i], HIST_WSUM5[i], 0);   /* sums in input order, as NumPy's bincount */
  /* the same edges searched rather than computed give the same counts */
  CHECK(gl_histogram_f64(n, HIST_X, NULL, 5, e, 0, c, NULL) == GL_OK);
  for (int i = 0; i < 5; i++) CHECK(c[i] == HIST_COUNTS5[i]);
  int64_t ci[4];
  CHECK(gl_histogram_f64(n, HIST_X, NULL, 4, HIST_EDGES_IRR, 0, ci, NULL) == GL_OK);
  for (int i = 0; i < 4; i++) CHECK(ci[i] == HIST_COUNTS_IRR[i]);
  /* a strided view is copied by the binding; here: every other value */
  double half[6];
  int64_t ch[5], want[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 6; i++) {
    half[i] = HIST_X[2 * i];
    double v = half[i];
    if (v >= 0 && v <= 1) want[v == 1 ? 4 : (int)(v * 5)]++;
  }
  CHECK(gl_histogram_f64(6, half, NULL, 5, e, 1, ch, NULL) == GL_OK);
  for (int i = 0; i < 5; i++) CHECK(ch[i] == want[i]);
}

static void test_bincount_nonzero (void) {
  int64_t n = N(BIN_X), c[7];
  double w[7];
  CHECK(gl_bincount(n, BIN_X, NULL, 7, c, NULL) == GL_OK);
  for (int i = 0; i < 7; i++) CHECK(c[i] == BIN_COUNTS[i]);
  CHECK(gl_bincount(n, BIN_X, BIN_W, 7, NULL, w) == GL_OK);
  for (int i = 0; i < 7; i++) CHECK(w[i] == BIN_WSUM[i]);
  CHECK(gl_bincount(n, BIN_X, NULL, 5, c, NULL) == GL_ERANGE);   /* 5 is out of [0, 5) */
  gl_bool m[9] = {0, 1, 0, 0, 1, 1, 0, 0, 1};
  int64_t pos[9];
  CHECK(gl_nonzero_u8(9, m, NULL) == 4);
  CHECK(gl_nonzero_u8(9, m, pos) == 4);
  CHECK(pos[0] == 1 && pos[1] == 4 && pos[2] == 5 && pos[3] == 8);   /* 0-based: the binding adds 1 */
  CHECK(gl_nonzero_u8(0, m, pos) == 0);
}

int main (void) {
  test_edges();
  test_histogram();
  test_bincount_nonzero();
  return TEST_REPORT();
}
