/* test_interp.c: gl_interp_f64: interior points, exact knots, outside values,
 * NaN, repeated knots, a single knot, and infinite values handled with
 * NumPy's fallbacks. */
#include <math.h>
#include "interp.h"
#include "testhelp.h"

static void test_basic (void) {
  const double xp[4] = {0, 1, 1.5, 3}, fp[4] = {0, 2, -1, 4};
  const double x[9] = {-1, 0, 0.5, 1, 1.25, 2, 3, 4, NAN};
  double out[9];
  CHECK(gl_interp_f64(9, x, 4, xp, fp, -7, 9, out) == 0);
  CHECK(out[0] == -7);                     /* left */
  CHECK(out[1] == 0 && out[3] == 2);       /* knots exactly */
  CLOSE(out[2], 1, 0);
  CLOSE(out[4], 0.5, 1e-15);
  CLOSE(out[5], -1 + 5.0 / 3.0, 1e-15);
  CHECK(out[6] == 4);                      /* the last knot */
  CHECK(out[7] == 9);                      /* right */
  CHECK(isnan(out[8]));
}

static void test_edges (void) {
  /* repeated knots: the last one at or below x counts, as in NumPy */
  const double xp[4] = {0, 1, 1, 2}, fp[4] = {0, 1, 5, 6};
  const double x[3] = {1, 1.5, 0.5};
  double out[3];
  CHECK(gl_interp_f64(3, x, 4, xp, fp, 0, 0, out) == 0);
  CHECK(out[0] == 5);
  CLOSE(out[1], 5.5, 1e-15);
  CLOSE(out[2], 0.5, 1e-15);
  /* one knot: left, the value, right; NaN x gives the value (NumPy) */
  const double one_x[4] = {-1, 2, 3, NAN}, kx = 2, kf = 7;
  double o1[4];
  CHECK(gl_interp_f64(4, one_x, 1, &kx, &kf, -1, 1, o1) == 0);
  CHECK(o1[0] == -1 && o1[1] == 7 && o1[2] == 1 && o1[3] == 7);
  /* an infinite value: the fallback from the right end, then fp[j] */
  const double ixp[3] = {0, 1, 2}, ifp[3] = {INFINITY, INFINITY, 0};
  const double ix[2] = {0.5, 1.5};
  double io[2];
  CHECK(gl_interp_f64(2, ix, 3, ixp, ifp, 0, 0, io) == 0);
  CHECK(io[0] == INFINITY);
  CHECK(io[1] == INFINITY);
}

int main (void) {
  test_basic();
  test_edges();
  return TEST_REPORT();
}
