/* optim.h: fused optimiser steps (SGD, Adam/AdamW, RMSprop) and gradient-norm
 * helpers for nn/optim. One call updates one parameter in place, with
 * PyTorch 1.13's single-tensor formulas in their order of operations (see
 * optim.inc), so weights agree with torch.optim to the last bits or nearly.
 *
 * Arrays are contiguous, n elements, all of one float type; the caller owns
 * every pointer and the kernel keeps none. Scalars (lr, betas, bias
 * corrections) come as doubles, computed by the caller as Python computes
 * them, and are rounded to the element type where PyTorch rounds them. */
#ifndef GL_NN_OPTIM_H
#define GL_NN_OPTIM_H
#include <stdint.h>

typedef struct gl_nn_sgd_opts {
  double lr, momentum, dampening, weight_decay;
  int nesterov, maximize;
  int first;            /* the momentum buffer is new: it becomes a copy of d_p */
} gl_nn_sgd_opts;

typedef struct gl_nn_adam_opts {
  double lr, beta1, beta2, eps, weight_decay;
  double step_size;     /* lr / (1 - beta1^step) */
  double bc2_sqrt;      /* sqrt(1 - beta2^step) */
  int amsgrad, maximize;
  int decoupled;        /* AdamW: p *= 1 - lr * weight_decay before the moments */
} gl_nn_adam_opts;

typedef struct gl_nn_rmsprop_opts {
  double lr, alpha, eps, weight_decay, momentum;
  int centered, maximize;
} gl_nn_rmsprop_opts;

/* buf: n elements, or NULL when momentum == 0. */
int gl_nn_sgd_step_f32(int64_t n, float *p, const float *g, float *buf, const gl_nn_sgd_opts *o);
int gl_nn_sgd_step_f64(int64_t n, double *p, const double *g, double *buf, const gl_nn_sgd_opts *o);
/* m, v: first and second moments; vmax: running maximum of v (amsgrad) or NULL. */
int gl_nn_adam_step_f32(int64_t n, float *p, const float *g, float *m, float *v, float *vmax,
                        const gl_nn_adam_opts *o);
int gl_nn_adam_step_f64(int64_t n, double *p, const double *g, double *m, double *v, double *vmax,
                        const gl_nn_adam_opts *o);
/* sq: mean square; ga: mean gradient (centered) or NULL; buf: momentum or NULL. */
int gl_nn_rmsprop_step_f32(int64_t n, float *p, const float *g, float *sq, float *ga, float *buf,
                           const gl_nn_rmsprop_opts *o);
int gl_nn_rmsprop_step_f64(int64_t n, double *p, const double *g, double *sq, double *ga,
                           double *buf, const gl_nn_rmsprop_opts *o);

/* *out = the norm_type-norm of x (inf: max |x|), accumulated in double over
 * fixed blocks combined in block order, so it is the same for any thread count. */
int gl_nn_norm_f32(int64_t n, const float *x, double norm_type, double *out);
int gl_nn_norm_f64(int64_t n, const double *x, double norm_type, double *out);
/* x *= s, with s rounded to the element type first (PyTorch's mul_ by a tensor). */
/* x[i] = x[i] + y[i]: a gradient accumulated in place (the bits of x + y). */
int gl_nn_add_into_f32(int64_t n, float *x, const float *y);
int gl_nn_add_into_f64(int64_t n, double *x, const double *y);
int gl_nn_scale_f32(int64_t n, float *x, double s);
int gl_nn_scale_f64(int64_t n, double *x, double s);

#endif
