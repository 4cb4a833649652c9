/* ml_svm.c: libsvm's SMO solver (see ml_svm.h), with its shrinking.
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
 * and kept, as floats like libsvm's Qfloat rows, in an LRU cache bounded by
 * cache_bytes. Storing floats is what libsvm does: it halves the memory (and
 * the pages the kernel must zero) and keeps our iterates on libsvm's path. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "ml_svm.h"

#define TAU 1e-12

/* exp(x) of the rbf kernel's x <= 0, over a whole row: Cody-Waite reduction
 * x = n ln2 + r, |r| <= ln2/2, a degree-13 Taylor polynomial (truncation
 * below 5e-18 relative) and 2^n put into the exponent bits. Branch-free so
 * that the loop vectorises; agrees with libm's exp to a few ulp. Below -707
 * (where exp is under 1e-307) the result is 0. The selects vectorise only
 * without trapping math (CMakeLists.txt sets -fno-trapping-math here). */
static void exp_row (double *v, int64_t n) {
  const double log2e = 1.4426950408889634, shift = 6755399441055744.0;   /* 1.5 * 2^52 */
  const double ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10;
#ifdef _OPENMP
#pragma omp simd
#endif
  for (int64_t j = 0; j < n; j++) {
    double x0 = v[j];
    double x = x0 > -707.0 ? x0 : -707.0;
    double t = x * log2e + shift, k = t - shift;
    double r = (x - k * ln2hi) - k * ln2lo;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    union { double d; uint64_t u; } tb = {t}, pb = {p};
    pb.u += (tb.u - 0x4338000000000000ULL) << 52;
    v[j] = x0 > -707.0 ? pb.d : 0.0;
  }
}

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
  for (int64_t i = 0; i < m; i++) {
    double *Ki = K + i * n;
    if (k->type == GL_SVM_RBF) {
      /* |a-b|^2 = |a|^2 + |b|^2 - 2 a.b as libsvm's training rows, clipped at 0 */
      for (int64_t j = 0; j < n; j++) {
        double s = sa[i] + sb[j] - 2.0 * Ki[j];
        Ki[j] = -k->gamma * (s > 0 ? s : 0);
      }
      exp_row(Ki, n);
    } else for (int64_t j = 0; j < n; j++) Ki[j] = kval(k, Ki[j], sa[i], sb[j]);
  }
  free(sa);
  return 0;
}

/* out (m x np) = kernel(A (m x d), SV (ns x d)) W^T (W: np x ns), by blocks
 * of rows, so the m x ns kernel matrix is never held whole (for 5000 x 1835
 * it would be 73 MB of fresh pages). */
int gl_ml_svm_decision_f64 (int64_t m, int64_t ns, int64_t d, int64_t np, const double *A,
                            const double *SV, const double *W, const gl_svm_kernel *k, double *out) {
  const int64_t B = 256;
  int64_t rows = m < B ? m : B;
  double *K = (double *)malloc((size_t)((rows > 0 ? rows : 1) * (ns > 0 ? ns : 1)) * sizeof(double));
  if (!K) return GL_ENOMEM;
  int rc = 0;
  for (int64_t r0 = 0; r0 < m && !rc; r0 += B) {
    int64_t mb = m - r0 < B ? m - r0 : B;
    rc = gl_ml_svm_kernel_f64(mb, ns, d, A + r0 * d, SV, k, K);
    if (!rc && ns > 0 && np > 0)
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)mb, (int)np, (int)ns, 1.0, K, (int)ns, W, (int)ns,
                  0.0, out + r0 * np, (int)np);
  }
  free(K);
  return rc;
}

/* {=====  kernel row cache  ===== */

typedef struct cache {
  int64_t l, d, nslots, used, clock;
  const double *X, *sq;
  const gl_svm_kernel *k;
  float **row;         /* per point: cached row or NULL */
  int64_t *stamp;      /* last use */
  int64_t *owner;      /* slot -> point */
  float *pool;         /* nslots * l */
  double *dots;        /* l scratch */
} cache;

static const float *get_row (cache *c, int64_t i) {
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
  float *r = c->pool + slot * c->l;
  double *dr = c->dots;
  c->owner[slot] = i;
  const double *xi = c->X + i * c->d;
  cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)c->l, (int)c->d, 1.0, c->X, (int)c->d, xi, 1, 0.0, dr, 1);
  if (c->k->type == GL_SVM_RBF) {
    for (int64_t j = 0; j < c->l; j++) {
      double s = c->sq[i] + c->sq[j] - 2.0 * dr[j];
      dr[j] = -c->k->gamma * (s > 0 ? s : 0);
    }
    exp_row(dr, c->l);
  } else if (c->k->type != GL_SVM_LINEAR) {
    for (int64_t j = 0; j < c->l; j++) dr[j] = kval(c->k, dr[j], c->sq[i], c->sq[j]);
  }
  for (int64_t j = 0; j < c->l; j++) r[j] = (float)dr[j];
  c->row[i] = r;
  c->stamp[i] = ++c->clock;
  return r;
}
/* } */

/* {=====  shrinking (libsvm's Solver::do_shrinking, be_shrunk,
 * reconstruct_gradient, select_working_set) ===== *
 * Variables live at positions pv[0..nv); the first `active` are the active
 * set, and shrinking swaps positions as libsvm swaps indices, so the working
 * sets (ties go to the last position, as in libsvm) follow libsvm's. */
typedef struct sv_state {
  cache *c;
  int64_t nv, l;
  const double *y, *p, *C;
  double *alpha, *G, *Gb;
  int64_t *pv, active;
  int unshrink;
} sv_state;

static int is_up (const sv_state *s, int64_t t) { return s->alpha[t] >= s->C[t]; }
static int is_low (const sv_state *s, int64_t t) { return s->alpha[t] <= 0; }

/* 0 and the pair (variables) to update, or 1 if the active set is optimal */
static int select_ws (const sv_state *s, const double *QD, double eps, int64_t *oi, int64_t *oj) {
  const double *y = s->y, *G = s->G;
  double Gmax = -INFINITY, Gmax2 = -INFINITY, obj_min = INFINITY;
  int64_t gi = -1, gj = -1, l = s->l;
  for (int64_t q = 0; q < s->active; q++) {
    int64_t t = s->pv[q];
    if (y[t] > 0) { if (!is_up(s, t) && -G[t] >= Gmax) { Gmax = -G[t]; gi = t; } }
    else { if (!is_low(s, t) && G[t] >= Gmax) { Gmax = G[t]; gi = t; } }
  }
  if (gi < 0) return 1;
  const float *Ki = get_row(s->c, gi % l);
  for (int64_t q = 0; q < s->active; q++) {
    int64_t t = s->pv[q];
    double qit = y[gi] * y[t] * Ki[t % l];
    if (y[t] > 0) {
      if (!is_low(s, t)) {
        double gd = Gmax + G[t];
        if (G[t] >= Gmax2) Gmax2 = G[t];
        if (gd > 0) {
          double qc = QD[gi] + QD[t] - 2.0 * y[gi] * qit;
          double od = -(gd * gd) / (qc > 0 ? qc : TAU);
          if (od <= obj_min) { gj = t; obj_min = od; }
        }
      }
    } else {
      if (!is_up(s, t)) {
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
  if (Gmax + Gmax2 < eps || gj < 0) return 1;
  *oi = gi; *oj = gj;
  return 0;
}

/* G of the inactive variables from G_bar and the free active ones */
static void reconstruct_gradient (sv_state *s) {
  int64_t nv = s->nv, a = s->active, l = s->l, nfree = 0;
  if (a == nv) return;
  const double *y = s->y;
  for (int64_t q = a; q < nv; q++) { int64_t t = s->pv[q]; s->G[t] = s->Gb[t] + s->p[t]; }
  for (int64_t q = 0; q < a; q++) { int64_t t = s->pv[q]; if (!is_up(s, t) && !is_low(s, t)) nfree++; }
  if (nfree * nv > 2 * a * (nv - a)) {
    for (int64_t q = a; q < nv; q++) {
      int64_t i = s->pv[q];
      const float *Ki = get_row(s->c, i % l);
      for (int64_t r = 0; r < a; r++) {
        int64_t j = s->pv[r];
        if (!is_up(s, j) && !is_low(s, j)) s->G[i] += s->alpha[j] * (y[i] * y[j] * Ki[j % l]);
      }
    }
  } else {
    for (int64_t r = 0; r < a; r++) {
      int64_t i = s->pv[r];
      if (is_up(s, i) || is_low(s, i)) continue;
      const float *Ki = get_row(s->c, i % l);
      double ai = s->alpha[i];
      for (int64_t q = a; q < nv; q++) { int64_t j = s->pv[q]; s->G[j] += ai * (y[i] * y[j] * Ki[j % l]); }
    }
  }
}

static int be_shrunk (const sv_state *s, int64_t t, double Gmax1, double Gmax2) {
  double g = s->G[t];
  if (is_up(s, t)) return s->y[t] > 0 ? -g > Gmax1 : -g > Gmax2;
  if (is_low(s, t)) return s->y[t] > 0 ? g > Gmax2 : g > Gmax1;
  return 0;
}

static void do_shrinking (sv_state *s, double eps) {
  double Gmax1 = -INFINITY, Gmax2 = -INFINITY;
  for (int64_t q = 0; q < s->active; q++) {
    int64_t t = s->pv[q];
    double g = s->G[t];
    if (s->y[t] > 0) {
      if (!is_up(s, t) && -g >= Gmax1) Gmax1 = -g;
      if (!is_low(s, t) && g >= Gmax2) Gmax2 = g;
    } else {
      if (!is_up(s, t) && -g >= Gmax2) Gmax2 = -g;
      if (!is_low(s, t) && g >= Gmax1) Gmax1 = g;
    }
  }
  if (!s->unshrink && Gmax1 + Gmax2 <= eps * 10) {
    s->unshrink = 1;
    reconstruct_gradient(s);
    s->active = s->nv;
  }
  for (int64_t q = 0; q < s->active; q++) {
    if (!be_shrunk(s, s->pv[q], Gmax1, Gmax2)) continue;
    s->active--;
    while (s->active > q) {
      if (!be_shrunk(s, s->pv[s->active], Gmax1, Gmax2)) {
        int64_t x = s->pv[q]; s->pv[q] = s->pv[s->active]; s->pv[s->active] = x;
        break;
      }
      s->active--;
    }
  }
}
/* } */

int gl_ml_svm_solve_f64 (int64_t l, int64_t d, const double *X, int64_t nv, const double *y,
                         const double *p, const double *C, const gl_svm_kernel *k, double eps,
                         int64_t max_iter, size_t cache_bytes, int shrinking, double *alpha,
                         double *rho, int64_t *n_iter) {
  cache c;
  int rc = GL_ENOMEM;
  double *G = NULL, *QD = NULL, *sq = NULL, *Gb = NULL;
  int64_t *pv = NULL;
  memset(&c, 0, sizeof c);
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  c.l = l; c.d = d; c.X = X; c.k = k;
  c.nslots = (int64_t)(cache_bytes / ((size_t)l * sizeof(float)));
  if (c.nslots < 2) c.nslots = 2;
  if (c.nslots > l) c.nslots = l;
  G = (double *)malloc((size_t)nv * sizeof(double));
  QD = (double *)malloc((size_t)nv * sizeof(double));
  sq = (double *)malloc((size_t)l * sizeof(double));
  Gb = (double *)malloc((size_t)nv * sizeof(double));
  pv = (int64_t *)malloc((size_t)nv * sizeof(int64_t));
  c.row = (float **)calloc((size_t)l, sizeof(float *));
  c.stamp = (int64_t *)calloc((size_t)l, sizeof(int64_t));
  c.owner = (int64_t *)calloc((size_t)c.nslots, sizeof(int64_t));
  c.pool = (float *)malloc((size_t)(c.nslots * l) * sizeof(float));
  c.dots = (double *)malloc((size_t)l * sizeof(double));
  if (!G || !QD || !sq || !Gb || !pv || !c.row || !c.stamp || !c.owner || !c.pool || !c.dots) goto done;
  c.sq = sq;
  for (int64_t i = 0; i < l; i++) sq[i] = cblas_ddot((int)d, X + i * d, 1, X + i * d, 1);
  for (int64_t t = 0; t < nv; t++) {
    int64_t i = t % l;
    QD[t] = kval(k, sq[i], sq[i], sq[i]);
    if (k->type == GL_SVM_RBF) QD[t] = 1.0;
  }
  /* gradient, and G_bar (the part of it from variables at their upper bound) */
  for (int64_t t = 0; t < nv; t++) { G[t] = p[t]; Gb[t] = 0.0; pv[t] = t; }
  for (int64_t s = 0; s < nv; s++) if (alpha[s] > 0.0) {
    const float *Ks = get_row(&c, s % l);
    for (int64_t t = 0; t < nv; t++) G[t] += alpha[s] * y[s] * y[t] * Ks[t % l];
    if (alpha[s] >= C[s]) for (int64_t t = 0; t < nv; t++) Gb[t] += C[s] * y[s] * y[t] * Ks[t % l];
  }
  if (max_iter <= 0) max_iter = nv > INT64_MAX / 100 ? INT64_MAX : (100 * nv > 10000000 ? 100 * nv : 10000000);
  sv_state st = {&c, nv, l, y, p, C, alpha, G, Gb, pv, nv, 0};
  int64_t iter = 0, counter = (nv < 1000 ? nv : 1000) + 1;
  while (iter < max_iter) {
    if ((iter & 1023) == 0 && gl_interrupted()) { rc = GL_EINTR; goto done; }
    if (--counter == 0) {
      counter = nv < 1000 ? nv : 1000;
      if (shrinking) do_shrinking(&st, eps);
    }
    int64_t gi, gj;
    if (select_ws(&st, QD, eps, &gi, &gj)) {
      /* optimal on the active set: check all variables */
      reconstruct_gradient(&st);
      st.active = nv;
      if (select_ws(&st, QD, eps, &gi, &gj)) break;
      counter = 1;   /* shrink again at the next iteration */
    }
    iter++;
    /* ---- two-variable update ---- */
    int64_t i = gi, j = gj;
    const float *Ki = get_row(&c, i % l);
    const float *Kj = get_row(&c, j % l);
    Ki = get_row(&c, i % l);   /* may have been evicted by j's row */
    double Qij = y[i] * y[j] * Ki[j % l];
    double Ci = C[i], Cj = C[j], oai = alpha[i], oaj = alpha[j];
    int ui = alpha[i] >= Ci, uj = alpha[j] >= Cj;
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
    for (int64_t q = 0; q < st.active; q++) {
      int64_t t = pv[q], r = t % l;
      G[t] += y[t] * (Ki[r] * dai + Kj[r] * daj);
    }
    /* G_bar follows the variables that reach or leave their upper bound */
    if (ui != (alpha[i] >= Ci)) {
      const float *R = get_row(&c, i % l);
      double f = (ui ? -Ci : Ci) * y[i];
      for (int64_t t = 0; t < nv; t++) Gb[t] += f * y[t] * R[t % l];
    }
    if (uj != (alpha[j] >= Cj)) {
      const float *R = get_row(&c, j % l);
      double f = (uj ? -Cj : Cj) * y[j];
      for (int64_t t = 0; t < nv; t++) Gb[t] += f * y[t] * R[t % l];
    }
  }
  if (st.active < nv) { reconstruct_gradient(&st); st.active = nv; }
  /* ---- rho (over positions, in libsvm's order) ---- */
  {
    double ub = INFINITY, lb = -INFINITY, sum_free = 0.0;
    int64_t nfree = 0;
    for (int64_t q = 0; q < nv; q++) {
      int64_t t = pv[q];
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
  free(G); free(QD); free(sq); free(Gb); free(pv); free(c.row); free(c.stamp); free(c.owner); free(c.pool); free(c.dots);
  return rc;
}
