/* pool.c: max / average / adaptive average pooling; the float body is
 * pool.inc, included once per float type. Planes (one sample, one channel)
 * are independent: threads share them, and a plane's results, gradients
 * included, come from one thread in one fixed order, so they never depend
 * on the thread count. */
#include <math.h>
#include <string.h>
#include "gl_types.h"
#include "gl_simd.h"
#include "pool.h"

/* GL_CLONES: an AVX2 copy of the window selects (8 floats instead of 4) */
#define GL_CLONES GL_CLONES_AVX2

#define GL_NN_POOL_PAR_MIN 32768   /* input elements below which one thread runs */

int64_t gl_nn_pool_out_size (int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, int ceil_mode) {
  int64_t num = in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  int64_t out;
  if (num < 0) return 0;
  out = num / stride + 1;
  /* the last window must start inside the input or its left padding */
  if (ceil_mode && (out - 1) * stride >= in + pad) out--;
  return out;
}

static int pool_threads (const gl_nn_pool_shape *s) {
  return s->planes > 1 && s->planes * s->h * s->w >= GL_NN_POOL_PAR_MIN ? gl_threads() : 1;
}

/* Adaptive windows: PyTorch's start_index / end_index, in integers. */
static int64_t ad_start (int64_t o, int64_t out, int64_t in) { return (o / out) * in + ((o % out) * in) / out; }
static int64_t ad_end (int64_t o, int64_t out, int64_t in) { return 1 + ((o + 1) * in - 1) / out; }

#define GL_T float
#define GL_FN(x) x##_f32
#include "pool.inc"
#undef GL_T
#undef GL_FN

#define GL_T double
#define GL_FN(x) x##_f64
#include "pool.inc"
#undef GL_T
#undef GL_FN
