/* cluster_dbscan.c: DBSCAN on a kd-tree, and silhouette values.
 *
 * Algorithm note (DBSCAN). scikit-learn labels clusters by a depth-first
 * expansion from each unlabelled core point in row order; a border point
 * takes the label of the first cluster that reaches it. The result is
 * determined without the expansion: clusters are the connected components of
 * core points (edges: distance <= eps), numbered in order of their lowest
 * row; a border point takes the smallest label among its core neighbours.
 * That is computed here in four steps, the three searches in parallel:
 * neighbour counts -> core flags; core neighbourhoods -> union-find (merged
 * serially block by block, the component's representative being its lowest
 * row, so the order of merges does not matter); labels by first row; border
 * points. When all neighbourhoods fit in DB_LIMIT indices they are found in
 * one pass and kept; otherwise only core neighbourhoods are ever held, one
 * block at a time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cluster.h"

static int64_t uf_find (int64_t *p, int64_t i) {
  while (p[i] != i) { p[i] = p[p[i]]; i = p[i]; }
  return i;
}
static void uf_union (int64_t *p, int64_t a, int64_t b) {
  a = uf_find(p, a); b = uf_find(p, b);
  if (a == b) return;
  if (a < b) p[b] = a; else p[a] = b;   /* the lower row stays the root */
}

#define DBLK 4096
#define DB_LIMIT ((int64_t)1 << 26)   /* 64M neighbour indices (512 MB) */

int gl_dbscan_f64 (const gl_kdtree *t, double eps, int64_t min_samples, int64_t *labels, uint8_t *core) {
  int64_t n = t->n, d = t->d;
  /* queries in original row order: un-permute the tree's points */
  double *Q = calloc((size_t)(n * d), sizeof *Q);
  int64_t *off = malloc((size_t)(n + 1) * sizeof *off);
  int64_t *par = malloc((size_t)n * sizeof *par);
  int64_t *qidx = malloc((size_t)DBLK * sizeof *qidx);
  double *qbuf = malloc((size_t)(DBLK * d) * sizeof *qbuf);
  int64_t *qoff = malloc((size_t)(DBLK + 1) * sizeof *qoff);
  gl_i64buf nb = {0, 0, 0};
  int rc = GL_OK;
  int64_t i = 0, next = 0;
  if (!Q || !off || !par || !qidx || !qbuf || !qoff) { rc = GL_ENOMEM; goto done; }
  for (int64_t i = 0; i < n; i++) memcpy(Q + t->idx[i] * d, t->pts + i * d, (size_t)d * sizeof(double));
  /* fast path: every neighbourhood at once when they fit in DB_LIMIT indices */
  rc = gl_kdtree_radius_ex(t, n, NULL, &eps, 0, off, &nb, GL_KD_UNSORTED, 0, DB_LIMIT);
  if (rc == GL_OK) {
    for (int64_t r = 0; r < n; r++) { core[r] = off[r + 1] - off[r] >= min_samples; par[r] = r; }
    for (int64_t r = 0; r < n; r++)
      if (core[r])
        for (int64_t q = off[r]; q < off[r + 1]; q++) {
          int64_t j = nb.data[q];
          if (core[j] && j != r) uf_union(par, r, j);
        }
    for (int64_t r = 0; r < n; r++) {
      labels[r] = -1;
      if (!core[r]) continue;
      int64_t root = uf_find(par, r);
      labels[r] = root == r ? next++ : labels[root];
    }
    for (int64_t r = 0; r < n; r++) {
      if (core[r]) continue;
      int64_t best = -1;
      for (int64_t q = off[r]; q < off[r + 1]; q++) {
        int64_t j = nb.data[q];
        if (core[j] && (best < 0 || labels[j] < best)) best = labels[j];
      }
      labels[r] = best;
    }
    goto done;
  }
  if (rc != GL_ERANGE) goto done;
  nb.len = 0;
  rc = gl_kdtree_radius(t, n, Q, &eps, 0, off, NULL, 1, 0);
  if (rc) goto done;
  for (int64_t i = 0; i < n; i++) { core[i] = off[i + 1] - off[i] >= min_samples; par[i] = i; }
  /* core-core edges, block by block of core points */
  while (i < n) {
    int64_t m = 0;
    for (; i < n && m < DBLK; i++) if (core[i]) { qidx[m] = i; memcpy(qbuf + m * d, Q + i * d, (size_t)d * sizeof(double)); m++; }
    if (!m) break;
    nb.len = 0;
    rc = gl_kdtree_radius(t, m, qbuf, &eps, 0, qoff, &nb, 0, 0);
    if (rc) goto done;
    for (int64_t a = 0; a < m; a++)
      for (int64_t q = qoff[a]; q < qoff[a + 1]; q++) {
        int64_t j = nb.data[q];
        if (core[j] && j != qidx[a]) uf_union(par, qidx[a], j);
      }
  }
  /* labels of core points: components in order of their lowest row */
  for (int64_t r = 0; r < n; r++) labels[r] = -1;
  for (int64_t r = 0; r < n; r++) {
    if (!core[r]) continue;
    int64_t root = uf_find(par, r);
    if (root == r) labels[r] = next++;
    else labels[r] = labels[root];     /* root < r: already labelled */
  }
  /* border points: smallest label among core neighbours */
  i = 0;
  while (i < n) {
    int64_t m = 0;
    for (; i < n && m < DBLK; i++)
      if (!core[i] && off[i + 1] - off[i] > 1) { qidx[m] = i; memcpy(qbuf + m * d, Q + i * d, (size_t)d * sizeof(double)); m++; }
    if (!m) break;
    nb.len = 0;
    rc = gl_kdtree_radius(t, m, qbuf, &eps, 0, qoff, &nb, 0, 0);
    if (rc) goto done;
    for (int64_t a = 0; a < m; a++) {
      int64_t best = -1;
      for (int64_t q = qoff[a]; q < qoff[a + 1]; q++) {
        int64_t j = nb.data[q];
        if (core[j] && (best < 0 || labels[j] < best)) best = labels[j];
      }
      labels[qidx[a]] = best;
    }
  }
done:
  free(Q); free(off); free(par); free(qidx); free(qbuf); free(qoff); free(nb.data);
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
