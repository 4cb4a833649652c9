/* linalg.h: matrix products (BLAS) and decompositions (LAPACKE) on plain buffers.
 *
 * Matrices passed to the decompositions are C-contiguous (row-major) and are
 * overwritten unless marked const; the binding hands over a private copy.
 * Kernels allocate only their own scratch (LAPACK work arrays, pivots) and
 * free it before returning. Sizes are int64_t; a size LAPACK cannot take
 * (> INT32_MAX) gives GL_ERANGE. Numerical failure (singular matrix, no
 * convergence, not positive definite) gives GL_ESINGULAR. */
#ifndef GL_LINALG_H
#define GL_LINALG_H

#include "gl_types.h"

/* ---- products ----
 * C[m,n] = A[m,k] @ B[k,n]. A and B are described by element strides
 * (row stride, column stride) of any sign; C is row-major with leading
 * dimension ldc >= n. A view that is a transpose of contiguous data goes to
 * BLAS with a transpose flag; any other layout is copied into scratch first.
 * Large products run in row blocks and poll gl_interrupted() between them
 * (GL_EINTR). The row split follows the shape only, never the thread count,
 * so the results are the same for any thread count; they are not guaranteed
 * to be those of an unsplit product (OpenBLAS's kernels for a 32-row block can
 * round differently from a 64-row one: seen on 64x784x48 float32). */
int gl_linalg_matmul_f64(int64_t m, int64_t n, int64_t k,
                         const double *a, int64_t a_rs, int64_t a_cs,
                         const double *b, int64_t b_rs, int64_t b_cs,
                         double *c, int64_t ldc);
int gl_linalg_matmul_f32(int64_t m, int64_t n, int64_t k,
                         const float *a, int64_t a_rs, int64_t a_cs,
                         const float *b, int64_t b_rs, int64_t b_cs,
                         float *c, int64_t ldc);
/* C = A @ B + beta C with the same row split (beta 0: C is not read). With
 * beta 1 and C holding a broadcast bias this is PyTorch's addmm: BLAS adds
 * the product's partial sums into C, so the last bits may differ from
 * (A @ B) + bias; and a gradient accumulated in place as C += A @ B. */
int gl_linalg_gemm_f64(int64_t m, int64_t n, int64_t k,
                       const double *a, int64_t a_rs, int64_t a_cs,
                       const double *b, int64_t b_rs, int64_t b_cs,
                       double beta, double *c, int64_t ldc);
int gl_linalg_gemm_f32(int64_t m, int64_t n, int64_t k,
                       const float *a, int64_t a_rs, int64_t a_cs,
                       const float *b, int64_t b_rs, int64_t b_cs,
                       float beta, float *c, int64_t ldc);
/* gemm with the row split's minimum work per shared block given: blocks of at
 * least share_work multiply-adds (still at least 32 rows, from the shape
 * only) instead of GL_LINALG_SHARE. nn's Linear forward asks for 2^24, so
 * that a batch of 1000 through a 784x48 layer is shared by two threads; a
 * smaller share changes which products are split, hence their last bits,
 * which np.matmul keeps as they were. */
#define GL_LINALG_SHARE ((int64_t)1 << 26)
int gl_linalg_gemm_share_f64(int64_t m, int64_t n, int64_t k,
                             const double *a, int64_t a_rs, int64_t a_cs,
                             const double *b, int64_t b_rs, int64_t b_cs,
                             double beta, double *c, int64_t ldc, int64_t share_work);
int gl_linalg_gemm_share_f32(int64_t m, int64_t n, int64_t k,
                             const float *a, int64_t a_rs, int64_t a_cs,
                             const float *b, int64_t b_rs, int64_t b_cs,
                             float beta, float *c, int64_t ldc, int64_t share_work);
/* gemm in row blocks of mb rows (the last may be shorter; mb < 1 or >= m:
 * one block), shared by threads. The blocks are the caller's, so the bits
 * depend on mb, never on the thread count. gl_linalg_row_block gives
 * gl_linalg_gemm_share's mb. */
int gl_linalg_gemm_rows_f64(int64_t m, int64_t n, int64_t k,
                            const double *a, int64_t a_rs, int64_t a_cs,
                            const double *b, int64_t b_rs, int64_t b_cs,
                            double beta, double *c, int64_t ldc, int64_t mb);
int gl_linalg_gemm_rows_f32(int64_t m, int64_t n, int64_t k,
                            const float *a, int64_t a_rs, int64_t a_cs,
                            const float *b, int64_t b_rs, int64_t b_cs,
                            float beta, float *c, int64_t ldc, int64_t mb);
int64_t gl_linalg_row_block(int64_t m, int64_t n, int64_t k, int64_t share_work);
/* Exact integer product (wrapping on overflow, like NumPy). */
/* Complex products (linalg_complex.c), same arguments. */
int gl_linalg_matmul_c64(int64_t m, int64_t n, int64_t k, const gl_c64 *a, int64_t a_rs, int64_t a_cs,
                         const gl_c64 *b, int64_t b_rs, int64_t b_cs, gl_c64 *c, int64_t ldc);
int gl_linalg_matmul_c128(int64_t m, int64_t n, int64_t k, const gl_c128 *a, int64_t a_rs, int64_t a_cs,
                          const gl_c128 *b, int64_t b_rs, int64_t b_cs, gl_c128 *c, int64_t ldc);
int gl_linalg_matmul_i64(int64_t m, int64_t n, int64_t k,
                         const int64_t *a, int64_t a_rs, int64_t a_cs,
                         const int64_t *b, int64_t b_rs, int64_t b_cs,
                         int64_t *c, int64_t ldc);

/* 1 if all n elements (stride inc) are finite, else 0. */
int gl_linalg_isfinite_f64(int64_t n, const double *x, int64_t inc);
int gl_linalg_isfinite_f32(int64_t n, const float *x, int64_t inc);

/* ---- decompositions (row-major, in place) ---- */

/* Solves A X = B. a: n*n (destroyed), b: n*nrhs, overwritten by X. */
int gl_linalg_solve_f64(int64_t n, int64_t nrhs, double *a, double *b);
int gl_linalg_solve_f32(int64_t n, int64_t nrhs, float *a, float *b);

/* a (n*n) is replaced by its inverse. */
int gl_linalg_inv_f64(int64_t n, double *a);
int gl_linalg_inv_f32(int64_t n, float *a);

/* sign and log|det| of a (n*n, destroyed); a singular matrix gives sign 0 and
 * logdet -inf (not an error), as in NumPy. */
int gl_linalg_slogdet_f64(int64_t n, double *a, double *sign, double *logdet);
int gl_linalg_slogdet_f32(int64_t n, float *a, float *sign, float *logdet);

/* Least squares by SVD (gelsd). a: m*n (destroyed); b: max(m,n)*nrhs holding
 * B in its first m rows, its first n rows overwritten by X; s: min(m,n)
 * singular values; rcond < 0 means eps*max(m,n) (NumPy's default). */
int gl_linalg_lstsq_f64(int64_t m, int64_t n, int64_t nrhs, double *a, double *b,
                        double *s, double rcond, int64_t *rank);
int gl_linalg_lstsq_f32(int64_t m, int64_t n, int64_t nrhs, float *a, float *b,
                        float *s, float rcond, int64_t *rank);

/* General eigenproblem (geev). a: n*n (destroyed); wr, wi: n; vr: n*n
 * row-major right eigenvectors in LAPACK's packed form (a complex pair j, j+1
 * has column j = real part, column j+1 = imaginary part), or NULL. */
int gl_linalg_eig_f64(int64_t n, double *a, double *wr, double *wi, double *vr);
int gl_linalg_eig_f32(int64_t n, float *a, float *wr, float *wi, float *vr);

/* Symmetric eigenproblem (syevd), eigenvalues ascending. a: n*n, only the
 * triangle uplo ('L' or 'U') is read; with vectors, a is overwritten by the
 * eigenvectors (columns). */
int gl_linalg_eigh_f64(int64_t n, double *a, double *w, char uplo, int vectors);
int gl_linalg_eigh_f32(int64_t n, float *a, float *w, char uplo, int vectors);

/* SVD (gesdd). a: m*n (destroyed), s: min(m,n) descending. With compute_uv,
 * u is m*m and vt n*n (full) or m*k and k*n (reduced, k = min(m,n)). */
int gl_linalg_svd_f64(int64_t m, int64_t n, double *a, double *s, double *u, double *vt,
                      int full, int compute_uv);
int gl_linalg_svd_f32(int64_t m, int64_t n, float *a, float *s, float *u, float *vt,
                      int full, int compute_uv);

/* QR (geqrf + orgqr). a: m*n in; r: kr*n out with kr = m (complete) or
 * min(m,n) (reduced); q: m*kr out, or NULL for R only. */
int gl_linalg_qr_f64(int64_t m, int64_t n, const double *a, double *q, double *r, int complete);
int gl_linalg_qr_f32(int64_t m, int64_t n, const float *a, float *q, float *r, int complete);

/* Lower Cholesky factor in place (upper triangle zeroed); GL_ESINGULAR if
 * a is not positive definite. */
int gl_linalg_cholesky_f64(int64_t n, double *a);
int gl_linalg_cholesky_f32(int64_t n, float *a);

/* Moore-Penrose pseudo-inverse via SVD: singular values <= rcond*max(s) are
 * dropped. a: m*n (destroyed), out: n*m. */
int gl_linalg_pinv_f64(int64_t m, int64_t n, double *a, double *out, double rcond);
int gl_linalg_pinv_f32(int64_t m, int64_t n, float *a, float *out, float rcond);

/* ---- norms ----
 * Vector norm of n elements (stride inc): ord = 2, 1, inf, -inf, 0 (count of
 * non-zeros) or any p. Computed in double. */
double gl_linalg_vnorm_f64(int64_t n, const double *x, int64_t inc, double ord);
double gl_linalg_vnorm_f32(int64_t n, const float *x, int64_t inc, double ord);

/* Matrix norms of an m*n strided matrix, after numpy.linalg.norm. */
enum { GL_NORM_FRO, GL_NORM_NUC, GL_NORM_1, GL_NORM_M1, GL_NORM_2, GL_NORM_M2,
       GL_NORM_INF, GL_NORM_MINF };
int gl_linalg_mnorm_f64(int64_t m, int64_t n, const double *a, int64_t rs, int64_t cs,
                        int ord, double *out);
int gl_linalg_mnorm_f32(int64_t m, int64_t n, const float *a, int64_t rs, int64_t cs,
                        int ord, double *out);

#endif
