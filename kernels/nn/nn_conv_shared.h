/* nn_conv_shared.h: the thread and chunk rules shared by the im2col + gemm
 * convolution (nn_conv.c) and the direct one (nn_conv_direct.c), so both cut
 * a batch the same way. */
#ifndef GL_NN_CONV_SHARED_H
#define GL_NN_CONV_SHARED_H
#include <stdint.h>
#include "gl_types.h"

#define GL_NN_CHUNKS 8                    /* partial sums over the batch, at most */
#define GL_NN_CONV_PAR_MIN ((int64_t)1 << 16)   /* multiply-adds below which one thread runs */

/* Threads for n samples of `work` multiply-adds in all. */
static inline int gl_nn_conv_threads (int64_t n, double work) {
  int nt = gl_threads();
  if (n < 2 || work < (double)GL_NN_CONV_PAR_MIN || nt < 2) return 1;
  return n < nt ? (int)n : nt;
}

/* Chunks of the batch for sums over it: from n alone. */
static inline int64_t gl_nn_conv_chunks (int64_t n) {
  return n < GL_NN_CHUNKS ? (n > 0 ? n : 1) : GL_NN_CHUNKS;
}

#endif
