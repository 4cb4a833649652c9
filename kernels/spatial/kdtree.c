/* kdtree.c: queries of the flat-array k-d tree (see kdtree.h).
 *
 * Algorithm note. The build (kdtree_build.c) gives every node its tight
 * bounding box, the "compact" boxes of scipy's cKDTree, and queries prune
 * with the point-to-box distance. Neighbour order does not depend on
 * the tree: k-NN candidates are compared as (squared distance, index) pairs,
 * so the k smallest pairs are found exactly; radius results are sorted by
 * index. Distances are accumulated over coordinates in axis order, like
 * scipy, so a point on the sphere r is in or out the same way. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "kdtree.h"

int gl_i64buf_push (gl_i64buf *b, int64_t v) {
  if (b->len == b->cap) {
    int64_t nc = b->cap ? 2 * b->cap : 64;
    int64_t *p = realloc(b->data, (size_t)nc * sizeof *p);
    if (!p) return GL_ENOMEM;
    b->data = p; b->cap = nc;
  }
  b->data[b->len++] = v;
  return GL_OK;
}

/* {===== queries */

static inline double dist2 (const double *a, const double *b, int64_t d) {
  double s = 0;
  for (int64_t k = 0; k < d; k++) { double v = a[k] - b[k]; s += v * v; }
  return s;
}

/* k-NN state: a max-heap on (d2, index) of at most k entries */
typedef struct knn_st {
  const gl_kdtree *t;
  const double *x;
  int64_t k, size;
  double bound;        /* dmax^2: candidates must be <= bound */
  double *hd;
  int64_t *hi;
} knn_st;

static inline int pair_gt (double da, int64_t ia, double db, int64_t ib) {
  return da > db || (da == db && ia > ib);
}

static void heap_push (knn_st *s, double d2, int64_t ix) {
  double *hd = s->hd; int64_t *hi = s->hi;
  int64_t i;
  if (s->size < s->k) {
    i = s->size++;
    while (i > 0) {
      int64_t p = (i - 1) / 2;
      if (!pair_gt(d2, ix, hd[p], hi[p])) break;
      hd[i] = hd[p]; hi[i] = hi[p]; i = p;
    }
    hd[i] = d2; hi[i] = ix;
    return;
  }
  if (!pair_gt(hd[0], hi[0], d2, ix)) return;   /* not better than the worst */
  i = 0;
  for (;;) {                                     /* sift the new item down from the root */
    int64_t l = 2 * i + 1, r = l + 1, m = i;
    double md = d2; int64_t mi = ix;
    if (l < s->k && pair_gt(hd[l], hi[l], md, mi)) { m = l; md = hd[l]; mi = hi[l]; }
    if (r < s->k && pair_gt(hd[r], hi[r], md, mi)) { m = r; }
    if (m == i) break;
    hd[i] = hd[m]; hi[i] = hi[m]; i = m;
  }
  hd[i] = d2; hi[i] = ix;
}

static inline double knn_worst (const knn_st *s) {
  return s->size < s->k ? s->bound : s->hd[0];
}

static void knn_visit (knn_st *s, int64_t node) {
  const gl_kdtree *t = s->t;
  if (t->left[node] < 0) {
    int64_t d = t->d;
    for (int64_t i = t->start[node]; i < t->end[node]; i++) {
      double d2 = dist2(s->x, t->pts + i * d, d);
      if (d2 <= knn_worst(s)) heap_push(s, d2, t->idx[i]);
    }
    return;
  }
  int64_t a = t->left[node], b = t->right[node];
  double da = gl_kdtree_box_dist2(t, a, s->x), db = gl_kdtree_box_dist2(t, b, s->x);
  if (db < da) { int64_t x = a; a = b; b = x; double y = da; da = db; db = y; }
  if (da <= knn_worst(s)) knn_visit(s, a);
  if (db <= knn_worst(s)) knn_visit(s, b);
}

void gl_kdtree_knn1 (const gl_kdtree *t, const double *x, int64_t k, double dmax2,
                     double *d2, int64_t *ind) {
  knn_st s = {t, x, k, 0, dmax2, d2, ind};
  knn_visit(&s, 0);
  /* heap -> ascending by popping the max to the end */
  int64_t n = s.size;
  while (s.size > 1) {
    int64_t last = --s.size;
    double td = d2[last]; int64_t ti = ind[last];
    d2[last] = d2[0]; ind[last] = ind[0];
    /* reinsert (td, ti) from the root over the first `last` items */
    int64_t i = 0;
    for (;;) {
      int64_t l = 2 * i + 1, r = l + 1, m = i;
      double md = td; int64_t mi = ti;
      if (l < last && pair_gt(d2[l], ind[l], md, mi)) { m = l; md = d2[l]; mi = ind[l]; }
      if (r < last && pair_gt(d2[r], ind[r], md, mi)) m = r;
      if (m == i) break;
      d2[i] = d2[m]; ind[i] = ind[m]; i = m;
    }
    d2[i] = td; ind[i] = ti;
  }
  for (int64_t i = n; i < k; i++) { d2[i] = INFINITY; ind[i] = -1; }
}

/* An order of the m queries that follows the tree (by the leaf each one
 * falls in), so consecutive queries touch the same nodes: a large speed-up
 * for big query sets. perm receives query numbers. */
int gl_kdtree_order (const gl_kdtree *t, int64_t m, const double *q, int64_t *perm) {
  int64_t *leaf = malloc((size_t)m * sizeof *leaf);
  int64_t *cnt = calloc((size_t)t->nnodes + 1, sizeof *cnt);
  if (!leaf || !cnt) { free(leaf); free(cnt); return GL_ENOMEM; }
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads())
#endif
  for (int64_t i = 0; i < m; i++) {
    const double *x = q + i * t->d;
    int64_t node = 0;
    while (t->left[node] >= 0) {
      int64_t a = t->left[node], b = t->right[node];
      node = gl_kdtree_box_dist2(t, b, x) < gl_kdtree_box_dist2(t, a, x) ? b : a;
    }
    leaf[i] = node;
  }
  for (int64_t i = 0; i < m; i++) cnt[leaf[i] + 1]++;
  for (int64_t j = 0; j < t->nnodes; j++) cnt[j + 1] += cnt[j];
  for (int64_t i = 0; i < m; i++) perm[cnt[leaf[i]]++] = i;
  free(leaf); free(cnt);
  return GL_OK;
}

#define ORDER_MIN 20000

int gl_kdtree_knn (const gl_kdtree *t, int64_t m, const double *q, int64_t k,
                   double dmax, double *dist, int64_t *ind) {
  if (k < 1 || k > t->n) return GL_EINVAL;
  double dmax2 = isinf(dmax) ? INFINITY : dmax * dmax;
  int64_t d = t->d;
  /* shared by the OpenMP threads: an atomic, as a plain int would be a data race */
  atomic_int stop = 0;
  int64_t *perm = NULL;
  if (m >= ORDER_MIN) {
    perm = malloc((size_t)m * sizeof *perm);
    if (!perm || gl_kdtree_order(t, m, q, perm)) { free(perm); return GL_ENOMEM; }
  }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 256) num_threads(gl_threads()) if (m * k > 2000)
#endif
  for (int64_t ii = 0; ii < m; ii++) {
    if (atomic_load_explicit(&stop, memory_order_relaxed)) continue;
    if ((ii & 4095) == 0 && gl_interrupted()) { atomic_store_explicit(&stop, 1, memory_order_relaxed); continue; }
    int64_t i = perm ? perm[ii] : ii;
    const double *x = q + i * d;
    int bad = 0;
    for (int64_t c = 0; c < d; c++) if (isnan(x[c])) bad = 1;
    if (bad) {
      for (int64_t j = 0; j < k; j++) { dist[i * k + j] = NAN; ind[i * k + j] = -1; }
      continue;
    }
    gl_kdtree_knn1(t, x, k, dmax2, dist + i * k, ind + i * k);
    for (int64_t j = 0; j < k; j++) dist[i * k + j] = sqrt(dist[i * k + j]);
  }
  free(perm);
  return atomic_load_explicit(&stop, memory_order_relaxed) ? GL_EINTR : GL_OK;
}

typedef struct ball_st {
  const gl_kdtree *t;
  const double *x;
  double r2;
  gl_i64buf *buf;
  int64_t count;
  int count_only, err;
  int64_t above;       /* pairs mode: keep indices > above (else -1) */
  int pos;             /* record tree positions instead of original indices */
} ball_st;

static void ball_visit (ball_st *s, int64_t node) {
  const gl_kdtree *t = s->t;
  if (gl_kdtree_box_dist2(t, node, s->x) > s->r2) return;
  if (t->left[node] >= 0) {
    ball_visit(s, t->left[node]);
    ball_visit(s, t->right[node]);
    return;
  }
  int64_t d = t->d;
  for (int64_t i = t->start[node]; i < t->end[node]; i++) {
    if (dist2(s->x, t->pts + i * d, d) <= s->r2) {
      int64_t j = t->idx[i];
      if (j <= s->above) continue;
      s->count++;
      if (!s->count_only && gl_i64buf_push(s->buf, s->pos ? i : j)) s->err = GL_ENOMEM;
    }
  }
}

int64_t gl_kdtree_ball1 (const gl_kdtree *t, const double *x, double r, gl_i64buf *buf) {
  ball_st s = {t, x, r * r, buf, 0, 0, 0, -1, 0};
  ball_visit(&s, 0);
  return s.err ? s.err : s.count;
}

int64_t gl_kdtree_ball1_pos (const gl_kdtree *t, const double *x, double r, gl_i64buf *buf) {
  ball_st s = {t, x, r * r, buf, 0, 0, 0, -1, 1};
  ball_visit(&s, 0);
  return s.err ? s.err : s.count;
}

static int cmp_i64 (const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

#define RCHUNK 512

int gl_kdtree_radius (const gl_kdtree *t, int64_t m, const double *q,
                      const double *r, int64_t rstride, int64_t *offsets,
                      gl_i64buf *out, int count_only, int pairs_mode) {
  return gl_kdtree_radius_ex(t, m, q, r, rstride, offsets, out, count_only ? GL_KD_COUNT : 0, pairs_mode, 0);
}

int gl_kdtree_radius_ex (const gl_kdtree *t, int64_t m, const double *q,
                         const double *r, int64_t rstride, int64_t *offsets,
                         gl_i64buf *out, int flags, int pairs_mode, int64_t limit) {
  int count_only = flags & GL_KD_COUNT, sorted = !(flags & GL_KD_UNSORTED);
  int64_t running = 0;   /* neighbours found so far, against limit */
  if (q == NULL) m = t->n;
  int64_t d = t->d, nch = (m + RCHUNK - 1) / RCHUNK;
  gl_i64buf *bufs = count_only ? NULL : calloc((size_t)(nch ? nch : 1), sizeof *bufs);
  int64_t *start = count_only ? NULL : malloc((size_t)(m ? m : 1) * sizeof *start);
  /* q == NULL: the tree's own points, taken in tree order (no sort needed) */
  int self = q == NULL;
  int64_t *perm = NULL;
  atomic_int err = 0;   /* written by any OpenMP thread */
  if (!self && m >= ORDER_MIN) perm = malloc((size_t)m * sizeof *perm);
  if ((!count_only && (!bufs || !start)) || (!self && m >= ORDER_MIN && (!perm || gl_kdtree_order(t, m, q, perm)))) {
    free(bufs); free(start); free(perm); return GL_ENOMEM;
  }
  if (self) perm = t->idx;
  offsets[0] = 0;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(gl_threads()) if (m > RCHUNK)
#endif
  for (int64_t c = 0; c < nch; c++) {
    if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
    if (gl_interrupted()) { atomic_store_explicit(&err, GL_EINTR, memory_order_relaxed); continue; }
    int64_t i0 = c * RCHUNK, i1 = i0 + RCHUNK < m ? i0 + RCHUNK : m;
    for (int64_t ii = i0; ii < i1; ii++) {
      int64_t i = perm ? perm[ii] : ii;
      const double *x = self ? t->pts + ii * d : q + i * d;
      double ri = r[i * rstride];
      int64_t before = count_only ? 0 : bufs[c].len;
      if (!count_only) start[i] = before;
      int bad = isnan(ri);
      for (int64_t k = 0; k < d; k++) if (isnan(x[k])) bad = 1;
      if (bad) { offsets[i + 1] = 0; continue; }
      ball_st s = {t, x, ri * ri, count_only ? NULL : &bufs[c], 0, count_only, 0,
                   pairs_mode ? i : -1, 0};
      if (ri >= 0) ball_visit(&s, 0);
      if (s.err) { atomic_store_explicit(&err, s.err, memory_order_relaxed); break; }
      offsets[i + 1] = s.count;
      if (sorted && !count_only && s.count > 1)
        qsort(bufs[c].data + before, (size_t)s.count, sizeof(int64_t), cmp_i64);
    }
    if (limit > 0 && !count_only) {
      /* the running total reaches the final total whatever the order, so
         whether the limit is exceeded does not depend on the threads */
      int64_t now;
#ifdef _OPENMP
#pragma omp atomic capture
#endif
      now = running += bufs[c].len;
      if (now > limit) atomic_store_explicit(&err, GL_ERANGE, memory_order_relaxed);
    }
  }
  for (int64_t i = 0; i < m; i++) offsets[i + 1] += offsets[i];
  if (!err && !count_only) {
    int64_t total = offsets[m];
    if (out->cap < out->len + total) {
      int64_t nc = out->len + total + 1;
      int64_t *p = realloc(out->data, (size_t)nc * sizeof *p);
      if (!p) err = GL_ENOMEM; else { out->data = p; out->cap = nc; }
    }
    if (!err) {
      for (int64_t ii = 0; ii < m; ii++) {
        int64_t i = perm ? perm[ii] : ii, cnt = offsets[i + 1] - offsets[i];
        if (cnt) memcpy(out->data + out->len + offsets[i], bufs[ii / RCHUNK].data + start[i],
                        (size_t)cnt * sizeof(int64_t));
      }
      out->len += total;
    }
  }
  if (bufs) { for (int64_t c = 0; c < nch; c++) free(bufs[c].data); free(bufs); }
  free(start);
  if (!self) free(perm);
  return err;
}

/* }===== */
