/* nn_conv.h: 1-D and 2-D convolution kernels of nn (im2col + BLAS gemm): the
 * forward pass, the gradients, and the transposed convolution, which is the
 * same pair of maps used the other way round. */
#ifndef GL_NN_CONV_H
#define GL_NN_CONV_H
#include <stdint.h>

/* One convolution's geometry. The "image" side is the convolution's input
 * (the transposed convolution's output), the "column" side its output. A 1-D
 * convolution is a 2-D one with h = oh = kh = sh = dh = 1, ph = 0. Weights
 * are (co, ci / groups, kh, kw), PyTorch's Conv layout, which is also
 * ConvTranspose's (cin, cout / groups, k...) with ci = its cout, co = its cin. */
typedef struct gl_nn_conv_shape {
  int64_t n;                  /* batch */
  int64_t ci, h, w;           /* image side: channels, height, width */
  int64_t co, oh, ow;         /* column side: channels, height, width */
  int64_t kh, kw;             /* kernel */
  int64_t sh, sw;             /* stride */
  int64_t ph, pw;             /* zero padding before the first row / column */
  int64_t dh, dw;             /* dilation */
  int64_t groups;
} gl_nn_conv_shape;

/* out (n, co, oh, ow) = conv(img (n, ci, h, w), w) + b (co values or NULL). */
int gl_nn_conv_forward_f32(const gl_nn_conv_shape *s, const float *img, const float *w,
                           const float *b, float *out);
int gl_nn_conv_forward_f64(const gl_nn_conv_shape *s, const double *img, const double *w,
                           const double *b, double *out);

/* gimg (n, ci, h, w) = the adjoint of conv applied to gout (n, co, oh, ow),
 * plus bimg (ci values, or NULL) per image channel: the gradient of the
 * input, and the transposed convolution's forward pass. */
int gl_nn_conv_backward_data_f32(const gl_nn_conv_shape *s, const float *gout, const float *w,
                                 const float *bimg, float *gimg);
int gl_nn_conv_backward_data_f64(const gl_nn_conv_shape *s, const double *gout, const double *w,
                                 const double *bimg, double *gimg);

/* gw (co, ci / groups, kh, kw) = sum over the batch of gout (x) im2col(img).
 * The batch is cut into chunks fixed by n alone, each summed in sample order,
 * and the chunks added in chunk order: the same bits for any thread count. */
int gl_nn_conv_backward_weight_f32(const gl_nn_conv_shape *s, const float *img, const float *gout,
                                   float *gw);
int gl_nn_conv_backward_weight_f64(const gl_nn_conv_shape *s, const double *img, const double *gout,
                                   double *gw);

/* gb[c] = sum over n and the p positions of g (n, c, p), in double, by the
 * same fixed chunks of the batch. */
int gl_nn_channel_sum_f32(int64_t n, int64_t c, int64_t p, const float *g, float *gb);
int gl_nn_channel_sum_f64(int64_t n, int64_t c, int64_t p, const double *g, double *gb);

#endif
