/* cluster_hier.c: agglomerative clustering (single, complete, average, ward)
 * by the nearest-neighbour chain algorithm, and Gaussian kernel density sums.
 *
 * Algorithm note. All four linkages are reducible, so the nearest-neighbour
 * chain (Murtagh 1983; Muellner 2011) finds the same merges as the naive
 * O(n^3) loop in O(n^2) time over a condensed distance matrix updated with
 * the Lance-Williams formulas. Ward works on squared Euclidean distances and
 * reports sqrt(2 * increase of within-cluster variance) like scipy and
 * scikit-learn. The merges come out of order; they are sorted by distance
 * (stably) and renumbered with a union-find, giving scipy's linkage matrix. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cluster.h"

static inline int64_t cidx (int64_t n, int64_t i, int64_t j) {   /* i < j */
  return n * i - i * (i + 1) / 2 + (j - i - 1);
}

typedef struct merge { int64_t a, b; double d; } merge;
typedef struct mkey { double d; int64_t k; } mkey;

static int cmp_key (const void *x, const void *y) {   /* by distance, then discovery order */
  const mkey *a = x, *b = y;
  if (a->d != b->d) return a->d < b->d ? -1 : 1;
  return (a->k > b->k) - (a->k < b->k);
}

int gl_linkage_f64 (int64_t n, int64_t d, const double *X, int method, double *Z) {
  if (n < 2) return GL_EINVAL;
  int64_t np2 = n * (n - 1) / 2;
  double *D = malloc((size_t)np2 * sizeof *D);
  int64_t *size = malloc((size_t)n * sizeof *size);
  int64_t *chain = malloc((size_t)n * sizeof *chain);
  char *active = malloc((size_t)n);
  merge *mg = malloc((size_t)(n - 1) * sizeof *mg);
  int64_t *uf = malloc((size_t)(2 * n) * sizeof *uf);
  int64_t *cid = malloc((size_t)n * sizeof *cid);
  int rc = GL_OK;
  if (!D || !size || !chain || !active || !mg || !uf || !cid) { rc = GL_ENOMEM; goto done; }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 16) num_threads(gl_threads()) if (n > 500)
#endif
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) {
      double s = 0;
      for (int64_t k = 0; k < d; k++) { double v = X[i * d + k] - X[j * d + k]; s += v * v; }
      D[cidx(n, i, j)] = method == 3 ? s : sqrt(s);
    }
  for (int64_t i = 0; i < n; i++) { size[i] = 1; active[i] = 1; }
  int64_t len = 0, nm = 0;
  while (nm < n - 1) {
    if (gl_interrupted()) { rc = GL_EINTR; goto done; }
    if (len == 0) { int64_t i = 0; while (!active[i]) i++; chain[len++] = i; }
    int64_t a = chain[len - 1], b = -1;
    double best = INFINITY;
    if (len > 1) { b = chain[len - 2]; best = D[a < b ? cidx(n, a, b) : cidx(n, b, a)]; }
    for (int64_t j = 0; j < n; j++) {
      if (!active[j] || j == a) continue;
      double v = D[a < j ? cidx(n, a, j) : cidx(n, j, a)];
      if (v < best) { best = v; b = j; }
    }
    if (len > 1 && b == chain[len - 2]) {
      len -= 2;
      int64_t lo = a < b ? a : b, hi = a < b ? b : a;   /* the merged cluster lives at lo */
      double dab = best;
      int64_t na = size[lo], nb = size[hi];
      for (int64_t k = 0; k < n; k++) {
        if (!active[k] || k == lo || k == hi) continue;
        double dk_lo = D[k < lo ? cidx(n, k, lo) : cidx(n, lo, k)];
        double dk_hi = D[k < hi ? cidx(n, k, hi) : cidx(n, hi, k)];
        double nv;
        switch (method) {
        case 0: nv = dk_lo < dk_hi ? dk_lo : dk_hi; break;                     /* single */
        case 1: nv = dk_lo > dk_hi ? dk_lo : dk_hi; break;                     /* complete */
        case 2: nv = (na * dk_lo + nb * dk_hi) / (double)(na + nb); break;     /* average */
        default: {                                                            /* ward, squared */
          double nk = (double)size[k];
          nv = ((na + nk) * dk_lo + (nb + nk) * dk_hi - nk * dab) / (na + nb + nk);
        }
        }
        D[k < lo ? cidx(n, k, lo) : cidx(n, lo, k)] = nv;
      }
      active[hi] = 0;
      size[lo] = na + nb;
      mg[nm].a = lo; mg[nm].b = hi; mg[nm].d = method == 3 ? sqrt(dab) : dab;
      nm++;
    } else {
      chain[len++] = b;
    }
  }
  /* sort by distance; equal distances keep the order they were found in */
  {
    mkey *ks = malloc((size_t)(n - 1) * sizeof *ks);
    merge *tmp = malloc((size_t)(n - 1) * sizeof *tmp);
    if (!ks || !tmp) { free(ks); free(tmp); rc = GL_ENOMEM; goto done; }
    for (int64_t i = 0; i < n - 1; i++) { ks[i].d = mg[i].d; ks[i].k = i; }
    qsort(ks, (size_t)(n - 1), sizeof *ks, cmp_key);
    for (int64_t i = 0; i < n - 1; i++) tmp[i] = mg[ks[i].k];
    memcpy(mg, tmp, (size_t)(n - 1) * sizeof *mg);
    free(ks); free(tmp);
  }
  /* renumber: leaves 0..n-1, merge i creates cluster n+i */
  for (int64_t i = 0; i < 2 * n; i++) uf[i] = i;
  for (int64_t i = 0; i < n; i++) { cid[i] = i; size[i] = 1; }
  for (int64_t i = 0; i < n - 1; i++) {
    int64_t ra = mg[i].a, rb = mg[i].b;
    while (uf[ra] != ra) ra = uf[ra] = uf[uf[ra]];
    while (uf[rb] != rb) rb = uf[rb] = uf[uf[rb]];
    int64_t ca = cid[ra], cb = cid[rb];
    int64_t sa = ca < n ? 1 : (int64_t)Z[(ca - n) * 4 + 3], sb = cb < n ? 1 : (int64_t)Z[(cb - n) * 4 + 3];
    Z[i * 4 + 0] = (double)(ca < cb ? ca : cb);
    Z[i * 4 + 1] = (double)(ca < cb ? cb : ca);
    Z[i * 4 + 2] = mg[i].d;
    Z[i * 4 + 3] = (double)(sa + sb);
    uf[rb] = ra;
    cid[ra] = n + i;
  }
done:
  free(D); free(size); free(chain); free(active); free(mg); free(uf); free(cid);
  return rc;
}

int gl_kde_eval_f64 (int64_t d, int64_t n, const double *data, const double *w,
                     int64_t m, const double *pts, const double *L, double norm, double *out) {
  /* whitened copies: y = x L (L: d x d, the Cholesky factor of the inverse covariance) */
  double *Yd = malloc((size_t)(n * d) * sizeof *Yd);
  if (!Yd) return GL_ENOMEM;
  for (int64_t i = 0; i < n; i++)
    for (int64_t c = 0; c < d; c++) {
      double s = 0;
      for (int64_t r = 0; r < d; r++) s += data[i * d + r] * L[r * d + c];
      Yd[i * d + c] = s;
    }
  atomic_int err = 0;   /* shared by the OpenMP threads: atomic, not a racy plain int */
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 64) num_threads(gl_threads()) if (m * n > 100000)
#endif
  for (int64_t j = 0; j < m; j++) {
    if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
    if ((j & 1023) == 0 && gl_interrupted()) { atomic_store_explicit(&err, GL_EINTR, memory_order_relaxed); continue; }
    double yq[64];
    for (int64_t c = 0; c < d; c++) {
      double s = 0;
      for (int64_t r = 0; r < d; r++) s += pts[j * d + r] * L[r * d + c];
      yq[c] = s;
    }
    double tot = 0;
    for (int64_t i = 0; i < n; i++) {
      double s = 0;
      for (int64_t c = 0; c < d; c++) { double v = Yd[i * d + c] - yq[c]; s += v * v; }
      tot += w[i] * exp(-0.5 * s);
    }
    out[j] = tot / norm;
  }
  free(Yd);
  return err;
}
