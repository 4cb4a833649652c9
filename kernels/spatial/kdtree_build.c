/* kdtree_build.c: builds the flat-array k-d tree of kdtree.h.
 *
 * Algorithm note. A node splits on the axis of largest extent of its tight
 * bounding box (the first such axis on ties), at the median position
 * start + (end - start) / 2, until it holds at most leafsize points or all
 * its points coincide. Every node keeps its tight box ("compact" nodes, as
 * scipy's cKDTree), which queries use to prune.
 *
 * The median split of a node takes two passes over its rows, not a
 * quickselect's many: a histogram of the split coordinate in up to HBINS
 * equal bins between the box's bounds (binning is monotonic, so bins are
 * ordered), then a two-pointer partition in place by bin, below the
 * median's bin left, the rest right, in which each row is classified once
 * and added to its child's box; the few rows of the median's bin are then
 * gathered and a quickselect among them (3-way, so runs of equal
 * coordinates are cheap) places the median. Nodes below HIST_MIN points use
 * the quickselect alone.
 *
 * Threads. Nodes with more than TASK_N points are built first, level by
 * level (breadth first), the splits of a level in parallel; the subtrees
 * below them (tasks, in the order met) are built in parallel depth first,
 * each into its own block of the tree's arrays (no private copies: every
 * page is written once, where it stays), then the blocks are closed up in
 * task order. The tree (node
 * numbers included) depends only on the data and leafsize, never on the
 * thread count; a child's number is always above its parent's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "kdtree.h"

#define HBINS 256
#define HIST_MIN 64
#define TASK_N 16384        /* larger nodes: built serially before the tasks */
/* Fewer points: one thread. Such a build takes under 10 ms, two threads save
 * a few ms on an idle machine but lose several times that on a busy one
 * (a descheduled thread holds its subtree while the other waits: 1x dune
 * cloud, 44.7k points, 10 ms on one thread, 37-42 ms on two at load 8). */
#define PAR_MIN 131072

/* nodes of a tree over n points: leaves hold at least (leafsize + 1) / 2 */
static int64_t subtree_max_nodes (int64_t n, int64_t leafsize) {
  int64_t half = (leafsize + 1) / 2;
  if (half < 1) half = 1;
  int64_t leaves = n / half + 1;
  return 2 * leaves + 1;
}

/* tasks hold more than TASK_N / 2 points */
static int64_t max_tasks (int64_t n) { return 2 * (n / (TASK_N / 2 + 1)) + 2; }

/* Each task builds in place into a block of subtree_max_nodes(its points)
 * nodes of the tree's arrays, and the blocks are closed up afterwards: the
 * blocks add at most 3 nodes per task beyond subtree_max_nodes(n), and the
 * top nodes number at most 2 per task or top leaf, hence 5 * max_tasks. */
int64_t gl_kdtree_max_nodes (int64_t n, int64_t leafsize) {
  return subtree_max_nodes(n, leafsize) + 5 * max_tasks(n);
}

/* where nodes go: the tree's arrays (top part) or a task's private ones */
typedef struct nodes {
  int64_t *start, *end, *left, *right, count;
  double *box;
} nodes;

typedef struct bctx {
  int64_t d, leafsize, n;
  double *pts;              /* the tree's rows, permuted in place with idx */
  int64_t *idx;
  unsigned char *bins;      /* n: the histogram bin of each row, during its split */
  atomic_int err;           /* GL_EINTR or GL_ENOMEM from any thread */
} bctx;

typedef struct task {
  int64_t start, end, root; /* root: the node number once appended */
  int64_t parent;           /* top node whose child this is, -1 for none */
  int right;                /* which child of parent */
  double *box;              /* 2*d: this subtree's box */
} task;

typedef struct tasks { task *v; int64_t n, cap; double *boxes; } tasks;

/* The row loops below are written once with the dimension d as an argument
 * and always inlined into versions for d = 2, d = 3 and any d, so that the
 * compiler unrolls the coordinate loops of point clouds (GCC needs the
 * pragma for that at -O2; other compilers ignore it). */
#define KD_INLINE static inline __attribute__((always_inline))

KD_INLINE void swap_rows (double *p, int64_t *idx, int64_t d, int64_t i, int64_t j) {
  int64_t x = idx[i]; idx[i] = idx[j]; idx[j] = x;
  double *a = p + i * d, *b = p + j * d;
#pragma GCC unroll 4
  for (int64_t k = 0; k < d; k++) { double v = a[k]; a[k] = b[k]; b[k] = v; }
}

KD_INLINE void box_add (double *box, const double *x, int64_t d) {
#pragma GCC unroll 4
  for (int64_t k = 0; k < d; k++) {
    box[k] = x[k] < box[k] ? x[k] : box[k];
    box[d + k] = x[k] > box[d + k] ? x[k] : box[d + k];
  }
}

static void box_empty (double *box, int64_t d) {
  for (int64_t k = 0; k < d; k++) { box[k] = INFINITY; box[d + k] = -INFINITY; }
}

/* Rearranges rows [lo, hi) so that row k holds the element of rank k - lo
 * on axis dim, smaller keys before it and larger after (nth_element). */
KD_INLINE void select_k (double *p, int64_t *idx, int64_t d, int64_t lo, int64_t hi, int64_t k, int64_t dim) {
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    double a = p[lo * d + dim], b = p[mid * d + dim], c = p[(hi - 1) * d + dim];
    double piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    /* 3-way partition: [lo,lt) < piv, [lt,gt) == piv, [gt,hi) > piv */
    int64_t lt = lo, i = lo, gt = hi;
    while (i < gt) {
      double v = p[i * d + dim];
      if (v < piv) { if (lt != i) swap_rows(p, idx, d, lt, i); lt++; i++; }
      else if (v > piv) swap_rows(p, idx, d, i, --gt);
      else i++;
    }
    if (k < lt) hi = lt;
    else if (k >= gt) lo = gt;
    else return;
  }
}

/* median split of a small node by quickselect; the children's boxes by a scan */
KD_INLINE void split_small (double *p, int64_t *idx, int64_t d, int64_t s, int64_t e, int64_t dim,
                            double *bl, double *br) {
  int64_t mid = s + (e - s) / 2;
  select_k(p, idx, d, s, e, mid, dim);
  box_empty(bl, d); box_empty(br, d);
  for (int64_t i = s; i < mid; i++) box_add(bl, p + i * d, d);
  for (int64_t i = mid; i < e; i++) box_add(br, p + i * d, d);
}

static inline int64_t bin_of (double v, double lo, double scale, int64_t nb) {
  int64_t b = (int64_t)((v - lo) * scale);
  return b < nb ? b : nb - 1;
}

#define MIDBUF 512

/* Median split of rows [s, e) of p on dim, in place. A histogram finds the
 * bin b of the median; a two-pointer (Hoare) partition puts bins < b left
 * and bins >= b right, classifying each row once, which fills the
 * children's boxes bl, br as it goes and notes where rows of bin b end up;
 * those are gathered at the start of the right part and a quickselect
 * among them places the median. */
KD_INLINE void split_hist (double *restrict p, int64_t *restrict idx, unsigned char *restrict bn, int64_t d,
                           int64_t s, int64_t e, int64_t dim, double lo, double hi, double *restrict bl,
                           double *restrict br) {
  int64_t n = e - s, mid = s + n / 2, hist[HBINS] = {0}, pos[MIDBUF];
  int64_t nb = n / 16 < HBINS ? (n / 16 > 4 ? n / 16 : 4) : HBINS;
  double scale = (double)nb / (hi - lo);
  if (!(scale < INFINITY)) scale = 0;     /* an extent overflowing to inf: one bin */
  /* each row's bin is kept (one byte, moved with the row): the partition
     reads it instead of computing it again */
  for (int64_t i = s; i < e; i++) {
    unsigned char t = (unsigned char)bin_of(p[i * d + dim], lo, scale, nb);
    bn[i] = t;
    hist[t]++;
  }
  int64_t b = 0, below = s;
  while (below + hist[b] <= mid) below += hist[b++];
  int64_t nm = 0, keep = hist[b] <= MIDBUF;   /* note bin-b rows, or find them later */
  /* boxes in locals for small d: registers once d is a constant */
  double accl[8], accr[8], *L = d <= 4 ? accl : bl, *R = d <= 4 ? accr : br;
  box_empty(L, d); box_empty(R, d);
  int64_t i = s, j = e - 1, bi, bj;
  for (;;) {
    while (i <= j && (bi = bn[i]) < b) { box_add(L, p + i * d, d); i++; }
    if (i > j) break;
    while (j > i && (bj = bn[j]) >= b) {
      if (bj > b) box_add(R, p + j * d, d); else if (keep) pos[nm++] = j;
      j--;
    }
    if (j == i) {                  /* the last row, of bin >= b: right */
      if (bi > b) box_add(R, p + i * d, d); else if (keep) pos[nm++] = i;
      break;
    }
    swap_rows(p, idx, d, i, j);    /* now row i has a bin < b, row j bin bi >= b */
    { unsigned char t = bn[i]; bn[i] = bn[j]; bn[j] = t; }
    box_add(L, p + i * d, d);
    if (bi > b) box_add(R, p + j * d, d); else if (keep) pos[nm++] = j;
    i++; j--;
  }
  /* i == below: the right part starts there; its bin-b rows go to its front */
  int64_t w = i;
  if (keep) {
    for (int64_t t = nm - 1; t >= 0; t--, w++) if (pos[t] != w) swap_rows(p, idx, d, w, pos[t]);
  } else {
    for (int64_t r = i; r < e; r++)
      if (bn[r] == b) {
        if (r != w) { swap_rows(p, idx, d, w, r); unsigned char t = bn[w]; bn[w] = bn[r]; bn[r] = t; }
        w++;
      }
  }
  select_k(p, idx, d, i, w, mid, dim);
  for (int64_t r = i; r < mid; r++) box_add(L, p + r * d, d);
  for (int64_t r = mid; r < w; r++) box_add(R, p + r * d, d);
  if (L != bl) for (int64_t k = 0; k < 2 * d; k++) { bl[k] = L[k]; br[k] = R[k]; }
}

/* the box of rows [0, n) into box; 0 if a value is NaN or infinite */
KD_INLINE int scan_rows (const double *p, int64_t n, int64_t d, double *box) {
  double acc[8], *B = d <= 4 ? acc : box, nan = 0;
  box_empty(B, d);
  for (int64_t i = 0; i < n; i++) {
    box_add(B, p + i * d, d);   /* skips NaN, keeps inf */
#pragma GCC unroll 4
    for (int64_t k = 0; k < d; k++) nan += p[i * d + k] * 0.0;   /* NaN for NaN or inf */
  }
  if (B != box) for (int64_t k = 0; k < 2 * d; k++) box[k] = B[k];
  for (int64_t k = 0; k < 2 * d; k++) if (!isfinite(box[k])) return 0;
  return nan == 0;
}

/* one split, by the histogram or the quickselect, specialised on d */
static void split_node (double *p, int64_t *idx, unsigned char *bn, int64_t d, int64_t s, int64_t e, int64_t dim,
                        const double *box, double *bl, double *br) {
  double lo = box[dim], hi = box[d + dim];
  if (e - s >= HIST_MIN) {
    if (d == 3) split_hist(p, idx, bn, 3, s, e, dim, lo, hi, bl, br);
    else if (d == 2) split_hist(p, idx, bn, 2, s, e, dim, lo, hi, bl, br);
    else split_hist(p, idx, bn, d, s, e, dim, lo, hi, bl, br);
  } else {
    if (d == 3) split_small(p, idx, 3, s, e, dim, bl, br);
    else if (d == 2) split_small(p, idx, 2, s, e, dim, bl, br);
    else split_small(p, idx, d, s, e, dim, bl, br);
  }
}

/* Builds the subtree over rows [s, e) whose box is `box` (2*d, copied) into
 * nd (node numbers from nd->count, depth first). Returns the node number. */
static int64_t build (bctx *c, nodes *nd, int64_t s, int64_t e, const double *box) {
  int64_t d = c->d, n = e - s;
  int64_t node = nd->count++;
  double *nb = nd->box + node * 2 * d;
  memcpy(nb, box, (size_t)(2 * d) * sizeof *box);
  nd->start[node] = s; nd->end[node] = e;
  nd->left[node] = nd->right[node] = -1;
  int64_t dim = 0;
  double best = nb[d] - nb[0];
  for (int64_t k = 1; k < d; k++) if (nb[d + k] - nb[k] > best) { best = nb[d + k] - nb[k]; dim = k; }
  int leaf = n <= c->leafsize || !(best > 0) || atomic_load_explicit(&c->err, memory_order_relaxed);
  if (!leaf && n >= 65536 && gl_interrupted()) { atomic_store(&c->err, GL_EINTR); leaf = 1; }
  if (leaf) return node;
  int64_t mid = s + n / 2;
  double cbuf[32], *cb = d <= 8 ? cbuf : malloc((size_t)(4 * d) * sizeof *cb);  /* children's boxes */
  if (!cb) { atomic_store(&c->err, GL_ENOMEM); return node; }
  split_node(c->pts, c->idx, c->bins, d, s, e, dim, nb, cb, cb + 2 * d);
  int64_t l = build(c, nd, s, mid, cb);
  int64_t r = build(c, nd, mid, e, cb + 2 * d);
  if (cb != cbuf) free(cb);
  nd->left[node] = l; nd->right[node] = r;
  return node;
}

/* The top levels (nodes of more than TASK_N points), breadth first: the
 * nodes of a level are numbered in order, then split in parallel (from the
 * second level on, every thread has a node to split); smaller subtrees are
 * queued as tasks in the order met. ncap bounds the items of a level (each
 * holds more than TASK_N / 2 points). */
typedef struct item { int64_t start, end, parent; int right; } item;

static int build_top (bctx *c, nodes *top, tasks *tk, int64_t n, const double *rootbox, int64_t ncap) {
  int64_t d = c->d;
  item *cur = malloc((size_t)ncap * sizeof *cur), *nxt = malloc((size_t)ncap * sizeof *nxt);
  int64_t *sp = malloc((size_t)ncap * 3 * sizeof *sp);     /* splits: item, node, dim */
  double *cbox = malloc((size_t)(ncap * 2 * d) * sizeof *cbox), *nbox = malloc((size_t)(ncap * 2 * d) * sizeof *nbox);
  if (!cur || !nxt || !sp || !cbox || !nbox) { free(cur); free(nxt); free(sp); free(cbox); free(nbox); return GL_ENOMEM; }
  int64_t ncur = 1;
  cur[0] = (item){0, n, -1, 0};
  memcpy(cbox, rootbox, (size_t)(2 * d) * sizeof *cbox);
  while (ncur > 0) {
    int64_t nsplit = 0;
    for (int64_t i = 0; i < ncur; i++) {
      const item *it = &cur[i];
      const double *box = cbox + i * 2 * d;
      int64_t s = it->start, e = it->end, m = e - s;
      if (m <= TASK_N) {
        task *q = &tk->v[tk->n];
        q->start = s; q->end = e; q->parent = it->parent; q->right = it->right; q->root = -1;
        q->box = tk->boxes + tk->n * 2 * d;
        memcpy(q->box, box, (size_t)(2 * d) * sizeof *box);
        tk->n++;
        continue;
      }
      int64_t node = top->count++;
      memcpy(top->box + node * 2 * d, box, (size_t)(2 * d) * sizeof *box);
      top->start[node] = s; top->end[node] = e;
      top->left[node] = top->right[node] = -1;
      if (it->parent >= 0) { if (it->right) top->right[it->parent] = node; else top->left[it->parent] = node; }
      int64_t dim = 0;
      double best = box[d] - box[0];
      for (int64_t k = 1; k < d; k++) if (box[d + k] - box[k] > best) { best = box[d + k] - box[k]; dim = k; }
      int leaf = m <= c->leafsize || !(best > 0) || atomic_load_explicit(&c->err, memory_order_relaxed);
      if (!leaf && m >= 65536 && gl_interrupted()) { atomic_store(&c->err, GL_EINTR); leaf = 1; }
      if (leaf) continue;
      sp[3 * nsplit] = i; sp[3 * nsplit + 1] = node; sp[3 * nsplit + 2] = dim;
      nsplit++;
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(gl_threads()) if (nsplit > 1 && c->n >= PAR_MIN)
#endif
    for (int64_t q = 0; q < nsplit; q++) {
      const item *it = &cur[sp[3 * q]];
      split_node(c->pts, c->idx, c->bins, d, it->start, it->end, sp[3 * q + 2], cbox + sp[3 * q] * 2 * d,
                 nbox + 2 * q * 2 * d, nbox + (2 * q + 1) * 2 * d);
    }
    for (int64_t q = 0; q < nsplit; q++) {
      const item *it = &cur[sp[3 * q]];
      int64_t mid = it->start + (it->end - it->start) / 2;
      nxt[2 * q] = (item){it->start, mid, sp[3 * q + 1], 0};
      nxt[2 * q + 1] = (item){mid, it->end, sp[3 * q + 1], 1};
    }
    item *ti = cur; cur = nxt; nxt = ti;
    double *tb = cbox; cbox = nbox; nbox = tb;
    ncur = 2 * nsplit;
  }
  free(cur); free(nxt); free(sp); free(cbox); free(nbox);
  return GL_OK;
}

int gl_kdtree_build (gl_kdtree *t, const double *data, int64_t rs, int64_t cs) {
  int64_t n = t->n, d = t->d;
  if (n < 1 || d < 1 || t->leafsize < 1) return GL_EINVAL;
  double *rootbox = malloc((size_t)(2 * d) * sizeof *rootbox);
  int64_t tcap = max_tasks(n);
  tasks tk = {malloc((size_t)tcap * sizeof(task)), 0, tcap, malloc((size_t)(tcap * 2 * d) * sizeof(double))};
  int64_t *base = malloc((size_t)(tcap + 1) * sizeof *base), *cnt = malloc((size_t)tcap * sizeof *cnt);
  unsigned char *bins = NULL;
  int rc = GL_OK;
  if (!rootbox || !tk.v || !tk.boxes || !base || !cnt) { rc = GL_ENOMEM; goto done; }
  /* the copy in its own pass: one sequential write of the fresh pages */
  if (cs == 1 && rs == d) memcpy(t->pts, data, (size_t)(n * d) * sizeof *data);
  else
    for (int64_t i = 0; i < n; i++)
      for (int64_t k = 0; k < d; k++) t->pts[i * d + k] = data[i * rs + k * cs];
  for (int64_t i = 0; i < n; i++) t->idx[i] = i;
  int ok = d == 3 ? scan_rows(t->pts, n, 3, rootbox) : d == 2 ? scan_rows(t->pts, n, 2, rootbox)
                  : scan_rows(t->pts, n, d, rootbox);
  if (!ok) { rc = GL_EINVAL; goto done; }
  bins = malloc((size_t)n);
  if (!bins) { rc = GL_ENOMEM; goto done; }
  bctx c = {d, t->leafsize, n, t->pts, t->idx, bins, 0};
  nodes top = {t->start, t->end, t->left, t->right, 0, t->box};
  rc = build_top(&c, &top, &tk, n, rootbox, tcap);
  if (rc) goto done;
  /* task j builds into nodes [base[j], base[j+1]) of the tree's own arrays */
  base[0] = top.count;
  for (int64_t j = 0; j < tk.n; j++) base[j + 1] = base[j] + subtree_max_nodes(tk.v[j].end - tk.v[j].start, t->leafsize);
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(gl_threads()) if (tk.n > 1 && n >= PAR_MIN)
#endif
  for (int64_t j = 0; j < tk.n; j++) {
    int64_t b = base[j];
    nodes nd = {t->start + b, t->end + b, t->left + b, t->right + b, 0, t->box + b * 2 * d};
    build(&c, &nd, tk.v[j].start, tk.v[j].end, tk.v[j].box);
    cnt[j] = nd.count;
  }
  rc = atomic_load(&c.err);
  if (rc) goto done;
  /* close up the blocks in task order, renumbering their links: the node
   * numbers are those of building the tasks one after the other */
  int64_t next = top.count;
  for (int64_t j = 0; j < tk.n; j++) {
    int64_t b = base[j], m = cnt[j];
    if (b != next) {
      memmove(t->start + next, t->start + b, (size_t)m * sizeof(int64_t));
      memmove(t->end + next, t->end + b, (size_t)m * sizeof(int64_t));
      memmove(t->box + next * 2 * d, t->box + b * 2 * d, (size_t)(m * 2 * d) * sizeof(double));
    }
    for (int64_t i = 0; i < m; i++) {
      int64_t l = t->left[b + i], r = t->right[b + i];
      t->left[next + i] = l < 0 ? -1 : l + next;
      t->right[next + i] = r < 0 ? -1 : r + next;
    }
    if (tk.v[j].parent >= 0) {
      if (tk.v[j].right) t->right[tk.v[j].parent] = next;
      else t->left[tk.v[j].parent] = next;
    }
    next += m;
  }
  t->nnodes = next;
done:
  free(base); free(cnt); free(tk.v); free(tk.boxes); free(rootbox); free(bins);
  return rc;
}
