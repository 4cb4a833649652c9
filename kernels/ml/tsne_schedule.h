/* tsne_schedule.h: scikit-learn 1.2's optimisation schedule of t-SNE
 * (sklearn/manifold/_t_sne.py: _gradient_descent, run twice by _tsne),
 * shared by the exact (cluster_tsne.c) and Barnes-Hut (cluster_tsne_bh.c)
 * kernels so that both stop where sklearn stops and report its n_iter_.
 *
 * Phase 1, iterations [0, 250): early exaggeration, momentum 0.5. Phase 2,
 * from the iteration after phase 1's last to n_iter - 1: momentum 0.8. Every
 * 50th iteration ((it + 1) % 50 == 0) checks progress: a new best KL resets
 * the count, no progress for more than n_iter_without_progress iterations
 * stops (in phase 2; phase 1 allows 250, which it cannot reach), and so does
 * a gain-scaled gradient norm <= min_grad_norm. A stop in phase 1 only ends
 * phase 1. Each phase starts its progress check, updates and gains afresh,
 * and n_iter_ is the 0-based index of the last iteration run (999 for a
 * full n_iter = 1000). */
#ifndef GL_TSNE_SCHEDULE_H
#define GL_TSNE_SCHEDULE_H

#include <math.h>
#include <stdint.h>

#define TSNE_EXPLORATION 250   /* sklearn's _EXPLORATION_N_ITER */
#define TSNE_CHECK 50          /* sklearn's _N_ITER_CHECK */

typedef struct tsne_schedule {
  int64_t n_iter, without_progress, explore_end, best_iter;
  double best_error, min_grad_norm;
} tsne_schedule;

static inline void tsne_schedule_init (tsne_schedule *s, int64_t n_iter, int64_t without_progress,
                                       double min_grad_norm) {
  s->n_iter = n_iter; s->without_progress = without_progress; s->min_grad_norm = min_grad_norm;
  s->explore_end = TSNE_EXPLORATION; s->best_iter = 0; s->best_error = INFINITY;
}

static inline int tsne_exploring (const tsne_schedule *s, int64_t it) { return it < s->explore_end; }

/* Whether iteration it computes the KL divergence (a check, or the last). */
static inline int tsne_checks (const tsne_schedule *s, int64_t it) {
  return (it + 1) % TSNE_CHECK == 0 || it == s->n_iter - 1;
}

/* sklearn's step on n values: gains grow by 0.2 where the update and the
 * gradient disagree in sign, else shrink by 0.8 (at least 0.01); the
 * gain-scaled gradient moves Y with momentum. Returns the norm of the
 * gain-scaled gradient (what sklearn compares with min_grad_norm).
 * lr_first multiplies as (learning_rate * grad) * gain rather than sklearn's
 * learning_rate * (grad * gain): the Barnes-Hut kernel keeps that order,
 * because 1000 steps of a non-convex descent turn the last-bit difference
 * into another optimum, and with it sklearn's Barnes-Hut (computed in
 * float32, so matched by neither order) lands closer in KL (0.009 against
 * 0.011 on the test's blobs). */
static inline double tsne_step (int64_t n, const double *grad, double *gains, double *upd, double *Y,
                                double momentum, double learning_rate, int lr_first) {
  double norm = 0;
  for (int64_t q = 0; q < n; q++) {
    gains[q] = upd[q] * grad[q] < 0 ? gains[q] + 0.2 : gains[q] * 0.8;
    if (gains[q] < 0.01) gains[q] = 0.01;
    double gq = grad[q] * gains[q];
    norm += gq * gq;
    upd[q] = momentum * upd[q] - (lr_first ? learning_rate * grad[q] * gains[q] : learning_rate * gq);
    Y[q] += upd[q];
  }
  return sqrt(norm);
}

/* After iteration it (kl and grad_norm are used only when it checks): 1 when
 * the optimisation stops there. When phase 1 ends, phase 2 starts as a new
 * _gradient_descent call does: updates (n values in upd) zero, gains one. */
static inline int tsne_done (tsne_schedule *s, int64_t it, double kl, double grad_norm, int64_t n,
                             double *upd, double *gains) {
  int explore = tsne_exploring(s, it), stop = 0;
  if (it % TSNE_CHECK == TSNE_CHECK - 1) {
    if (kl < s->best_error) { s->best_error = kl; s->best_iter = it; }
    else if (!explore && it - s->best_iter > s->without_progress) stop = 1;
    if (grad_norm <= s->min_grad_norm) stop = 1;
  }
  if (explore && (stop || it == s->explore_end - 1)) {   /* phase 2 starts at it + 1 */
    s->explore_end = it + 1;
    s->best_error = INFINITY; s->best_iter = it + 1;
    for (int64_t q = 0; q < n; q++) { upd[q] = 0; gains[q] = 1; }
    return 0;
  }
  return stop;
}

/* sklearn's n_iter_ once the loop has left at it (it == n_iter: ran out). */
static inline int64_t tsne_n_iter (const tsne_schedule *s, int64_t it) {
  return it < s->n_iter ? it : s->n_iter - 1;
}

#endif
