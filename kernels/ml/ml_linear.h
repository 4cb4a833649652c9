/* ml_linear.h: solvers of the linear models that LAPACK does not cover. */
#ifndef GL_ML_LINEAR_H
#define GL_ML_LINEAR_H
#include "gl_types.h"

/* Elastic-net coordinate descent (scikit-learn's enet_coordinate_descent,
 * cyclic): minimises 1/2 ||y - X w||^2 + alpha ||w||_1 + beta/2 ||w||^2 over
 * w (p), starting from the given w. X is column-major (n x p, column f at
 * X + f*n), y has n values. Stops when the duality gap is below
 * tol * ||y||^2 (checked whenever the largest coordinate change is below
 * tol times the largest coefficient) or after max_iter sweeps. R (n) is
 * scratch. Outputs the gap and the number of sweeps. Returns 0 or GL_EINTR. */
int gl_ml_enet_cd_f64(int64_t n, int64_t p, const double *X, const double *y, double *w,
                      double alpha, double beta, int64_t max_iter, double tol, int positive,
                      double *R, double *gap_out, int64_t *iter_out);
/* Ordinary least squares as scikit-learn's LinearRegression (ml_linreg.c):
 * X (n x p, strides rs/cs in elements), y (n, stride ys), n >= p + 1. With
 * fit_intercept the column means xo (p) and *yo are removed first (else
 * zeros). Outputs coef (p), the singular values sv (p, descending) of the
 * centred X and its rank (scipy's rule: sv > eps * sv[0]); rank-deficient
 * problems get the minimum-norm solution. GL_ERANGE when the centred data
 * (or the results) overflow, GL_EINVAL for n < p + 1. Allocates its scratch (n * (p + 1)). */
int gl_ml_linreg_f64(int64_t n, int64_t p, const double *X, int64_t rs, int64_t cs,
                     const double *y, int64_t ys, int fit_intercept,
                     double *coef, double *sv, int64_t *rank, double *xo, double *yo);
#endif
