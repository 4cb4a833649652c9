/* reduce.c: reductions and scans along the middle axis of an outer x n x inner
 * block (see reduce.h): the task driver shared by every kernel, the pairwise
 * summation tree, the int64 and bool kernels, and reduce.inc included once
 * for float32 and once for float64.
 *
 * Work is split into tasks of (one outer index, a run of inner indices).
 * A task walks the n axis row by row and, within a row, the inner indices,
 * so a reduction over the first axis of a C-contiguous matrix streams
 * through memory with vector adds instead of striding down columns; min/max
 * and sums take whole rows (up to GL_RWIDE), which streams best. Long sums
 * are also cut into subtrees of their summation tree (pw_split). No output
 * depends on which thread runs which task, nor on how many tasks there are:
 * each output element is produced by one fixed sequence of operations (or,
 * for min/max, by exact comparisons, whose order does not matter). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gl_simd.h"
#include "reduce.h"


#define GL_RCOLS 256                 /* inner indices per task */
#define GL_RWIDE 8192                /* widest row slab a task sums: rows stream whole */
#define GL_RPAR_MIN ((int64_t)1 << 15)  /* fewer elements than this: one thread */
#define GL_PW_BLOCK 128              /* NumPy's PW_BLOCKSIZE */
#define GL_PW_SEG ((int64_t)1 << 14) /* subtree size one thread sums in a long line */

/* Transformations applied to each term of a pairwise sum. */
enum { OP_SUM, OP_NANSUM, OP_NOTNAN, OP_SQDEV, OP_NANSQDEV };

/* {====================================================================
 * Task driver
 * ===================================================================== */

static int threads_for (int64_t work, int64_t ntask) {
  if (work < GL_RPAR_MIN || ntask < 2) return 1;
  int nt = gl_threads();
  return ntask < nt ? (int)ntask : nt;
}

/* Runs fn over every (outer index, chunk of `width` inner indices). Returns
 * GL_EINTR if the user interrupted (remaining tasks are skipped). */
static int run_tasks (const gl_lines *g, int64_t width, gl_lines_fn fn, void *ctx) {
  int64_t nch = (g->inner + width - 1) / width, ntask = g->outer * nch;
  int nt = threads_for(g->outer * g->n * g->inner, ntask);
  int stop = 0;
  #pragma omp parallel for num_threads(nt) schedule(static)
  for (int64_t t = 0; t < ntask; t++) {
    int s;
    #pragma omp atomic read
    s = stop;
    if (s) continue;
    if (gl_interrupted()) {
      #pragma omp atomic write
      stop = 1;
      continue;
    }
    int64_t o = t / nch, i0 = (t % nch) * width;
    int64_t w = g->inner - i0 < width ? g->inner - i0 : width;
    fn(g, o, i0, w, ctx);
  }
  return stop ? GL_EINTR : GL_OK;
}

int gl_lines_run (const gl_lines *g, gl_lines_fn fn, void *ctx) {
  return run_tasks(g, GL_RCOLS, fn, ctx);
}

/* }==================================================================== */

/* {====================================================================
 * The pairwise summation tree (NumPy's pairwise_sum)
 * ===================================================================== */

/* Where a line of n > GL_PW_BLOCK terms splits: half, rounded down to 8. */
static int64_t pw_half (int64_t n) {
  int64_t n2 = n / 2;
  return n2 - n2 % 8;
}

/* Sum of a block of at most GL_PW_BLOCK contiguous terms, NumPy's way. */
static double pw_leaf (const double *a, int64_t n) {
  if (n < 8) {
    double res = 0.;
    for (int64_t i = 0; i < n; i++) res += a[i];
    return res;
  }
  double r[8];
  int64_t i;
  for (int k = 0; k < 8; k++) r[k] = a[k];
  for (i = 8; i < n - n % 8; i += 8)
    for (int k = 0; k < 8; k++) r[k] += a[i + k];
  double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  for (; i < n; i++) res += a[i];
  return res;
}

/* A long sum is cut into the subtrees of its summation tree that have at
 * most `seg` terms (seg >= GL_PW_BLOCK, so whole subtrees); threads sum
 * those, then the top of the tree is rebuilt in the same shape, so the
 * result equals the serial one whatever seg is. */
static int64_t pw_nseg (int64_t n, int64_t seg) {
  if (n <= seg) return 1;
  int64_t n2 = pw_half(n);
  return pw_nseg(n2, seg) + pw_nseg(n - n2, seg);
}

static void pw_split (int64_t off, int64_t n, int64_t seg, int64_t *offs, int64_t *lens, int64_t *k) {
  if (n <= seg) { offs[*k] = off; lens[*k] = n; (*k)++; return; }
  int64_t n2 = pw_half(n);
  pw_split(off, n2, seg, offs, lens, k);
  pw_split(off + n2, n - n2, seg, offs, lens, k);
}

static double pw_combine (int64_t n, int64_t seg, const double *part, int64_t *k) {
  if (n <= seg) return part[(*k)++];
  int64_t n2 = pw_half(n);
  double a = pw_combine(n2, seg, part, k);
  return a + pw_combine(n - n2, seg, part, k);
}

/* The same for rows of w sums: part holds one row per subtree (row stride
 * ps); dst receives the total; lev is scratch of w per tree level. */
static void pw_combine_rows (int64_t n, int64_t seg, const double *part, int64_t ps, int64_t w,
                             int64_t *k, double *restrict dst, double *lev) {
  if (n <= seg) { memcpy(dst, part + (*k)++ * ps, sizeof(double) * (size_t)w); return; }
  int64_t n2 = pw_half(n);
  pw_combine_rows(n2, seg, part, ps, w, k, dst, lev);
  pw_combine_rows(n - n2, seg, part, ps, w, k, lev, lev + w);
  for (int64_t i = 0; i < w; i++) dst[i] += lev[i];
}

/* Levels of partial-sum rows pw_rows needs for n rows. */
static int pw_depth (int64_t n) {
  int d = 1;
  while (n > GL_PW_BLOCK) { n -= pw_half(n); d++; }
  return d;
}

/* }==================================================================== */

/* {====================================================================
 * int64 and bool kernels (exact, so any order would do; rows in order)
 * ===================================================================== */

typedef struct ictx {
  const int64_t *x;
  int64_t *out, *pos;
  int op;
} ictx;

/* Sums wrap like NumPy's: unsigned arithmetic has no overflow UB. */
static void sum_i64_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  ictx *c = ctx;
  uint64_t acc[GL_RCOLS] = {0};
  const int64_t *x = c->x + o * g->so + i0 * g->si;
  for (int64_t j = 0; j < g->n; j++, x += g->sn)
    for (int64_t i = 0; i < w; i++) acc[i] += (uint64_t)x[i * g->si];
  for (int64_t i = 0; i < w; i++) c->out[o * g->inner + i0 + i] = (int64_t)acc[i];
}

int gl_reduce_sum_i64 (const gl_lines *g, const int64_t *x, int64_t *out) {
  ictx c = {x, out, NULL, 0};
  return gl_lines_run(g, sum_i64_task, &c);
}

static void prod_i64_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  ictx *c = ctx;
  uint64_t acc[GL_RCOLS];
  for (int64_t i = 0; i < w; i++) acc[i] = 1;
  const int64_t *x = c->x + o * g->so + i0 * g->si;
  for (int64_t j = 0; j < g->n; j++, x += g->sn)
    for (int64_t i = 0; i < w; i++) acc[i] *= (uint64_t)x[i * g->si];
  for (int64_t i = 0; i < w; i++) c->out[o * g->inner + i0 + i] = (int64_t)acc[i];
}

int gl_reduce_prod_i64 (const gl_lines *g, const int64_t *x, int64_t *out) {
  ictx c = {x, out, NULL, 0};
  return gl_lines_run(g, prod_i64_task, &c);
}

static void minmax_i64_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  ictx *c = ctx;
  int64_t best[GL_RCOLS], bp[GL_RCOLS];
  const int64_t *x = c->x + o * g->so + i0 * g->si;
  for (int64_t i = 0; i < w; i++) { best[i] = x[i * g->si]; bp[i] = 0; }
  x += g->sn;
  for (int64_t j = 1; j < g->n; j++, x += g->sn)
    for (int64_t i = 0; i < w; i++) {
      int64_t v = x[i * g->si];
      if (c->op ? v > best[i] : v < best[i]) { best[i] = v; bp[i] = j; }
    }
  int64_t k = o * g->inner + i0;
  if (c->out) memcpy(c->out + k, best, sizeof(int64_t) * (size_t)w);
  if (c->pos) memcpy(c->pos + k, bp, sizeof(int64_t) * (size_t)w);
}

int gl_reduce_minmax_i64 (const gl_lines *g, const int64_t *x, int64_t *val, int64_t *pos,
                          int want_max) {
  ictx c = {x, val, pos, want_max};
  if (g->n == 0) return GL_EINVAL;
  return gl_lines_run(g, minmax_i64_task, &c);
}

static void scan_i64_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  ictx *c = ctx;
  const int64_t *x = c->x + o * g->so + i0 * g->si;
  int64_t *y = c->out + o * g->n * g->inner + i0, *prev = NULL;
  int prod = c->op == GL_CUMPROD || c->op == GL_NANCUMPROD;
  for (int64_t j = 0; j < g->n; j++, x += g->sn, y += g->inner) {
    for (int64_t i = 0; i < w; i++) {
      uint64_t v = (uint64_t)x[i * g->si];
      if (prev) v = prod ? (uint64_t)prev[i] * v : (uint64_t)prev[i] + v;
      y[i] = (int64_t)v;
    }
    prev = y;
  }
}

int gl_scan_i64 (const gl_lines *g, const int64_t *x, int64_t *out, int op) {
  ictx c = {x, out, NULL, op};
  return gl_lines_run(g, scan_i64_task, &c);
}

static void diff_i64_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  ictx *c = ctx;
  const int64_t *x = c->x + o * g->so + i0 * g->si;
  int64_t *y = c->out + o * (g->n - 1) * g->inner + i0;
  for (int64_t j = 0; j + 1 < g->n; j++, x += g->sn, y += g->inner)
    for (int64_t i = 0; i < w; i++)
      y[i] = (int64_t)((uint64_t)x[g->sn + i * g->si] - (uint64_t)x[i * g->si]);
}

int gl_diff_i64 (const gl_lines *g, const int64_t *x, int64_t *out) {
  ictx c = {x, out, NULL, 0};
  if (g->n == 0) return GL_EINVAL;
  return gl_lines_run(g, diff_i64_task, &c);
}

typedef struct bctx { const gl_bool *x; int64_t *out; } bctx;

static void count_u8_task (const gl_lines *g, int64_t o, int64_t i0, int64_t w, void *ctx) {
  bctx *c = ctx;
  int64_t acc[GL_RCOLS] = {0};
  const gl_bool *x = c->x + o * g->so + i0 * g->si;
  for (int64_t j = 0; j < g->n; j++, x += g->sn)
    for (int64_t i = 0; i < w; i++) acc[i] += x[i * g->si] != 0;
  memcpy(c->out + o * g->inner + i0, acc, sizeof(int64_t) * (size_t)w);
}

int gl_reduce_count_u8 (const gl_lines *g, const gl_bool *x, int64_t *out) {
  bctx c = {x, out};
  return gl_lines_run(g, count_u8_task, &c);
}

/* }==================================================================== */

/* {====================================================================
 * Float kernels: reduce.inc once per type. GL_DIRECT says that GL_T is
 * GL_ACC, so plain sums can read the input in place.
 * ===================================================================== */

#define GL_T float
#define GL_ACC double
#define GL_DIRECT 0
#define GL_FN(x) x##_f32
#include "reduce.inc"
#undef GL_T
#undef GL_ACC
#undef GL_DIRECT
#undef GL_FN

#define GL_T double
#define GL_ACC double
#define GL_DIRECT 1
#define GL_FN(x) x##_f64
#include "reduce.inc"
#undef GL_T
#undef GL_ACC
#undef GL_DIRECT
#undef GL_FN

/* }==================================================================== */
