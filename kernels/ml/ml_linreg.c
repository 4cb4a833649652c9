/* ml_linreg.c: ordinary least squares for LinearRegression (see ml_linear.h).
 *
 * Algorithm note. scikit-learn centres X and y (fit_intercept) and calls
 * scipy.linalg.lstsq (gelsd: an SVD, singular values <= eps * largest
 * treated as zero). For a tall X the same answer comes cheaper from a QR
 * factorisation, which is also what gelsd starts with: the centred columns
 * and y are written once, column-major, into A = [Xc | yc] (one pass over
 * X after one pass for the means), and dgeqrf of A leaves R (p x p) and
 * c = Q^T yc (the top of its last column; the Householder reflectors of X's
 * columns applied to yc, as dormqr would). The singular values of R are X's,
 * which gives singular_ and scipy's rank rule; with full rank, R w = c is
 * solved by back substitution (dtrtrs), otherwise w is the minimum-norm
 * solution from R's SVD with the same cut-off as gelsd. Sums run in fixed
 * blocks in a fixed order, and BLAS on one thread, so results do not depend
 * on the thread count. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>
#include "gl_mem.h"
#include "ml_linear.h"

#define LR_BLOCK 4096

int gl_ml_linreg_f64 (int64_t n, int64_t p, const double *X, int64_t rs, int64_t cs,
                      const double *y, int64_t ys, int fit_intercept,
                      double *coef, double *sv, int64_t *rank, double *xo, double *yo) {
  if (n < p + 1 || p < 1 || n > INT32_MAX) return GL_EINVAL;
  int64_t q = p + 1;
  double *A = gl_malloc_big((size_t)(n * q) * sizeof *A);
  double *W = malloc((size_t)(4 * q * q + 3 * q) * sizeof *W);
  int rc = GL_OK;
  if (!A || !W) { rc = GL_ENOMEM; goto done; }
  /* R, its copy for the SVD, U, V^T (p x p each, column-major), tau, sums */
  double *R = W, *Rc = R + q * q, *U = Rc + q * q, *Vt = U + q * q, *tau = Vt + q * q, *acc = tau + q, *blk = acc + q;
  /* means in blocks of LR_BLOCK rows, added in block order */
  for (int64_t j = 0; j < q; j++) acc[j] = 0;
  if (fit_intercept) {
    for (int64_t b0 = 0; b0 < n; b0 += LR_BLOCK) {
      int64_t b1 = b0 + LR_BLOCK < n ? b0 + LR_BLOCK : n;
      for (int64_t j = 0; j < q; j++) blk[j] = 0;
      for (int64_t i = b0; i < b1; i++) {
        const double *x = X + i * rs;
        for (int64_t j = 0; j < p; j++) blk[j] += x[j * cs];
        blk[p] += y[i * ys];
      }
      for (int64_t j = 0; j < q; j++) acc[j] += blk[j];
    }
    for (int64_t j = 0; j < q; j++) acc[j] /= (double)n;
  }
  for (int64_t j = 0; j < p; j++) xo[j] = acc[j];
  *yo = acc[p];
  /* A = [X - xo | y - yo], column-major; finite data whose centring
     overflows (values near 1e308) is caught by the sum of v * 0 */
  double nan = 0;
  for (int64_t i = 0; i < n; i++) {
    const double *x = X + i * rs;
    for (int64_t j = 0; j < p; j++) { double v = x[j * cs] - acc[j]; A[j * n + i] = v; nan += v * 0.0; }
    double v = y[i * ys] - acc[p];
    A[p * n + i] = v; nan += v * 0.0;
  }
  for (int64_t j = 0; j < q; j++) nan += acc[j] * 0.0;
  if (nan != 0) { rc = GL_ERANGE; goto done; }
  if (gl_interrupted()) { rc = GL_EINTR; goto done; }
  /* one BLAS thread: OpenBLAS's own split would make results depend on it */
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)q, A, (lapack_int)n, tau)) {
    rc = GL_ESINGULAR; goto done;
  }
  /* R (p x p, upper) and c = Q^T yc (q-th column, rows 0..p-1) */
  for (int64_t j = 0; j < p; j++)
    for (int64_t i = 0; i < p; i++) R[j * p + i] = i <= j ? A[j * n + i] : 0.0;
  for (int64_t i = 0; i < p; i++) coef[i] = A[p * n + i];
  memcpy(Rc, R, (size_t)(p * p) * sizeof *R);
  /* singular values of R (= X's); U and V^T for the rank-deficient case */
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'A', (lapack_int)p, (lapack_int)p, Rc, (lapack_int)p, sv,
                     U, (lapack_int)p, Vt, (lapack_int)p)) { rc = GL_ESINGULAR; goto done; }
  int64_t r = 0;
  for (int64_t i = 0; i < p; i++) if (sv[i] > DBL_EPSILON * sv[0]) r++;
  *rank = r;
  if (r == p) {
    if (LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N', (lapack_int)p, 1, R, (lapack_int)p, coef, (lapack_int)p))
      rc = GL_ESINGULAR;
  } else {
    /* minimum-norm: w = V diag(1/s_i, s_i > cut) U^T c */
    double *t = acc;
    for (int64_t i = 0; i < p; i++) {
      double s = 0;
      if (i < r) for (int64_t k = 0; k < p; k++) s += U[i * p + k] * coef[k];
      t[i] = i < r ? s / sv[i] : 0.0;
    }
    for (int64_t k = 0; k < p; k++) {
      double s = 0;
      for (int64_t i = 0; i < r; i++) s += Vt[k * p + i] * t[i];
      coef[k] = s;
    }
  }
  for (int64_t i = 0; i < p && !rc; i++) if (!isfinite(coef[i]) || !isfinite(sv[i])) rc = GL_ERANGE;
done:
  free(A); free(W);
  return rc;
}
