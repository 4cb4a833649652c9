/* array_random.c: np.random and np.random.Generator (bindings of
 * kernels/array/random.c).
 *
 * A generator is a "geolab.Generator" userdata holding the xoshiro256**
 * state. np.random's functions are closures over one default generator per
 * lua_State (seeded with 0; np.random.seed(n) reseeds it), so two states in
 * one process never share a stream. Every function is also a method of
 * Generator objects: g:normal(0, 1, {3}).
 *
 * Calling convention, after NumPy's Generator: distribution parameters first
 * (numbers, or arrays that broadcast), then the size (an integer, a table of
 * integers or nil), then an options table ({dtype=...}). Without a size and
 * with scalar parameters the result is a Lua number. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "iter.h"
#include "linalg.h"
#include "random.h"

#define GEN_MT "geolab.Generator"

/* The generator at index 1 (g:f(...) or a bound np.random.f). */
static gl_rng *check_gen (lua_State *L, const char *fname) {
  gl_rng *r = (gl_rng *)luaL_testudata(L, 1, GEN_MT);
  if (r == NULL) {
    const char *f = strrchr(fname, '.') + 1;
    gl_error(L, fname, "expected a Generator (call it as g:%s(...), not g.%s(...))", f, f);
  }
  return r;
}

static gl_rng *push_gen (lua_State *L, uint64_t seed) {
  gl_rng *r = (gl_rng *)lua_newuserdatauv(L, sizeof(gl_rng), 0);
  gl_random_seed(r, seed);
  luaL_setmetatable(L, GEN_MT);
  return r;
}

/* {=====  argument parsing  ===== */

/* A trailing options table: a plain table (not an array) without [1]. */
static int is_opts (lua_State *L, int idx) {
  int yes;
  if (!lua_istable(L, idx) || gl_array_test(L, idx)) return 0;
  yes = lua_rawgeti(L, idx, 1) == LUA_TNIL;
  lua_pop(L, 1);
  return yes;
}

static int is_empty (lua_State *L, int idx) {
  lua_pushnil(L);
  if (!lua_next(L, idx)) return 1;
  lua_pop(L, 2);
  return 0;
}

/* Makes index `at` hold the options table (or nil) and the stack exactly
 * `at` long. An options table given early (later positional arguments
 * omitted: normal(0, 1, {dtype="float32"})) is moved to `at`. Raises on
 * unknown option names and on extra arguments. */
static void take_opts (lua_State *L, int at, const char *fname, const char *const *allowed) {
  int top = lua_gettop(L);
  if (top > at) gl_error(L, fname, "too many arguments");
  /* an empty table before `at` is a size, {} (0-d, NumPy's size=()) */
  if (top >= 2 && top < at && is_opts(L, top) && !is_empty(L, top)) {
    lua_settop(L, at);
    lua_pushvalue(L, top);
    lua_replace(L, at);
    lua_pushnil(L);
    lua_replace(L, top);
  }
  lua_settop(L, at);
  if (!lua_isnil(L, at)) {
    if (!is_opts(L, at)) gl_error(L, fname, "options must be a table, got %s", luaL_typename(L, at));
    gl_check_options(L, at, fname, allowed);
  }
}

/* For size-first functions f(size, opts): rearranges the stack to
 * (gen, nil, nil, size, opts) so they can share float_dist. */
static void size_first (lua_State *L) {
  lua_settop(L, 3);
  if (is_opts(L, 2) && lua_isnil(L, 3)) { lua_insert(L, 2); }   /* f(opts) */
  lua_pushnil(L); lua_pushnil(L);
  lua_rotate(L, 2, 2);
}

/* The float dtype option: float64 (default) or float32. */
static gl_dtype float_dtype (lua_State *L, int opt, const char *fname) {
  gl_dtype t = GL_FLOAT64;
  if (gl_opt_field(L, opt, "dtype")) { t = gl_check_dtype(L, -1, GL_FLOAT64, fname); lua_pop(L, 1); }
  if (t != GL_FLOAT64 && t != GL_FLOAT32)
    gl_error(L, fname, "dtype must be float32 or float64, got %s", gl_dtype_name(t));
  return t;
}

typedef struct param {
  const double *p;    /* values, or &v for a scalar */
  int64_t inc;        /* 0 for a scalar */
  double v;
} param;

/* Output shape: the size argument if given, else the broadcast shape of the
 * array parameters at idx[0..np-1] (ndim 0 when all are numbers). */
static int out_shape (lua_State *L, int sizeidx, int np, const int *idx, int64_t *shape, const char *fname) {
  int nds[4], nd = 0, n = 0;
  const int64_t *shs[4];
  if (!lua_isnoneornil(L, sizeidx)) return gl_check_shape(L, sizeidx, shape, fname);
  for (int i = 0; i < np; i++) {
    if (lua_type(L, idx[i]) == LUA_TNUMBER || lua_isnoneornil(L, idx[i])) continue;
    gl_array *a = gl_array_arg(L, idx[i], GL_FLOAT64, fname);
    nds[n] = a->ndim; shs[n] = a->shape; n++;
  }
  if (n == 0) return 0;
  if (gl_broadcast_shapes(n, nds, shs, &nd, shape) != GL_OK)
    gl_error(L, fname, "shape mismatch: parameters cannot be broadcast to a single shape");
  return nd;
}

/* Reads parameter idx (default def if nil) for an output of (nd, shape): a
 * number stays a scalar; an array is broadcast into a new contiguous float64
 * array left on the stack. */
static void get_param (lua_State *L, int idx, double def, int nd, const int64_t *shape, param *p,
                       const char *fname) {
  gl_array *a, *full;
  if (lua_isnoneornil(L, idx)) { p->v = def; p->p = &p->v; p->inc = 0; return; }
  if (lua_type(L, idx) == LUA_TNUMBER) { p->v = lua_tonumber(L, idx); p->p = &p->v; p->inc = 0; return; }
  a = gl_array_arg(L, idx, GL_FLOAT64, fname);
  full = gl_array_push(L, GL_FLOAT64, nd, shape);
  if (gl_array_assign(full, a) != GL_OK) {
    char s1[128], s2[128];
    gl_error(L, fname, "parameter of shape %s cannot be broadcast to size %s",
             gl_shape_str(s1, sizeof s1, a->ndim, a->shape), gl_shape_str(s2, sizeof s2, nd, shape));
  }
  p->p = (const double *)full->data; p->inc = 1;
}

/* Returns the array on top as the result: a Lua number when no size was
 * given and the parameters are scalars; an explicit size {} gives a 0-d
 * array, as NumPy's size=() does. */
static int result (lua_State *L, gl_array *out, int sizeidx) {
  if (out->ndim == 0 && lua_isnoneornil(L, sizeidx)) gl_array_push_elem(L, out, 0);
  return 1;
}

static void rnd_check (lua_State *L, const char *fname, int rc, const char *what) {
  if (rc == GL_EINVAL) gl_error(L, fname, "%s", what);
  if (rc != GL_OK) gl_kernel_error(L, fname, rc);
}
/* } */

/* {=====  float distributions  ===== */

enum { D_UNIFORM, D_NORMAL, D_EXPONENTIAL, D_GAMMA, D_BETA };

/* dist(p1, p2, size, opts) on the generator at 1; np parameters with
 * defaults def[] (NAN: required). */
static int float_dist (lua_State *L, const char *fname, int kind, int np, const double *def, const char *bad) {
  static const char *const allowed[] = {"dtype", NULL};
  gl_rng *r = check_gen(L, fname);
  int idx[2] = {2, 3}, nd, sizeidx = 2 + np, optidx = 3 + np;
  int64_t shape[GL_MAXDIMS];
  param p[2];
  gl_dtype t;
  gl_array *out;
  int rc = GL_OK;
  take_opts(L, optidx, fname, allowed);
  t = float_dtype(L, optidx, fname);
  for (int i = 0; i < np; i++) {
    if (isnan(def[i]) && lua_isnil(L, idx[i])) gl_error(L, fname, "missing argument #%d", i + 1);
    if (!lua_isnil(L, idx[i]) && lua_type(L, idx[i]) != LUA_TNUMBER && !lua_istable(L, idx[i]) &&
        !gl_array_test(L, idx[i]))
      gl_error(L, fname, "argument #%d must be a number or an array, got %s", i + 1, luaL_typename(L, idx[i]));
  }
  nd = out_shape(L, sizeidx, np, idx, shape, fname);
  for (int i = 0; i < np; i++) get_param(L, idx[i], def[i], nd, shape, &p[i], fname);
  out = gl_array_push(L, t, nd, shape);
  switch (kind) {
    case D_UNIFORM:
      rc = t == GL_FLOAT32 ? gl_random_uniform_f32(r, out->size, (float *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc)
                           : gl_random_uniform_f64(r, out->size, (double *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc);
      break;
    case D_NORMAL:
      rc = t == GL_FLOAT32 ? gl_random_normal_f32(r, out->size, (float *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc)
                           : gl_random_normal_f64(r, out->size, (double *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc);
      break;
    case D_EXPONENTIAL:
      rc = t == GL_FLOAT32 ? gl_random_exponential_f32(r, out->size, (float *)out->data, p[0].p, p[0].inc)
                           : gl_random_exponential_f64(r, out->size, (double *)out->data, p[0].p, p[0].inc);
      break;
    case D_GAMMA:
      rc = t == GL_FLOAT32 ? gl_random_gamma_f32(r, out->size, (float *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc)
                           : gl_random_gamma_f64(r, out->size, (double *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc);
      break;
    default:
      rc = t == GL_FLOAT32 ? gl_random_beta_f32(r, out->size, (float *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc)
                           : gl_random_beta_f64(r, out->size, (double *)out->data, p[0].p, p[0].inc, p[1].p, p[1].inc);
      break;
  }
  rnd_check(L, fname, rc, bad);
  return result(L, out, sizeidx);
}

static int g_uniform (lua_State *L) {
  static const double def[2] = {0, 1};
  return float_dist(L, "np.random.uniform", D_UNIFORM, 2, def, "high - low must be finite");
}
static int g_normal (lua_State *L) {
  static const double def[2] = {0, 1};
  return float_dist(L, "np.random.normal", D_NORMAL, 2, def, "scale must be non-negative");
}
static int g_exponential (lua_State *L) {
  static const double def[1] = {1};
  return float_dist(L, "np.random.exponential", D_EXPONENTIAL, 1, def, "scale must be non-negative");
}
static int g_gamma (lua_State *L) {
  const double def[2] = {NAN, 1};
  return float_dist(L, "np.random.gamma", D_GAMMA, 2, def, "shape and scale must be non-negative");
}
static int g_beta (lua_State *L) {
  const double def[2] = {NAN, NAN};
  return float_dist(L, "np.random.beta", D_BETA, 2, def, "a and b must be positive");
}

/* random(size, opts) and standard_normal(size, opts): size first. */
static int g_random (lua_State *L) {
  static const double def[2] = {0, 1};
  size_first(L);
  return float_dist(L, "np.random.random", D_UNIFORM, 2, def, "invalid argument");
}
static int g_standard_normal (lua_State *L) {
  static const double def[2] = {0, 1};
  size_first(L);
  return float_dist(L, "np.random.standard_normal", D_NORMAL, 2, def, "invalid argument");
}
/* } */

/* {=====  integer distributions  ===== */

/* integers(low [, high] [, size] [, {dtype=, endpoint=}]): uniform in
 * [low, high) (or [low, high] with endpoint=true); integers(n) is [0, n). */
static int g_integers (lua_State *L) {
  static const char *const allowed[] = {"dtype", "endpoint", NULL};
  const char *fname = "np.random.integers";
  gl_rng *r = check_gen(L, fname);
  lua_Integer low, high;
  int64_t shape[GL_MAXDIMS], lo_lim, hi_lim;
  int nd = 0, endpoint, isnum;
  gl_dtype t = GL_INT64;
  gl_array *out;
  take_opts(L, 5, fname, allowed);
  endpoint = gl_opt_boolean(L, 5, "endpoint", 0, fname);
  if (gl_opt_field(L, 5, "dtype")) { t = gl_check_dtype(L, -1, GL_INT64, fname); lua_pop(L, 1); }
  if (t != GL_INT64 && t != GL_INT32 && t != GL_UINT8)
    gl_error(L, fname, "dtype must be int64, int32 or uint8, got %s", gl_dtype_name(t));
  low = lua_tointegerx(L, 2, &isnum);
  if (!isnum) gl_error(L, fname, "low must be an integer, got %s", luaL_typename(L, 2));
  if (lua_isnil(L, 3)) { high = low; low = 0; }
  else {
    high = lua_tointegerx(L, 3, &isnum);
    if (!isnum) gl_error(L, fname, "high must be an integer, got %s", luaL_typename(L, 3));
  }
  if (!endpoint) {
    if (low >= high) gl_error(L, fname, "low >= high (high is exclusive)");
    high--;
  } else if (low > high) gl_error(L, fname, "low > high");
  lo_lim = t == GL_INT64 ? INT64_MIN : t == GL_INT32 ? INT32_MIN : 0;
  hi_lim = t == GL_INT64 ? INT64_MAX : t == GL_INT32 ? INT32_MAX : 255;
  if (low < lo_lim) gl_error(L, fname, "low is out of bounds for %s", gl_dtype_name(t));
  if (high > hi_lim) gl_error(L, fname, "high is out of bounds for %s", gl_dtype_name(t));
  if (!lua_isnil(L, 4)) nd = gl_check_shape(L, 4, shape, fname);
  out = gl_array_push(L, GL_INT64, nd, shape);
  rnd_check(L, fname, gl_random_integers_i64(r, out->size, (int64_t *)out->data, low, high), "low > high");
  if (t != GL_INT64) out = gl_array_push_copy(L, out, t);
  return result(L, out, 4);
}

static int g_poisson (lua_State *L) {
  static const char *const allowed[] = {NULL};
  const char *fname = "np.random.poisson";
  gl_rng *r = check_gen(L, fname);
  int idx[1] = {2}, nd;
  int64_t shape[GL_MAXDIMS];
  param lam;
  gl_array *out;
  take_opts(L, 4, fname, allowed);
  nd = out_shape(L, 3, 1, idx, shape, fname);
  get_param(L, 2, 1.0, nd, shape, &lam, fname);
  out = gl_array_push(L, GL_INT64, nd, shape);
  rnd_check(L, fname, gl_random_poisson_i64(r, out->size, (int64_t *)out->data, lam.p, lam.inc),
            "lam must be non-negative and at most 1e18");
  return result(L, out, 3);
}

static int g_binomial (lua_State *L) {
  static const char *const allowed[] = {NULL};
  const char *fname = "np.random.binomial";
  gl_rng *r = check_gen(L, fname);
  int idx[2] = {2, 3}, nd;
  int64_t shape[GL_MAXDIMS], nsc, ninc = 0;
  const int64_t *np_;
  param p;
  gl_array *out;
  take_opts(L, 5, fname, allowed);
  if (lua_isnil(L, 2) || lua_isnil(L, 3)) gl_error(L, fname, "n and p are required");
  nd = out_shape(L, 4, 2, idx, shape, fname);
  get_param(L, 3, 0.5, nd, shape, &p, fname);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    int isnum;
    nsc = lua_tointegerx(L, 2, &isnum);
    if (!isnum) gl_error(L, fname, "n must be an integer");
    np_ = &nsc;
  } else {
    gl_array *a = gl_array_arg(L, 2, GL_INT64, fname), *full = gl_array_push(L, GL_INT64, nd, shape);
    if (gl_array_assign(full, a) != GL_OK) gl_error(L, fname, "n cannot be broadcast to the output shape");
    np_ = (const int64_t *)full->data; ninc = 1;
  }
  out = gl_array_push(L, GL_INT64, nd, shape);
  rnd_check(L, fname, gl_random_binomial_i64(r, out->size, (int64_t *)out->data, np_, ninc, p.p, p.inc),
            "n must be non-negative and 0 <= p <= 1");
  return result(L, out, 4);
}
/* } */

/* {=====  permutations and sampling  ===== */

/* Copies item i (along axis 0) of src into item j of dst (same dtype). */
static void copy_item (lua_State *L, gl_array *dst, int dsti, int64_t j, gl_array *src, int srci, int64_t i) {
  size_t sz = gl_dtype_size(src->dtype);
  if (src->ndim == 1) {
    memcpy(dst->data + j * dst->strides[0] * (int64_t)sz, src->data + i * src->strides[0] * (int64_t)sz, sz);
    return;
  }
  gl_array *d = gl_array_push_view(L, dsti, dst->dtype, dst->ndim - 1, dst->shape + 1, dst->strides + 1,
                                    dst->data + j * dst->strides[0] * (int64_t)sz);
  gl_array *s = gl_array_push_view(L, srci, src->dtype, src->ndim - 1, src->shape + 1, src->strides + 1,
                                    src->data + i * src->strides[0] * (int64_t)sz);
  gl_array_assign(d, s);
  lua_pop(L, 2);
}

/* choice(a, size, {replace=true, p=}): a is an integer n (draws from
 * 1..n, 1-based like every position in geolab) or an array (draws items
 * along its first axis). */
static int g_choice (lua_State *L) {
  static const char *const allowed[] = {"p", "replace", NULL};
  const char *fname = "np.random.choice";
  gl_rng *r = check_gen(L, fname);
  int64_t n, k, shape[GL_MAXDIMS];
  int nd = 0, replace, rc;
  gl_array *a = NULL, *idx, *scratch, *pw = NULL, *out;
  take_opts(L, 4, fname, allowed);
  replace = gl_opt_boolean(L, 4, "replace", 1, fname);
  if (lua_isinteger(L, 2)) {
    n = lua_tointeger(L, 2);
    if (n < 0) gl_error(L, fname, "a must be a positive integer or an array");
  } else {
    a = gl_array_arg(L, 2, -1, fname);
    if (a->ndim == 0) gl_error(L, fname, "a must be 1-dimensional or an integer");
    n = a->shape[0];
  }
  if (!lua_isnil(L, 3)) nd = gl_check_shape(L, 3, shape, fname);
  k = gl_shape_size(nd, shape);
  if (n == 0 && k > 0) gl_error(L, fname, "cannot take a larger sample than population when it is empty");
  if (!replace && k > n) gl_error(L, fname, "cannot take a larger sample than population when replace=false");
  if (gl_opt_field(L, 4, "p")) {                      /* 5 */
    gl_array *p = gl_array_arg(L, 5, GL_FLOAT64, fname);
    double sum = 0;
    if (p->ndim != 1 || p->shape[0] != n) gl_error(L, fname, "p must be 1-dimensional with one weight per item");
    pw = gl_array_push_copy(L, p, GL_FLOAT64);        /* 6 */
    for (int64_t i = 0; i < n; i++) {
      double w = ((double *)pw->data)[i];
      if (!(w >= 0) || isinf(w)) gl_error(L, fname, "probabilities must be non-negative and finite");
      sum += w;
      if (replace) ((double *)pw->data)[i] = sum;     /* cumulative for the binary search */
    }
    if (fabs(sum - 1) > 1.5e-8) gl_error(L, fname, "probabilities do not sum to 1");
  } else lua_pushnil(L);
  idx = gl_array_push(L, GL_INT64, nd, shape);
  scratch = gl_array_push1(L, GL_INT64, replace || pw ? 0 : n);
  rc = gl_random_choice_i64(r, n, k, (int64_t *)idx->data, replace, pw ? (double *)pw->data : NULL,
                            (int64_t *)scratch->data);
  rnd_check(L, fname, rc, "fewer non-zero entries in p than size");
  lua_pop(L, 1);
  if (a == NULL) {                                  /* 1-based positions */
    for (int64_t i = 0; i < k; i++) ((int64_t *)idx->data)[i] += 1;
    return result(L, idx, 3);
  }
  {
    int64_t oshape[GL_MAXDIMS];
    int ond = nd, oi;
    if (nd + a->ndim - 1 > GL_MAXDIMS) gl_error(L, fname, "too many dimensions");
    memcpy(oshape, shape, sizeof(int64_t) * (size_t)nd);
    for (int d = 1; d < a->ndim; d++) oshape[ond++] = a->shape[d];
    out = gl_array_push(L, a->dtype, ond, oshape);
    oi = lua_gettop(L);
    {   /* view out as (k, item...) to copy items along one axis */
      int64_t fs[GL_MAXDIMS], fst[GL_MAXDIMS];
      gl_array *flat;
      fs[0] = k; fst[0] = gl_shape_size(a->ndim - 1, a->shape + 1);
      for (int d = 1; d < a->ndim; d++) { fs[d] = a->shape[d]; fst[d] = out->strides[nd + d - 1]; }
      if (a->ndim == 1) fst[0] = 1;
      flat = gl_array_push_view(L, oi, a->dtype, a->ndim, fs, fst, out->data);
      for (int64_t i = 0; i < k; i++) copy_item(L, flat, oi + 1, i, a, 2, ((int64_t *)idx->data)[i]);
      lua_pop(L, 1);
    }
    if (out->ndim == 0 && lua_isnoneornil(L, 3)) gl_array_push_elem(L, out, 0);
    return 1;
  }
}

static int shuffle_array (lua_State *L, gl_rng *r, gl_array *a, const char *fname) {
  size_t sz = gl_dtype_size(a->dtype);
  int64_t bst[GL_MAXDIMS];
  if (a->ndim == 0) gl_error(L, fname, "cannot shuffle a 0-d array");
  for (int d = 1; d < a->ndim; d++) bst[d - 1] = a->strides[d] * (int64_t)sz;
  return gl_random_shuffle(r, a->shape[0], a->data, a->strides[0] * (int64_t)sz, a->ndim - 1, a->shape + 1,
                           bst, sz);
}

/* permutation(n): 1..n shuffled; permutation(a): a shuffled copy (first axis). */
static int g_permutation (lua_State *L) {
  const char *fname = "np.random.permutation";
  gl_rng *r = check_gen(L, fname);
  gl_array *out;
  lua_settop(L, 2);
  if (lua_isinteger(L, 2)) {
    lua_Integer n = lua_tointeger(L, 2);
    if (n < 0) gl_error(L, fname, "n must be non-negative");
    out = gl_array_push1(L, GL_INT64, n);
    gl_random_permutation_i64(r, n, (int64_t *)out->data, 1);
    return 1;
  }
  out = gl_array_arg(L, 2, -1, fname);
  out = gl_array_push_copy(L, out, out->dtype);
  rnd_check(L, fname, shuffle_array(L, r, out, fname), "invalid array");
  return 1;
}

/* shuffle(a): in place along the first axis; returns nothing. */
static int g_shuffle (lua_State *L) {
  const char *fname = "np.random.shuffle";
  gl_rng *r = check_gen(L, fname);
  gl_array *a = gl_array_test(L, 2);
  if (a == NULL) gl_error(L, fname, "an array is needed (it is shuffled in place), got %s", luaL_typename(L, 2));
  rnd_check(L, fname, shuffle_array(L, r, a, fname), "invalid array");
  return 0;
}

/* multivariate_normal(mean, cov, size, {method="svd"|"cholesky",
 * check_valid="raise"|"ignore", tol=1e-8}): x = mean + z F with z standard
 * normal and F^T F = cov: F = sqrt(s) V^T from cov = U S V^T (NumPy's
 * method), or F = L^T from cov = L L^T. */
static int g_multivariate_normal (lua_State *L) {
  static const char *const allowed[] = {"check_valid", "method", "tol", NULL};
  const char *fname = "np.random.multivariate_normal", *method, *check;
  gl_rng *r = check_gen(L, fname);
  gl_array *mean, *cov, *f, *z, *out;
  int64_t d, shape[GL_MAXDIMS], ns;
  int nd = 0, rc;
  double tol, zero = 0, one = 1;
  take_opts(L, 5, fname, allowed);
  method = gl_opt_string(L, 5, "method", "svd", fname);
  check = gl_opt_string(L, 5, "check_valid", "raise", fname);
  tol = gl_opt_number(L, 5, "tol", 1e-8, fname);
  if (strcmp(method, "svd") != 0 && strcmp(method, "cholesky") != 0)
    gl_error(L, fname, "method must be 'svd' or 'cholesky', got '%s'", method);
  if (strcmp(check, "raise") != 0 && strcmp(check, "ignore") != 0)
    gl_error(L, fname, "check_valid must be 'raise' or 'ignore', got '%s'", check);
  mean = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  cov = gl_array_arg(L, 3, GL_FLOAT64, fname);
  if (mean->ndim != 1) gl_error(L, fname, "mean must be 1 dimensional");
  d = mean->shape[0];
  if (cov->ndim != 2 || cov->shape[0] != d || cov->shape[1] != d)
    gl_error(L, fname, "cov must be 2 dimensional and square, of the size of mean");
  if (!lua_isnil(L, 4)) nd = gl_check_shape(L, 4, shape, fname);
  if (nd + 1 > GL_MAXDIMS) gl_error(L, fname, "too many dimensions");
  ns = gl_shape_size(nd, shape);
  f = gl_array_push_copy(L, cov, GL_FLOAT64);                 /* 6: factor F (d x d) */
  if (!gl_linalg_isfinite_f64(f->size, (double *)f->data, 1))
    gl_error(L, fname, "cov must not contain infs or NaNs");
  if (strcmp(method, "cholesky") == 0) {
    double *fp = (double *)f->data;
    if (gl_linalg_cholesky_f64(d, fp) != GL_OK) gl_error(L, fname, "covariance is not positive definite");
    for (int64_t i = 0; i < d; i++)                          /* F = L^T */
      for (int64_t j = i + 1; j < d; j++) { fp[i * d + j] = fp[j * d + i]; fp[j * d + i] = 0; }
  } else {
    gl_array *s = gl_array_push1(L, GL_FLOAT64, d), *u = gl_array_push2(L, GL_FLOAT64, d, d);
    gl_array *vt = gl_array_push2(L, GL_FLOAT64, d, d), *w = gl_array_push_copy(L, cov, GL_FLOAT64);
    double *sp = (double *)s->data, *vp = (double *)vt->data, *fp = (double *)f->data, *cp;
    rc = gl_linalg_svd_f64(d, d, (double *)w->data, sp, (double *)u->data, vp, 1, 1);
    if (rc != GL_OK) gl_error(L, fname, "SVD did not converge");
    cp = (double *)gl_array_push_copy(L, cov, GL_FLOAT64)->data;
    if (strcmp(check, "raise") == 0)                         /* V^T S V == cov ? (NumPy's psd test) */
      for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++) {
          double acc = 0;
          for (int64_t l = 0; l < d; l++) acc += vp[l * d + i] * sp[l] * vp[l * d + j];
          if (fabs(acc - cp[i * d + j]) > tol + tol * fabs(cp[i * d + j]))
            gl_error(L, fname, "covariance is not symmetric positive-semidefinite");
        }
    for (int64_t l = 0; l < d; l++)
      for (int64_t j = 0; j < d; j++) fp[l * d + j] = sqrt(sp[l]) * vp[l * d + j];
    lua_settop(L, 6);
  }
  z = gl_array_push2(L, GL_FLOAT64, ns, d);
  rnd_check(L, fname, gl_random_normal_f64(r, z->size, (double *)z->data, &zero, 0, &one, 0), "invalid argument");
  shape[nd] = d;
  out = gl_array_push(L, GL_FLOAT64, nd + 1, shape);
  rc = gl_linalg_matmul_f64(ns, d, d, (double *)z->data, d, 1, (double *)f->data, d, 1, (double *)out->data, d);
  if (rc != GL_OK) gl_kernel_error(L, fname, rc);
  for (int64_t i = 0; i < ns; i++)
    for (int64_t j = 0; j < d; j++) ((double *)out->data)[i * d + j] += ((double *)mean->data)[j];
  return 1;
}
/* } */

/* {=====  generators and the module table  ===== */

static lua_Integer seed_arg (lua_State *L, int idx, const char *fname) {
  int isnum;
  lua_Integer s = lua_tointegerx(L, idx, &isnum);
  if (!isnum) gl_error(L, fname, "seed must be an integer, got %s", luaL_typename(L, idx));
  return s;
}

/* Generator(seed): a new generator; without a seed, one drawn from the
 * default generator (so a script stays reproducible under np.random.seed). */
static int np_generator (lua_State *L) {
  uint64_t seed;
  if (lua_isnoneornil(L, 1)) seed = gl_random_next((gl_rng *)lua_touserdata(L, lua_upvalueindex(1)));
  else seed = (uint64_t)seed_arg(L, 1, "np.random.Generator");
  push_gen(L, seed);
  return 1;
}

static int np_seed (lua_State *L) {
  gl_rng *r = (gl_rng *)lua_touserdata(L, lua_upvalueindex(1));
  gl_random_seed(r, (uint64_t)seed_arg(L, 1, "np.random.seed"));
  return 0;
}

static int gen_tostring (lua_State *L) {
  check_gen(L, "np.random.Generator.tostring");
  lua_pushliteral(L, "Generator(xoshiro256**)");
  return 1;
}

/* np.random.f(...) == default_generator:f(...) */
static int bound (lua_State *L) {
  lua_CFunction f = lua_tocfunction(L, lua_upvalueindex(2));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  return f(L);
}

static const luaL_Reg gen_methods[] = {
  {"beta", g_beta},
  {"binomial", g_binomial},
  {"choice", g_choice},
  {"exponential", g_exponential},
  {"gamma", g_gamma},
  {"integers", g_integers},
  {"multivariate_normal", g_multivariate_normal},
  {"normal", g_normal},
  {"permutation", g_permutation},
  {"poisson", g_poisson},
  {"random", g_random},
  {"shuffle", g_shuffle},
  {"standard_normal", g_standard_normal},
  {"uniform", g_uniform},
  {NULL, NULL}
};

void gl_array_open_random (lua_State *L) {
  gl_newmetatable(L, GEN_MT, gen_methods, NULL);
  lua_pushcfunction(L, gen_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_newtable(L);                                   /* np.random */
  push_gen(L, 0);                                    /* the default generator */
  for (const luaL_Reg *m = gen_methods; m->name; m++) {
    lua_pushvalue(L, -1);
    lua_pushcfunction(L, m->func);
    lua_pushcclosure(L, bound, 2);
    lua_setfield(L, -3, m->name);
  }
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, np_seed, 1);
  lua_setfield(L, -3, "seed");
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, np_generator, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "Generator");
  lua_setfield(L, -3, "default_rng");
  lua_pop(L, 1);
  lua_setfield(L, -2, "random");
}
/* } */
