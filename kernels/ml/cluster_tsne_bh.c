/* cluster_tsne_bh.c: Barnes-Hut t-SNE (van der Maaten 2014), as scikit-learn's
 * TSNE(method="barnes_hut") in 2-D: sparse input affinities over the
 * 3*perplexity nearest neighbours (kd-tree), attractive forces over those
 * pairs, repulsive forces from a quadtree whose cells count as one point when
 * size / distance < angle. The quadtree lives in flat arrays rebuilt at every
 * iteration. Per-point forces are independent and the normaliser is summed in
 * row order, so the embedding does not depend on the thread count. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "cluster.h"
#include "tsne_schedule.h"

typedef struct qt {
  int64_t *child;      /* 4 per cell, -1 none */
  double *com;         /* 2 per cell: centre of mass */
  double *cx, *hw;     /* centre (2 per cell) and half width (1 per cell) */
  int64_t *cnt, *pt;   /* points in the cell; the point of a one-point leaf */
  int64_t ncell, cap;
} qt;

static int qt_grow (qt *q) {
  int64_t nc = 2 * q->cap;
  int64_t *ch = realloc(q->child, (size_t)(4 * nc) * sizeof *ch);
  if (ch) q->child = ch;
  double *com = realloc(q->com, (size_t)(2 * nc) * sizeof *com);
  if (com) q->com = com;
  double *cx = realloc(q->cx, (size_t)(2 * nc) * sizeof *cx);
  if (cx) q->cx = cx;
  double *hw = realloc(q->hw, (size_t)nc * sizeof *hw);
  if (hw) q->hw = hw;
  int64_t *cnt = realloc(q->cnt, (size_t)nc * sizeof *cnt);
  if (cnt) q->cnt = cnt;
  int64_t *pt = realloc(q->pt, (size_t)nc * sizeof *pt);
  if (pt) q->pt = pt;
  if (!ch || !com || !cx || !hw || !cnt || !pt) return GL_ENOMEM;
  q->cap = nc;
  return GL_OK;
}

static int qt_new_cell (qt *q, double x, double y, double h) {
  if (q->ncell == q->cap && qt_grow(q)) return GL_ENOMEM;
  int64_t c = q->ncell++;
  for (int k = 0; k < 4; k++) q->child[4 * c + k] = -1;
  q->cx[2 * c] = x; q->cx[2 * c + 1] = y; q->hw[c] = h;
  q->com[2 * c] = q->com[2 * c + 1] = 0; q->cnt[c] = 0; q->pt[c] = -1;
  return GL_OK;
}

/* inserts point i at (x, y); duplicates stop splitting below a tiny width */
static int qt_insert (qt *q, const double *Y, int64_t i) {
  double x = Y[2 * i], y = Y[2 * i + 1];
  int64_t c = 0;
  for (;;) {
    int64_t n = q->cnt[c];
    q->com[2 * c] = (q->com[2 * c] * n + x) / (n + 1);
    q->com[2 * c + 1] = (q->com[2 * c + 1] * n + y) / (n + 1);
    q->cnt[c] = n + 1;
    int leaf = q->child[4 * c] < 0 && q->child[4 * c + 1] < 0 && q->child[4 * c + 2] < 0 && q->child[4 * c + 3] < 0;
    if (n == 0) { q->pt[c] = i; return GL_OK; }
    if (leaf && q->hw[c] < 1e-12) return GL_OK;          /* coincident points share the cell */
    if (leaf) {                                          /* push the resident point down */
      int64_t j = q->pt[c];
      q->pt[c] = -1;
      if (j >= 0) {
        double jx = Y[2 * j], jy = Y[2 * j + 1];
        int k = (jx > q->cx[2 * c]) + 2 * (jy > q->cx[2 * c + 1]);
        double h = q->hw[c] / 2;
        int rc = qt_new_cell(q, q->cx[2 * c] + (k & 1 ? h : -h), q->cx[2 * c + 1] + (k & 2 ? h : -h), h);
        if (rc) return rc;
        int64_t nc = q->ncell - 1;
        q->child[4 * c + k] = nc;
        q->com[2 * nc] = jx; q->com[2 * nc + 1] = jy; q->cnt[nc] = 1; q->pt[nc] = j;
      }
    }
    int k = (x > q->cx[2 * c]) + 2 * (y > q->cx[2 * c + 1]);
    if (q->child[4 * c + k] < 0) {
      double h = q->hw[c] / 2;
      int rc = qt_new_cell(q, q->cx[2 * c] + (k & 1 ? h : -h), q->cx[2 * c + 1] + (k & 2 ? h : -h), h);
      if (rc) return rc;
      q->child[4 * c + k] = q->ncell - 1;
    }
    c = q->child[4 * c + k];
  }
}

/* repulsive force on (x, y) and its share of the normaliser */
static void qt_repulse (const qt *q, int64_t c, double x, double y, double theta2, double *fx, double *fy, double *sq) {
  double dx = x - q->com[2 * c], dy = y - q->com[2 * c + 1], d2 = dx * dx + dy * dy;
  int leaf = q->child[4 * c] < 0 && q->child[4 * c + 1] < 0 && q->child[4 * c + 2] < 0 && q->child[4 * c + 3] < 0;
  double w = 2 * q->hw[c];
  if (leaf || w * w < theta2 * d2) {
    if (d2 == 0 && leaf) {           /* the point itself (and any duplicates): no force */
      return;
    }
    double qv = 1.0 / (1.0 + d2), m = (double)q->cnt[c];
    *sq += m * qv;
    *fx += m * qv * qv * dx; *fy += m * qv * qv * dy;
    return;
  }
  for (int k = 0; k < 4; k++) if (q->child[4 * c + k] >= 0) qt_repulse(q, q->child[4 * c + k], x, y, theta2, fx, fy, sq);
}

int gl_tsne_bh_f64 (const gl_kdtree *t, double perplexity, double early_exaggeration,
                    double learning_rate, int64_t n_iter, int64_t n_iter_without_progress,
                    double min_grad_norm, double angle, double *Y, double *kl_out, int64_t *iters_out) {
  int64_t n = t->n, d = t->d;
  int64_t k = (int64_t)(3 * perplexity + 1);
  if (k > n - 1) k = n - 1;
  if (n < 2 || k < 1) return GL_EINVAL;
  double *X = malloc((size_t)(n * d) * sizeof *X), *dist = malloc((size_t)(n * (k + 1)) * sizeof *dist);
  int64_t *nb = malloc((size_t)(n * (k + 1)) * sizeof *nb);
  double *Pc = malloc((size_t)(n * k) * sizeof *Pc);
  int64_t *off = NULL, *col = NULL; double *val = NULL;
  double *grad = malloc((size_t)(2 * n) * sizeof *grad), *upd = calloc((size_t)(2 * n), sizeof *upd);
  double *gains = malloc((size_t)(2 * n) * sizeof *gains), *rep = malloc((size_t)(3 * n) * sizeof *rep);
  qt q = {0};
  q.cap = 4 * n + 16;
  q.child = malloc((size_t)(4 * q.cap) * sizeof(int64_t)); q.com = malloc((size_t)(2 * q.cap) * sizeof(double));
  q.cx = malloc((size_t)(2 * q.cap) * sizeof(double)); q.hw = malloc((size_t)q.cap * sizeof(double));
  q.cnt = malloc((size_t)q.cap * sizeof(int64_t)); q.pt = malloc((size_t)q.cap * sizeof(int64_t));
  int rc = GL_OK;
  if (!X || !dist || !nb || !Pc || !grad || !upd || !gains || !rep || !q.child || !q.com || !q.cx || !q.hw || !q.cnt || !q.pt) {
    rc = GL_ENOMEM; goto done;
  }
  for (int64_t i = 0; i < n; i++) memcpy(X + t->idx[i] * d, t->pts + i * d, (size_t)d * sizeof(double));
  /* neighbours (the point itself first) and conditional affinities */
  rc = gl_kdtree_knn(t, n, X, k + 1, INFINITY, dist, nb);
  if (rc) goto done;
  double desired = log(perplexity);
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 64) num_threads(gl_threads())
#endif
  for (int64_t i = 0; i < n; i++) {
    const double *dd = dist + i * (k + 1) + 1;
    double *p = Pc + i * k;
    double beta = 1, bmin = -INFINITY, bmax = INFINITY;
    for (int step = 0; step < 100; step++) {
      double sum = 0, h = 0;
      for (int64_t j = 0; j < k; j++) { p[j] = exp(-dd[j] * dd[j] * beta); sum += p[j]; }
      if (sum == 0) sum = 1e-8;
      for (int64_t j = 0; j < k; j++) { p[j] /= sum; h += dd[j] * dd[j] * p[j]; }
      double diff = log(sum) + beta * h - desired;
      if (fabs(diff) <= 1e-5) break;
      if (diff > 0) { bmin = beta; beta = bmax == INFINITY ? beta * 2 : (beta + bmax) / 2; }
      else { bmax = beta; beta = bmin == -INFINITY ? beta / 2 : (beta + bmin) / 2; }
    }
  }
  /* symmetric P = (P + P^T) / sum, as a CSR matrix with sorted columns */
  {
    int64_t *deg = calloc((size_t)n + 1, sizeof *deg);
    if (!deg) { rc = GL_ENOMEM; goto done; }
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < k; j++) { deg[i + 1]++; deg[nb[i * (k + 1) + 1 + j] + 1]++; }
    for (int64_t i = 0; i < n; i++) deg[i + 1] += deg[i];
    int64_t nnz = deg[n];
    int64_t *c2 = malloc((size_t)nnz * sizeof *c2); double *v2 = malloc((size_t)nnz * sizeof *v2);
    int64_t *fill = malloc((size_t)n * sizeof *fill);
    off = malloc((size_t)(n + 1) * sizeof *off); col = malloc((size_t)nnz * sizeof *col); val = malloc((size_t)nnz * sizeof *val);
    if (!c2 || !v2 || !fill || !off || !col || !val) { free(deg); free(c2); free(v2); free(fill); rc = GL_ENOMEM; goto done; }
    memcpy(fill, deg, (size_t)n * sizeof *fill);
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < k; j++) {
        int64_t o = nb[i * (k + 1) + 1 + j];
        double v = Pc[i * k + j];
        c2[fill[i]] = o; v2[fill[i]++] = v;
        c2[fill[o]] = i; v2[fill[o]++] = v;
      }
    /* merge duplicates row by row (insertion sort: rows are short) */
    double tot = 0;
    int64_t w = 0;
    off[0] = 0;
    for (int64_t i = 0; i < n; i++) {
      int64_t a = deg[i], b = deg[i + 1];
      for (int64_t x = a + 1; x < b; x++) {
        int64_t cc = c2[x]; double vv = v2[x]; int64_t y = x - 1;
        while (y >= a && c2[y] > cc) { c2[y + 1] = c2[y]; v2[y + 1] = v2[y]; y--; }
        c2[y + 1] = cc; v2[y + 1] = vv;
      }
      for (int64_t x = a; x < b; x++) {
        if (w > off[i] && col[w - 1] == c2[x]) val[w - 1] += v2[x];
        else { col[w] = c2[x]; val[w] = v2[x]; w++; }
      }
      off[i + 1] = w;
    }
    for (int64_t x = 0; x < w; x++) tot += val[x];
    for (int64_t x = 0; x < w; x++) val[x] /= tot;
    free(deg); free(c2); free(v2); free(fill);
  }
  for (int64_t x = 0; x < 2 * n; x++) gains[x] = 1;
  double kl = 0, theta2 = angle * angle;
  int64_t it;
  tsne_schedule sch;
  tsne_schedule_init(&sch, n_iter, n_iter_without_progress, min_grad_norm);
  for (it = 0; it < n_iter; it++) {
    if (gl_interrupted()) { rc = GL_EINTR; goto done; }
    int explore = tsne_exploring(&sch, it);
    double exag = explore ? early_exaggeration : 1.0, momentum = explore ? 0.5 : 0.8;
    /* quadtree over the current embedding */
    double lo0 = INFINITY, hi0 = -INFINITY, lo1 = INFINITY, hi1 = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
      if (Y[2 * i] < lo0) lo0 = Y[2 * i];
      if (Y[2 * i] > hi0) hi0 = Y[2 * i];
      if (Y[2 * i + 1] < lo1) lo1 = Y[2 * i + 1];
      if (Y[2 * i + 1] > hi1) hi1 = Y[2 * i + 1];
    }
    double h = fmax(hi0 - lo0, hi1 - lo1) / 2 * (1 + 1e-6) + 1e-12;
    q.ncell = 0;
    qt_new_cell(&q, (lo0 + hi0) / 2, (lo1 + hi1) / 2, h);
    for (int64_t i = 0; i < n && !rc; i++) rc = qt_insert(&q, Y, i);
    if (rc) goto done;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 256) num_threads(gl_threads())
#endif
    for (int64_t i = 0; i < n; i++) {
      double fx = 0, fy = 0, sq = 0;
      qt_repulse(&q, 0, Y[2 * i], Y[2 * i + 1], theta2, &fx, &fy, &sq);
      rep[3 * i] = fx; rep[3 * i + 1] = fy; rep[3 * i + 2] = sq;
    }
    double sumq = 0;
    for (int64_t i = 0; i < n; i++) sumq += rep[3 * i + 2];
    int check = tsne_checks(&sch, it);
    double klsum = 0;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(gl_threads())
#endif
    for (int64_t i = 0; i < n; i++) {
      double ax = 0, ay = 0, kls = 0;
      for (int64_t x = off[i]; x < off[i + 1]; x++) {
        int64_t j = col[x];
        double dx = Y[2 * i] - Y[2 * j], dy = Y[2 * i + 1] - Y[2 * j + 1];
        double qu = 1.0 / (1.0 + dx * dx + dy * dy), p = val[x] * exag;
        ax += p * qu * dx; ay += p * qu * dy;
        if (check) {
          double qn = qu / sumq;
          if (qn < DBL_EPSILON) qn = DBL_EPSILON;
          kls += p * log((p > DBL_EPSILON ? p : DBL_EPSILON) / qn);
        }
      }
      grad[2 * i] = 4 * (ax - rep[3 * i] / sumq);
      grad[2 * i + 1] = 4 * (ay - rep[3 * i + 1] / sumq);
      rep[3 * i + 2] = kls;            /* the normaliser share is summed already */
    }
    for (int64_t i = 0; i < n; i++) klsum += rep[3 * i + 2];   /* in row order */
    if (check) kl = klsum;
    double gnorm = tsne_step(n * 2, grad, gains, upd, Y, momentum, learning_rate, 1);
    if (tsne_done(&sch, it, kl, gnorm, n * 2, upd, gains)) break;
  }
  *kl_out = kl;
  *iters_out = tsne_n_iter(&sch, it);
done:
  free(X); free(dist); free(nb); free(Pc); free(off); free(col); free(val); free(grad); free(upd); free(gains); free(rep);
  free(q.child); free(q.com); free(q.cx); free(q.hw); free(q.cnt); free(q.pt);
  return rc;
}
