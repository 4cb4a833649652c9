/* ml_svm.c: libsvm's SMO solver (see ml_svm.h) without shrinking.
 *
 * Algorithm (libsvm 3.x svm.cpp Solver::Solve): keep the gradient
 * G = Q alpha + p; at each step pick i with the largest violation -y_i G_i
 * among variables that may move up, then j minimising the second-order
 * decrease -(b_ij^2 / a_ij) among those that may move down (WSS3); solve the
 * two-variable subproblem analytically, clip to the box and update G with
 * two kernel rows. Stop when m(alpha) - M(alpha) < eps. rho is the mean of
 * y_i G_i over free variables (or the midpoint of the bounds).
 *
 * Kernel rows K(x_i, .) over the l points are computed with one BLAS gemv
 * and kept in an LRU cache bounded by cache_bytes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "ml_svm.h"

#define TAU 1e-12

static double kval (const gl_svm_kernel *k, double dot, double sqa, double sqb) {
  switch (k->type) {
    case GL_SVM_LINEAR: return dot;
    case GL_SVM_POLY: return pow(k->gamma * dot + k->coef0, k->degree);
    case GL_SVM_RBF: return exp(-k->gamma * (sqa + sqb - 2.0 * dot));
    default: return tanh(k->gamma * dot + k->coef0);
  }
}

int gl_ml_svm_kernel_f64 (int64_t m, int64_t n, int64_t d, const double *A, const double *B,
                          const gl_svm_kernel *k, double *K) {
  double *sa = (double *)malloc((size_t)(m + n + 1) * sizeof(double)), *sb = sa + m;
  if (!sa) return GL_ENOMEM;
  /* one BLAS thread: OpenBLAS's own split would make results depend on it */
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  for (int64_t i = 0; i < m; i++) sa[i] = cblas_ddot((int)d, A + i * d, 1, A + i * d, 1);
  for (int64_t j = 0; j < n; j++) sb[j] = cblas_ddot((int)d, B + j * d, 1, B + j * d, 1);
  if (m > 0 && n > 0)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)d, 1.0, A, (int)d, B, (int)d,
                0.0, K, (int)n);
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      if (k->type == GL_SVM_RBF) {
        /* exact squared distance for accuracy near 0 */
        double s = 0.0;
        const double *a = A + i * d, *b = B + j * d;
        for (int64_t f = 0; f < d; f++) { double t = a[f] - b[f]; s += t * t; }
        K[i * n + j] = exp(-k->gamma * s);
      } else K[i * n + j] = kval(k, K[i * n + j], sa[i], sb[j]);
    }
  free(sa);
  return 0;
}

/* {=====  kernel row cache  ===== */

typedef struct cache {
  int64_t l, d, nslots, used, clock;
  const double *X, *sq;
  const gl_svm_kernel *k;
  double **row;        /* per point: cached row or NULL */
  int64_t *stamp;      /* last use */
  int64_t *owner;      /* slot -> point */
  double *pool;        /* nslots * l */
  double *dots;        /* l scratch */
} cache;

static const double *get_row (cache *c, int64_t i) {
  if (c->row[i]) { c->stamp[i] = ++c->clock; return c->row[i]; }
  int64_t slot;
  if (c->used < c->nslots) slot = c->used++;
  else {   /* evict the least recently used row */
    int64_t best = -1, bs = INT64_MAX;
    for (int64_t s = 0; s < c->nslots; s++) {
      int64_t o = c->owner[s];
      if (c->stamp[o] < bs) { bs = c->stamp[o]; best = s; }
    }
    slot = best;
    c->row[c->owner[slot]] = NULL;
  }
  double *r = c->pool + slot * c->l;
  c->owner[slot] = i;
  const double *xi = c->X + i * c->d;
  cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)c->l, (int)c->d, 1.0, c->X, (int)c->d, xi, 1, 0.0, r, 1);
  if (c->k->type == GL_SVM_RBF) {
    for (int64_t j = 0; j < c->l; j++) {
      double s = c->sq[i] + c->sq[j] - 2.0 * r[j];
      r[j] = exp(-c->k->gamma * (s > 0 ? s : 0));
    }
  } else if (c->k->type != GL_SVM_LINEAR) {
    for (int64_t j = 0; j < c->l; j++) r[j] = kval(c->k, r[j], c->sq[i], c->sq[j]);
  }
  c->row[i] = r;
  c->stamp[i] = ++c->clock;
  return r;
}
/* } */

int gl_ml_svm_solve_f64 (int64_t l, int64_t d, const double *X, int64_t nv, const double *y,
                         const double *p, const double *C, const gl_svm_kernel *k, double eps,
                         int64_t max_iter, size_t cache_bytes, double *alpha, double *rho,
                         int64_t *n_iter) {
  cache c;
  int rc = GL_ENOMEM;
  double *G = NULL, *QD = NULL, *sq = NULL;
  memset(&c, 0, sizeof c);
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  c.l = l; c.d = d; c.X = X; c.k = k;
  c.nslots = (int64_t)(cache_bytes / ((size_t)l * sizeof(double)));
  if (c.nslots < 2) c.nslots = 2;
  if (c.nslots > l) c.nslots = l;
  G = (double *)malloc((size_t)nv * sizeof(double));
  QD = (double *)malloc((size_t)nv * sizeof(double));
  sq = (double *)malloc((size_t)l * sizeof(double));
  c.row = (double **)calloc((size_t)l, sizeof(double *));
  c.stamp = (int64_t *)calloc((size_t)l, sizeof(int64_t));
  c.owner = (int64_t *)calloc((size_t)c.nslots, sizeof(int64_t));
  c.pool = (double *)malloc((size_t)(c.nslots * l) * sizeof(double));
  if (!G || !QD || !sq || !c.row || !c.stamp || !c.owner || !c.pool) goto done;
  c.sq = sq;
  for (int64_t i = 0; i < l; i++) sq[i] = cblas_ddot((int)d, X + i * d, 1, X + i * d, 1);
  for (int64_t t = 0; t < nv; t++) {
    int64_t i = t % l;
    QD[t] = kval(k, sq[i], sq[i], sq[i]);
    if (k->type == GL_SVM_RBF) QD[t] = 1.0;
  }
  /* gradient at the starting point */
  for (int64_t t = 0; t < nv; t++) G[t] = p[t];
  for (int64_t s = 0; s < nv; s++) if (alpha[s] != 0.0) {
    const double *Ks = get_row(&c, s % l);
    for (int64_t t = 0; t < nv; t++) G[t] += alpha[s] * y[s] * y[t] * Ks[t % l];
  }
  if (max_iter <= 0) max_iter = nv > INT64_MAX / 100 ? INT64_MAX : (100 * nv > 10000000 ? 100 * nv : 10000000);
  int64_t iter = 0;
  while (iter < max_iter) {
    if ((iter & 1023) == 0 && gl_interrupted()) { rc = GL_EINTR; goto done; }
    /* ---- working set selection (WSS3) ---- */
    double Gmax = -INFINITY, Gmax2 = -INFINITY, obj_min = INFINITY;
    int64_t gi = -1, gj = -1;
    for (int64_t t = 0; t < nv; t++) {
      if (y[t] > 0) { if (alpha[t] < C[t] && -G[t] >= Gmax) { Gmax = -G[t]; gi = t; } }
      else { if (alpha[t] > 0 && G[t] >= Gmax) { Gmax = G[t]; gi = t; } }
    }
    if (gi < 0) break;
    const double *Ki = get_row(&c, gi % l);
    for (int64_t t = 0; t < nv; t++) {
      double qit = y[gi] * y[t] * Ki[t % l];
      if (y[t] > 0) {
        if (alpha[t] > 0) {
          double gd = Gmax + G[t];
          if (G[t] >= Gmax2) Gmax2 = G[t];
          if (gd > 0) {
            double qc = QD[gi] + QD[t] - 2.0 * y[gi] * qit;
            double od = -(gd * gd) / (qc > 0 ? qc : TAU);
            if (od <= obj_min) { gj = t; obj_min = od; }
          }
        }
      } else {
        if (alpha[t] < C[t]) {
          double gd = Gmax - G[t];
          if (-G[t] >= Gmax2) Gmax2 = -G[t];
          if (gd > 0) {
            double qc = QD[gi] + QD[t] + 2.0 * y[gi] * qit;
            double od = -(gd * gd) / (qc > 0 ? qc : TAU);
            if (od <= obj_min) { gj = t; obj_min = od; }
          }
        }
      }
    }
    if (Gmax + Gmax2 < eps || gj < 0) break;
    iter++;
    /* ---- two-variable update ---- */
    int64_t i = gi, j = gj;
    Ki = get_row(&c, i % l);
    const double *Kj = get_row(&c, j % l);
    Ki = get_row(&c, i % l);   /* may have been evicted by j's row */
    double Qij = y[i] * y[j] * Ki[j % l];
    double Ci = C[i], Cj = C[j], oai = alpha[i], oaj = alpha[j];
    if (y[i] != y[j]) {
      double qc = QD[i] + QD[j] + 2.0 * Qij;
      if (qc <= 0) qc = TAU;
      double delta = (-G[i] - G[j]) / qc, diff = alpha[i] - alpha[j];
      alpha[i] += delta; alpha[j] += delta;
      if (diff > 0) { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; } }
      else { if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; } }
      if (diff > Ci - Cj) { if (alpha[i] > Ci) { alpha[i] = Ci; alpha[j] = Ci - diff; } }
      else { if (alpha[j] > Cj) { alpha[j] = Cj; alpha[i] = Cj + diff; } }
    } else {
      double qc = QD[i] + QD[j] - 2.0 * Qij;
      if (qc <= 0) qc = TAU;
      double delta = (G[i] - G[j]) / qc, sum = alpha[i] + alpha[j];
      alpha[i] -= delta; alpha[j] += delta;
      if (sum > Ci) { if (alpha[i] > Ci) { alpha[i] = Ci; alpha[j] = sum - Ci; } }
      else { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; } }
      if (sum > Cj) { if (alpha[j] > Cj) { alpha[j] = Cj; alpha[i] = sum - Cj; } }
      else { if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; } }
    }
    double dai = (alpha[i] - oai) * y[i], daj = (alpha[j] - oaj) * y[j];
    if (c.row[i % l] != Ki || c.row[j % l] != Kj) { Ki = get_row(&c, i % l); Kj = get_row(&c, j % l); Ki = get_row(&c, i % l); }
    for (int64_t t = 0; t < nv; t++) {
      int64_t r = t % l;
      G[t] += y[t] * (Ki[r] * dai + Kj[r] * daj);
    }
  }
  /* ---- rho ---- */
  {
    double ub = INFINITY, lb = -INFINITY, sum_free = 0.0;
    int64_t nfree = 0;
    for (int64_t t = 0; t < nv; t++) {
      double yG = y[t] * G[t];
      if (alpha[t] >= C[t]) { if (y[t] < 0) ub = fmin(ub, yG); else lb = fmax(lb, yG); }
      else if (alpha[t] <= 0) { if (y[t] > 0) ub = fmin(ub, yG); else lb = fmax(lb, yG); }
      else { nfree++; sum_free += yG; }
    }
    *rho = nfree > 0 ? sum_free / (double)nfree : (ub + lb) / 2.0;
  }
  *n_iter = iter;
  rc = 0;
done:
  free(G); free(QD); free(sq); free(c.row); free(c.stamp); free(c.owner); free(c.pool);
  return rc;
}
