/* interp.h: piecewise-linear interpolation (np.interp). */
#ifndef GL_INTERP_H
#define GL_INTERP_H

#include "gl_types.h"

/* out[i] = the linear interpolant of (xp, fp) at x[i], for i < n, as NumPy's
 * arr_interp computes it (same formula, same fallbacks, so results agree to
 * the last bit): x below xp[0] gives left, above xp[nxp-1] gives right, NaN
 * gives NaN. xp[0..nxp) must be non-decreasing (the binding checks) and
 * nxp >= 1. x and out may not overlap. Returns 0 or GL_EINTR. */
int gl_interp_f64(int64_t n, const double *x, int64_t nxp, const double *xp, const double *fp,
                  double left, double right, double *out);

#endif
