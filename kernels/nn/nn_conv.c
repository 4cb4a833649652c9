/* nn_conv.c: convolution by im2col + gemm; the float body is nn_conv.inc,
 * included once per float type. Float32 layers with few taps and output
 * channels go to the direct kernels of nn_conv_direct.c instead.
 *
 * Algorithm. For each sample, im2col lays the receptive fields out as a
 * (ci kh kw) x (oh ow) matrix (zeros where the window meets the padding);
 * the output of group g is then W_g (co/G x ci kh kw / G) times the group's
 * rows. The input gradient is W_g^T times the output gradient, scattered
 * back by col2im; the weight gradient is the output gradient times the
 * columns' transpose, summed over the batch.
 *
 * Threads and bits. BLAS runs on one thread (its own thread split changes the
 * bits, see kernels/array/linalg.c), and OpenMP shares the samples of a batch;
 * a sample's result is computed by one thread, in one fixed order. Sums over
 * the batch (weight and bias gradients) are cut into at most GL_NN_CHUNKS
 * chunks fixed by the batch size alone: a thread sums one chunk's samples in
 * order, and the chunks' partial sums are added in chunk order at the end. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "gl_types.h"
#include "gl_simd.h"
#include "nn_conv.h"
#include "nn_conv_direct.h"
#include "nn_conv_shared.h"


static void blas_one_thread (void) {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
}

/* Is im2col the identity (1x1 kernel, stride 1, no padding)? */
static int conv_is_pointwise (const gl_nn_conv_shape *s) {
  return s->kh == 1 && s->kw == 1 && s->sh == 1 && s->sw == 1 && s->ph == 0 && s->pw == 0 &&
         s->oh == s->h && s->ow == s->w;
}

/* The output columns ow of [*lo, *hi) whose input column ow * st + off lies
 * in [0, len). */
static void valid_range (int64_t len, int64_t nout, int64_t st, int64_t off, int64_t *lo, int64_t *hi) {
  int64_t a = off >= 0 ? 0 : (-off + st - 1) / st;
  int64_t b = len - 1 - off < 0 ? 0 : (len - 1 - off) / st + 1;
  if (b > nout) b = nout;
  if (a > b) a = b;
  *lo = a; *hi = b;
}

/* GL_DIRECT: the type has direct kernels (nn_conv_direct.c, float32 only) */
#define GL_T float
#define GL_DIRECT 1
#define GL_FN(x) x##_f32
#define GL_GEMM cblas_sgemm
#include "nn_conv.inc"
#undef GL_T
#undef GL_FN
#undef GL_GEMM
#undef GL_DIRECT

#define GL_T double
#define GL_DIRECT 0
#define GL_FN(x) x##_f64
#define GL_GEMM cblas_dgemm
#include "nn_conv.inc"
#undef GL_T
#undef GL_FN
#undef GL_GEMM
#undef GL_DIRECT
