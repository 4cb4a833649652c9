/* array_reduce.c: reductions for np.* and Array methods: sum, prod, mean,
 * std, var, min, max, argmin, argmax, ptp, median, percentile, quantile,
 * any, all, count_nonzero, their nan-forms, and the scans cumsum, cumprod,
 * diff. Sorting, searching and counting are in array_sort.c.
 *
 * Axes are numbered from 0 as in NumPy; positions returned are 1-based. A reduction over every
 * axis without keepdims returns a Lua value; otherwise an array. dtypes follow
 * NumPy: sums and products of integers and bools are int64, means and
 * variances of integers float64; float32 stays float32 (summed in double,
 * rounded once at the end). */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "array_reduce.h"
#include "cast.h"
#include "reduce.h"
#include "iter.h"

void gl_array_open_sort(lua_State *L);   /* array_sort.c */

/* {====================================================================
 * Axes, arguments and blocks (array_reduce.h)
 * ===================================================================== */

static void add_axis (lua_State *L, int idx, int ndim, int *red, const char *fname) {
  int isint;
  lua_Integer ax = lua_tointegerx(L, idx, &isint);
  if (!isint) gl_error(L, fname, "axis must be an integer, got %s",
                       lua_isnumber(L, idx) ? "a non-integral number" : luaL_typename(L, idx));
  int k = gl_check_axis(L, ax, ndim, fname);
  if (red[k]) gl_error(L, fname, "duplicate value in 'axis'");
  red[k] = 1;
}

void gl_reduce_axes (lua_State *L, int idx, int ndim, int *red, const char *fname) {
  for (int i = 0; i < ndim; i++) red[i] = lua_isnoneornil(L, idx);
  if (lua_isnoneornil(L, idx)) return;
  if (lua_istable(L, idx)) {
    lua_Integer n = luaL_len(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, idx, i);
      add_axis(L, -1, ndim, red, fname);
      lua_pop(L, 1);
    }
  } else {
    add_axis(L, idx, ndim, red, fname);
  }
}

int gl_reduce_args (lua_State *L, int first, const char *fname, const char *const *allowed, int *opts) {
  int axis = 0, o = 0;
  int t = lua_type(L, first);
  if (t == LUA_TTABLE && lua_rawlen(L, first) == 0) o = first;   /* f(a, {axis=...}) */
  else {
    if (t != LUA_TNONE && t != LUA_TNIL) axis = first;
    if (!lua_isnoneornil(L, first + 1)) o = first + 1;
  }
  if (o) {
    gl_check_options(L, o, fname, allowed);
    if (gl_opt_field(L, o, "axis")) axis = lua_gettop(L);
  } else {
    lua_pushnil(L);
    o = lua_gettop(L);
  }
  if (!axis) {
    lua_pushnil(L);
    axis = lua_gettop(L);
  }
  *opts = o;
  return axis;
}

/* Can the significant (length > 1) axes be read as kept* reduced* kept*,
 * each group merging into one strided axis? Fills g if so. */
static int try_block (const gl_array *a, const int *red, gl_lines *g) {
  int64_t size[3] = {1, 1, 1}, stride[3] = {0, 0, 0};
  int last[3] = {-1, -1, -1}, phase = 0;
  if (a->size == 0) {   /* nothing is read: any strides do */
    for (int i = 0; i < a->ndim; i++) {
      if (red[i]) { size[1] *= a->shape[i]; if (phase == 0) phase = 1; }
      else size[phase == 0 ? 0 : 2] *= a->shape[i];
    }
  } else {
    for (int i = 0; i < a->ndim; i++) {
      if (a->shape[i] == 1) continue;
      if (red[i]) {
        if (phase == 2) return 0;
        phase = 1;
      } else if (phase == 1) {
        phase = 2;
      }
      int k = last[phase];
      if (k >= 0 && a->strides[k] != a->strides[i] * a->shape[i]) return 0;
      last[phase] = i;
      size[phase] *= a->shape[i];
      stride[phase] = a->strides[i];
    }
  }
  g->outer = size[0]; g->n = size[1]; g->inner = size[2];
  g->so = stride[0]; g->sn = stride[1]; g->si = stride[2];
  return 1;
}

void gl_reduce_plan (lua_State *L, int aidx, const int *red, int keepdims, gl_rplan *p) {
  aidx = lua_absindex(L, aidx);
  gl_array *a = gl_array_check(L, aidx);
  p->ndim = 0;
  for (int i = 0; i < a->ndim; i++) {
    if (!red[i]) p->shape[p->ndim++] = a->shape[i];
    else if (keepdims) p->shape[p->ndim++] = 1;
  }
  p->scalar = p->ndim == 0;
  if (!try_block(a, red, &p->g)) {
    /* one run of reduced axes: a plain contiguous copy merges */
    int runs = 0, prev = 0;
    for (int i = 0; i < a->ndim; i++) {
      if (a->shape[i] == 1) continue;
      if (red[i] && !prev) runs++;
      prev = red[i];
    }
    if (runs <= 1) {
      a = gl_array_push_copy(L, a, a->dtype);
    } else {   /* kept axes first, then the reduced ones */
      int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
      int k = 0;
      for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < a->ndim; i++)
          if (red[i] == pass) { sh[k] = a->shape[i]; st[k] = a->strides[i]; k++; }
      gl_array *v = gl_array_push_view(L, aidx, a->dtype, a->ndim, sh, st, a->data);
      a = gl_array_push_copy(L, v, a->dtype);
      lua_remove(L, -2);
      int r2[GL_MAXDIMS];
      k = 0;
      for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < a->ndim; i++) if (red[i] == pass) r2[k++] = pass;
      red = r2;
      try_block(a, red, &p->g);
      lua_replace(L, aidx);
      p->a = a;
      return;
    }
    lua_replace(L, aidx);
    try_block(a, red, &p->g);
  }
  p->a = a;
}

/* }==================================================================== */

/* {====================================================================
 * Results
 * ===================================================================== */

typedef union scalar_buf { double d; float f; int64_t i; gl_bool b; } scalar_buf;

/* Where the kernel writes: a new array of dtype t pushed on the stack, or
 * the local scalar when the result is a Lua value. */
static void *push_out (lua_State *L, const gl_rplan *p, gl_dtype t, scalar_buf *s) {
  if (p->scalar) return s;
  return gl_array_push(L, t, p->ndim, p->shape)->data;
}

/* Leaves the result as `want`: the array on top (cast if it is `have`), or
 * the scalar pushed as a Lua value. Returns 1 (results on the stack). */
static int finish (lua_State *L, const gl_rplan *p, gl_dtype have, gl_dtype want, scalar_buf *s) {
  if (p->scalar) {
    scalar_buf c;
    if (have != want) gl_cast_copy(want, 0, NULL, NULL, (char *)&c, have, 0, NULL, NULL, (const char *)s);
    else c = *s;
    gl_push_elem_ptr(L, want, (const char *)&c);
  } else if (have != want) {
    gl_array *r = gl_array_check(L, -1);
    gl_array_push_copy(L, r, want);
    lua_remove(L, -2);
  }
  return 1;
}

/* A GC-owned scratch block (freed with the userdata; safe under errors). */
static void *scratch (lua_State *L, size_t n) {
  return lua_newuserdatauv(L, n > 0 ? n : 1, 0);
}

static void check_kernel (lua_State *L, int rc, const char *fname) {
  if (rc != GL_OK) gl_kernel_error(L, fname, rc);
}

/* }==================================================================== */

/* {====================================================================
 * Reductions
 * ===================================================================== */

enum {
  R_SUM, R_NANSUM, R_PROD, R_NANPROD, R_MEAN, R_NANMEAN, R_VAR, R_NANVAR, R_STD, R_NANSTD,
  R_MIN, R_MAX, R_NANMIN, R_NANMAX, R_ARGMIN, R_ARGMAX, R_NANARGMIN, R_NANARGMAX, R_PTP,
  R_ANY, R_ALL, R_COUNT
};

static const char *const opts_sum[] = {"axis", "dtype", "keepdims", NULL};
static const char *const opts_var[] = {"axis", "ddof", "dtype", "keepdims", NULL};
static const char *const opts_plain[] = {"axis", "keepdims", NULL};

static int is_nan_form (int kind) {
  return kind == R_NANSUM || kind == R_NANPROD || kind == R_NANMEAN || kind == R_NANVAR ||
         kind == R_NANSTD || kind == R_NANMIN || kind == R_NANMAX || kind == R_NANARGMIN ||
         kind == R_NANARGMAX;
}

/* The dtype a reduction computes in, given the input's. */
static gl_dtype compute_dtype (int kind, gl_dtype t) {
  if (kind >= R_ANY) return GL_BOOL;
  if (gl_dtype_is_float(t)) return t;
  if (kind >= R_MEAN && kind <= R_NANSTD) return GL_FLOAT64;
  return GL_INT64;
}

/* min/max (want_max) into out of dtype t (the block's), or positions into pos. */
static int run_minmax (const gl_rplan *p, void *out, int64_t *pos, int want_max, int skip) {
  const gl_lines *g = &p->g;
  switch (p->a->dtype) {
    case GL_FLOAT64: return gl_reduce_minmax_f64(g, (const double *)p->a->data, out, pos, want_max, skip);
    case GL_FLOAT32: return gl_reduce_minmax_f32(g, (const float *)p->a->data, out, pos, want_max, skip);
    default: return gl_reduce_minmax_i64(g, (const int64_t *)p->a->data, out, pos, want_max);
  }
}

/* sum, mean and prod of a complex array (at 1). Sums read it as a float
 * array with a last axis of 2 (real, imaginary), which the pairwise float
 * kernels sum like any other kept axis; prod has its own kernel. */
static int reduce_complex (lua_State *L, int kind, const char *fname, int axis, int keepdims) {
  gl_array *a = gl_array_check(L, 1);
  gl_dtype ct = a->dtype, rt = gl_dtype_real(ct);
  int red[GL_MAXDIMS + 1], nd = a->ndim;
  if (kind != R_SUM && kind != R_MEAN && kind != R_PROD)
    return gl_error(L, fname, "not supported for complex arrays");
  if (nd + 1 > GL_MAXDIMS) return gl_error(L, fname, "too many dimensions");
  gl_reduce_axes(L, axis, nd, red, fname);
  gl_rplan p;
  gl_array *out;
  if (kind == R_PROD) {
    a = gl_array_arg(L, 1, GL_COMPLEX128, fname);
    gl_reduce_plan(L, 1, red, keepdims, &p);
    out = gl_array_push(L, GL_COMPLEX128, p.ndim, p.shape);
    check_kernel(L, gl_reduce_prod_c128(&p.g, (const gl_c128 *)p.a->data, (gl_c128 *)out->data), fname);
  } else {
    int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
    for (int i = 0; i < nd; i++) { sh[i] = a->shape[i]; st[i] = 2 * a->strides[i]; }
    sh[nd] = 2; st[nd] = 1; red[nd] = 0;
    gl_array_push_view(L, 1, rt, nd + 1, sh, st, a->data);
    int vidx = lua_gettop(L);
    gl_reduce_plan(L, vidx, red, keepdims, &p);
    out = gl_array_push(L, GL_FLOAT64, p.ndim, p.shape);
    int rc;
    if (rt == GL_FLOAT64)
      rc = kind == R_SUM ? gl_reduce_sum_f64(&p.g, (const double *)p.a->data, (double *)out->data, 0)
                         : gl_reduce_mean_f64(&p.g, (const double *)p.a->data, (double *)out->data, 0);
    else
      rc = kind == R_SUM ? gl_reduce_sum_f32(&p.g, (const float *)p.a->data, (double *)out->data, 0)
                         : gl_reduce_mean_f32(&p.g, (const float *)p.a->data, (double *)out->data, 0);
    check_kernel(L, rc, fname);
    int64_t cst[GL_MAXDIMS];
    gl_contiguous_strides(p.ndim - 1, p.shape, cst);
    out = gl_array_push_view(L, -1, GL_COMPLEX128, p.ndim - 1, p.shape, cst, out->data);
    p.ndim--;
  }
  if (p.ndim == 0 && !keepdims) {
    double re, im;
    gl_array_complex_at(out, 0, &re, &im);
    gl_complex_push(L, re, im);
    return 1;
  }
  if (ct != GL_COMPLEX128) gl_array_push_copy(L, out, ct);
  return 1;
}

static int reduce (lua_State *L, int kind, const char *fname) {
  const char *const *allowed = kind <= R_NANMEAN ? opts_sum : kind <= R_NANSTD ? opts_var : opts_plain;
  int opts;
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  int axis = gl_reduce_args(L, 2, fname, allowed, &opts);
  int keepdims = gl_opt_boolean(L, opts, "keepdims", 0, fname);
  if (gl_dtype_is_complex(a->dtype)) {
    if (!lua_isnoneornil(L, opts) && gl_opt_field(L, opts, "dtype"))
      return gl_error(L, fname, "dtype= is not supported for complex arrays");
    return reduce_complex(L, kind, fname, axis, keepdims);
  }
  double ddof = gl_opt_number(L, opts, "ddof", 0, fname);
  if (gl_opt_field(L, opts, "dtype")) {
    a = gl_array_arg(L, 1, gl_check_dtype(L, -1, a->dtype, fname), fname);
    lua_pop(L, 1);
  }
  gl_dtype orig = a->dtype, ct = compute_dtype(kind, orig);
  a = gl_array_arg(L, 1, ct, fname);
  int red[GL_MAXDIMS];
  gl_reduce_axes(L, axis, a->ndim, red, fname);
  gl_rplan p;
  gl_reduce_plan(L, 1, red, keepdims, &p);
  const gl_lines *g = &p.g;
  int64_t nout = g->outer * g->inner;
  int skip = is_nan_form(kind);
  scalar_buf s;
  void *out;
  int rc;
  if (g->n == 0 && nout > 0 && kind >= R_MIN && kind <= R_PTP) {
    if (kind >= R_ARGMIN && kind <= R_NANARGMAX)
      return gl_error(L, fname, "attempt to get %s of an empty sequence",
                      kind == R_ARGMIN || kind == R_NANARGMIN ? "argmin" : "argmax");
    return gl_error(L, fname, "zero-size array to reduction operation %s which has no identity",
                    kind == R_MIN || kind == R_NANMIN ? "minimum" : "maximum");
  }
  switch (kind) {
    case R_SUM: case R_NANSUM:
      if (ct == GL_INT64) {
        out = push_out(L, &p, GL_INT64, &s);
        check_kernel(L, gl_reduce_sum_i64(g, (const int64_t *)p.a->data, out), fname);
        return finish(L, &p, GL_INT64, GL_INT64, &s);
      }
      out = push_out(L, &p, GL_FLOAT64, &s);
      rc = ct == GL_FLOAT32 ? gl_reduce_sum_f32(g, (const float *)p.a->data, out, skip)
                            : gl_reduce_sum_f64(g, (const double *)p.a->data, out, skip);
      check_kernel(L, rc, fname);
      return finish(L, &p, GL_FLOAT64, ct, &s);
    case R_PROD: case R_NANPROD:
      out = push_out(L, &p, ct, &s);
      if (ct == GL_INT64) rc = gl_reduce_prod_i64(g, (const int64_t *)p.a->data, out);
      else if (ct == GL_FLOAT32) rc = gl_reduce_prod_f32(g, (const float *)p.a->data, out, skip);
      else rc = gl_reduce_prod_f64(g, (const double *)p.a->data, out, skip);
      check_kernel(L, rc, fname);
      return finish(L, &p, ct, ct, &s);
    case R_MEAN: case R_NANMEAN:
      out = push_out(L, &p, GL_FLOAT64, &s);
      rc = ct == GL_FLOAT32 ? gl_reduce_mean_f32(g, (const float *)p.a->data, out, skip)
                            : gl_reduce_mean_f64(g, (const double *)p.a->data, out, skip);
      check_kernel(L, rc, fname);
      return finish(L, &p, GL_FLOAT64, ct, &s);
    case R_VAR: case R_NANVAR: case R_STD: case R_NANSTD: {
      int sq = kind == R_STD || kind == R_NANSTD;
      out = push_out(L, &p, GL_FLOAT64, &s);
      rc = ct == GL_FLOAT32 ? gl_reduce_var_f32(g, (const float *)p.a->data, out, ddof, skip, sq)
                            : gl_reduce_var_f64(g, (const double *)p.a->data, out, ddof, skip, sq);
      check_kernel(L, rc, fname);
      return finish(L, &p, GL_FLOAT64, ct, &s);
    }
    case R_MIN: case R_MAX: case R_NANMIN: case R_NANMAX:
      out = push_out(L, &p, ct, &s);
      check_kernel(L, run_minmax(&p, out, NULL, kind == R_MAX || kind == R_NANMAX, skip), fname);
      return finish(L, &p, ct, orig, &s);
    case R_ARGMIN: case R_ARGMAX: case R_NANARGMIN: case R_NANARGMAX: {
      int64_t *pos = push_out(L, &p, GL_INT64, &s);
      check_kernel(L, run_minmax(&p, NULL, pos, kind == R_ARGMAX || kind == R_NANARGMAX, skip), fname);
      for (int64_t k = 0; k < nout; k++) {
        if (pos[k] < 0) return gl_error(L, fname, "All-NaN slice encountered");
        pos[k] += 1;
      }
      return finish(L, &p, GL_INT64, GL_INT64, &s);
    }
    case R_PTP: {
      size_t isz = gl_dtype_size(ct);
      char *lo = scratch(L, (size_t)nout * isz);
      lua_insert(L, 1);   /* keep it below the result */
      char *hi = push_out(L, &p, ct, &s);
      check_kernel(L, run_minmax(&p, lo, NULL, 0, 0), fname);
      check_kernel(L, run_minmax(&p, hi, NULL, 1, 0), fname);
      for (int64_t k = 0; k < nout; k++) {
        if (ct == GL_FLOAT64) ((double *)hi)[k] -= ((double *)lo)[k];
        else if (ct == GL_FLOAT32) ((float *)hi)[k] -= ((float *)lo)[k];
        else ((int64_t *)hi)[k] = (int64_t)((uint64_t)((int64_t *)hi)[k] - (uint64_t)((int64_t *)lo)[k]);
      }
      return finish(L, &p, ct, orig == GL_BOOL ? GL_INT64 : orig, &s);
    }
    default: {   /* any, all, count_nonzero */
      int64_t *cnt;
      if (kind == R_COUNT) cnt = push_out(L, &p, GL_INT64, &s);
      else { cnt = scratch(L, sizeof(int64_t) * (size_t)nout); lua_insert(L, 1); }
      check_kernel(L, gl_reduce_count_u8(g, (const gl_bool *)p.a->data, cnt), fname);
      if (kind == R_COUNT) return finish(L, &p, GL_INT64, GL_INT64, &s);
      gl_bool *b = push_out(L, &p, GL_BOOL, &s);
      for (int64_t k = 0; k < nout; k++) b[k] = kind == R_ANY ? cnt[k] > 0 : cnt[k] == g->n;
      return finish(L, &p, GL_BOOL, GL_BOOL, &s);
    }
  }
}

static int np_sum (lua_State *L) { return reduce(L, R_SUM, "np.sum"); }
static int np_nansum (lua_State *L) { return reduce(L, R_NANSUM, "np.nansum"); }
static int np_prod (lua_State *L) { return reduce(L, R_PROD, "np.prod"); }
static int np_nanprod (lua_State *L) { return reduce(L, R_NANPROD, "np.nanprod"); }
static int np_mean (lua_State *L) { return reduce(L, R_MEAN, "np.mean"); }
static int np_nanmean (lua_State *L) { return reduce(L, R_NANMEAN, "np.nanmean"); }
static int np_var (lua_State *L) { return reduce(L, R_VAR, "np.var"); }
static int np_nanvar (lua_State *L) { return reduce(L, R_NANVAR, "np.nanvar"); }
static int np_std (lua_State *L) { return reduce(L, R_STD, "np.std"); }
static int np_nanstd (lua_State *L) { return reduce(L, R_NANSTD, "np.nanstd"); }
static int np_min (lua_State *L) { return reduce(L, R_MIN, "np.min"); }
static int np_max (lua_State *L) { return reduce(L, R_MAX, "np.max"); }
static int np_nanmin (lua_State *L) { return reduce(L, R_NANMIN, "np.nanmin"); }
static int np_nanmax (lua_State *L) { return reduce(L, R_NANMAX, "np.nanmax"); }
static int np_argmin (lua_State *L) { return reduce(L, R_ARGMIN, "np.argmin"); }
static int np_argmax (lua_State *L) { return reduce(L, R_ARGMAX, "np.argmax"); }
static int np_nanargmin (lua_State *L) { return reduce(L, R_NANARGMIN, "np.nanargmin"); }
static int np_nanargmax (lua_State *L) { return reduce(L, R_NANARGMAX, "np.nanargmax"); }
static int np_ptp (lua_State *L) { return reduce(L, R_PTP, "np.ptp"); }
static int np_any (lua_State *L) { return reduce(L, R_ANY, "np.any"); }
static int np_all (lua_State *L) { return reduce(L, R_ALL, "np.all"); }
static int np_count_nonzero (lua_State *L) { return reduce(L, R_COUNT, "np.count_nonzero"); }

/* }==================================================================== */

/* {====================================================================
 * Quantiles: median, percentile, quantile and nan-forms
 * ===================================================================== */

static const char *const q_methods[] = {"linear", "lower", "higher", "nearest", "midpoint", NULL};

static int quantile (lua_State *L, int pct, int median, int skip, const char *fname) {
  static const char *const allowed_q[] = {"axis", "keepdims", "method", NULL};
  int opts, first = median ? 2 : 3;
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  gl_array *q = NULL;
  if (!median) {
    luaL_checkany(L, 2);
    q = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  }
  int axis = gl_reduce_args(L, first, fname, median ? opts_plain : allowed_q, &opts);
  int keepdims = gl_opt_boolean(L, opts, "keepdims", 0, fname);
  const char *mname = gl_opt_string(L, opts, "method", "linear", fname);
  int method = -1;
  for (int i = 0; q_methods[i]; i++) if (strcmp(mname, q_methods[i]) == 0) method = i;
  if (method < 0)
    return gl_error(L, fname, "'%s' is not a valid method (expected linear, lower, higher, nearest or midpoint)", mname);
  if (median) method = GL_Q_MEDIAN;
  int64_t nq = q ? q->size : 1;
  double *qv = scratch(L, sizeof(double) * (size_t)nq);
  lua_insert(L, 1);   /* keep the scratch below the result; arguments move up one */
  qv[0] = 0.5;
  for (int64_t k = 0; q && k < nq; k++) {
    double v = ((const double *)q->data)[k];
    if (!(v >= 0 && v <= (pct ? 100 : 1)))
      return gl_error(L, fname, pct ? "Percentiles must be in the range [0, 100]"
                                    : "Quantiles must be in the range [0, 1]");
    qv[k] = pct ? v / 100 : v;
  }
  gl_dtype orig = a->dtype, ct = orig == GL_FLOAT32 ? GL_FLOAT32 : GL_FLOAT64;
  a = gl_array_arg(L, 2, ct, fname);
  int red[GL_MAXDIMS];
  gl_reduce_axes(L, axis + 1, a->ndim, red, fname);
  gl_rplan p;
  gl_reduce_plan(L, 2, red, keepdims, &p);
  if (q && q->ndim > 0) {   /* the q axes come first */
    if (q->ndim + p.ndim > GL_MAXDIMS) return gl_error(L, fname, "too many dimensions");
    memmove(p.shape + q->ndim, p.shape, sizeof(int64_t) * (size_t)p.ndim);
    memcpy(p.shape, q->shape, sizeof(int64_t) * (size_t)q->ndim);
    p.ndim += q->ndim;
    p.scalar = 0;
  }
  scalar_buf s;
  double *out = push_out(L, &p, GL_FLOAT64, &s);
  int rc = ct == GL_FLOAT32
    ? gl_reduce_quantile_f32(&p.g, (const float *)p.a->data, nq, qv, out, method, skip)
    : gl_reduce_quantile_f64(&p.g, (const double *)p.a->data, nq, qv, out, method, skip);
  check_kernel(L, rc, fname);
  /* lower/higher/nearest pick elements: integers stay integers (NumPy). float32
   * stays float32 for every method (NumPy 1.24 gives float64 arrays). */
  int picks = method == GL_Q_LOWER || method == GL_Q_HIGHER || method == GL_Q_NEAREST;
  return finish(L, &p, GL_FLOAT64, picks && !gl_dtype_is_float(orig) ? orig : ct, &s);
}

static int np_median (lua_State *L) { return quantile(L, 0, 1, 0, "np.median"); }
static int np_nanmedian (lua_State *L) { return quantile(L, 0, 1, 1, "np.nanmedian"); }
static int np_percentile (lua_State *L) { return quantile(L, 1, 0, 0, "np.percentile"); }
static int np_nanpercentile (lua_State *L) { return quantile(L, 1, 0, 1, "np.nanpercentile"); }
static int np_quantile (lua_State *L) { return quantile(L, 0, 0, 0, "np.quantile"); }
static int np_nanquantile (lua_State *L) { return quantile(L, 0, 0, 1, "np.nanquantile"); }

/* }==================================================================== */

/* {====================================================================
 * Scans: cumsum, cumprod (+ nan-forms) and diff
 * ===================================================================== */

static int scan (lua_State *L, int op, const char *fname) {
  static const char *const allowed[] = {"axis", "dtype", NULL};
  int opts;
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  int axis = gl_reduce_args(L, 2, fname, allowed, &opts);
  if (gl_opt_field(L, opts, "dtype")) {
    a = gl_array_arg(L, 1, gl_check_dtype(L, -1, a->dtype, fname), fname);
    lua_pop(L, 1);
  }
  gl_dtype ct = gl_dtype_is_float(a->dtype) ? a->dtype : GL_INT64;
  a = gl_array_arg(L, 1, ct, fname);
  if (lua_istable(L, axis)) return gl_error(L, fname, "axis must be an integer, got table");
  int red[GL_MAXDIMS], flat = lua_isnil(L, axis);
  gl_reduce_axes(L, axis, a->ndim, red, fname);
  gl_rplan p;
  gl_reduce_plan(L, 1, red, 1, &p);
  int64_t n = p.a->size;
  gl_array *r = flat ? gl_array_push(L, ct, 1, &n) : gl_array_push(L, ct, p.a->ndim, p.a->shape);
  int rc;
  if (ct == GL_FLOAT64) rc = gl_scan_f64(&p.g, (const double *)p.a->data, (double *)r->data, op);
  else if (ct == GL_FLOAT32) rc = gl_scan_f32(&p.g, (const float *)p.a->data, (float *)r->data, op);
  else rc = gl_scan_i64(&p.g, (const int64_t *)p.a->data, (int64_t *)r->data, op);
  check_kernel(L, rc, fname);
  return 1;
}

static int np_cumsum (lua_State *L) { return scan(L, GL_CUMSUM, "np.cumsum"); }
static int np_cumprod (lua_State *L) { return scan(L, GL_CUMPROD, "np.cumprod"); }
static int np_nancumsum (lua_State *L) { return scan(L, GL_NANCUMSUM, "np.nancumsum"); }
static int np_nancumprod (lua_State *L) { return scan(L, GL_NANCUMPROD, "np.nancumprod"); }

/* diff(a, [n], [axis]) or diff(a, {n=, axis=}): n-th differences along axis
 * (default the last), in a's dtype (bool: "not equal", as NumPy). */
static int np_diff (lua_State *L) {
  static const char *const allowed[] = {"axis", "n", NULL};
  const char *fname = "np.diff";
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  int opts = 0;
  lua_Integer order = 1, axis = -1;
  if (lua_istable(L, 2)) opts = 2;
  else {
    order = luaL_optinteger(L, 2, 1);
    axis = luaL_optinteger(L, 3, -1);
    if (lua_istable(L, 4)) opts = 4;
  }
  if (opts) {
    gl_check_options(L, opts, fname, allowed);
    order = gl_opt_integer(L, opts, "n", order, fname);
    axis = gl_opt_integer(L, opts, "axis", axis, fname);
  }
  if (order < 0) return gl_error(L, fname, "order must be non-negative but got %d", (int)order);
  if (a->ndim == 0) return gl_error(L, fname, "diff requires input that is at least one dimensional");
  int ax = gl_check_axis(L, axis, a->ndim, fname);
  gl_dtype orig = a->dtype, ct = gl_dtype_is_float(orig) ? orig : GL_INT64;
  if (order == 0) { lua_settop(L, 1); return 1; }
  a = gl_array_arg(L, 1, ct, fname);
  lua_settop(L, 1);
  for (lua_Integer it = 0; it < order; it++) {
    int red[GL_MAXDIMS] = {0};
    red[ax] = 1;
    gl_rplan p;
    gl_reduce_plan(L, 1, red, 1, &p);
    int64_t shape[GL_MAXDIMS];
    memcpy(shape, p.a->shape, sizeof shape);
    shape[ax] = shape[ax] > 0 ? shape[ax] - 1 : 0;
    gl_array *r = gl_array_push(L, ct, p.a->ndim, shape);
    if (p.g.n >= 2 && r->size > 0) {
      int rc;
      if (ct == GL_FLOAT64) rc = gl_diff_f64(&p.g, (const double *)p.a->data, (double *)r->data);
      else if (ct == GL_FLOAT32) rc = gl_diff_f32(&p.g, (const float *)p.a->data, (float *)r->data);
      else rc = gl_diff_i64(&p.g, (const int64_t *)p.a->data, (int64_t *)r->data);
      check_kernel(L, rc, fname);
    }
    lua_replace(L, 1);
    if (r->shape[ax] == 0) break;
  }
  if (orig != ct) gl_array_arg(L, 1, orig, fname);
  return 1;
}

/* }==================================================================== */

static const luaL_Reg funcs[] = {
  {"all", np_all},
  {"amax", np_max},
  {"amin", np_min},
  {"any", np_any},
  {"argmax", np_argmax},
  {"argmin", np_argmin},
  {"count_nonzero", np_count_nonzero},
  {"cumprod", np_cumprod},
  {"cumsum", np_cumsum},
  {"diff", np_diff},
  {"max", np_max},
  {"mean", np_mean},
  {"median", np_median},
  {"min", np_min},
  {"nanargmax", np_nanargmax},
  {"nanargmin", np_nanargmin},
  {"nancumprod", np_nancumprod},
  {"nancumsum", np_nancumsum},
  {"nanmax", np_nanmax},
  {"nanmean", np_nanmean},
  {"nanmedian", np_nanmedian},
  {"nanmin", np_nanmin},
  {"nanpercentile", np_nanpercentile},
  {"nanprod", np_nanprod},
  {"nanquantile", np_nanquantile},
  {"nanstd", np_nanstd},
  {"nansum", np_nansum},
  {"nanvar", np_nanvar},
  {"percentile", np_percentile},
  {"prod", np_prod},
  {"ptp", np_ptp},
  {"quantile", np_quantile},
  {"std", np_std},
  {"sum", np_sum},
  {"var", np_var},
  {NULL, NULL}
};

void gl_array_open_reduce (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  gl_array_add_methods(L, funcs);   /* a:sum(2) is np.sum(a, 2) */
  gl_array_open_sort(L);
}
