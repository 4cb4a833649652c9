/* ml_neighbors.h: brute-force k nearest neighbours with BLAS distance blocks. */
#ifndef GL_ML_NEIGHBORS_H
#define GL_ML_NEIGHBORS_H
#include "gl_types.h"

/* For each of the m queries Q (m x d, row-major) the k nearest of the n
 * points X (n x d): Euclidean distances into dist (m x k) and 0-based
 * indices into ind (m x k), nearest first, ties by index. Candidates are
 * chosen with |x|^2 - 2 q.x in float32 (sgemm tiles of 64 queries x 2048
 * points, twice the speed of dgemm): the k + 8 best are kept, their
 * distances recomputed exactly in float64 and the k best of those returned,
 * so float32 rounding could only matter if more than 8 points lay within
 * float32 precision of the k-th distance. OpenMP over query blocks (each
 * block's result does not depend on the thread count). k <= n. Returns 0,
 * GL_ENOMEM or GL_EINTR. */
int gl_ml_knn_brute_f64(int64_t n, int64_t m, int64_t d, const double *X, const double *Q, int64_t k,
                        double *dist, int64_t *ind);
#endif
