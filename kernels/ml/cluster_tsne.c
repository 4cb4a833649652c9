/* cluster_tsne.c: exact t-SNE (van der Maaten & Hinton 2008), as scikit-learn's
 * TSNE(method="exact"): perplexity-calibrated Gaussian affinities on squared
 * Euclidean distances (binary search on the precision), symmetrised and
 * normalised, then gradient descent on KL(P || Q) with a Student-t kernel,
 * momentum, per-coordinate gains and early exaggeration.
 *
 * Cost O(n^2) per iteration: meant for 2-D views of a few thousand points.
 * Sums over pairs run row by row in a fixed order, so the embedding is the
 * same for any thread count. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cluster.h"
#include "tsne_schedule.h"

#define MACHINE_EPSILON DBL_EPSILON

/* Conditional P (rows) from squared distances D (n x n), sklearn's
 * _binary_search_perplexity. */
static void perplexity_rows (int64_t n, const double *D, double perplexity, double *P) {
  double desired = log(perplexity);
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 16) num_threads(gl_threads()) if (n > 200)
#endif
  for (int64_t i = 0; i < n; i++) {
    double beta = 1, bmin = -INFINITY, bmax = INFINITY;
    double *p = P + i * n;
    const double *d = D + i * n;
    for (int step = 0; step < 100; step++) {
      double sum = 0;
      for (int64_t j = 0; j < n; j++) { p[j] = j == i ? 0 : exp(-d[j] * beta); sum += p[j]; }
      if (sum == 0) sum = 1e-8;
      double h = 0;
      for (int64_t j = 0; j < n; j++) { p[j] /= sum; h += d[j] * p[j]; }
      double entropy = log(sum) + beta * h;
      double diff = entropy - desired;
      if (fabs(diff) <= 1e-5) break;
      if (diff > 0) { bmin = beta; beta = bmax == INFINITY ? beta * 2 : (beta + bmax) / 2; }
      else { bmax = beta; beta = bmin == -INFINITY ? beta / 2 : (beta + bmin) / 2; }
    }
  }
}

int gl_tsne_exact_f64 (int64_t n, int64_t d, const double *X, int64_t dims, double perplexity,
                       double early_exaggeration, double learning_rate, int64_t n_iter,
                       int64_t n_iter_without_progress, double min_grad_norm, double *Y,
                       double *kl_out, int64_t *iters_out) {
  if (n < 2 || dims < 1) return GL_EINVAL;
  size_t nn = (size_t)(n * n);
  /* two n x n buffers: D (squared distances) is reused for Q once P is made */
  double *D = malloc(nn * sizeof *D), *P = malloc(nn * sizeof *P), *Q = D;
  double *grad = malloc((size_t)(n * dims) * sizeof *grad), *upd = calloc((size_t)(n * dims), sizeof *upd);
  double *gains = malloc((size_t)(n * dims) * sizeof *gains), *rows = malloc((size_t)n * sizeof *rows);
  int rc = GL_OK;
  if (!D || !P || !grad || !upd || !gains || !rows) { rc = GL_ENOMEM; goto done; }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) {
      double s = 0;
      for (int64_t k = 0; k < d; k++) { double v = X[i * d + k] - X[j * d + k]; s += v * v; }
      D[i * n + j] = s;
    }
  perplexity_rows(n, D, perplexity, P);
  double psum = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) { double v = P[i * n + j] + P[j * n + i]; P[i * n + j] = P[j * n + i] = v; psum += 2 * v; }
  for (size_t q = 0; q < nn; q++) { P[q] /= psum; if (P[q] < MACHINE_EPSILON) P[q] = MACHINE_EPSILON; }
  for (int64_t i = 0; i < n; i++) P[i * n + i] = 0;
  for (int64_t q = 0; q < n * dims; q++) gains[q] = 1;
  double dof = dims > 1 ? (double)(dims - 1) : 1.0, c = 2.0 * (dof + 1.0) / dof;
  double kl = 0;
  int64_t it;
  tsne_schedule sch;
  tsne_schedule_init(&sch, n_iter, n_iter_without_progress, min_grad_norm);
  for (it = 0; it < n_iter; it++) {
    if (gl_interrupted()) { rc = GL_EINTR; goto done; }
    int explore = tsne_exploring(&sch, it);
    double exag = explore ? early_exaggeration : 1.0, momentum = explore ? 0.5 : 0.8;
    /* Student-t kernel and its normaliser, row sums combined in row order */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n > 200)
#endif
    for (int64_t i = 0; i < n; i++) {
      double s = 0;
      for (int64_t j = 0; j < n; j++) {
        if (j == i) { Q[i * n + j] = 0; continue; }
        double dd = 0;
        for (int64_t k = 0; k < dims; k++) { double v = Y[i * dims + k] - Y[j * dims + k]; dd += v * v; }
        double w = dof == 1.0 ? 1.0 / (dd + 1.0) : pow(dd / dof + 1.0, -(dof + 1.0) / 2.0);
        Q[i * n + j] = w; s += w;
      }
      rows[i] = s;
    }
    double qsum = 0;
    for (int64_t i = 0; i < n; i++) qsum += rows[i];
    double klsum = 0;
    int check = tsne_checks(&sch, it);   /* progress checked every 50, as sklearn */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n > 200)
#endif
    for (int64_t i = 0; i < n; i++) {
      double g[16] = {0}, kls = 0;
      for (int64_t j = 0; j < n; j++) {
        if (j == i) continue;
        double w = Q[i * n + j], q = w / qsum;
        if (q < MACHINE_EPSILON) q = MACHINE_EPSILON;
        double p = P[i * n + j] * exag;
        if (check) kls += p * log((p > MACHINE_EPSILON ? p : MACHINE_EPSILON) / q);
        double f = (p - q) * w;
        for (int64_t k = 0; k < dims && k < 16; k++) g[k] += f * (Y[i * dims + k] - Y[j * dims + k]);
      }
      for (int64_t k = 0; k < dims; k++) grad[i * dims + k] = c * g[k];
      rows[i] = kls;
    }
    for (int64_t i = 0; i < n; i++) klsum += rows[i];
    if (check) kl = klsum;
    double gnorm = tsne_step(n * dims, grad, gains, upd, Y, momentum, learning_rate, 0);
    if (tsne_done(&sch, it, kl, gnorm, n * dims, upd, gains)) break;
  }
  *kl_out = kl;
  *iters_out = tsne_n_iter(&sch, it);
done:
  free(D); free(P); free(grad); free(upd); free(gains); free(rows);
  return rc;
}
