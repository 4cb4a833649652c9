/* ml_tree.c: CART trees and forests (see ml_tree.h for the layout).
 *
 * Algorithm: scikit-learn 1.2.1's DepthFirstTreeBuilder (tree/_tree.pyx),
 * BestSplitter/RandomSplitter (_splitter.pyx) and criteria (_criterion.pyx),
 * followed operation by operation so that the same random_state gives the
 * same trees, not only trees that are equal in exact arithmetic. Nodes are
 * grown depth first from a stack. At a node, features are drawn without
 * replacement (Fisher-Yates) until max_features of them have been looked at
 * and at least one was not constant (max - min <= 1e-7 counts as constant);
 * for each, the node's rows are sorted by the feature (sklearn's introsort,
 * whose order of tied rows is part of the result when weighted sums round;
 * with whole class counts they cannot, and a faster sort is used: see
 * sort_rows_radix) and every boundary between
 * distinct values leaving min_samples_leaf rows on each side is scored with
 * the criterion's proxy. The threshold is the midpoint of the two values.
 * The random splitter draws one uniform threshold per feature instead.
 *
 * Rounding is part of the contract: the left sums are running sums, updated
 * from whichever end of the node is nearer (Criterion.update), the right sums
 * are total - left, and a child's impurity is the one computed from those
 * sums when its parent was split (not recomputed from its rows). So a child
 * whose true impurity is 0 may carry a residue of ~1e-16 and still be split,
 * exactly as sklearn does. A node is a leaf at max_depth, below
 * min_samples_split or 2*min_samples_leaf rows, when its impurity is
 * <= DBL_EPSILON, when no split exists, or when improvement + DBL_EPSILON <
 * min_impurity_decrease. Importances are computed afterwards from the stored
 * nodes, as Tree.compute_feature_importances does. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "ml_tree.h"
#include "ml_mt.h"

#define FEATURE_THRESHOLD 1e-7f

void gl_ml_tree_free (gl_ml_tree *t) {
  free(t->left); free(t->right); free(t->feature); free(t->n_node_samples);
  free(t->threshold); free(t->impurity); free(t->wn); free(t->value);
  memset(t, 0, sizeof *t);
}

static int tree_reserve (gl_ml_tree *t, int64_t need) {
  if (need <= t->cap) return 0;
  int64_t cap = t->cap ? t->cap : 64;
  while (cap < need) cap *= 2;
#define GROW(f, T, k) do { T *q = (T *)realloc(t->f, (size_t)(cap * (k)) * sizeof(T)); \
    if (!q) return GL_ENOMEM; \
    t->f = q; } while (0)
  GROW(left, int64_t, 1); GROW(right, int64_t, 1); GROW(feature, int64_t, 1);
  GROW(n_node_samples, int64_t, 1); GROW(threshold, double, 1); GROW(impurity, double, 1);
  GROW(wn, double, 1); GROW(value, double, t->nv);
#undef GROW
  t->cap = cap;
  return 0;
}

int gl_ml_tree_alloc (gl_ml_tree *t, int64_t nn, int64_t nv) {
  memset(t, 0, sizeof *t);
  t->nv = nv;
  if (tree_reserve(t, nn > 0 ? nn : 1)) { gl_ml_tree_free(t); return GL_ENOMEM; }
  t->n_nodes = nn;
  return 0;
}

/* {=====  sorting rows by one feature: sklearn's introsort  ===== */

/* Introsort (median of 3, three-way partition, heapsort past 2 log2 n
 * levels) exactly as _splitter.pyx has it: the order in which tied rows come
 * out decides the order of additions in the running sums. */
static void swap2 (float *x, int64_t *s, int64_t i, int64_t j) {
  float a = x[i]; x[i] = x[j]; x[j] = a;
  int64_t b = s[i]; s[i] = s[j]; s[j] = b;
}

static float median3 (const float *x, int64_t n) {
  float a = x[0], b = x[n / 2], c = x[n - 1];
  if (a < b) return (b < c) ? b : (a < c) ? c : a;
  if (b < c) return (a < c) ? a : c;
  return b;
}

static void sift_down (float *x, int64_t *s, int64_t start, int64_t end) {
  int64_t root = start;
  for (;;) {
    int64_t child = root * 2 + 1, maxind = root;
    if (child < end && x[maxind] < x[child]) maxind = child;
    if (child + 1 < end && x[maxind] < x[child + 1]) maxind = child + 1;
    if (maxind == root) return;
    swap2(x, s, root, maxind);
    root = maxind;
  }
}

static void heapsort2 (float *x, int64_t *s, int64_t n) {
  for (int64_t start = (n - 2) / 2;; start--) {
    sift_down(x, s, start, n);
    if (start == 0) break;
  }
  for (int64_t end = n - 1; end > 0; end--) {
    swap2(x, s, 0, end);
    sift_down(x, s, 0, end);
  }
}

static void introsort (float *x, int64_t *s, int64_t n, int maxd) {
  while (n > 1) {
    if (maxd <= 0) { heapsort2(x, s, n); return; }
    maxd--;
    float piv = median3(x, n);
    int64_t i = 0, l = 0, r = n;
    while (i < r) {
      if (x[i] < piv) swap2(x, s, i++, l++);
      else if (x[i] > piv) swap2(x, s, i, --r);
      else i++;
    }
    introsort(x, s, l, maxd);
    x += r; s += r; n -= r;
  }
}

static void sort_rows (float *x, int64_t *s, int64_t n) {
  if (n == 0) return;
  introsort(x, s, n, 2 * (int)(log((double)n) / log(2.0)));  /* sklearn's log is log2 */
}

/* When every weight is a whole number (no sample or class weights, or whole
 * ones, with bootstrap counts) and the criterion counts classes, the running
 * sums are exact: any order of tied rows gives the same tree, bit for bit.
 * Large nodes are then sorted by an LSD radix sort on the float keys made
 * unsigned-sortable (4 byte passes, skipping bytes all keys share): about a
 * quarter of introsort's time for 10^4 rows, which was 60% of a forest's fit. */
#define RADIX_MIN 256

static inline uint32_t float_key (float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return u ^ ((u >> 31) ? 0xFFFFFFFFu : 0x80000000u);
}

static inline float key_float (uint32_t u) {
  u ^= (u >> 31) ? 0x80000000u : 0xFFFFFFFFu;
  float v;
  memcpy(&v, &u, sizeof v);
  return v;
}

/* Smaller nodes: each key with its row's place in the low half of one
 * uint64, sorted as plain integers (no paired swaps), rows gathered after.
 * Quicksort on the smaller side first, insertion sort below 16: n < 256, so
 * even its worst case is cheap. */
static void sort_u64 (uint64_t *a, int64_t n) {
  while (n > 16) {
    uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint64_t piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    int64_t i = 0, j = n - 1;
    for (;;) {
      while (a[i] < piv) i++;
      while (a[j] > piv) j--;
      if (i >= j) break;
      uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++; j--;
    }
    int64_t m = j + 1;   /* [0, m) <= piv <= [m, n) */
    if (m < n - m) { sort_u64(a, m); a += m; n -= m; }
    else { sort_u64(a + m, n - m); n = m; }
  }
  for (int64_t i = 1; i < n; i++) {
    uint64_t v = a[i];
    int64_t k = i;
    while (k > 0 && a[k - 1] > v) { a[k] = a[k - 1]; k--; }
    a[k] = v;
  }
}

static void sort_rows_packed (float *x, int64_t *s, int64_t n, uint64_t *kv, int64_t *sbuf) {
  for (int64_t i = 0; i < n; i++) kv[i] = (uint64_t)float_key(x[i]) << 32 | (uint64_t)i;
  sort_u64(kv, n);
  memcpy(sbuf, s, (size_t)n * sizeof *s);
  for (int64_t i = 0; i < n; i++) {
    x[i] = key_float((uint32_t)(kv[i] >> 32));
    s[i] = sbuf[kv[i] & 0xFFFFFFFFu];
  }
}

/* kbuf: 2n keys, sbuf: n rows of scratch */
static void sort_rows_radix (float *x, int64_t *s, int64_t n, uint32_t *kbuf, int64_t *sbuf) {
  if (n < RADIX_MIN) { sort_rows_packed(x, s, n, (uint64_t *)(void *)kbuf, sbuf); return; }
  uint32_t *ka = kbuf, *kb = kbuf + n;
  int64_t *sa = s, *sb = sbuf;
  int64_t hist[4][256];
  memset(hist, 0, sizeof hist);
  for (int64_t i = 0; i < n; i++) {
    uint32_t k = ka[i] = float_key(x[i]);
    hist[0][k & 255]++; hist[1][(k >> 8) & 255]++; hist[2][(k >> 16) & 255]++; hist[3][k >> 24]++;
  }
  for (int b = 0; b < 4; b++) {
    int64_t *h = hist[b], sum = 0;
    if (h[(ka[0] >> (8 * b)) & 255] == n) continue;   /* every key has this byte */
    for (int v = 0; v < 256; v++) { int64_t c = h[v]; h[v] = sum; sum += c; }
    for (int64_t i = 0; i < n; i++) {
      uint32_t k = ka[i];
      int64_t d = h[(k >> (8 * b)) & 255]++;
      kb[d] = k; sb[d] = sa[i];
    }
    uint32_t *kt = ka; ka = kb; kb = kt;
    int64_t *st = sa; sa = sb; sb = st;
  }
  if (sa != s) memcpy(s, sa, (size_t)n * sizeof *s);
  for (int64_t i = 0; i < n; i++) x[i] = key_float(ka[i]);
}
/* } */

/* {=====  criteria (_criterion.pyx)  ===== */

typedef struct crit {
  int kind;
  int64_t K;                 /* classes (1 for regression) */
  const double *y, *sw;
  const int64_t *samples;
  int64_t start, end, pos;
  double *sum_total, *sum_left, *sum_right;  /* K each: weighted class counts, or sums of w*y */
  double sq_sum_total;       /* regression: sum of w*y*y */
  double wn, wl, wr;         /* weights of the node, its left and right parts */
  double w_samples;          /* weight of all rows (improvement scale) */
} crit;

static void crit_reset (crit *c) {
  memset(c->sum_left, 0, (size_t)c->K * sizeof(double));
  memcpy(c->sum_right, c->sum_total, (size_t)c->K * sizeof(double));
  c->wl = 0.0; c->wr = c->wn; c->pos = c->start;
}

static void crit_reverse_reset (crit *c) {
  memset(c->sum_right, 0, (size_t)c->K * sizeof(double));
  memcpy(c->sum_left, c->sum_total, (size_t)c->K * sizeof(double));
  c->wr = 0.0; c->wl = c->wn; c->pos = c->end;
}

/* Criterion.init: totals of rows samples[start..end). */
static void crit_init (crit *c, int64_t start, int64_t end) {
  c->start = start; c->end = end;
  memset(c->sum_total, 0, (size_t)c->K * sizeof(double));
  c->wn = 0.0; c->sq_sum_total = 0.0;
  for (int64_t q = start; q < end; q++) {
    int64_t r = c->samples[q];
    double w = c->sw ? c->sw[r] : 1.0;
    if (c->kind == GL_TREE_MSE) {
      double wy = w * c->y[r];
      c->sum_total[0] += wy;
      c->sq_sum_total += wy * c->y[r];
    } else c->sum_total[(int64_t)c->y[r]] += w;
    c->wn += w;
  }
  crit_reset(c);
}

/* Criterion.update: the left part becomes samples[start..new_pos), summed
 * from pos forwards or from end backwards, whichever is shorter. */
static void crit_update (crit *c, int64_t new_pos) {
  int mse = c->kind == GL_TREE_MSE;
  if (new_pos - c->pos <= c->end - new_pos) {
    for (int64_t q = c->pos; q < new_pos; q++) {
      int64_t r = c->samples[q];
      double w = c->sw ? c->sw[r] : 1.0;
      if (mse) c->sum_left[0] += w * c->y[r]; else c->sum_left[(int64_t)c->y[r]] += w;
      c->wl += w;
    }
  } else {
    crit_reverse_reset(c);
    for (int64_t q = c->end - 1; q >= new_pos; q--) {
      int64_t r = c->samples[q];
      double w = c->sw ? c->sw[r] : 1.0;
      if (mse) c->sum_left[0] -= w * c->y[r]; else c->sum_left[(int64_t)c->y[r]] -= w;
      c->wl -= w;
    }
  }
  c->wr = c->wn - c->wl;
  for (int64_t k = 0; k < c->K; k++) c->sum_right[k] = c->sum_total[k] - c->sum_left[k];
  c->pos = new_pos;
}

static double cls_impurity (int kind, const double *cnt, int64_t K, double w) {
  if (kind == GL_TREE_GINI) {
    double sq = 0.0;
    for (int64_t k = 0; k < K; k++) sq += cnt[k] * cnt[k];
    return 1.0 - sq / (w * w);
  }
  double r = 0.0;
  for (int64_t k = 0; k < K; k++) if (cnt[k] > 0.0) {
    double q = cnt[k] / w;
    r -= q * (log(q) / log(2.0));
  }
  return r;
}

static double crit_node_impurity (const crit *c) {
  if (c->kind == GL_TREE_MSE) {
    double m = c->sum_total[0] / c->wn;
    return c->sq_sum_total / c->wn - m * m;
  }
  return cls_impurity(c->kind, c->sum_total, c->K, c->wn);
}

/* Impurities of the current left and right parts. */
static void crit_children (const crit *c, double *il, double *ir) {
  if (c->kind == GL_TREE_MSE) {
    double sq_left = 0.0;
    for (int64_t q = c->start; q < c->pos; q++) {
      int64_t r = c->samples[q];
      double w = c->sw ? c->sw[r] : 1.0;
      sq_left += w * c->y[r] * c->y[r];
    }
    double ml = c->sum_left[0] / c->wl, mr = c->sum_right[0] / c->wr;
    *il = sq_left / c->wl - ml * ml;
    *ir = (c->sq_sum_total - sq_left) / c->wr - mr * mr;
    return;
  }
  *il = cls_impurity(c->kind, c->sum_left, c->K, c->wl);
  *ir = cls_impurity(c->kind, c->sum_right, c->K, c->wr);
}

/* Orders splits like the impurity improvement, with less arithmetic. */
static double crit_proxy (const crit *c) {
  if (c->kind == GL_TREE_MSE)
    return c->sum_left[0] * c->sum_left[0] / c->wl + c->sum_right[0] * c->sum_right[0] / c->wr;
  double il, ir;
  crit_children(c, &il, &ir);
  return -c->wr * ir - c->wl * il;
}

static double crit_improvement (const crit *c, double parent, double il, double ir) {
  return (c->wn / c->w_samples) * (parent - c->wr / c->wn * ir - c->wl / c->wn * il);
}
/* } */

/* {=====  splitting a node (_splitter.pyx)  ===== */

typedef struct splitter {
  int64_t n, p, max_features, min_leaf;
  int random;
  const float *Xc;
  int64_t *samples, *features, *cfeat;  /* cfeat: constant features, in the order found */
  float *Xf;
  uint32_t *rng;
  crit c;
  int any_order;          /* ties may come out in any order (sort_rows_radix) */
  uint32_t *kbuf;         /* its scratch: 2n keys, n rows */
  int64_t *sbuf;
} splitter;

typedef struct split_rec {
  int64_t pos, feature;
  double threshold, il, ir, improvement;
} split_rec;

/* Best split among the boundaries of samples[start..end) sorted by feature f. */
static void scan_sorted (splitter *S, int64_t start, int64_t end, int64_t f, split_rec *best, double *best_proxy) {
  crit *c = &S->c;
  const float *Xf = S->Xf;
  crit_reset(c);
  int64_t q = start;
  while (q < end) {
    while (q + 1 < end && Xf[q + 1] <= Xf[q] + FEATURE_THRESHOLD) q++;
    q++;
    if (q >= end) break;
    if (q - start < S->min_leaf || end - q < S->min_leaf) continue;
    crit_update(c, q);
    double pr = crit_proxy(c);
    if (pr > *best_proxy) {
      *best_proxy = pr;
      best->pos = q; best->feature = f;
      best->threshold = Xf[q - 1] / 2.0 + Xf[q] / 2.0;   /* sum of halves: no overflow */
      if (best->threshold == Xf[q] || isinf(best->threshold)) best->threshold = Xf[q - 1];
    }
  }
}

/* Splits at a uniform random threshold in [min, max) of feature f (ExtraTrees). */
static void scan_random (splitter *S, int64_t start, int64_t end, int64_t f, float lo, float hi,
                         split_rec *best, double *best_proxy) {
  float *Xf = S->Xf;
  int64_t *samples = S->samples;
  double thr = gl_rand_uniform(lo, hi, S->rng);
  if (thr == hi) thr = lo;
  int64_t a = start, b = end;
  while (a < b) {
    if (Xf[a] <= thr) a++;
    else {
      b--;
      float xv = Xf[a]; Xf[a] = Xf[b]; Xf[b] = xv;
      int64_t sv = samples[a]; samples[a] = samples[b]; samples[b] = sv;
    }
  }
  if (b - start < S->min_leaf || end - b < S->min_leaf) return;
  crit_reset(&S->c);
  crit_update(&S->c, b);
  double pr = crit_proxy(&S->c);
  if (pr > *best_proxy) { *best_proxy = pr; best->pos = b; best->feature = f; best->threshold = thr; }
}

/* Splitter.node_split: the best split of samples[start..end) (best->pos ==
 * end: none). n_const: constant features known from the parent, updated to
 * those known for the children. */
static void node_split (splitter *S, int64_t start, int64_t end, double impurity, int64_t *n_const,
                        split_rec *best) {
  int64_t *samples = S->samples, *features = S->features, nn = end - start, p = S->p;
  float *Xf = S->Xf;
  double best_proxy = -INFINITY;
  int64_t n_known = *n_const, n_total = n_known, n_found = 0, n_drawn = 0, visited = 0, f_i = p;
  int64_t current = -1, tmp;
  *best = (split_rec){end, 0, 0.0, INFINITY, INFINITY, -INFINITY};
  while (f_i > n_total && (visited < S->max_features || visited <= n_found + n_drawn)) {
    visited++;
    int64_t f_j = gl_rand_int(n_drawn, f_i - n_found, S->rng);
    if (f_j < n_known) {
      tmp = features[n_drawn]; features[n_drawn] = features[f_j]; features[f_j] = tmp;
      n_drawn++;
      continue;
    }
    f_j += n_found;
    current = features[f_j];
    const float *col = S->Xc + current * S->n;
    float lo, hi;
    if (!S->random) {
      for (int64_t i = start; i < end; i++) Xf[i] = col[samples[i]];
      if (S->any_order) sort_rows_radix(Xf + start, samples + start, nn, S->kbuf, S->sbuf);
      else sort_rows(Xf + start, samples + start, nn);
      lo = Xf[start]; hi = Xf[end - 1];
    } else {
      lo = hi = Xf[start] = col[samples[start]];
      for (int64_t i = start + 1; i < end; i++) {
        float v = Xf[i] = col[samples[i]];
        if (v < lo) lo = v; else if (v > hi) hi = v;
      }
    }
    if (hi <= lo + FEATURE_THRESHOLD) {
      tmp = features[f_j]; features[f_j] = features[n_total]; features[n_total] = tmp;
      n_found++; n_total++;
      continue;
    }
    f_i--;
    tmp = features[f_i]; features[f_i] = features[f_j]; features[f_j] = tmp;
    if (!S->random) scan_sorted(S, start, end, current, best, &best_proxy);
    else scan_random(S, start, end, current, lo, hi, best, &best_proxy);
  }
  if (best->pos < end) {
    /* rows as samples[start..pos) + samples[pos..end); the random splitter
     * leaves them partitioned when the best feature was the last one tried */
    if (!S->random || current != best->feature) {
      const float *col = S->Xc + best->feature * S->n;
      int64_t a = start, b = end;
      while (a < b) {
        if ((double)col[samples[a]] <= best->threshold) a++;
        else { tmp = samples[a]; samples[a] = samples[--b]; samples[b] = tmp; }
      }
    }
    crit_reset(&S->c);
    crit_update(&S->c, best->pos);
    crit_children(&S->c, &best->il, &best->ir);
    best->improvement = crit_improvement(&S->c, impurity, best->il, best->ir);
  }
  /* the parent's constants keep their order for siblings; new ones follow */
  memcpy(features, S->cfeat, (size_t)n_known * sizeof(int64_t));
  memcpy(S->cfeat + n_known, features + n_known, (size_t)n_found * sizeof(int64_t));
  *n_const = n_total;
}
/* } */

/* {=====  building (_tree.pyx DepthFirstTreeBuilder)  ===== */

typedef struct frame {
  int64_t start, end, depth, parent, n_const;
  int is_left;
  double impurity;   /* computed when the parent was split (root: INFINITY) */
} frame;

/* Tree.compute_feature_importances, before normalisation. */
static void tree_importances (const gl_ml_tree *t, int64_t p, double *imp) {
  memset(imp, 0, (size_t)p * sizeof(double));
  for (int64_t j = 0; j < t->n_nodes; j++) {
    int64_t l = t->left[j], r = t->right[j];
    if (l < 0) continue;
    imp[t->feature[j]] += t->wn[j] * t->impurity[j] - t->wn[l] * t->impurity[l] - t->wn[r] * t->impurity[r];
  }
  if (t->n_nodes > 0) for (int64_t f = 0; f < p; f++) imp[f] /= t->wn[0];
}

int gl_ml_tree_fit (gl_ml_tree *t, int64_t n, int64_t p, const float *Xc, const double *y,
                    const double *sw, const gl_ml_tree_opts *o, uint32_t *rng, double *importances) {
  int64_t K = o->criterion == GL_TREE_MSE ? 1 : o->n_classes;
  int64_t ns = 0, sp = 0, stack_cap = 64, m1 = n > 0 ? n : 1, p1 = p > 0 ? p : 1;
  double *buf = NULL;
  frame *stack = NULL;
  int rc = GL_ENOMEM, first = 1;
  int64_t max_depth = o->max_depth < 0 ? INT64_MAX : o->max_depth;
  splitter S = {0};

  memset(t, 0, sizeof *t);
  t->nv = K;
  S.n = n; S.p = p; S.Xc = Xc; S.rng = rng; S.random = o->random_splitter;
  S.min_leaf = o->min_samples_leaf < 1 ? 1 : o->min_samples_leaf;
  S.max_features = (o->max_features < 1 || o->max_features > p) ? p : o->max_features;
  S.samples = (int64_t *)malloc((size_t)m1 * sizeof(int64_t));
  S.features = (int64_t *)malloc((size_t)p1 * sizeof(int64_t));
  S.cfeat = (int64_t *)malloc((size_t)p1 * sizeof(int64_t));
  S.Xf = (float *)malloc((size_t)m1 * sizeof(float));
  buf = (double *)malloc((size_t)(3 * K) * sizeof(double));
  stack = (frame *)malloc((size_t)stack_cap * sizeof(frame));
  if (!S.samples || !S.features || !S.cfeat || !S.Xf || !buf || !stack) goto done;
  S.c = (crit){.kind = o->criterion, .K = K, .y = y, .sw = sw, .samples = S.samples,
               .sum_total = buf, .sum_left = buf + K, .sum_right = buf + 2 * K};
  for (int64_t i = 0; i < n; i++) {   /* rows of weight 0 are left out, but count in w_samples */
    if (!sw || sw[i] != 0.0) S.samples[ns++] = i;
    S.c.w_samples += sw ? sw[i] : 1.0;
  }
  for (int64_t f = 0; f < p; f++) S.features[f] = S.cfeat[f] = f;
  if (!S.random && o->criterion != GL_TREE_MSE && ns > 0) {
    int whole = 1;   /* exact sums: whole weights, a total far below 2^53 */
    if (sw) for (int64_t i = 0; i < n && whole; i++) whole = sw[i] == floor(sw[i]) && sw[i] >= 0.0;
    if (whole && S.c.w_samples < 0x1p50) {
      S.kbuf = (uint32_t *)malloc((size_t)(2 * ns) * sizeof(uint32_t));
      S.sbuf = (int64_t *)malloc((size_t)ns * sizeof(int64_t));
      if (!S.kbuf || !S.sbuf) goto done;
      S.any_order = 1;
    }
  }

  stack[sp++] = (frame){0, ns, 0, -1, 0, 0, INFINITY};
  while (sp > 0) {
    frame fr = stack[--sp];
    int64_t start = fr.start, end = fr.end, nn = end - start, id, n_const = fr.n_const;
    double imp = fr.impurity;
    split_rec best = {end, 0, 0.0, INFINITY, INFINITY, -INFINITY};
    if (gl_interrupted()) { rc = GL_EINTR; goto done; }
    crit_init(&S.c, start, end);
    int is_leaf = fr.depth >= max_depth || nn < o->min_samples_split || nn < 2 * S.min_leaf;
    if (first) { imp = crit_node_impurity(&S.c); first = 0; }
    is_leaf = is_leaf || imp <= DBL_EPSILON;   /* a rounding residue above eps still splits */
    if (!is_leaf) {
      node_split(&S, start, end, imp, &n_const, &best);
      is_leaf = best.pos >= end || best.improvement + DBL_EPSILON < o->min_impurity_decrease;
    }
    if (tree_reserve(t, t->n_nodes + 1)) goto done;
    id = t->n_nodes++;
    if (fr.parent >= 0) { if (fr.is_left) t->left[fr.parent] = id; else t->right[fr.parent] = id; }
    t->left[id] = t->right[id] = -1;
    t->feature[id] = is_leaf ? -1 : best.feature;
    t->threshold[id] = is_leaf ? -2.0 : best.threshold;
    t->impurity[id] = imp; t->n_node_samples[id] = nn; t->wn[id] = S.c.wn;
    if (o->criterion == GL_TREE_MSE) t->value[id] = S.c.sum_total[0] / S.c.wn;
    else memcpy(t->value + id * K, S.c.sum_total, (size_t)K * sizeof(double));
    if (is_leaf) continue;
    if (sp + 2 > stack_cap) {
      frame *q = (frame *)realloc(stack, (size_t)(stack_cap * 2) * sizeof(frame));
      if (!q) goto done;
      stack = q; stack_cap *= 2;
    }
    stack[sp++] = (frame){best.pos, end, fr.depth + 1, id, n_const, 0, best.ir};
    stack[sp++] = (frame){start, best.pos, fr.depth + 1, id, n_const, 1, best.il};
  }
  if (importances) tree_importances(t, p, importances);
  rc = 0;
done:
  free(S.samples); free(S.features); free(S.cfeat); free(S.Xf); free(buf); free(stack);
  free(S.kbuf); free(S.sbuf);
  if (rc) gl_ml_tree_free(t);
  return rc;
}
/* } */

/* {=====  prediction  ===== */

static int64_t leaf_of (const gl_ml_tree *t, const float *x, int64_t stride) {
  int64_t j = 0;
  while (t->left[j] >= 0)
    j = ((double)x[t->feature[j] * stride] <= t->threshold[j]) ? t->left[j] : t->right[j];
  return j;
}

void gl_ml_tree_apply (const gl_ml_tree *t, int64_t n, int64_t p, const float *X, int64_t *leaf) {
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n > 20000)
  for (int64_t i = 0; i < n; i++) leaf[i] = leaf_of(t, X + i * p, 1);
}

/* One tree's output for row x into out (nv values) added with weight 1. */
static void add_leaf (const gl_ml_tree *t, int64_t leaf, int classify, double *out) {
  const double *v = t->value + leaf * t->nv;
  if (!classify) { out[0] += v[0]; return; }
  double s = 0.0;
  for (int64_t k = 0; k < t->nv; k++) s += v[k];
  if (s == 0.0) s = 1.0;
  for (int64_t k = 0; k < t->nv; k++) out[k] += v[k] / s;
}

int gl_ml_forest_predict (int64_t ntrees, const gl_ml_tree *const *trees, int64_t n, int64_t p,
                          const float *X, int classify, double *out) {
  int64_t nv = classify ? trees[0]->nv : 1;
  memset(out, 0, (size_t)(n * nv) * sizeof(double));
#pragma omp parallel for schedule(static) num_threads(gl_threads()) if (n * ntrees > 20000)
  for (int64_t i = 0; i < n; i++) {
    if ((i & 1023) == 0 && gl_interrupted()) continue;   /* the flag stays set: reported below */
    double *o = out + i * nv;
    for (int64_t k = 0; k < ntrees; k++) add_leaf(trees[k], leaf_of(trees[k], X + i * p, 1), classify, o);
    for (int64_t c = 0; c < nv; c++) o[c] /= (double)ntrees;
  }
  return gl_interrupted() ? GL_EINTR : 0;
}
/* } */

/* {=====  forests  ===== */

/* sklearn's _generate_sample_indices: RandomState(seed).randint(0, n, m), counted. */
static void draw_bootstrap (uint32_t seed, int64_t n, int64_t m, double *w) {
  gl_mt19937 mt;
  gl_mt_seed(&mt, seed);
  memset(w, 0, (size_t)n * sizeof(double));
  for (int64_t i = 0; i < m; i++) w[gl_mt_randint(&mt, (uint64_t)n)] += 1.0;
}

/* The tree's splitter seed: RandomState(seed).randint(0, RAND_R_MAX). */
static uint32_t splitter_seed (uint32_t seed) {
  gl_mt19937 mt;
  gl_mt_seed(&mt, seed);
  return gl_mt_randint(&mt, GL_RAND_R_MAX);
}

int gl_ml_forest_fit (int64_t ntrees, gl_ml_tree *trees, int64_t n, int64_t p, const float *Xc,
                      const double *y, const double *sw, const gl_ml_tree_opts *o, const uint32_t *seeds,
                      int bootstrap, int64_t max_samples, double *oob, int64_t *oob_n, double *imp,
                      int nthreads) {
  int rc = 0;
  int64_t m = (max_samples > 0 && max_samples <= n) ? max_samples : n;
  if (nthreads == 0) nthreads = gl_threads();
#ifdef _OPENMP
  if (nthreads < 0) nthreads = omp_get_num_procs();
#endif
  if (nthreads < 1) nthreads = 1;
  (void)nthreads;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) if (ntrees > 1)
  for (int64_t k = 0; k < ntrees; k++) {
    int cur;
#pragma omp atomic read
    cur = rc;
    if (cur) continue;
    uint32_t r = splitter_seed(seeds[k]);
    double *w = NULL;
    int e;
    if (bootstrap) {
      w = (double *)malloc((size_t)n * sizeof(double));
      if (!w) {
#pragma omp atomic write
        rc = GL_ENOMEM;
        continue;
      }
      draw_bootstrap(seeds[k], n, m, w);
      if (sw) for (int64_t i = 0; i < n; i++) w[i] *= sw[i];
    }
    e = gl_ml_tree_fit(&trees[k], n, p, Xc, y, bootstrap ? w : sw, o, &r, imp ? imp + k * p : NULL);
    free(w);
    if (e) {
#pragma omp atomic write
      rc = e;
      continue;
    }
    if (imp) {
      double s = 0.0;
      for (int64_t f = 0; f < p; f++) s += imp[k * p + f];
      if (s > 0) for (int64_t f = 0; f < p; f++) imp[k * p + f] /= s;
    }
  }
  if (rc || !oob || !bootstrap) return rc;
  /* out-of-bag outputs: trees in order, each regenerating its bootstrap */
  double *w = (double *)malloc((size_t)n * sizeof(double));
  if (!w) return GL_ENOMEM;
  int classify = o->criterion != GL_TREE_MSE;
  int64_t nv = classify ? o->n_classes : 1;
  for (int64_t k = 0; k < ntrees; k++) {
    draw_bootstrap(seeds[k], n, m, w);
    for (int64_t i = 0; i < n; i++) if (w[i] == 0.0) {
      add_leaf(&trees[k], leaf_of(&trees[k], Xc + i, n), classify, oob + i * nv);
      oob_n[i]++;
    }
  }
  free(w);
  return 0;
}
/* } */
