/* nn_conv_direct.h: direct float32 convolution for layers with few taps and
 * few output channels (the course CNN's Conv2d(1, 3, 3) and Conv2d(3, 6, 3),
 * the 1-D CNN's Conv1d(1, 12, 11)), where im2col + gemm spends its time on
 * the column matrix and on BLAS's packing rather than on multiply-adds. */
#ifndef GL_NN_CONV_DIRECT_H
#define GL_NN_CONV_DIRECT_H
#include "nn_conv.h"

/* Whether the direct kernels take this geometry on this CPU: one group,
 * stride and dilation 1, at most GL_NN_DIRECT_MAX_K taps (ci kh kw) and
 * GL_NN_DIRECT_MAX_CO output channels, and a CPU with AVX2 and FMA. */
#define GL_NN_DIRECT_MAX_K 32
#define GL_NN_DIRECT_MAX_CO 32
int gl_nn_conv_direct_applies(const gl_nn_conv_shape *s);

/* out = conv(img, w) + b, as gl_nn_conv_forward_f32: each output is one
 * fused multiply-add chain over the taps in (c, i, j) order from +0, then
 * + b. OpenBLAS's sgemm computes the same for fewer than 4 output channels;
 * for more, the last bit differs for some outputs. Only for geometries
 * gl_nn_conv_direct_applies accepts. */
int gl_nn_conv_direct_forward_f32(const gl_nn_conv_shape *s, const float *img, const float *w,
                                  const float *b, float *out);

/* gw = sum over the batch of gout (x) the receptive fields, as
 * gl_nn_conv_backward_weight_f32: per sample and tap, float lanes over 256
 * positions at a time, added in double; samples in order within chunks fixed
 * by the batch size, chunks added in order, so the bits do not depend on the
 * thread count (they differ from the gemm path's float sums in the last
 * bits). Only for geometries gl_nn_conv_direct_applies accepts. */
int gl_nn_conv_direct_backward_weight_f32(const gl_nn_conv_shape *s, const float *img, const float *gout,
                                          float *gw);

#endif
