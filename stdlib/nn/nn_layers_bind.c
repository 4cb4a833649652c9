/* nn_layers_bind.c: geolab.nn_core's layer kernels (docs/dev/nn-design.md):
 * the shared argument helpers, activations, softmax and the NLL loss;
 * gl_nn_open_layers also registers the conv (nn_conv_bind.c) and pooling /
 * batch norm (nn_pool_bind.c) parts. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "nn_internal.h"
#include "nn_bind.h"
#include "activation.h"
#include "softmax.h"
#include "nll.h"
#include "linalg.h"
#include "gl_pair.h"

/* {===== helpers ===== */

gl_array *nnb_float (lua_State *L, int idx, nnb_call *c, const char *what) {
  gl_array *a = gl_array_test(L, idx);
  if (a == NULL)
    gl_error(L, c->fname, "%s must be a float32 or float64 array, got %s", what, luaL_typename(L, idx));
  if (a->dtype != GL_FLOAT32 && a->dtype != GL_FLOAT64)
    gl_error(L, c->fname, "%s must be a float32 or float64 array, got %s", what, gl_dtype_name(a->dtype));
  if (c->dtype < 0) { c->dtype = (int)a->dtype; c->first = what; }
  else if ((int)a->dtype != c->dtype)
    gl_error(L, c->fname, "%s is %s but %s is %s (all float arguments must share one dtype)", what,
             gl_dtype_name(a->dtype), c->first, gl_dtype_name((gl_dtype)c->dtype));
  return gl_array_is_contiguous(a) ? a : gl_array_arg_contig(L, idx, c->dtype, c->fname);
}

gl_array *nnb_optfloat (lua_State *L, int idx, nnb_call *c, const char *what) {
  return lua_isnoneornil(L, idx) ? NULL : nnb_float(L, idx, c, what);
}

void nnb_ints (lua_State *L, int idx, int n, int64_t *out, int64_t min, nnb_call *c, const char *what) {
  if (n == 1 && lua_type(L, idx) == LUA_TNUMBER) {
    lua_pushvalue(L, idx);
  }
  else if (lua_type(L, idx) != LUA_TTABLE || (int)luaL_len(L, idx) != n)
    gl_error(L, c->fname, "%s must be a list of %d integer%s", what, n, n == 1 ? "" : "s");
  for (int i = 0; i < n; i++) {
    int isint;
    lua_Integer v;
    if (!(n == 1 && lua_type(L, idx) == LUA_TNUMBER)) lua_geti(L, idx, i + 1);
    v = lua_tointegerx(L, -1, &isint);
    lua_pop(L, 1);
    if (!isint) gl_error(L, c->fname, "%s must be a list of %d integer%s", what, n, n == 1 ? "" : "s");
    if (v < min) gl_error(L, c->fname, "%s must be >= %d, got %d", what, (int)min, (int)v);
    out[i] = (int64_t)v;
  }
}

const char *nnb_shape (char *buf, size_t len, const gl_array *a) {
  return gl_shape_str(buf, len, a->ndim, a->shape);
}

void nnb_check_rc (lua_State *L, int rc, nnb_call *c) {
  if (rc < 0) gl_kernel_error(L, c->fname, rc);
}

int nnb_option (lua_State *L, int idx, const char *def, const char *const *names, nnb_call *c,
                const char *what) {
  const char *v = def;
  if (!(def && lua_isnoneornil(L, idx))) {
    if (lua_type(L, idx) != LUA_TSTRING)
      gl_error(L, c->fname, "%s must be a string, got %s", what, luaL_typename(L, idx));
    v = lua_tostring(L, idx);
  }
  for (int i = 0; names[i]; i++) if (strcmp(names[i], v) == 0) return i;
  const char *near = gl_nearest_name(v, names);
  if (near) gl_error(L, c->fname, "unknown %s '%s' (did you mean '%s'?)", what, v, near);
  return gl_error(L, c->fname, "unknown %s '%s'", what, v);
}

int nnb_need (lua_State *L, int idx, nnb_call *c) {
  static const char *const keys[] = {"gx", "gw", "gb"};
  int need = 0;
  if (lua_isnoneornil(L, idx)) return 7;
  if (!lua_istable(L, idx)) gl_error(L, c->fname, "need must be a table {gx=, gw=, gb=}");
  for (int i = 0; i < 3; i++) {
    lua_getfield(L, idx, keys[i]);
    if (lua_toboolean(L, -1)) need |= 1 << i;
    lua_pop(L, 1);
  }
  return need;
}

/* } */

/* {===== activations ===== */

static double act_alpha (lua_State *L, int idx, int kind, nnb_call *c) {
  double def = kind == GL_NN_LEAKY_RELU ? 0.01 : 1.0;
  if (lua_isnoneornil(L, idx)) return def;
  if (lua_type(L, idx) != LUA_TNUMBER) gl_error(L, c->fname, "alpha must be a number");
  return lua_tonumber(L, idx);
}

/* y = activation(name, x, alpha) */
static int nn_activation (lua_State *L) {
  nnb_call c = {"nn_core.activation", -1, NULL};
  int kind = nnb_option(L, 1, NULL, gl_nn_activation_names, &c, "activation");
  gl_array *x = nnb_float(L, 2, &c, "x");
  double alpha = act_alpha(L, 3, kind, &c);
  gl_array *y = gl_array_push(L, x->dtype, x->ndim, x->shape);
  int rc = x->dtype == GL_FLOAT32
    ? gl_nn_activation_f32(x->size, (const float *)x->data, (float *)y->data, kind, alpha)
    : gl_nn_activation_f64(x->size, (const double *)x->data, (double *)y->data, kind, alpha);
  nnb_check_rc(L, rc, &c);
  return 1;
}

static void same_shape (lua_State *L, const gl_array *a, const gl_array *b, const char *an,
                        const char *bn, nnb_call *c) {
  char s1[128], s2[128];
  if (a->ndim != b->ndim || memcmp(a->shape, b->shape, (size_t)a->ndim * sizeof(int64_t)) != 0)
    gl_error(L, c->fname, "%s has shape %s but %s has shape %s", bn, nnb_shape(s2, sizeof s2, b), an,
             nnb_shape(s1, sizeof s1, a));
}

/* gx = activation_backward(name, x, y, gy, alpha) */
static int nn_activation_backward (lua_State *L) {
  nnb_call c = {"nn_core.activation_backward", -1, NULL};
  int kind = nnb_option(L, 1, NULL, gl_nn_activation_names, &c, "activation");
  gl_array *x = nnb_float(L, 2, &c, "x"), *y = nnb_float(L, 3, &c, "y"), *gy = nnb_float(L, 4, &c, "gy");
  double alpha = act_alpha(L, 5, kind, &c);
  same_shape(L, x, y, "x", "y", &c);
  same_shape(L, x, gy, "x", "gy", &c);
  gl_array *gx = gl_array_push(L, x->dtype, x->ndim, x->shape);
  int rc = x->dtype == GL_FLOAT32
    ? gl_nn_activation_backward_f32(x->size, (const float *)x->data, (const float *)y->data,
                                    (const float *)gy->data, (float *)gx->data, kind, alpha)
    : gl_nn_activation_backward_f64(x->size, (const double *)x->data, (const double *)y->data,
                                    (const double *)gy->data, (double *)gx->data, kind, alpha);
  nnb_check_rc(L, rc, &c);
  return 1;
}

/* } */

/* {===== softmax ===== */

/* outer x n x inner around dimension `dim` (PyTorch's number) of a. */
static void split_dim (lua_State *L, int idx, const gl_array *a, nnb_call *c,
                       int64_t *outer, int64_t *n, int64_t *inner) {
  lua_Integer d = luaL_checkinteger(L, idx);
  int nd = a->ndim > 0 ? a->ndim : 1;
  if (d < -nd || d >= nd)
    gl_error(L, c->fname, "dim %d is out of range for a %d-D input (expected %d..%d)", (int)d,
             a->ndim, -nd, nd - 1);
  if (d < 0) d += nd;
  *outer = 1; *n = a->ndim > 0 ? a->shape[d] : 1; *inner = 1;
  for (int i = 0; i < a->ndim; i++) {
    if (i < d) *outer *= a->shape[i];
    else if (i > d) *inner *= a->shape[i];
  }
}

/* y = softmax(x, dim, log) */
static int nn_softmax (lua_State *L) {
  nnb_call c = {"nn_core.softmax", -1, NULL};
  gl_array *x = nnb_float(L, 1, &c, "x");
  int64_t outer, n, inner;
  split_dim(L, 2, x, &c, &outer, &n, &inner);
  int log = lua_toboolean(L, 3);
  gl_array *y = gl_array_push(L, x->dtype, x->ndim, x->shape);
  if (x->dtype == GL_FLOAT32)
    gl_nn_softmax_f32(outer, n, inner, (const float *)x->data, (float *)y->data, log);
  else gl_nn_softmax_f64(outer, n, inner, (const double *)x->data, (double *)y->data, log);
  return 1;
}

/* gx = softmax_backward(y, gy, dim, log) */
static int nn_softmax_backward (lua_State *L) {
  nnb_call c = {"nn_core.softmax_backward", -1, NULL};
  gl_array *y = nnb_float(L, 1, &c, "y"), *gy = nnb_float(L, 2, &c, "gy");
  int64_t outer, n, inner;
  same_shape(L, y, gy, "y", "gy", &c);
  split_dim(L, 3, y, &c, &outer, &n, &inner);
  int log = lua_toboolean(L, 4);
  gl_array *gx = gl_array_push(L, y->dtype, y->ndim, y->shape);
  if (y->dtype == GL_FLOAT32)
    gl_nn_softmax_backward_f32(outer, n, inner, (const float *)y->data, (const float *)gy->data,
                               (float *)gx->data, log);
  else gl_nn_softmax_backward_f64(outer, n, inner, (const double *)y->data, (const double *)gy->data,
                                  (double *)gx->data, log);
  return 1;
}

/* } */

/* {===== NLL loss ===== */

typedef struct nll_args {
  gl_array *logp, *target, *weight;
  int64_t N, C, inner;
  int reduction;
  int64_t ignore;
} nll_args;

/* Checks logp (1), target (2), weight (3), reduction (4), ignore_index (5). */
static void nll_check (lua_State *L, nnb_call *c, nll_args *a) {
  static const char *const reds[] = {"none", "mean", "sum", NULL};
  char s1[128], s2[128], s3[128];
  int64_t want[GL_MAXDIMS];
  gl_array *t;
  a->logp = nnb_float(L, 1, c, "input");
  if ((t = gl_array_test(L, 2)) == NULL)
    gl_error(L, c->fname, "target must be an int64 array of class positions, got %s", luaL_typename(L, 2));
  a->weight = nnb_optfloat(L, 3, c, "weight");
  a->reduction = nnb_option(L, 4, "mean", reds, c, "reduction");
  a->ignore = (int64_t)luaL_optinteger(L, 5, -100);
  if (a->logp->ndim < 1)
    gl_error(L, c->fname, "input must have a class dimension, got a 0-d array");
  /* (C) with a 0-d target is one sample; (N, C, d...) with target (N, d...) */
  a->N = a->logp->ndim == 1 ? 1 : a->logp->shape[0];
  a->C = a->logp->ndim == 1 ? a->logp->shape[0] : a->logp->shape[1];
  a->inner = 1;
  for (int i = 2; i < a->logp->ndim; i++) a->inner *= a->logp->shape[i];
  if (a->logp->ndim > 1) want[0] = a->N;
  for (int i = 2; i < a->logp->ndim; i++) want[i - 1] = a->logp->shape[i];
  int wnd = a->logp->ndim - 1;
  if (t->ndim != wnd || memcmp(t->shape, want, (size_t)wnd * sizeof(int64_t)) != 0)
    gl_error(L, c->fname, "target shape %s does not match input shape %s (expected %s)",
             nnb_shape(s1, sizeof s1, t), nnb_shape(s2, sizeof s2, a->logp),
             gl_shape_str(s3, sizeof s3, wnd, want));
  if (t->dtype == GL_FLOAT32 || t->dtype == GL_FLOAT64) {
    for (int64_t i = 0; i < t->size; i++) {
      double v = gl_array_getd(t, i);
      if (v != floor(v) || fabs(v) > 9.0e15)
        gl_error(L, c->fname, "target must hold integer class positions, got %g", v);
    }
  }
  else if (!gl_dtype_is_int(t->dtype))
    gl_error(L, c->fname, "target must be an int64 array of class positions, got %s", gl_dtype_name(t->dtype));
  a->target = gl_array_arg_contig(L, 2, GL_INT64, c->fname);
  if (a->weight && (a->weight->ndim != 1 || a->weight->shape[0] != a->C))
    gl_error(L, c->fname, "weight must have one value per class (%d), got shape %s", (int)a->C,
             nnb_shape(s1, sizeof s1, a->weight));
  int64_t bad = gl_nn_nll_bad_target(a->target->size, (const int64_t *)a->target->data, a->C, a->ignore);
  if (bad >= 0)
    gl_error(L, c->fname, "target %lld (at position %lld) is out of range: targets are 1-based "
             "class positions 1..%lld", (long long)((const int64_t *)a->target->data)[bad],
             (long long)bad + 1, (long long)a->C);
}

/* bad_target(t, C, ignore_index) -> the first target (in C order) that is
 * neither ignore_index nor a class 1..C, or nil: the losses' range check in
 * one pass (t int64, any layout; a copy is made only when not contiguous). */
static int nn_bad_target (lua_State *L) {
  gl_array *t = gl_array_check(L, 1);
  int64_t C = (int64_t)luaL_checkinteger(L, 2), ignore = (int64_t)luaL_checkinteger(L, 3);
  if (t->dtype != GL_INT64) return gl_error(L, "nn_core.bad_target", "target must be int64, got %s",
                                            gl_dtype_name(t->dtype));
  t = gl_array_arg_contig(L, 1, GL_INT64, "nn_core.bad_target");
  int64_t bad = gl_nn_nll_bad_target(t->size, (const int64_t *)t->data, C, ignore);
  if (bad < 0) lua_pushnil(L);
  else lua_pushinteger(L, (lua_Integer)((const int64_t *)t->data)[bad]);
  return 1;
}

/* loss, total_weight = nll_loss(logp, target, weight|nil, reduction, ignore_index) */
static int nn_nll_loss (lua_State *L) {
  nnb_call c = {"nn_core.nll_loss", -1, NULL};
  nll_args a;
  double tw = 0;
  int rc;
  nll_check(L, &c, &a);
  gl_array *out = a.reduction == GL_NN_RED_NONE
    ? gl_array_push(L, a.logp->dtype, a.target->ndim, a.target->shape)
    : gl_array_push(L, a.logp->dtype, 0, NULL);
  if (a.logp->dtype == GL_FLOAT32)
    rc = gl_nn_nll_f32(a.N, a.C, a.inner, (const float *)a.logp->data, (const int64_t *)a.target->data,
                       a.weight ? (const float *)a.weight->data : NULL, a.ignore, a.reduction,
                       (float *)out->data, &tw);
  else
    rc = gl_nn_nll_f64(a.N, a.C, a.inner, (const double *)a.logp->data, (const int64_t *)a.target->data,
                       a.weight ? (const double *)a.weight->data : NULL, a.ignore, a.reduction,
                       (double *)out->data, &tw);
  nnb_check_rc(L, rc, &c);
  if (a.reduction != GL_NN_RED_NONE) {
    double v = gl_array_getd(out, 0);
    lua_pop(L, 1);
    lua_pushnumber(L, v);
  }
  lua_pushnumber(L, tw);
  return 2;
}

/* gx = nll_loss_backward(logp, target, weight|nil, reduction, ignore_index, total_weight, gloss) */
static int nn_nll_loss_backward (lua_State *L) {
  nnb_call c = {"nn_core.nll_loss_backward", -1, NULL};
  nll_args a;
  char s1[128], s2[128];
  int rc;
  nll_check(L, &c, &a);
  double tw = luaL_checknumber(L, 6);
  gl_array *g;
  if (a.reduction == GL_NN_RED_NONE) {
    g = nnb_float(L, 7, &c, "gloss");
    if (g->ndim != a.target->ndim || memcmp(g->shape, a.target->shape, (size_t)g->ndim * sizeof(int64_t)))
      gl_error(L, c.fname, "gloss has shape %s but the loss has shape %s", nnb_shape(s1, sizeof s1, g),
               nnb_shape(s2, sizeof s2, a.target));
  }
  else {
    double v;
    if (lua_type(L, 7) == LUA_TNUMBER) v = lua_tonumber(L, 7);
    else {
      g = nnb_float(L, 7, &c, "gloss");
      if (g->size != 1) gl_error(L, c.fname, "gloss must be one number for reduction '%s'",
                                 a.reduction == GL_NN_RED_SUM ? "sum" : "mean");
      v = gl_array_getd(g, 0);
    }
    g = gl_array_push(L, a.logp->dtype, 0, NULL);
    gl_array_setd(g, 0, v);
  }
  gl_array *gx = gl_array_push(L, a.logp->dtype, a.logp->ndim, a.logp->shape);
  if (a.logp->dtype == GL_FLOAT32)
    rc = gl_nn_nll_backward_f32(a.N, a.C, a.inner, (const int64_t *)a.target->data,
                                a.weight ? (const float *)a.weight->data : NULL, a.ignore, a.reduction,
                                tw, (const float *)g->data, (float *)gx->data);
  else
    rc = gl_nn_nll_backward_f64(a.N, a.C, a.inner, (const int64_t *)a.target->data,
                                a.weight ? (const double *)a.weight->data : NULL, a.ignore, a.reduction,
                                tw, (const double *)g->data, (double *)gx->data);
  nnb_check_rc(L, rc, &c);
  return 1;
}

/* } */

/* {===== linear ===== */

/* Rows of a Linear forward are shared by threads from 2^24 multiply-adds per
 * block (0.4 ms on one core; np.matmul waits for 2^26): inference batches of
 * 1000 through the course MLP's 784x48 layer run on two threads. The split
 * follows the shape only: the same bits for any thread count. */
#define NN_LINEAR_SHARE ((int64_t)1 << 24)

/* The row blocks of an nn product (forward, weight and input gradients) of
 * m rows: gl_linalg_gemm_share's when it shares the work (blocks of 32 rows
 * or more), else, from 2^24 multiply-adds and 24 rows, blocks of a multiple
 * of 12 rows near m / 2 (the 1-D CNN's Linear(6144, 512): a batch of 32 is
 * 12 + 12 + 8 rows, its 512 x 6144 weight gradient 252 + 252 + 8; 3 ms each
 * on one core, which ran on one thread). OpenBLAS (0.3.21, Haswell/Zen
 * sgemm) walks a row-major C's rows in panels of 12 and 4, so blocks that
 * start at multiples of 12 get the same panels, hence the same bits, as the
 * whole product (checked on these shapes: a split at 16 or 256 rows moves
 * the last bits). Shape only: the same bits for any thread count. */
/* m / 2 rounded to a multiple of 12 (m >= 24): the first of two blocks. */
static int64_t nn_half_rows (int64_t m) { return (m + 12) / 24 * 12; }

static int64_t nn_row_block (int64_t m, int64_t n, int64_t k, int64_t share) {
  int64_t mb = gl_linalg_row_block(m, n, k, share);
  if (mb < m || (double)m * (double)n * (double)k < (double)NN_LINEAR_SHARE || m < 24) return mb;
  return nn_half_rows(m);
}

/* Products of NN_PAIR_MIN multiply-adds and more below NN_LINEAR_SHARE
 * (the course MLP's 64 x 784 x 48 forward and weight gradient, 2.4M, ~65 us
 * on one core) are cut into two row blocks at a multiple of 12 (the same
 * bits, as above) and shared with gl_pair's helper thread, which joins only
 * when it is free: an OpenMP region this short waits for a descheduled
 * partner as soon as the other core is busy (kernels/core/gl_pair.h). */
#define NN_PAIR_MIN ((int64_t)1 << 21)

typedef struct nn_gemm_job {
  gl_dtype dt;
  int64_t m, n, k, mb;
  const void *a, *b;
  int64_t a_rs, a_cs, b_rs, b_cs, ldc;
  double beta;
  void *c;
  int rc[2];
} nn_gemm_job;

static int nn_gemm_block (const nn_gemm_job *j, int64_t i0, int64_t rows, int64_t mb) {
  size_t isz = gl_dtype_size(j->dt);
  const void *a = (const char *)j->a + (size_t)(i0 * j->a_rs) * isz;
  void *c = (char *)j->c + (size_t)(i0 * j->ldc) * isz;
  return j->dt == GL_FLOAT32
    ? gl_linalg_gemm_rows_f32(rows, j->n, j->k, a, j->a_rs, j->a_cs, j->b, j->b_rs, j->b_cs, (float)j->beta,
                              c, j->ldc, mb)
    : gl_linalg_gemm_rows_f64(rows, j->n, j->k, a, j->a_rs, j->a_cs, j->b, j->b_rs, j->b_cs, j->beta,
                              c, j->ldc, mb);
}

static void nn_gemm_half (void *ctx, int64_t half) {
  nn_gemm_job *j = ctx;
  int64_t i0 = half == 0 ? 0 : j->mb, rows = half == 0 ? j->mb : j->m - j->mb;
  j->rc[half] = nn_gemm_block(j, i0, rows, rows);
}

/* c = a @ b (+ beta c) of the float dtype dt, in nn_row_block's blocks or
 * the two halves above: the one product of the three Linear bindings below. */
static int nn_gemm (gl_dtype dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t a_rs, int64_t a_cs,
                    const void *b, int64_t b_rs, int64_t b_cs, double beta, void *c, int64_t ldc,
                    int64_t share) {
  double work = (double)m * (double)n * (double)k;
  nn_gemm_job j = {dt, m, n, k, 0, a, b, a_rs, a_cs, b_rs, b_cs, ldc, beta, c, {GL_OK, GL_OK}};
  if (work >= (double)NN_PAIR_MIN && work < (double)NN_LINEAR_SHARE && m >= 24) {
    j.mb = nn_half_rows(m);
    gl_pair_for(2, nn_gemm_half, &j);
    return j.rc[0] != GL_OK ? j.rc[0] : j.rc[1];
  }
  return nn_gemm_block(&j, 0, m, nn_row_block(m, n, k, share));
}

/* linear(x, w[, b]) -> y: y = x @ w^T (+ b) for x (m, k) of any strides, w
 * (n, k), b (n); with a bias, y starts as b broadcast to every row and one
 * gemm adds the product into it (PyTorch's addmm; no second pass over y). */
static int nn_linear (lua_State *L) {
  nnb_call c = {"nn_core.linear", -1, NULL};
  gl_array *x = gl_array_check(L, 1), *w = gl_array_check(L, 2);
  gl_array *b = lua_isnoneornil(L, 3) ? NULL : gl_array_check(L, 3);
  if (x->dtype != GL_FLOAT32 && x->dtype != GL_FLOAT64)
    return gl_error(L, c.fname, "x must be a float32 or float64 array, got %s", gl_dtype_name(x->dtype));
  if (x->ndim != 2 || w->ndim != 2 || x->shape[1] != w->shape[1] || w->dtype != x->dtype)
    return gl_error(L, c.fname, "x must be (m, k) and w (n, k) of x's dtype");
  if (b && (b->ndim != 1 || b->shape[0] != w->shape[0] || b->dtype != x->dtype))
    return gl_error(L, c.fname, "b must be (n,) of x's dtype");
  int64_t m = x->shape[0], k = x->shape[1], n = w->shape[0];
  int64_t shape[2] = {m, n};
  gl_array *y = gl_array_push(L, x->dtype, 2, shape);
  size_t isz = gl_dtype_size(x->dtype);
  if (b) {
    for (int64_t j = 0; j < n; j++)
      memcpy(y->data + (size_t)j * isz, b->data + (size_t)(j * b->strides[0]) * isz, isz);
    for (int64_t i = 1; i < m; i++) memcpy(y->data + (size_t)(i * n) * isz, y->data, (size_t)n * isz);
  }
  int rc = nn_gemm(x->dtype, m, n, k, x->data, x->strides[0], x->strides[1], w->data, w->strides[1],
                   w->strides[0], b ? 1.0 : 0.0, y->data, n, NN_LINEAR_SHARE);
  if (rc) return gl_kernel_error(L, c.fname, rc);
  return 1;
}

/* linear_grad_weight_into(gw, g, x) -> done: gw += g^T @ x in one gemm
 * (beta 1) for g (m, n), x (m, k) and gw (n, k) contiguous of their dtype:
 * the weight gradient added into .grad without a temporary. false, gw
 * untouched, when gw does not fit (the caller computes and adds it). */
static int nn_linear_grad_weight_into (lua_State *L) {
  gl_array *gw = gl_array_check(L, 1), *g = gl_array_check(L, 2), *x = gl_array_check(L, 3);
  int ok = (gw->dtype == GL_FLOAT32 || gw->dtype == GL_FLOAT64) && g->dtype == gw->dtype &&
           x->dtype == gw->dtype && gw->ndim == 2 && g->ndim == 2 && x->ndim == 2 &&
           g->shape[0] == x->shape[0] && gw->shape[0] == g->shape[1] && gw->shape[1] == x->shape[1] &&
           gl_array_is_contiguous(gw);
  if (ok) {
    int64_t m = x->shape[0], k = x->shape[1], n = g->shape[1];
    int rc = nn_gemm(gw->dtype, n, k, m, g->data, g->strides[1], g->strides[0], x->data, x->strides[0],
                     x->strides[1], 1.0, gw->data, k, 0);
    if (rc) return gl_kernel_error(L, "nn_core.linear_grad_weight_into", rc);
  }
  lua_pushboolean(L, ok);
  return 1;
}
/* linear_grad_input(g, w) -> gx = g @ w for g (m, n) and w (n, k) of one
 * float dtype, any strides: np.matmul's product in nn_row_block's blocks. */
static int nn_linear_grad_input (lua_State *L) {
  nnb_call c = {"nn_core.linear_grad_input", -1, NULL};
  gl_array *g = gl_array_check(L, 1), *w = gl_array_check(L, 2);
  if ((g->dtype != GL_FLOAT32 && g->dtype != GL_FLOAT64) || w->dtype != g->dtype || g->ndim != 2 ||
      w->ndim != 2 || g->shape[1] != w->shape[0])
    return gl_error(L, c.fname, "g must be (m, n) and w (n, k) of one float dtype");
  int64_t m = g->shape[0], n = g->shape[1], k = w->shape[1];
  int64_t shape[2] = {m, k};
  gl_array *gx = gl_array_push(L, g->dtype, 2, shape);
  int rc = nn_gemm(g->dtype, m, k, n, g->data, g->strides[0], g->strides[1], w->data, w->strides[0],
                   w->strides[1], 0.0, gx->data, k, 0);
  if (rc) return gl_kernel_error(L, c.fname, rc);
  return 1;
}
/* }===== */

static const luaL_Reg layer_funcs[] = {
  {"activation", nn_activation},
  {"activation_backward", nn_activation_backward},
  {"bad_target", nn_bad_target},
  {"linear", nn_linear},
  {"linear_grad_input", nn_linear_grad_input},
  {"linear_grad_weight_into", nn_linear_grad_weight_into},
  {"nll_loss", nn_nll_loss},
  {"nll_loss_backward", nn_nll_loss_backward},
  {"softmax", nn_softmax},
  {"softmax_backward", nn_softmax_backward},
  {NULL, NULL}
};

void gl_nn_open_layers (lua_State *L) {
  luaL_setfuncs(L, layer_funcs, 0);
  gl_nn_open_conv(L);
  gl_nn_open_pool(L);
}
