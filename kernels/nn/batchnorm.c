/* batchnorm.c: batch normalisation forward and backward; the float body is
 * batchnorm.inc, included once per float type. Channels are independent:
 * threads share them, and each channel's sums over the batch run in double,
 * in (sample, position) order, on one thread, so no result depends on the
 * thread count. */
#include <math.h>
#include "gl_types.h"
#include "gl_simd.h"
#include "batchnorm.h"

/* The elementwise passes (y, gx) go through GL_SIMD; the row sums get an AVX2
 * copy (GL_CLONES_AVX2: 4 doubles per instruction instead of 2). */
#define GL_CLONES GL_CLONES_AVX2

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
