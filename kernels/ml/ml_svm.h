/* ml_svm.h: the SMO solver of libsvm (Fan, Chen & Lin 2005, working set
 * selection by second-order information, "WSS3") for SVC and epsilon-SVR,
 * and kernel matrices. */
#ifndef GL_ML_SVM_H
#define GL_ML_SVM_H
#include "gl_types.h"

enum { GL_SVM_LINEAR = 0, GL_SVM_POLY = 1, GL_SVM_RBF = 2, GL_SVM_SIGMOID = 3 };

typedef struct gl_svm_kernel {
  int type;
  double gamma, coef0;
  int degree;
} gl_svm_kernel;

/* Solves min 1/2 a'Qa + p'a, y'a = const, 0 <= a_t <= C_t over nv
 * variables, where Q_st = y_s y_t K(x[s mod l], x[t mod l]) and X holds the l
 * points (l x d, row-major). nv = l for classification, 2l for epsilon-SVR
 * (variables l..2l-1 are the second copies of the points). alpha (nv) is the
 * starting point (feasible; zeros in practice) and the result; rho receives
 * the offset (decision = sum_t alpha_t y_t K(x_t, x) - rho). Stops when the
 * maximal violation is below eps or after max_iter iterations (<= 0: libsvm's
 * default, max(10^7, 100 nv)). cache_bytes bounds the kernel row cache;
 * shrinking: libsvm's heuristic (sklearn's shrinking=True).
 * Returns 0, GL_ENOMEM or GL_EINTR. */
int gl_ml_svm_solve_f64(int64_t l, int64_t d, const double *X, int64_t nv, const double *y,
                        const double *p, const double *C, const gl_svm_kernel *k, double eps,
                        int64_t max_iter, size_t cache_bytes, int shrinking, double *alpha,
                        double *rho, int64_t *n_iter);

/* K (m x n) = kernel(A (m x d), B (n x d)), row-major. */
int gl_ml_svm_kernel_f64(int64_t m, int64_t n, int64_t d, const double *A, const double *B,
                         const gl_svm_kernel *k, double *K);

/* out (m x np) = K(A (m x d), SV (ns x d)) W^T, W np x ns (row-major), computed
 * by blocks of rows with a scratch of at most 256 x ns. Returns 0 or GL_ENOMEM. */
int gl_ml_svm_decision_f64(int64_t m, int64_t ns, int64_t d, int64_t np, const double *A,
                           const double *SV, const double *W, const gl_svm_kernel *k, double *out);
#endif
