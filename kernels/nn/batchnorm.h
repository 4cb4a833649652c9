/* batchnorm.h: batch normalisation of nn (PyTorch 1.13's batch_norm), over x
 * seen as (n, c, p): n samples, c channels, p positions per channel. */
#ifndef GL_NN_BATCHNORM_H
#define GL_NN_BATCHNORM_H
#include <stdint.h>

/* y = (x - mean) * invstd * w + b per channel (w, b may be NULL: 1 and 0).
 * training: mean and the biased variance of the batch; running_mean and
 * running_var (each may be NULL) are updated in place, new = (1 - momentum)
 * old + momentum batch, with the unbiased variance. Not training: the running
 * statistics. mean and invstd (c values) receive the statistics used. In
 * training n * p must be > 1 (the caller checks). */
int gl_nn_batch_norm_f32(int64_t n, int64_t c, int64_t p, const float *x, const float *w, const float *b,
                         float *running_mean, float *running_var, int training, double momentum,
                         double eps, float *y, float *mean, float *invstd);
int gl_nn_batch_norm_f64(int64_t n, int64_t c, int64_t p, const double *x, const double *w, const double *b,
                         double *running_mean, double *running_var, int training, double momentum,
                         double eps, double *y, double *mean, double *invstd);

/* Gradients from the forward's x, mean and invstd: gx (may be NULL), gw and
 * gb (c values each, may be NULL). training: through the batch statistics. */
int gl_nn_batch_norm_backward_f32(int64_t n, int64_t c, int64_t p, const float *x, const float *gy,
                                  const float *w, const float *mean, const float *invstd, int training,
                                  float *gx, float *gw, float *gb);
int gl_nn_batch_norm_backward_f64(int64_t n, int64_t c, int64_t p, const double *x, const double *gy,
                                  const double *w, const double *mean, const double *invstd, int training,
                                  double *gx, double *gw, double *gb);

#endif
