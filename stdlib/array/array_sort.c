/* array_sort.c: sorting, searching and counting for np.* and Array methods:
 * sort, argsort, unique, searchsorted, isin, histogram, bincount, nonzero,
 * argwhere, flatnonzero. Registered by gl_array_open_reduce (array_reduce.c).
 *
 * Every sort is stable (kind is accepted for NumPy compatibility), NaN sorts
 * last, and positions are 1-based. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "gl_size.h"
#include "array_internal.h"
#include "array_reduce.h"
#include "sort.h"
#include "stats.h"
#include "npsort.h"

void gl_array_open_sort(lua_State *L);

static void check_kernel (lua_State *L, int rc, const char *fname) {
  if (rc != GL_OK) gl_kernel_error(L, fname, rc);
}

/* The dtype sorting works in: float32/float64 as they are, complex as
 * complex128, others int64. */
static gl_dtype sort_dtype (gl_dtype t) {
  if (gl_dtype_is_complex(t)) return GL_COMPLEX128;
  return gl_dtype_is_float(t) ? t : GL_INT64;
}

/* A dtype both a and b can be searched in without loss. */
static gl_dtype common_dtype (gl_dtype a, gl_dtype b) {
  if (a == GL_FLOAT32 && b == GL_FLOAT32) return GL_FLOAT32;
  if (gl_dtype_is_float(a) || gl_dtype_is_float(b)) return GL_FLOAT64;
  return GL_INT64;
}

/* {====================================================================
 * sort, argsort
 * ===================================================================== */

/* sort(a, [axis], [{axis=, kind=}]): along axis (default the last). Pushes
 * the sorted values (want_pos 0) or their 1-based source positions. */
static int sort_common (lua_State *L, int want_pos, const char *fname) {
  static const char *const allowed[] = {"axis", "kind", "stable", NULL};
  static const char *const kinds[] = {"quicksort", "mergesort", "heapsort", "stable", NULL};
  int opts;
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  int axis = gl_reduce_args(L, 2, fname, allowed, &opts);
  const char *kind = gl_opt_string(L, opts, "kind", "stable", fname);
  int ok = 0;
  for (int i = 0; kinds[i]; i++) ok |= strcmp(kind, kinds[i]) == 0;
  if (!ok) return gl_error(L, fname, "sort kind must be one of 'quicksort', 'mergesort', 'heapsort' or 'stable', got '%s'", kind);
  gl_opt_boolean(L, opts, "stable", 1, fname);   /* every sort here is stable */
  gl_dtype orig = a->dtype, ct = sort_dtype(orig);
  if (a->ndim == 0) return gl_error(L, fname, "cannot sort a 0-d array");
  if (lua_istable(L, axis)) return gl_error(L, fname, "axis must be an integer, got table");
  if (lua_isnil(L, axis)) { lua_pushinteger(L, -1); lua_replace(L, axis); }
  a = gl_array_arg(L, 1, ct, fname);
  int red[GL_MAXDIMS];
  gl_reduce_axes(L, axis, a->ndim, red, fname);
  gl_rplan p;
  gl_reduce_plan(L, 1, red, 1, &p);
  gl_array *r = gl_array_push(L, want_pos ? GL_INT64 : ct, p.a->ndim, p.a->shape);
  void *vals = want_pos ? NULL : r->data;
  int64_t *pos = want_pos ? (int64_t *)r->data : NULL;
  int rc;
  if (ct == GL_COMPLEX128) rc = gl_sort_c128(&p.g, (const gl_c128 *)p.a->data, vals, pos);
  else if (ct == GL_FLOAT64) rc = gl_sort_f64(&p.g, (const double *)p.a->data, vals, pos);
  else if (ct == GL_FLOAT32) rc = gl_sort_f32(&p.g, (const float *)p.a->data, vals, pos);
  else rc = gl_sort_i64(&p.g, (const int64_t *)p.a->data, vals, pos);
  check_kernel(L, rc, fname);
  if (want_pos) for (int64_t k = 0; k < r->size; k++) pos[k] += 1;
  else if (ct != orig) { gl_array_push_copy(L, r, orig); lua_remove(L, -2); }
  return 1;
}

static int np_sort (lua_State *L) { return sort_common(L, 0, "np.sort"); }
static int np_argsort (lua_State *L) { return sort_common(L, 1, "np.argsort"); }

/* np._argsort_numpy(v): 1-based positions in the order NumPy 1.24's default
 * argsort leaves v (1-D, as float64), equal keys included (npsort.h). Private:
 * the weighted histogram (array_funcs.lua) needs NumPy's tie order. */
static int np_argsort_numpy (lua_State *L) {
  const char *fname = "np._argsort_numpy";
  gl_array *v = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  if (v->ndim != 1) return gl_error(L, fname, "expected a 1-D array");
  gl_array *r = gl_array_push1(L, GL_INT64, v->size);
  int64_t *p = (int64_t *)r->data;
  gl_argsort_numpy_f64(v->size, (const double *)v->data, p);
  for (int64_t k = 0; k < v->size; k++) p[k] += 1;
  return 1;
}

/* a:sort(...) sorts a in place, as NumPy's method does, and returns a. */
static int arr_sort (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  lua_pushvalue(L, 1);
  lua_insert(L, 1);   /* keep a at 1; np.sort works on 2.. */
  lua_pushcfunction(L, np_sort);
  lua_insert(L, 2);
  lua_call(L, lua_gettop(L) - 2, 1);
  gl_array_assign(a, gl_array_check(L, -1));
  lua_settop(L, 1);
  return 1;
}

/* }==================================================================== */

/* {====================================================================
 * unique, searchsorted, isin
 * ===================================================================== */

/* unique(a, [{return_index=, return_inverse=, return_counts=}]): the sorted
 * distinct values of a (flattened), then as requested, in NumPy's order:
 * 1-based first positions, 1-based inverse (a's shape flattened), counts. */
static int np_unique (lua_State *L) {
  static const char *const allowed[] = {"equal_nan", "return_counts", "return_index", "return_inverse", NULL};
  const char *fname = "np.unique";
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  gl_check_options(L, 2, fname, allowed);
  if (gl_dtype_is_complex(a->dtype)) return gl_error(L, fname, "complex arrays are not supported");
  int want_index = gl_opt_boolean(L, 2, "return_index", 0, fname);
  int want_inverse = gl_opt_boolean(L, 2, "return_inverse", 0, fname);
  int want_counts = gl_opt_boolean(L, 2, "return_counts", 0, fname);
  if (!gl_opt_boolean(L, 2, "equal_nan", 1, fname))
    return gl_error(L, fname, "equal_nan=false is not supported");
  gl_dtype orig = a->dtype, ct = sort_dtype(orig);
  a = gl_array_arg_contig(L, 1, ct, fname);
  int64_t n = a->size, nu = 0;
  lua_settop(L, 1);
  /* full-length outputs, trimmed below */
  gl_array *vals = gl_array_push1(L, ct, n);                                   /* 2 */
  gl_array *first = want_index ? gl_array_push1(L, GL_INT64, n) : NULL;        /* 3 */
  if (!first) lua_pushnil(L);
  gl_array *inv = want_inverse ? gl_array_push1(L, GL_INT64, n) : NULL;        /* 4 */
  if (!inv) lua_pushnil(L);
  gl_array *cnt = want_counts ? gl_array_push1(L, GL_INT64, n) : NULL;         /* 5 */
  if (!cnt) lua_pushnil(L);
  int64_t *fp = first ? (int64_t *)first->data : NULL, *ip = inv ? (int64_t *)inv->data : NULL;
  int64_t *cp = cnt ? (int64_t *)cnt->data : NULL;
  int rc;
  if (ct == GL_FLOAT64) rc = gl_unique_f64(n, (const double *)a->data, (double *)vals->data, fp, ip, cp, &nu);
  else if (ct == GL_FLOAT32) rc = gl_unique_f32(n, (const float *)a->data, (float *)vals->data, fp, ip, cp, &nu);
  else rc = gl_unique_i64(n, (const int64_t *)a->data, (int64_t *)vals->data, fp, ip, cp, &nu);
  check_kernel(L, rc, fname);
  if (fp) for (int64_t k = 0; k < nu; k++) fp[k] += 1;
  if (ip) for (int64_t k = 0; k < n; k++) ip[k] += 1;
  /* results: trimmed copies of the n-long buffers */
  int nres = 0;
  for (int slot = 2; slot <= 5; slot++) {
    gl_array *b = gl_array_test(L, slot);
    if (!b) continue;
    int64_t len = slot == 4 ? n : nu;
    gl_dtype t = slot == 2 ? orig : GL_INT64;
    gl_array *view = gl_array_push_view(L, slot, b->dtype, 1, &len, b->strides, b->data);
    gl_array_push_copy(L, view, t);
    lua_remove(L, -2);
    nres++;
  }
  return nres;
}

/* searchsorted(a, v, [side | {side=}]): 1-based insertion positions of v into
 * the sorted 1-D a: NumPy's index + 1, so a[pos - 1] < v <= a[pos] (left). */
static int np_searchsorted (lua_State *L) {
  static const char *const allowed[] = {"side", "sorter", NULL};
  static const char *const sides[] = {"left", "right", NULL};
  const char *fname = "np.searchsorted";
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  luaL_checkany(L, 2);
  int scalar = lua_type(L, 2) == LUA_TNUMBER;
  gl_array *v = gl_array_arg(L, 2, -1, fname);
  const char *side = "left";
  if (lua_type(L, 3) == LUA_TSTRING) side = lua_tostring(L, 3);
  else {
    gl_check_options(L, 3, fname, allowed);
    side = gl_opt_string(L, 3, "side", "left", fname);
    if (gl_opt_field(L, 3, "sorter")) return gl_error(L, fname, "option 'sorter' is not supported (sort a first)");
  }
  int right = -1;
  for (int i = 0; sides[i]; i++) if (strcmp(side, sides[i]) == 0) right = i;
  if (right < 0) return gl_error(L, fname, "side must be 'left' or 'right', got '%s'", side);
  if (a->ndim != 1) return gl_error(L, fname, "a must be 1-D, got %d dimensions", a->ndim);
  gl_dtype ct = common_dtype(a->dtype, v->dtype);
  a = gl_array_arg(L, 1, ct, fname);
  v = gl_array_arg_contig(L, 2, ct, fname);
  gl_array *r = gl_array_push(L, GL_INT64, v->ndim, v->shape);
  int64_t *out = (int64_t *)r->data;
  if (ct == GL_FLOAT64) gl_searchsorted_f64(a->size, a->strides[0], (const double *)a->data, v->size, (const double *)v->data, out, right);
  else if (ct == GL_FLOAT32) gl_searchsorted_f32(a->size, a->strides[0], (const float *)a->data, v->size, (const float *)v->data, out, right);
  else gl_searchsorted_i64(a->size, a->strides[0], (const int64_t *)a->data, v->size, (const int64_t *)v->data, out, right);
  for (int64_t k = 0; k < r->size; k++) out[k] += 1;
  if (scalar) lua_pushinteger(L, out[0]);
  return 1;
}

/* isin(element, test_elements, [{invert=}]): bool array of element's shape. */
static int np_isin (lua_State *L) {
  static const char *const allowed[] = {"invert", NULL};
  const char *fname = "np.isin";
  gl_array *e = gl_array_arg(L, 1, -1, fname);
  luaL_checkany(L, 2);
  gl_array *t = gl_array_arg(L, 2, -1, fname);
  gl_check_options(L, 3, fname, allowed);
  int invert = gl_opt_boolean(L, 3, "invert", 0, fname);
  gl_dtype ct = common_dtype(e->dtype, t->dtype);
  e = gl_array_arg_contig(L, 1, ct, fname);
  t = gl_array_arg_contig(L, 2, ct, fname);
  lua_settop(L, 2);
  int64_t n = t->size;
  gl_lines g = {1, n, 1, 0, 1, 0};
  gl_array *sorted = gl_array_push1(L, ct, n);   /* 3 */
  gl_array *r = gl_array_push(L, GL_BOOL, e->ndim, e->shape);
  gl_bool *out = (gl_bool *)r->data;
  int rc;
  if (ct == GL_FLOAT64) {
    rc = gl_sort_f64(&g, (const double *)t->data, (double *)sorted->data, NULL);
    if (!rc) rc = gl_isin_f64(e->size, (const double *)e->data, n, (const double *)sorted->data, out, invert);
  } else if (ct == GL_FLOAT32) {
    rc = gl_sort_f32(&g, (const float *)t->data, (float *)sorted->data, NULL);
    if (!rc) rc = gl_isin_f32(e->size, (const float *)e->data, n, (const float *)sorted->data, out, invert);
  } else {
    rc = gl_sort_i64(&g, (const int64_t *)t->data, (int64_t *)sorted->data, NULL);
    if (!rc) rc = gl_isin_i64(e->size, (const int64_t *)e->data, n, (const int64_t *)sorted->data, out, invert);
  }
  check_kernel(L, rc, fname);
  return 1;
}

/* }==================================================================== */

/* "%g" as Python prints it: NaN without its sign bit. */
static const char *num_str (char *buf, size_t n, double v) {
  if (isnan(v)) snprintf(buf, n, "nan");
  else snprintf(buf, n, "%g", v);
  return buf;
}

/* {====================================================================
 * histogram, bincount
 * ===================================================================== */

/* histogram(a, [bins], [{bins=, range=, density=, weights=}]): bins is a
 * count (default 10) or a table/array of increasing edges. Returns counts
 * (int64; float64 with weights or density) and the edges. a is flattened. */
static int np_histogram (lua_State *L) {
  static const char *const allowed[] = {"bins", "density", "range", "weights", NULL};
  const char *fname = "np.histogram";
  gl_array *a = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  const int bins = 2, opts = 3;
  int optpos = lua_istable(L, 2) && !gl_array_test(L, 2) && lua_rawlen(L, 2) == 0 ? 2 : 3;
  gl_check_options(L, optpos, fname, allowed);
  lua_settop(L, 3);
  if (optpos == 2) {   /* histogram(a, {...}): options move to 3, bins to 2 */
    lua_pushvalue(L, 2); lua_replace(L, 3);
    lua_pushnil(L); lua_replace(L, 2);
  }
  if (gl_opt_field(L, opts, "bins")) lua_replace(L, bins);
  int density = gl_opt_boolean(L, opts, "density", 0, fname);
  const double *w = NULL;
  if (gl_opt_field(L, opts, "weights")) {   /* stays on the stack at 4 */
    gl_array *wa = gl_array_arg_contig(L, 4, GL_FLOAT64, fname);
    if (wa->size != a->size) return gl_error(L, fname, "weights should have the same shape as a");
    w = (const double *)wa->data;
  }
  int64_t nb = 10;
  int uniform = 1;
  gl_array *edges;
  if (lua_type(L, bins) == LUA_TNUMBER) {
    /* NumPy refuses a float count, even 10.0 (TypeError) */
    if (!lua_isinteger(L, bins))
      return gl_error(L, fname, "`bins` must be an integer, a string, or an array (got the float %s)",
                      luaL_tolstring(L, bins, NULL));
    nb = lua_tointeger(L, bins);
    if (nb < 1) return gl_error(L, fname, "`bins` must be positive, when an integer");
    if (nb > GL_MAX_BINS)
      return gl_error(L, fname, "bins=%lld is more than the limit of %d bins", (long long)nb, GL_MAX_BINS);
  } else if (!lua_isnil(L, bins)) {
    uniform = 0;
  }
  if (uniform) {
    double lo, hi;
    char b1[32], b2[32];
    if (gl_opt_field(L, opts, "range")) {
      if (!lua_istable(L, -1) || luaL_len(L, -1) != 2) return gl_error(L, fname, "range must be a table {min, max}");
      lua_geti(L, -1, 1); lua_geti(L, -2, 2);
      lo = luaL_checknumber(L, -2); hi = luaL_checknumber(L, -1);
      lua_pop(L, 3);
      if (lo > hi) return gl_error(L, fname, "max must be larger than min in range parameter.");
      if (!isfinite(lo) || !isfinite(hi))
        return gl_error(L, fname, "supplied range of [%s, %s] is not finite",
                        num_str(b1, sizeof b1, lo), num_str(b2, sizeof b2, hi));
    } else if (a->size == 0) {
      lo = 0; hi = 1;
    } else {
      const double *x = (const double *)a->data;
      lo = hi = x[0];
      for (int64_t k = 0; k < a->size; k++) {
        if (x[k] < lo || x[k] != x[k]) lo = x[k];
        if (x[k] > hi || x[k] != x[k]) hi = x[k];
        if (x[k] != x[k]) break;
      }
      if (!isfinite(lo) || !isfinite(hi))
        return gl_error(L, fname, "autodetected range of [%s, %s] is not finite",
                        num_str(b1, sizeof b1, lo), num_str(b2, sizeof b2, hi));
    }
    if (lo == hi) { lo -= 0.5; hi += 0.5; }
    edges = gl_array_push1(L, GL_FLOAT64, nb + 1);
    gl_hist_edges(nb, lo, hi, (double *)edges->data);
  } else {
    gl_array *e = gl_array_arg(L, bins, GL_FLOAT64, fname);
    if (e->ndim != 1 || e->size < 2) return gl_error(L, fname, "bins must be a count or at least 2 edges");
    edges = gl_array_push_copy(L, e, GL_FLOAT64);
    nb = e->size - 1;
    const double *ed = (const double *)edges->data;
    for (int64_t k = 0; k < nb; k++)
      if (!(ed[k] <= ed[k + 1])) return gl_error(L, fname, "bins must increase monotonically, when an array");
  }
  const double *ed = (const double *)edges->data;
  gl_array *counts = gl_array_push1(L, w ? GL_FLOAT64 : GL_INT64, nb);
  int rc = gl_histogram_f64(a->size, (const double *)a->data, w, nb, ed, uniform,
                            w ? NULL : (int64_t *)counts->data, w ? (double *)counts->data : NULL);
  check_kernel(L, rc, fname);
  if (density) {   /* NumPy: n / db / n.sum() */
    gl_array *d = gl_array_push1(L, GL_FLOAT64, nb);
    double *dd = (double *)d->data, total = 0;
    for (int64_t k = 0; k < nb; k++)
      total += w ? ((double *)counts->data)[k] : (double)((int64_t *)counts->data)[k];
    for (int64_t k = 0; k < nb; k++) {
      double c = w ? ((double *)counts->data)[k] : (double)((int64_t *)counts->data)[k];
      dd[k] = c / (ed[k + 1] - ed[k]) / total;
    }
    lua_remove(L, -2);
  }
  lua_pushvalue(L, -2);   /* counts, edges */
  return 2;
}

/* bincount(x, [weights], [{weights=, minlength=}]): the number of times each
 * value 0, 1, 2, ... occurs in the non-negative integers x. NumPy's result
 * is indexed by the value itself, so the count of value v is at position
 * v + 1 here (the count of 0s is r[1]). */
static int np_bincount (lua_State *L) {
  static const char *const allowed[] = {"minlength", "weights", NULL};
  const char *fname = "np.bincount";
  gl_array *x = gl_array_arg(L, 1, -1, fname);
  if (gl_dtype_is_float(x->dtype))
    return gl_error(L, fname, "x must be of an integer type, got %s", gl_dtype_name(x->dtype));
  if (x->ndim != 1) return gl_error(L, fname, "x must be 1-D, got %d dimensions", x->ndim);
  int opts = lua_istable(L, 2) && !gl_array_test(L, 2) && lua_rawlen(L, 2) == 0 ? 2 : 3;
  gl_check_options(L, opts, fname, allowed);
  lua_Integer minlength = gl_opt_integer(L, opts, "minlength", 0, fname);
  if (minlength < 0) return gl_error(L, fname, "minlength must be non-negative");
  if (opts == 2) { if (!gl_opt_field(L, 2, "weights")) lua_pushnil(L); lua_replace(L, 2); }
  x = gl_array_arg_contig(L, 1, GL_INT64, fname);
  const double *w = NULL;
  if (!lua_isnoneornil(L, 2)) {
    gl_array *wa = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
    if (wa->size != x->size) return gl_error(L, fname, "the weights and list don't have the same length.");
    w = (const double *)wa->data;
  }
  const int64_t *xv = (const int64_t *)x->data;
  int64_t nout = minlength;
  for (int64_t k = 0; k < x->size; k++) {
    if (xv[k] < 0) return gl_error(L, fname, "the input must have no negative elements");
    if (xv[k] >= nout) nout = xv[k] + 1;
  }
  gl_array *r = gl_array_push1(L, w ? GL_FLOAT64 : GL_INT64, nout);
  check_kernel(L, gl_bincount(x->size, xv, w, nout, w ? NULL : (int64_t *)r->data,
                              w ? (double *)r->data : NULL), "np.bincount");
  return 1;
}

/* }==================================================================== */

/* {====================================================================
 * nonzero, argwhere, flatnonzero
 * ===================================================================== */

/* The 0-based flat positions of a's nonzero elements: an int64 array pushed. */
static gl_array *flat_nonzero (lua_State *L, const char *fname) {
  gl_array *a = gl_array_arg_contig(L, 1, GL_BOOL, fname);
  int64_t m = gl_nonzero_u8(a->size, (const gl_bool *)a->data, NULL);
  gl_array *r = gl_array_push1(L, GL_INT64, m);
  gl_nonzero_u8(a->size, (const gl_bool *)a->data, (int64_t *)r->data);
  return r;
}

/* nonzero(a): one int64 array of 1-based positions per axis (multiple results). */
static int np_nonzero (lua_State *L) {
  gl_array *a = gl_array_arg(L, 1, -1, "np.nonzero");
  int nd = a->ndim > 0 ? a->ndim : 1;
  gl_array *f = flat_nonzero(L, "np.nonzero");
  a = gl_array_check(L, 1);
  int64_t m = f->size;
  luaL_checkstack(L, nd, "np.nonzero: too many dimensions");
  int64_t *col[GL_MAXDIMS];
  for (int d = 0; d < nd; d++) col[d] = (int64_t *)gl_array_push1(L, GL_INT64, m)->data;
  for (int64_t k = 0; k < m; k++) {
    int64_t flat = ((int64_t *)f->data)[k];
    for (int d = nd - 1; d >= 0; d--) {
      int64_t len = a->ndim > 0 ? a->shape[d] : 1;
      col[d][k] = flat % len + 1;
      flat /= len;
    }
  }
  return nd;
}

/* argwhere(a): an (N, ndim) int64 array of 1-based positions. */
static int np_argwhere (lua_State *L) {
  gl_array *a = gl_array_arg(L, 1, -1, "np.argwhere");
  gl_array *f = flat_nonzero(L, "np.argwhere");
  a = gl_array_check(L, 1);
  int nd = a->ndim;
  gl_array *r = gl_array_push2(L, GL_INT64, f->size, nd);
  int64_t *out = (int64_t *)r->data;
  for (int64_t k = 0; k < f->size; k++) {
    int64_t flat = ((int64_t *)f->data)[k];
    for (int d = nd - 1; d >= 0; d--) {
      out[k * nd + d] = flat % a->shape[d] + 1;
      flat /= a->shape[d];
    }
  }
  return 1;
}

/* flatnonzero(a): 1-based positions in a flattened. */
static int np_flatnonzero (lua_State *L) {
  gl_array *f = flat_nonzero(L, "np.flatnonzero");
  for (int64_t k = 0; k < f->size; k++) ((int64_t *)f->data)[k] += 1;
  return 1;
}

/* }==================================================================== */

static const luaL_Reg funcs[] = {
  {"_argsort_numpy", np_argsort_numpy},
  {"argsort", np_argsort},
  {"argwhere", np_argwhere},
  {"bincount", np_bincount},
  {"flatnonzero", np_flatnonzero},
  {"histogram", np_histogram},
  {"isin", np_isin},
  {"nonzero", np_nonzero},
  {"searchsorted", np_searchsorted},
  {"sort", np_sort},
  {"unique", np_unique},
  {NULL, NULL}
};

static const luaL_Reg methods[] = {
  {"argsort", np_argsort},
  {"nonzero", np_nonzero},
  {"searchsorted", np_searchsorted},
  {"sort", arr_sort},
  {NULL, NULL}
};

void gl_array_open_sort (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  gl_array_add_methods(L, methods);
}
