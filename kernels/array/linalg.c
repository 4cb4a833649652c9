/* linalg.c: BLAS products and LAPACKE decompositions; the float body is
 * linalg.inc, included once for float32 and once for float64.
 *
 * LAPACK is called through LAPACKE with LAPACK_ROW_MAJOR: our buffers are
 * C-ordered, and LAPACKE transposes into column-major scratch itself. That
 * costs an O(n^2) copy against the O(n^3) factorisation, and keeps the
 * meaning of uplo/trans identical to NumPy's (row-major) view of the matrix. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>
#include "linalg.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* OpenBLAS's own threads give results that depend on their number (a 2000 x
 * 2000 dgemm differs in the last bits between 1 and 2 threads: the split
 * changes the blocking of the k loop). geolab promises the same numbers for
 * any thread count, so BLAS and LAPACK run on one thread, and matmul
 * parallelises itself over row blocks fixed by the shape alone. */
static void blas_one_thread (void) {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
}

/* Rows per block of a product, from the shape only (never the thread count):
 * enough blocks that each is at most about 2^31 multiply-adds (about 0.1 s on
 * one core: Ctrl-C is polled between blocks), up to 8 blocks of at least
 * share_work multiply-adds (GL_LINALG_SHARE, 2^26 or 3 ms, unless the caller
 * asks for less) for threads to share, and at least 32 rows each (every block
 * re-packs B, so thinner blocks lose speed). */
static int64_t row_block (int64_t m, int64_t n, int64_t k, int64_t share_work) {
  double work = (double)m * (double)n * (double)k;
  int64_t need = (int64_t)(work / 2147483648.0) + 1, share = (int64_t)(work / (double)share_work);
  int64_t nb;
  if (share > 8) share = 8;
  if (share > m / 32) share = m / 32;
  nb = need > share ? need : share;
  if (nb > m) nb = m;
  if (nb < 1) nb = 1;
  return (m + nb - 1) / nb;
}

int64_t gl_linalg_row_block (int64_t m, int64_t n, int64_t k, int64_t share_work) {
  return row_block(m, n, k, share_work > 0 ? share_work : GL_LINALG_SHARE);
}

/* Can a rows x cols matrix with element strides (rs, cs) go to row-major BLAS
 * as is (*trans = 0, leading dimension *ld) or as the transpose of a row-major
 * matrix (*trans = 1)? The stride of a unit axis does not matter. */
static int blas_layout (int64_t rows, int64_t cols, int64_t rs, int64_t cs,
                        int *trans, int64_t *ld) {
  int64_t minc = cols > 1 ? cols : 1, minr = rows > 1 ? rows : 1;
  if ((cols == 1 || cs == 1) && (rows == 1 || rs >= minc)) {
    *trans = 0; *ld = rows == 1 ? minc : rs;
  }
  else if ((rows == 1 || rs == 1) && (cols == 1 || cs >= minr)) {
    *trans = 1; *ld = cols == 1 ? minr : cs;
  }
  else return 0;
  return *ld <= INT_MAX;
}

static int lapack_size_ok (int64_t m, int64_t n) {
  return m >= 0 && n >= 0 && m <= INT_MAX && n <= INT_MAX && (m == 0 || n <= INT_MAX / m);
}

/* {=====  float32  ===== */
#define GL_T float
#define GL_FN(x) x##_f32
#define GL_EPS FLT_EPSILON
#define GL_BLAS(x) cblas_s##x
#define GL_LAPACK(x) LAPACKE_s##x
#include "linalg.inc"
#undef GL_T
#undef GL_FN
#undef GL_EPS
#undef GL_BLAS
#undef GL_LAPACK
/* } */

/* {=====  float64  ===== */
#define GL_T double
#define GL_FN(x) x##_f64
#define GL_EPS DBL_EPSILON
#define GL_BLAS(x) cblas_d##x
#define GL_LAPACK(x) LAPACKE_d##x
#include "linalg.inc"
#undef GL_T
#undef GL_FN
#undef GL_EPS
#undef GL_BLAS
#undef GL_LAPACK
/* } */

/* Integer product: a plain i-p-j loop (unit-stride inner loop over C's row),
 * computed in uint64_t so that overflow wraps like NumPy's int64 instead of
 * being undefined behaviour. */
int gl_linalg_matmul_i64 (int64_t m, int64_t n, int64_t k,
                          const int64_t *a, int64_t a_rs, int64_t a_cs,
                          const int64_t *b, int64_t b_rs, int64_t b_cs,
                          int64_t *c, int64_t ldc) {
  int64_t per_row = n * (k > 0 ? k : 1);
  int64_t block = per_row > 0 ? ((int64_t)1 << 24) / per_row + 1 : m;  /* ~20 ms of this loop */
  for (int64_t i = 0; i < m; i++) {
    if (i % block == 0 && gl_interrupted()) return GL_EINTR;
    uint64_t *crow = (uint64_t *)(c + i * ldc);
    for (int64_t j = 0; j < n; j++) crow[j] = 0;
    for (int64_t p = 0; p < k; p++) {
      uint64_t av = (uint64_t)a[i * a_rs + p * a_cs];
      const int64_t *brow = b + p * b_rs;
      if (av == 0) continue;
      for (int64_t j = 0; j < n; j++) crow[j] += av * (uint64_t)brow[j * b_cs];
    }
  }
  return GL_OK;
}
