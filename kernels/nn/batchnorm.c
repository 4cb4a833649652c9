/* batchnorm.c: batch normalisation forward and backward; the float body is
 * batchnorm.inc, included once per float type. Channels are independent:
 * threads share them, and each channel's sums over the batch run in double,
 * in (sample, position) order, on one thread, so no result depends on the
 * thread count. */
#include <math.h>
#include "gl_types.h"
#include "batchnorm.h"

/* The elementwise passes (y, gx) have independent iterations over distinct
 * arrays; GCC's -O2 cost model leaves them scalar for want of an aliasing
 * check. Per element the same double operations, so the same bits. */
#ifdef _OPENMP
#define GL_SIMD _Pragma("omp simd")
#else
#define GL_SIMD
#endif

/* The row sums get a second copy for AVX2 CPUs, picked at load time (4
 * doubles per instruction instead of 2; "avx2" does not enable fma, so no
 * product is fused into an add: the same bits). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GL_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GL_CLONES
#endif

#define GL_NN_BN_PAR_MIN 32768   /* elements below which one thread runs */

static int bn_threads (int64_t n, int64_t c, int64_t p) {
  return c > 1 && n * c * p >= GL_NN_BN_PAR_MIN ? gl_threads() : 1;
}

#define GL_T float
#define GL_FN(x) x##_f32
#include "batchnorm.inc"
#undef GL_T
#undef GL_FN

#define GL_T double
#define GL_FN(x) x##_f64
#include "batchnorm.inc"
#undef GL_T
#undef GL_FN
