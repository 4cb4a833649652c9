/* ml_tree.c: CART trees and forests (see ml_tree.h for the layout).
 *
 * Algorithm (scikit-learn 1.2, tree/_tree.pyx DepthFirstTreeBuilder and
 * _splitter.pyx BestSplitter/RandomSplitter, _criterion.pyx): nodes are grown
 * depth first from a stack. At a node, features are drawn without
 * replacement (Fisher-Yates) until max_features of them have been looked at
 * and at least one was not constant; for each, the node's rows are sorted by
 * the feature and every boundary between distinct values (more than 1e-7
 * apart) leaving min_samples_leaf rows on each side is scored with the
 * criterion's proxy (Gini/entropy: -(w_l imp_l + w_r imp_r); squared error:
 * s_l^2/w_l + s_r^2/w_r). The threshold is the midpoint of the two values.
 * The random splitter draws one uniform threshold per feature instead.
 * A node is a leaf at max_depth, below min_samples_split or 2*min_samples_leaf
 * rows, when pure (impurity <= DBL_EPSILON), when no split exists, or when
 * the split improves less than min_impurity_decrease. */
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

/* {=====  sorting rows by one feature (introsort-like quicksort)  ===== */

static void swap2 (float *x, int64_t *s, int64_t i, int64_t j) {
  float a = x[i]; x[i] = x[j]; x[j] = a;
  int64_t b = s[i]; s[i] = s[j]; s[j] = b;
}

static void sort2 (float *x, int64_t *s, int64_t n) {
  while (n > 16) {
    /* median of three pivot, three-way partition (many equal values) */
    float a = x[0], b = x[n / 2], c = x[n - 1], piv;
    piv = (a < b) ? ((b < c) ? b : (a < c ? c : a)) : ((a < c) ? a : (b < c ? c : b));
    int64_t lt = 0, i = 0, gt = n;
    while (i < gt) {
      if (x[i] < piv) swap2(x, s, i++, lt++);
      else if (x[i] > piv) swap2(x, s, i, --gt);
      else i++;
    }
    /* recurse on the smaller part, loop on the larger */
    if (lt < n - gt) { sort2(x, s, lt); x += gt; s += gt; n -= gt; }
    else { sort2(x + gt, s + gt, n - gt); n = lt; }
  }
  for (int64_t i = 1; i < n; i++) {
    float v = x[i]; int64_t w = s[i]; int64_t j = i;
    while (j > 0 && x[j - 1] > v) { x[j] = x[j - 1]; s[j] = s[j - 1]; j--; }
    x[j] = v; s[j] = w;
  }
}
/* Order-preserving map of a float to uint32 (negatives reversed below positives). */
static uint32_t fkey (float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

/* Sorts x[0..n) with s alongside by an LSD radix sort on the float bits
 * (4 passes of 8 bits, a pass skipped when every key has the same digit);
 * kb/kt (n each) and st (n) are scratch. Small n go to sort2. */
static void sort_radix (float *x, int64_t *s, int64_t n, uint64_t *kb, uint64_t *kt, int64_t *st) {
  if (n < 256) { sort2(x, s, n); return; }
  for (int64_t i = 0; i < n; i++) kb[i] = ((uint64_t)fkey(x[i]) << 32) | (uint64_t)i;
  for (int pass = 0; pass < 4; pass++) {
    int shift = 32 + 8 * pass;
    int64_t cnt[256] = {0};
    for (int64_t i = 0; i < n; i++) cnt[(kb[i] >> shift) & 255]++;
    if (cnt[(kb[0] >> shift) & 255] == n) continue;
    int64_t sum = 0;
    for (int b = 0; b < 256; b++) { int64_t c = cnt[b]; cnt[b] = sum; sum += c; }
    for (int64_t i = 0; i < n; i++) kt[cnt[(kb[i] >> shift) & 255]++] = kb[i];
    uint64_t *t = kb; kb = kt; kt = t;
  }
  memcpy(st, s, (size_t)n * sizeof(int64_t));
  for (int64_t i = 0; i < n; i++) {
    uint32_t j = (uint32_t)kb[i];
    s[i] = st[j];
    float v; uint32_t u = (uint32_t)(kb[i] >> 32);
    u = (u & 0x80000000u) ? (u & 0x7fffffffu) : ~u;
    memcpy(&v, &u, sizeof v);
    x[i] = v;
  }
}
/* } */

/* {=====  criteria  ===== */

typedef struct crit {
  int kind;
  int64_t K;            /* classes (1 for regression) */
  const double *y, *sw;
  double *tot, *lft;    /* K each: weighted class counts, or sum (regression) */
  double wt, wl, sq_tot, sq_lft;
} crit;

static double cls_impurity (int kind, const double *cnt, int64_t K, double w) {
  double r = 0.0;
  if (w <= 0) return 0.0;
  if (kind == GL_TREE_GINI) {
    double sq = 0.0;
    for (int64_t k = 0; k < K; k++) sq += cnt[k] * cnt[k];
    return 1.0 - sq / (w * w);
  }
  for (int64_t k = 0; k < K; k++) if (cnt[k] > 0.0) {
    double c = cnt[k] / w;
    r -= c * (log(c) / log(2.0));
  }
  return r;
}

/* Totals of rows s[0..n) into c (tot, wt, sq_tot). */
static void crit_init (crit *c, const int64_t *s, int64_t n) {
  memset(c->tot, 0, (size_t)c->K * sizeof(double));
  c->wt = 0.0; c->sq_tot = 0.0;
  for (int64_t i = 0; i < n; i++) {
    int64_t r = s[i];
    double w = c->sw ? c->sw[r] : 1.0;
    if (c->kind == GL_TREE_MSE) { c->tot[0] += w * c->y[r]; c->sq_tot += w * c->y[r] * c->y[r]; }
    else c->tot[(int64_t)c->y[r]] += w;
    c->wt += w;
  }
}

static double crit_node_impurity (const crit *c) {
  if (c->kind == GL_TREE_MSE) {
    double m = c->tot[0] / c->wt;
    return c->sq_tot / c->wt - m * m;
  }
  return cls_impurity(c->kind, c->tot, c->K, c->wt);
}

static void crit_reset (crit *c) {
  memset(c->lft, 0, (size_t)c->K * sizeof(double));
  c->wl = 0.0; c->sq_lft = 0.0;
}

static void crit_add (crit *c, int64_t r) {
  double w = c->sw ? c->sw[r] : 1.0;
  if (c->kind == GL_TREE_MSE) { c->lft[0] += w * c->y[r]; c->sq_lft += w * c->y[r] * c->y[r]; }
  else c->lft[(int64_t)c->y[r]] += w;
  c->wl += w;
}

static double crit_proxy (const crit *c, double *rbuf) {
  double wr = c->wt - c->wl;
  if (c->kind == GL_TREE_MSE) {
    double sr = c->tot[0] - c->lft[0];
    return c->lft[0] * c->lft[0] / c->wl + sr * sr / wr;
  }
  for (int64_t k = 0; k < c->K; k++) rbuf[k] = c->tot[k] - c->lft[k];
  return -wr * cls_impurity(c->kind, rbuf, c->K, wr) - c->wl * cls_impurity(c->kind, c->lft, c->K, c->wl);
}

/* Impurities of the current left/right children. */
static void crit_children (const crit *c, double *rbuf, double *il, double *ir) {
  double wr = c->wt - c->wl;
  if (c->kind == GL_TREE_MSE) {
    double ml = c->lft[0] / c->wl, sr = c->tot[0] - c->lft[0], mr = sr / wr;
    *il = c->sq_lft / c->wl - ml * ml;
    *ir = (c->sq_tot - c->sq_lft) / wr - mr * mr;
    return;
  }
  for (int64_t k = 0; k < c->K; k++) rbuf[k] = c->tot[k] - c->lft[k];
  *il = cls_impurity(c->kind, c->lft, c->K, c->wl);
  *ir = cls_impurity(c->kind, rbuf, c->K, wr);
}
/* } */

/* {=====  building  ===== */

typedef struct frame { int64_t start, end, depth, parent, n_const; int is_left; } frame;

int gl_ml_tree_fit (gl_ml_tree *t, int64_t n, int64_t p, const float *Xc, const double *y,
                    const double *sw, const gl_ml_tree_opts *o, uint32_t *rng, double *importances) {
  int64_t K = o->criterion == GL_TREE_MSE ? 1 : o->n_classes;
  int64_t ns = 0, *samples = NULL, *features = NULL, *cfeat = NULL, sp = 0, stack_cap = 64;
  float *Xf = NULL;
  uint64_t *kb = NULL, *kt = NULL;
  int64_t *st = NULL;
  double *buf = NULL, w_root = 0.0;
  frame *stack = NULL;
  int rc = GL_ENOMEM;
  int64_t max_depth = o->max_depth < 0 ? INT64_MAX : o->max_depth;
  int64_t min_leaf = o->min_samples_leaf < 1 ? 1 : o->min_samples_leaf;
  int64_t max_features = (o->max_features < 1 || o->max_features > p) ? p : o->max_features;
  crit c;

  memset(t, 0, sizeof *t);
  t->nv = K;
  samples = (int64_t *)malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
  features = (int64_t *)malloc((size_t)(p > 0 ? p : 1) * sizeof(int64_t));
  cfeat = (int64_t *)malloc((size_t)(p > 0 ? p : 1) * sizeof(int64_t));
  Xf = (float *)malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
  kb = (uint64_t *)malloc((size_t)(n > 0 ? n : 1) * sizeof(uint64_t));
  kt = (uint64_t *)malloc((size_t)(n > 0 ? n : 1) * sizeof(uint64_t));
  st = (int64_t *)malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
  buf = (double *)malloc((size_t)(3 * K + 2) * sizeof(double));
  stack = (frame *)malloc((size_t)stack_cap * sizeof(frame));
  if (!samples || !features || !cfeat || !Xf || !kb || !kt || !st || !buf || !stack) goto done;
  for (int64_t i = 0; i < n; i++) if (!sw || sw[i] != 0.0) samples[ns++] = i;
  for (int64_t f = 0; f < p; f++) features[f] = cfeat[f] = f;
  if (importances) memset(importances, 0, (size_t)p * sizeof(double));
  c.kind = o->criterion; c.K = K; c.y = y; c.sw = sw;
  c.tot = buf; c.lft = buf + K;
  double *rbuf = buf + 2 * K;

  stack[sp++] = (frame){0, ns, 0, -1, 0, 0};
  while (sp > 0) {
    frame fr = stack[--sp];
    int64_t start = fr.start, end = fr.end, nn = end - start, id;
    if (gl_interrupted()) { rc = GL_EINTR; goto done; }
    if (tree_reserve(t, t->n_nodes + 1)) goto done;
    id = t->n_nodes++;
    if (fr.parent >= 0) { if (fr.is_left) t->left[fr.parent] = id; else t->right[fr.parent] = id; }
    crit_init(&c, samples + start, nn);
    double imp = crit_node_impurity(&c);
    if (fr.parent < 0) w_root = c.wt;
    t->left[id] = t->right[id] = -1; t->feature[id] = -1; t->threshold[id] = -2.0;
    t->impurity[id] = imp; t->n_node_samples[id] = nn; t->wn[id] = c.wt;
    if (c.kind == GL_TREE_MSE) t->value[id] = c.tot[0] / c.wt;
    else memcpy(t->value + id * K, c.tot, (size_t)K * sizeof(double));

    int is_leaf = fr.depth >= max_depth || nn < o->min_samples_split || nn < 2 * min_leaf ||
                  imp <= DBL_EPSILON;
    if (is_leaf) continue;

    /* ---- split search (features drawn as sklearn's splitters do, known
     * constant features of the parent kept at the front) ---- */
    double best_proxy = -INFINITY, best_thr = 0.0;
    int64_t best_f = -1;
    int64_t n_known = fr.n_const, n_total = n_known, n_found = 0, n_drawn = 0, visited = 0, f_i = p;
    while (f_i > n_total && (visited < max_features || visited <= n_found + n_drawn)) {
      visited++;
      int64_t f_j = gl_rand_int(n_drawn, f_i - n_found, rng), tmp;
      if (f_j < n_known) {
        tmp = features[n_drawn]; features[n_drawn] = features[f_j]; features[f_j] = tmp;
        n_drawn++;
        continue;
      }
      f_j += n_found;
      int64_t f = features[f_j];
      const float *col = Xc + f * n;
      if (!o->random_splitter) {
        for (int64_t i = start; i < end; i++) Xf[i] = col[samples[i]];
        sort_radix(Xf + start, samples + start, nn, kb, kt, st);
        if (Xf[end - 1] <= Xf[start] + FEATURE_THRESHOLD) {
          tmp = features[f_j]; features[f_j] = features[n_total]; features[n_total] = tmp;
          n_found++; n_total++;
          continue;
        }
        f_i--;
        tmp = features[f_i]; features[f_i] = features[f_j]; features[f_j] = tmp;
        crit_reset(&c);
        int64_t k = start, q = start;
        while (q < end) {
          while (q + 1 < end && Xf[q + 1] <= Xf[q] + FEATURE_THRESHOLD) q++;
          q++;
          if (q >= end) break;
          if (q - start < min_leaf || end - q < min_leaf) continue;
          while (k < q) crit_add(&c, samples[k++]);
          double pr = crit_proxy(&c, rbuf);
          if (pr > best_proxy) {
            best_proxy = pr; best_f = f;
            best_thr = Xf[q - 1] / 2.0 + Xf[q] / 2.0;
            if (best_thr == Xf[q] || isinf(best_thr)) best_thr = Xf[q - 1];
          }
        }
      } else {
        float lo = col[samples[start]], hi = lo;
        Xf[start] = lo;
        for (int64_t i = start + 1; i < end; i++) {
          float v = col[samples[i]];
          Xf[i] = v;
          if (v < lo) lo = v; else if (v > hi) hi = v;
        }
        if (hi <= lo + FEATURE_THRESHOLD) {
          tmp = features[f_j]; features[f_j] = features[n_total]; features[n_total] = tmp;
          n_found++; n_total++;
          continue;
        }
        f_i--;
        tmp = features[f_i]; features[f_i] = features[f_j]; features[f_j] = tmp;
        double thr = gl_rand_uniform(lo, hi, rng);
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
        if (b - start < min_leaf || end - b < min_leaf) continue;
        crit_reset(&c);
        for (int64_t i = start; i < b; i++) crit_add(&c, samples[i]);
        double pr = crit_proxy(&c, rbuf);
        if (pr > best_proxy) { best_proxy = pr; best_f = f; best_thr = thr; }
      }
    }
    /* the parent's constants keep their order for siblings; new ones follow */
    memcpy(features, cfeat, (size_t)n_known * sizeof(int64_t));
    memcpy(cfeat + n_known, features + n_known, (size_t)n_found * sizeof(int64_t));
    if (best_f < 0) continue;

    /* partition rows by the best split and score it */
    const float *col = Xc + best_f * n;
    int64_t a = start, b = end;
    while (a < b) {
      if ((double)col[samples[a]] <= best_thr) a++;
      else { int64_t tmp = samples[a]; samples[a] = samples[--b]; samples[b] = tmp; }
    }
    int64_t pos = a;
    if (pos <= start || pos >= end) continue;
    crit_reset(&c);
    for (int64_t i = start; i < pos; i++) crit_add(&c, samples[i]);
    double il, ir, wl = c.wl, wr = c.wt - c.wl;
    crit_children(&c, rbuf, &il, &ir);
    double improvement = (c.wt / w_root) * (imp - wr / c.wt * ir - wl / c.wt * il);
    if (improvement + DBL_EPSILON < o->min_impurity_decrease) continue;
    t->feature[id] = best_f; t->threshold[id] = best_thr;
    if (importances) importances[best_f] += c.wt * imp - wl * il - wr * ir;
    if (sp + 2 > stack_cap) {
      frame *q = (frame *)realloc(stack, (size_t)(stack_cap * 2) * sizeof(frame));
      if (!q) goto done;
      stack = q; stack_cap *= 2;
    }
    stack[sp++] = (frame){pos, end, fr.depth + 1, id, n_total, 0};
    stack[sp++] = (frame){start, pos, fr.depth + 1, id, n_total, 1};
  }
  if (importances && w_root > 0) for (int64_t f = 0; f < p; f++) importances[f] /= w_root;
  rc = 0;
done:
  free(samples); free(features); free(cfeat); free(Xf); free(kb); free(kt); free(st); free(buf); free(stack);
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
