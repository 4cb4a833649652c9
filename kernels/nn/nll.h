/* nll.h: the negative log-likelihood loss (PyTorch's nll_loss) over
 * log-probabilities logp (N, C, inner) and 1-based int64 targets (N, inner). */
#ifndef GL_NN_NLL_H
#define GL_NN_NLL_H
#include <stdint.h>

enum { GL_NN_RED_NONE = 0, GL_NN_RED_MEAN, GL_NN_RED_SUM };

/* The first position in target[0 .. n) that is neither ignore_index nor a
 * class 1..C, or -1 when every target is valid. */
int64_t gl_nn_nll_bad_target(int64_t n, const int64_t *target, int64_t C, int64_t ignore_index);

/* Forward. Targets must be valid (gl_nn_nll_bad_target). weight: C class
 * weights or NULL (all 1). reduction NONE writes loss[N * inner]; MEAN and SUM
 * write loss[0] (MEAN divides by the total weight, NaN when it is 0, as
 * PyTorch). *total_weight: the sum of the weights of the non-ignored targets.
 * Sums run in target order in double. */
int gl_nn_nll_f32(int64_t N, int64_t C, int64_t inner, const float *logp, const int64_t *target,
                  const float *weight, int64_t ignore_index, int reduction, float *loss,
                  double *total_weight);
int gl_nn_nll_f64(int64_t N, int64_t C, int64_t inner, const double *logp, const int64_t *target,
                  const double *weight, int64_t ignore_index, int reduction, double *loss,
                  double *total_weight);

/* Backward: gx (N, C, inner) = d loss / d logp. gloss: the loss gradient, one
 * value (MEAN, SUM) or N * inner values (NONE). */
int gl_nn_nll_backward_f32(int64_t N, int64_t C, int64_t inner, const int64_t *target,
                           const float *weight, int64_t ignore_index, int reduction,
                           double total_weight, const float *gloss, float *gx);
int gl_nn_nll_backward_f64(int64_t N, int64_t C, int64_t inner, const int64_t *target,
                           const double *weight, int64_t ignore_index, int reduction,
                           double total_weight, const double *gloss, double *gx);

#endif
