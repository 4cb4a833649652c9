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
#endif
