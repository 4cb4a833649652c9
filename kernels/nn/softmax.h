/* softmax.h: softmax and log_softmax along one axis and their backward, over
 * a contiguous block seen as outer x n x inner (the axis is the middle one). */
#ifndef GL_NN_SOFTMAX_H
#define GL_NN_SOFTMAX_H
#include <stdint.h>

/* y = softmax(x) along the n axis (log != 0: log_softmax). */
int gl_nn_softmax_f32(int64_t outer, int64_t n, int64_t inner, const float *x, float *y, int log);
int gl_nn_softmax_f64(int64_t outer, int64_t n, int64_t inner, const double *x, double *y, int log);

/* gx from the forward's output y and the output gradient gy:
 * softmax: gx = y (gy - sum(gy y)); log_softmax: gx = gy - exp(y) sum(gy). */
int gl_nn_softmax_backward_f32(int64_t outer, int64_t n, int64_t inner, const float *y,
                               const float *gy, float *gx, int log);
int gl_nn_softmax_backward_f64(int64_t outer, int64_t n, int64_t inner, const double *y,
                               const double *gy, double *gx, int log);

#endif
