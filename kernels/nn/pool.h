/* pool.h: max, average and adaptive average pooling of nn, 1-D and 2-D
 * (PyTorch 1.13's CPU rules), forward and backward, float32 and float64. */
#ifndef GL_NN_POOL_H
#define GL_NN_POOL_H
#include <stdint.h>

/* Pooling geometry over `planes` = N * C independent planes of h x w. A 1-D
 * pooling is a 2-D one with h = oh = kh = sh = dh = 1, ph = 0. */
typedef struct gl_nn_pool_shape {
  int64_t planes;
  int64_t h, w, oh, ow;
  int64_t kh, kw, sh, sw;
  int64_t ph, pw;             /* symmetric padding */
  int64_t dh, dw;             /* dilation (max pooling only) */
} gl_nn_pool_shape;

/* PyTorch's pooling_output_shape: the output length, or 0 when the window
 * does not fit. */
int64_t gl_nn_pool_out_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, int ceil_mode);

/* y[o] = the largest x in the window (a NaN wins, ties keep the first),
 * idx[o] = its position in the plane (0-based, h * w flattened). */
int gl_nn_max_pool_f32(const gl_nn_pool_shape *s, const float *x, float *y, int64_t *idx);
int gl_nn_max_pool_f64(const gl_nn_pool_shape *s, const double *x, double *y, int64_t *idx);
/* gx (planes, h, w) = gy scattered to idx (added where windows overlap). */
int gl_nn_max_pool_backward_f32(const gl_nn_pool_shape *s, const float *gy, const int64_t *idx, float *gx);
int gl_nn_max_pool_backward_f64(const gl_nn_pool_shape *s, const double *gy, const int64_t *idx, double *gx);

/* Average over the window clipped to the input; the divisor is `divisor`
 * when > 0, else the window's size clipped to the padded input
 * (count_include_pad) or to the input. */
int gl_nn_avg_pool_f32(const gl_nn_pool_shape *s, const float *x, float *y, int count_include_pad,
                       int64_t divisor);
int gl_nn_avg_pool_f64(const gl_nn_pool_shape *s, const double *x, double *y, int count_include_pad,
                       int64_t divisor);
int gl_nn_avg_pool_backward_f32(const gl_nn_pool_shape *s, const float *gy, float *gx, int count_include_pad,
                                int64_t divisor);
int gl_nn_avg_pool_backward_f64(const gl_nn_pool_shape *s, const double *gy, double *gx,
                                int count_include_pad, int64_t divisor);

/* Adaptive average pooling to oh x ow (s's kernel, stride and padding are
 * not used): output o averages inputs [floor(o in / out), ceil((o + 1) in / out)). */
int gl_nn_adaptive_avg_pool_f32(const gl_nn_pool_shape *s, const float *x, float *y);
int gl_nn_adaptive_avg_pool_f64(const gl_nn_pool_shape *s, const double *x, double *y);
int gl_nn_adaptive_avg_pool_backward_f32(const gl_nn_pool_shape *s, const float *gy, float *gx);
int gl_nn_adaptive_avg_pool_backward_f64(const gl_nn_pool_shape *s, const double *gy, double *gx);

#endif
