/* cluster_dbscan.c: DBSCAN on a kd-tree, and silhouette values.
 *
 * Algorithm note (DBSCAN). scikit-learn labels clusters by a depth-first
 * expansion from each unlabelled core point in row order; a border point
 * takes the label of the first cluster that reaches it. The result is
 * determined without the expansion: clusters are the connected components of
 * core points (edges: distance <= eps), numbered in order of their lowest
 * row; a border point takes the smallest label among its core neighbours.
 * No neighbour list is ever stored; three parallel sweeps over the tree's
 * own points, in tree order (cache-friendly), each walk the subtree of the
 * lowest node around the point whose box holds the whole ball (with a
 * relative margin of 1e-7 on eps, far above rounding): every point outside
 * that node lies outside its box, so outside the ball, and the search skips
 * the levels above it:
 *  1. count neighbours, stopping at min_samples (a node whose box lies
 *     inside the ball counts whole) -> core flags;
 *  2. for each core point p, union it with every core neighbour at a later
 *     tree position (nodes wholly before p are skipped), in a concurrent
 *     union-find (CAS on roots, the lower position becoming the root): the
 *     components do not depend on the order of the unions, so neither on
 *     the threads;
 *  3. label components by their lowest row (serial), then each non-core
 *     point with neighbours takes the smallest label among its core
 *     neighbours (nodes whose smallest core label is not below the best
 *     found so far are skipped).
 * The point-in-ball test is the kd-tree's (squared differences summed in
 * axis order, <= eps^2); "box inside the ball" sums the largest squared
 * differences in the same order, and rounding is monotonic, so every point
 * of such a box passes the point test too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cluster.h"

typedef struct db_ctx {
  const gl_kdtree *t;
  double r2;
  int64_t ms;
  const uint8_t *core;       /* by tree position */
  _Atomic int64_t *par;      /* union-find over tree positions */
  const int64_t *minlab;     /* per node: smallest core label inside (INT64_MAX: none) */
  const int64_t *lab;        /* by tree position, -1 for non-core */
} db_ctx;

static int64_t uf_find_at (_Atomic int64_t *p, int64_t x) {
  for (;;) {
    int64_t q = atomic_load_explicit(&p[x], memory_order_relaxed);
    if (q == x) return x;
    int64_t g = atomic_load_explicit(&p[q], memory_order_relaxed);
    /* path halving: g is an ancestor of x, so any thread may store it */
    if (g != q) atomic_compare_exchange_weak_explicit(&p[x], &q, g, memory_order_relaxed, memory_order_relaxed);
    x = g;
  }
}

static void uf_union_at (_Atomic int64_t *p, int64_t a, int64_t b) {
  for (;;) {
    a = uf_find_at(p, a); b = uf_find_at(p, b);
    if (a == b) return;
    if (a < b) { int64_t x = a; a = b; b = x; }
    int64_t expect = a;   /* link root a under the lower root b, if a is still a root */
    if (atomic_compare_exchange_strong_explicit(&p[a], &expect, b, memory_order_acq_rel, memory_order_relaxed))
      return;
  }
}

/* the walks, for d = 3 and for any d */
#define DB_D 3
#define DB_FN(x) x##_d3
#include "cluster_dbscan.inc"
#undef DB_D
#undef DB_FN
#define DB_D (t->d)
#define DB_FN(x) x##_dn
#include "cluster_dbscan.inc"
#undef DB_D
#undef DB_FN

#define DB_CHUNK 256

int gl_dbscan_f64 (const gl_kdtree *t, double eps, int64_t min_samples, int64_t *labels, uint8_t *core) {
  int64_t n = t->n, d = t->d, nn = t->nnodes, next = 0;
  uint8_t *cp = malloc((size_t)n);                       /* core flag by position */
  int64_t *cnt = malloc((size_t)n * sizeof *cnt);        /* capped neighbour count */
  _Atomic int64_t *par = malloc((size_t)n * sizeof *par);
  int64_t *lab = malloc((size_t)n * sizeof *lab);        /* by position */
  int64_t *rootlab = malloc((size_t)n * sizeof *rootlab);
  int64_t *minlab = malloc((size_t)nn * sizeof *minlab);
  int64_t *pos = malloc((size_t)n * sizeof *pos);        /* tree position of each row */
  int64_t *anc = malloc((size_t)n * sizeof *anc);        /* search root of each position */
  int64_t *pnode = malloc((size_t)nn * sizeof *pnode);   /* parent of each node */
  atomic_int stop = 0;
  int rc = GL_OK;
  if (!cp || !cnt || !par || !lab || !rootlab || !minlab || !pos || !anc || !pnode) { rc = GL_ENOMEM; goto done; }
  db_ctx c = {t, eps * eps, min_samples, cp, par, minlab, lab};
  /* parents, and the leaf of each position (kept in anc until replaced) */
  for (int64_t j = 0; j < nn; j++) pnode[j] = -1;
  for (int64_t j = 0; j < nn; j++) {
    if (t->left[j] >= 0) { pnode[t->left[j]] = j; pnode[t->right[j]] = j; }
    else for (int64_t i = t->start[j]; i < t->end[j]; i++) anc[i] = j;
  }
  /* 1. core flags */
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, DB_CHUNK) num_threads(gl_threads()) if (n > 4 * DB_CHUNK)
#endif
  for (int64_t p = 0; p < n; p++) {
    if ((p & (DB_CHUNK - 1)) == 0 && gl_interrupted()) atomic_store_explicit(&stop, 1, memory_order_relaxed);
    if (atomic_load_explicit(&stop, memory_order_relaxed)) continue;
    const double *x = t->pts + p * d;
    anc[p] = d == 3 ? db_anchor_d3(t, pnode, anc[p], x, eps) : db_anchor_dn(t, pnode, anc[p], x, eps);
    cnt[p] = d == 3 ? db_count_d3(&c, anc[p], x, 0) : db_count_dn(&c, anc[p], x, 0);
    cp[p] = cnt[p] >= min_samples;
    atomic_init(&par[p], p);
  }
  if (atomic_load_explicit(&stop, memory_order_relaxed)) { rc = GL_EINTR; goto done; }
  /* 2. components of core points */
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, DB_CHUNK) num_threads(gl_threads()) if (n > 4 * DB_CHUNK)
#endif
  for (int64_t p = 0; p < n; p++) {
    if ((p & (DB_CHUNK - 1)) == 0 && gl_interrupted()) atomic_store_explicit(&stop, 1, memory_order_relaxed);
    if (atomic_load_explicit(&stop, memory_order_relaxed) || !cp[p]) continue;
    if (d == 3) db_link_d3(&c, anc[p], t->pts + p * d, p);
    else db_link_dn(&c, anc[p], t->pts + p * d, p);
  }
  if (atomic_load_explicit(&stop, memory_order_relaxed)) { rc = GL_EINTR; goto done; }
  /* 3. labels of components, in order of their lowest row */
  for (int64_t p = 0; p < n; p++) { pos[t->idx[p]] = p; rootlab[p] = -1; }
  for (int64_t r = 0; r < n; r++) {
    int64_t p = pos[r];
    if (!cp[p]) continue;
    int64_t root = uf_find_at(par, p);
    if (rootlab[root] < 0) rootlab[root] = next++;
  }
  for (int64_t p = 0; p < n; p++) lab[p] = cp[p] ? rootlab[uf_find_at(par, p)] : -1;
  /* smallest core label per node: children come after their parent in
     node order, so a backward sweep sees them first */
  for (int64_t j = nn - 1; j >= 0; j--) {
    int64_t m = INT64_MAX;
    if (t->left[j] < 0) {
      for (int64_t i = t->start[j]; i < t->end[j]; i++) if (lab[i] >= 0 && lab[i] < m) m = lab[i];
    } else {
      m = minlab[t->left[j]] < minlab[t->right[j]] ? minlab[t->left[j]] : minlab[t->right[j]];
    }
    minlab[j] = m;
  }
  /* border points (own label -1 until now, so lab[] reads stay unchanged
     during the sweep: results go to rootlab, reused) */
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, DB_CHUNK) num_threads(gl_threads()) if (n > 4 * DB_CHUNK)
#endif
  for (int64_t p = 0; p < n; p++) {
    if ((p & (DB_CHUNK - 1)) == 0 && gl_interrupted()) atomic_store_explicit(&stop, 1, memory_order_relaxed);
    if (atomic_load_explicit(&stop, memory_order_relaxed)) continue;
    rootlab[p] = lab[p];
    if (cp[p] || cnt[p] < 2) continue;      /* core, or alone in its ball */
    int64_t b = d == 3 ? db_border_d3(&c, anc[p], t->pts + p * d, INT64_MAX)
                       : db_border_dn(&c, anc[p], t->pts + p * d, INT64_MAX);
    rootlab[p] = b == INT64_MAX ? -1 : b;
  }
  if (atomic_load_explicit(&stop, memory_order_relaxed)) { rc = GL_EINTR; goto done; }
  for (int64_t p = 0; p < n; p++) { labels[t->idx[p]] = rootlab[p]; core[t->idx[p]] = cp[p]; }
done:
  free(cp); free(cnt); free((void *)par); free(lab); free(rootlab); free(minlab); free(pos); free(anc); free(pnode);
  return rc;
}

int gl_silhouette_f64 (int64_t n, int64_t d, const double *X, const int64_t *labels, int64_t nl, double *s) {
  int64_t *cnt = calloc((size_t)(nl ? nl : 1), sizeof *cnt);
  if (!cnt) return GL_ENOMEM;
  for (int64_t i = 0; i < n; i++) {
    if (labels[i] < 0 || labels[i] >= nl) { free(cnt); return GL_EINVAL; }
    cnt[labels[i]]++;
  }
  int err = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(gl_threads()) if (n > 500)
#endif
  {
    double *sum = malloc((size_t)(nl ? nl : 1) * sizeof *sum);
    if (!sum) {
#pragma omp atomic write
      err = GL_ENOMEM;
    }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 64)
#endif
    for (int64_t i = 0; i < n; i++) {   /* O(n^2): Ctrl-C polled every 64 rows */
      int e;
#pragma omp atomic read
      e = err;
      if (!sum || e) continue;
      if ((i & 63) == 0 && gl_interrupted()) {
#pragma omp atomic write
        err = GL_EINTR;
        continue;
      }
      for (int64_t c = 0; c < nl; c++) sum[c] = 0;
      const double *x = X + i * d;
      for (int64_t j = 0; j < n; j++) {
        double v = 0;
        for (int64_t q = 0; q < d; q++) { double w = x[q] - X[j * d + q]; v += w * w; }
        sum[labels[j]] += sqrt(v);
      }
      int64_t li = labels[i];
      if (cnt[li] <= 1) { s[i] = 0; continue; }
      double a = sum[li] / (double)(cnt[li] - 1), b = INFINITY;
      for (int64_t c = 0; c < nl; c++)
        if (c != li && cnt[c] > 0 && sum[c] / (double)cnt[c] < b) b = sum[c] / (double)cnt[c];
      double m = a > b ? a : b;
      s[i] = m > 0 ? (b - a) / m : 0;
    }
    free(sum);
  }
  free(cnt);
  return err;
}
