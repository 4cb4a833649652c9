/* interp.c: np.interp's kernel.
 *
 * Algorithm (NumPy's numpy/core/src/multiarray/compiled_base.c, arr_interp):
 * for each x find j with xp[j] <= x < xp[j+1] by bisection, then
 * fp[j] + slope * (x - xp[j]). When that is NaN (an infinite fp or slope),
 * retry from the right end, and if fp[j] == fp[j+1] use fp[j]. An x equal to
 * xp[j] takes fp[j] exactly. Elements are independent, so the result does not
 * depend on the thread count. */
#include <math.h>
#include "interp.h"

/* The j of the note above; -1 below xp[0], nxp above xp[nxp-1], nxp-1 at it.
 * With repeated xp values, the last j with xp[j] <= x. */
static int64_t locate (double x, int64_t nxp, const double *xp) {
  if (x < xp[0]) return -1;
  if (x > xp[nxp - 1]) return nxp;
  if (x == xp[nxp - 1]) return nxp - 1;
  int64_t lo = 0, hi = nxp - 1;   /* xp[lo] <= x < xp[hi] */
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (xp[mid] <= x) lo = mid; else hi = mid;
  }
  return lo;
}

static double interp1 (double x, int64_t nxp, const double *xp, const double *fp, double left, double right) {
  if (isnan(x)) return x;
  int64_t j = locate(x, nxp, xp);
  if (j == -1) return left;
  if (j == nxp) return right;
  if (j == nxp - 1 || xp[j] == x) return fp[j];
  double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  double r = slope * (x - xp[j]) + fp[j];
  if (isnan(r)) {
    r = slope * (x - xp[j + 1]) + fp[j + 1];
    if (isnan(r) && fp[j] == fp[j + 1]) r = fp[j];
  }
  return r;
}

int gl_interp_f64 (int64_t n, const double *x, int64_t nxp, const double *xp, const double *fp,
                   double left, double right, double *out) {
  if (nxp == 1) {   /* NumPy's special case: no interval, NaN x gives fp[0] */
    for (int64_t i = 0; i < n; i++)
      out[i] = x[i] < xp[0] ? left : x[i] > xp[0] ? right : fp[0];
    return GL_OK;
  }
  for (int64_t i = 0; i < n; i++) {
    if ((i & 0xFFFFF) == 0 && gl_interrupted()) return GL_EINTR;
    out[i] = interp1(x[i], nxp, xp, fp, left, right);
  }
  return GL_OK;
}
