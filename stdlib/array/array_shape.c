/* array_shape.c: shape manipulation: reshape, transpose, squeeze, flatten (views
 * when the layout allows), and concatenate, stack, split, tile, repeat (copies). */
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "cast.h"
#include "iter.h"
#include "gl_size.h"

/* Reshape as a view when possible: a contiguous array always can be. */
static int arr_reshape (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int64_t shape[GL_MAXDIMS];
  int ndim;
  if (lua_gettop(L) > 2) {
    ndim = lua_gettop(L) - 1;  /* a:reshape(3, 4) */
    if (ndim > GL_MAXDIMS) return gl_error(L, "reshape", "too many dimensions");
    for (int i = 0; i < ndim; i++) shape[i] = luaL_checkinteger(L, i + 2);
  } else if (lua_type(L, 2) == LUA_TNUMBER) {
    ndim = 1;
    shape[0] = luaL_checkinteger(L, 2);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    ndim = (int)lua_rawlen(L, 2);
    if (ndim > GL_MAXDIMS) return gl_error(L, "reshape", "too many dimensions");
    for (int i = 0; i < ndim; i++) {
      lua_rawgeti(L, 2, i + 1);
      if (!lua_isinteger(L, -1)) return gl_error(L, "reshape", "shape must contain integers");
      shape[i] = lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
  }
  int unknown = -1;
  int64_t known = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == -1) {
      if (unknown >= 0) return gl_error(L, "reshape", "can only specify one unknown dimension");
      unknown = i;
    } else if (shape[i] < 0) return gl_error(L, "reshape", "negative dimensions are not allowed");
    else if (gl_mul_overflow(known, shape[i], &known)) goto bad;   /* cannot equal a->size */
  }
  if (unknown >= 0) {
    if (known == 0 || a->size % known != 0) goto bad;
    shape[unknown] = a->size / known;
  } else if (known != a->size) goto bad;
  if (!gl_array_is_contiguous(a)) {
    lua_settop(L, 1);
    a = gl_array_push_copy(L, a, a->dtype);
    lua_replace(L, 1);
  }
  int64_t strides[GL_MAXDIMS];
  gl_contiguous_strides(ndim, shape, strides);
  gl_array_push_view(L, 1, a->dtype, ndim, shape, strides, a->data);
  return 1;
bad: {
    char s1[256];
    return gl_error(L, "reshape", "cannot reshape array of size %lld into shape %s",
                    (long long)a->size, gl_shape_str(s1, sizeof s1, ndim, shape));
  }
}

/* The axis argument at idx, positional (an integer) or {axis=}; NumPy's
 * numbering (from 0). def (-1: none) when absent. */
static int axis_opt (lua_State *L, int idx, int ndim, int def, const char *fname) {
  if (lua_isnoneornil(L, idx)) return def;
  if (lua_istable(L, idx)) {
    static const char *const allowed[] = {"axis", NULL};
    gl_check_options(L, idx, fname, allowed);
    if (!gl_opt_field(L, idx, "axis")) return def;
    lua_replace(L, idx);
  }
  int isint;
  lua_Integer ax = lua_tointegerx(L, idx, &isint);
  if (!isint) return gl_error(L, fname, "axis must be an integer, got %s",
                              lua_isnumber(L, idx) ? "a non-integral number" : luaL_typename(L, idx));
  return gl_check_axis(L, ax, ndim, fname);
}

/* transpose(a [, perm]) / permute: perm holds NumPy's axis numbers (from 0). */
static int arr_transpose (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int perm[GL_MAXDIMS];
  if (lua_isnoneornil(L, 2)) {
    for (int i = 0; i < a->ndim; i++) perm[i] = a->ndim - 1 - i;
  } else {
    int n = lua_istable(L, 2) ? (int)lua_rawlen(L, 2) : lua_gettop(L) - 1;
    if (n != a->ndim) return gl_error(L, "transpose", "axes don't match array (%d axes for %d dimensions)", n, a->ndim);
    int seen[GL_MAXDIMS] = {0};
    for (int i = 0; i < n; i++) {
      lua_Integer ax;
      if (lua_istable(L, 2)) { lua_rawgeti(L, 2, i + 1); ax = luaL_checkinteger(L, -1); lua_pop(L, 1); }
      else ax = luaL_checkinteger(L, i + 2);
      int k = gl_check_axis(L, ax, a->ndim, "transpose");
      if (seen[k]++) return gl_error(L, "transpose", "repeated axis in transpose");
      perm[i] = k;
    }
  }
  int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
  for (int i = 0; i < a->ndim; i++) { sh[i] = a->shape[perm[i]]; st[i] = a->strides[perm[i]]; }
  gl_array_push_view(L, 1, a->dtype, a->ndim, sh, st, a->data);
  return 1;
}

static int arr_swapaxes (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int i = gl_check_axis(L, luaL_checkinteger(L, 2), a->ndim, "swapaxes");
  int j = gl_check_axis(L, luaL_checkinteger(L, 3), a->ndim, "swapaxes");  /* numbered from 0 */
  int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
  memcpy(sh, a->shape, sizeof sh); memcpy(st, a->strides, sizeof st);
  sh[i] = a->shape[j]; st[i] = a->strides[j];
  sh[j] = a->shape[i]; st[j] = a->strides[i];
  gl_array_push_view(L, 1, a->dtype, a->ndim, sh, st, a->data);
  return 1;
}

/* flatten always copies (NumPy); ravel returns a view when contiguous. */
static int arr_flatten (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  gl_array *c = gl_array_push_copy(L, a, a->dtype);
  c->ndim = 1;
  c->shape[0] = c->size;
  c->strides[0] = 1;
  return 1;
}

static int arr_ravel (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  if (!gl_array_is_contiguous(a)) return arr_flatten(L);
  int64_t n = a->size, s = 1;
  gl_array_push_view(L, 1, a->dtype, 1, &n, &s, a->data);
  return 1;
}

/* Marks in sel the axes given at idx: an integer, a list of them (NumPy's
 * tuple) or {axis = either}. With grow, the numbers refer to the result's
 * ndim + k axes (expand_dims). Returns k, or -1 when no axis was given. */
static int axes_arg (lua_State *L, int idx, int ndim, int grow, int *sel, const char *fname) {
  for (int i = 0; i < GL_MAXDIMS; i++) sel[i] = 0;
  if (lua_isnoneornil(L, idx)) return -1;
  if (lua_istable(L, idx) && lua_rawlen(L, idx) == 0) {
    static const char *const allowed[] = {"axis", NULL};
    gl_check_options(L, idx, fname, allowed);
    if (!gl_opt_field(L, idx, "axis")) return -1;
    lua_replace(L, idx);
  }
  int k = lua_istable(L, idx) ? (int)lua_rawlen(L, idx) : 1;
  int nd = grow ? ndim + k : ndim;
  if (nd > GL_MAXDIMS) return gl_error(L, fname, "too many dimensions");
  for (int i = 1; i <= k; i++) {
    int top = lua_gettop(L);
    if (lua_istable(L, idx)) lua_rawgeti(L, idx, i); else lua_pushvalue(L, idx);
    int ax = axis_opt(L, top + 1, nd, -1, fname);
    if (sel[ax]++) return gl_error(L, fname, "repeated axis");
    lua_settop(L, top);
  }
  return k;
}

/* squeeze(a [, axis]): axis an integer, a list of them or {axis=}. */
static int arr_squeeze (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
  int sel[GL_MAXDIMS], n = 0;
  int given = axes_arg(L, 2, a->ndim, 0, sel, "squeeze");
  for (int i = 0; i < a->ndim; i++)
    if (sel[i] && a->shape[i] != 1)
      return gl_error(L, "squeeze", "cannot select an axis to squeeze out which has size not equal to one");
  for (int i = 0; i < a->ndim; i++) {
    if (a->shape[i] == 1 && (given < 0 || sel[i])) continue;
    sh[n] = a->shape[i]; st[n] = a->strides[i]; n++;
  }
  gl_array_push_view(L, 1, a->dtype, n, sh, st, a->data);
  return 1;
}

/* expand_dims(a, axis): axis (an integer or a list) numbers the new axes in
 * the result, from 0 as in NumPy. */
static int arr_expand_dims (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  luaL_checkany(L, 2);
  int sel[GL_MAXDIMS];
  int k = axes_arg(L, 2, a->ndim, 1, sel, "expand_dims");
  if (k < 0) return gl_error(L, "expand_dims", "axis is required");
  int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
  for (int i = 0, j = 0; i < a->ndim + k; i++) {
    if (sel[i]) { sh[i] = 1; st[i] = 0; continue; }
    sh[i] = a->shape[j]; st[i] = a->strides[j]; j++;
  }
  gl_array_push_view(L, 1, a->dtype, a->ndim + k, sh, st, a->data);
  return 1;
}

static int arr_broadcast_to (lua_State *L) {
  gl_array *a = gl_array_arg(L, 1, -1, "np.broadcast_to");
  int64_t shape[GL_MAXDIMS], st[GL_MAXDIMS];
  int ndim = gl_check_shape(L, 2, shape, "np.broadcast_to");
  if (ndim < a->ndim) return gl_error(L, "np.broadcast_to", "input operand has more dimensions than allowed by the axis remapping");
  for (int i = 0; i < ndim; i++) {
    int j = i - (ndim - a->ndim);
    if (j < 0) { st[i] = 0; continue; }
    if (a->shape[j] == shape[i]) st[i] = a->strides[j];
    else if (a->shape[j] == 1) st[i] = 0;
    else {
      char s1[128], s2[128];
      return gl_error(L, "np.broadcast_to", "cannot broadcast shape %s to %s",
                      gl_shape_str(s1, sizeof s1, a->ndim, a->shape), gl_shape_str(s2, sizeof s2, ndim, shape));
    }
  }
  gl_check_size(L, "np.broadcast_to", a->dtype, ndim, shape);
  gl_array_push_view(L, 1, a->dtype, ndim, shape, st, a->data);
  return 1;
}

/* Collects the arrays of the list table at idx (converted in place). */
static int collect (lua_State *L, int idx, gl_array **arrs, int max, const char *fname) {
  luaL_checktype(L, idx, LUA_TTABLE);
  int n = (int)lua_rawlen(L, idx);
  if (n == 0) gl_error(L, fname, "need at least one array to concatenate");
  if (n > max) gl_error(L, fname, "too many arrays (at most %d)", max);
  /* n inputs, then stack/vstack/column_stack push each again and a view of it */
  luaL_checkstack(L, 3 * n + 10, fname);
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, idx, i + 1);
    arrs[i] = gl_array_arg(L, -1, -1, fname);
  }
  return n;
}

#define MAXCAT 4096

/* Joins arrays along an existing axis (0-based); arrays stay on the stack. */
static gl_array *concat (lua_State *L, gl_array **arrs, int n, int axis, const char *fname) {
  gl_dtype t = arrs[0]->dtype;
  int ndim = arrs[0]->ndim;
  if (ndim == 0) gl_error(L, fname, "zero-dimensional arrays cannot be concatenated");
  int64_t shape[GL_MAXDIMS];
  memcpy(shape, arrs[0]->shape, sizeof shape);
  shape[axis] = 0;
  for (int i = 0; i < n; i++) {
    gl_array *b = arrs[i];
    if (b->ndim != ndim)
      gl_error(L, fname, "all the input arrays must have the same number of dimensions, but array 1 has %d and array %d has %d",
               ndim, i + 1, b->ndim);
    for (int d = 0; d < ndim; d++)
      if (d != axis && b->shape[d] != arrs[0]->shape[d])
        gl_error(L, fname, "all the input array dimensions except for the concatenation axis must match exactly, "
                 "but along dimension %d, array 1 has size %lld and array %d has size %lld",
                 d + 1, (long long)arrs[0]->shape[d], i + 1, (long long)b->shape[d]);
    /* broadcast views can be long enough for the sum to overflow */
    if (gl_add_overflow(shape[axis], b->shape[axis], &shape[axis]))
      gl_error(L, fname, "the joined axis would have more than 2^63 elements");
    t = gl_dtype_promote(t, b->dtype);
  }
  gl_check_size(L, fname, t, ndim, shape);
  gl_array *r = gl_array_push(L, t, ndim, shape);
  int64_t off = 0;
  for (int i = 0; i < n; i++) {
    gl_array part = *r;
    part.shape[axis] = arrs[i]->shape[axis];
    part.data = r->data + off * r->strides[axis] * (int64_t)gl_dtype_size(t);
    gl_array_assign(&part, arrs[i]);
    off += arrs[i]->shape[axis];
  }
  return r;
}



static int np_concatenate (lua_State *L) {
  gl_array *arrs[MAXCAT];
  lua_settop(L, 2);
  int n = collect(L, 1, arrs, MAXCAT, "np.concatenate");
  int axis = axis_opt(L, 2, arrs[0]->ndim, 0, "np.concatenate");
  concat(L, arrs, n, axis, "np.concatenate");
  return 1;
}

/* stack: a new axis (default 0) of length #arrays. */
static int np_stack (lua_State *L) {
  gl_array *arrs[MAXCAT];
  lua_settop(L, 2);
  int n = collect(L, 1, arrs, MAXCAT, "np.stack");
  for (int i = 1; i < n; i++) {
    if (arrs[i]->ndim != arrs[0]->ndim || memcmp(arrs[i]->shape, arrs[0]->shape, sizeof(int64_t) * (size_t)arrs[0]->ndim))
      return gl_error(L, "np.stack", "all input arrays must have the same shape");
  }
  if (arrs[0]->ndim >= GL_MAXDIMS) return gl_error(L, "np.stack", "too many dimensions");
  int axis = axis_opt(L, 2, arrs[0]->ndim + 1, 0, "np.stack");
  /* give each input a length-1 axis at `axis`, then concatenate */
  for (int i = 0; i < n; i++) {
    gl_array *a = arrs[i];
    int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
    for (int d = 0, j = 0; d <= a->ndim; d++) {
      if (d == axis) { sh[d] = 1; st[d] = 0; continue; }
      sh[d] = a->shape[j]; st[d] = a->strides[j]; j++;
    }
    lua_rawgeti(L, 1, i + 1);
    gl_array_arg(L, -1, -1, "np.stack");
    arrs[i] = gl_array_push_view(L, -1, a->dtype, a->ndim + 1, sh, st, a->data);
  }
  concat(L, arrs, n, axis, "np.stack");
  return 1;
}

static int np_vstack (lua_State *L) {
  gl_array *arrs[MAXCAT];
  lua_settop(L, 1);
  int n = collect(L, 1, arrs, MAXCAT, "np.vstack");
  for (int i = 0; i < n; i++) if (arrs[i]->ndim < 2) {  /* rows: 1-D becomes (1, n) */
    int64_t sh[2] = {1, arrs[i]->ndim ? arrs[i]->shape[0] : 1}, st[2] = {0, arrs[i]->ndim ? arrs[i]->strides[0] : 0};
    lua_rawgeti(L, 1, i + 1);
    gl_array_arg(L, -1, -1, "np.vstack");
    arrs[i] = gl_array_push_view(L, -1, arrs[i]->dtype, 2, sh, st, arrs[i]->data);
  }
  concat(L, arrs, n, 0, "np.vstack");
  return 1;
}

static int np_hstack (lua_State *L) {
  gl_array *arrs[MAXCAT];
  lua_settop(L, 1);
  int n = collect(L, 1, arrs, MAXCAT, "np.hstack");
  concat(L, arrs, n, arrs[0]->ndim == 1 ? 0 : 1, "np.hstack");
  return 1;
}

/* column_stack: 1-D arrays become columns. */
static int np_column_stack (lua_State *L) {
  gl_array *arrs[MAXCAT];
  lua_settop(L, 1);
  int n = collect(L, 1, arrs, MAXCAT, "np.column_stack");
  for (int i = 0; i < n; i++) if (arrs[i]->ndim == 1) {
    int64_t sh[2] = {arrs[i]->shape[0], 1}, st[2] = {arrs[i]->strides[0], 0};
    lua_rawgeti(L, 1, i + 1);
    gl_array_arg(L, -1, -1, "np.column_stack");
    arrs[i] = gl_array_push_view(L, -1, arrs[i]->dtype, 2, sh, st, arrs[i]->data);
  }
  concat(L, arrs, n, 1, "np.column_stack");
  return 1;
}

/* split(a, sections_or_points, axis): points are 1-based starts of the
 * pieces after the first (NumPy's indices + 1). Returns a table of views. */
static int np_split (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int axis = axis_opt(L, 3, a->ndim, 0, "np.split");
  int64_t n = a->shape[axis];
  int64_t cuts[MAXCAT + 2];
  int ncut = 0;
  cuts[ncut++] = 0;
  if (lua_type(L, 2) == LUA_TNUMBER) {
    lua_Integer k = luaL_checkinteger(L, 2);
    if (k <= 0 || k > MAXCAT) return gl_error(L, "np.split", "number of sections must be positive");
    if (n % k) return gl_error(L, "np.split", "array split does not result in an equal division");
    for (lua_Integer i = 1; i < k; i++) cuts[ncut++] = i * (n / k);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    int m = (int)lua_rawlen(L, 2);
    if (m > MAXCAT) return gl_error(L, "np.split", "too many split points");
    for (int i = 0; i < m; i++) {
      lua_rawgeti(L, 2, i + 1);
      lua_Integer p = luaL_checkinteger(L, -1) - 1;
      lua_pop(L, 1);
      if (p == -1)
        return gl_error(L, "np.split", "split point 0: positions count from 1 in geolab (Lua); "
                        "NumPy's np.split(a, [3, 5]) is np.split(a, {4, 6})");
      if (p < 0) p = 0;
      if (p > n) p = n;
      cuts[ncut++] = p;
    }
  }
  cuts[ncut++] = n;
  lua_createtable(L, ncut - 1, 0);
  for (int i = 0; i + 1 < ncut; i++) {
    int64_t sh[GL_MAXDIMS];
    memcpy(sh, a->shape, sizeof sh);
    int64_t lo = cuts[i], hi = cuts[i + 1] > lo ? cuts[i + 1] : lo;
    sh[axis] = hi - lo;
    gl_array_push_view(L, 1, a->dtype, a->ndim, sh, a->strides,
                       a->data + lo * a->strides[axis] * (int64_t)gl_dtype_size(a->dtype));
    lua_rawseti(L, -2, i + 1);
  }
  gl_set_list_meta(L);
  return 1;
}

/* tile(a, reps): reps is an integer or a table (one per axis, NumPy rules). */
static int np_tile (lua_State *L) {
  gl_array *a = gl_array_arg(L, 1, -1, "np.tile");
  int64_t reps[GL_MAXDIMS];
  int nr = gl_check_shape(L, 2, reps, "np.tile");
  int nd = nr > a->ndim ? nr : a->ndim;
  int64_t ash[GL_MAXDIMS], ast[GL_MAXDIMS], rp[GL_MAXDIMS], out[GL_MAXDIMS];
  for (int i = 0; i < nd; i++) {
    int j = i - (nd - a->ndim), k = i - (nd - nr);
    ash[i] = j >= 0 ? a->shape[j] : 1;
    ast[i] = j >= 0 ? a->strides[j] : 0;
    rp[i] = k >= 0 ? reps[k] : 1;
    if (gl_mul_overflow(ash[i], rp[i], &out[i]))
      return gl_error(L, "np.tile", "array of %lld x %lld elements along axis %d is too big",
                      (long long)ash[i], (long long)rp[i], i);
  }
  gl_check_size(L, "np.tile", a->dtype, nd, out);
  gl_array *r = gl_array_push(L, a->dtype, nd, out);
  /* View the result as (rep0, n0, rep1, n1, ...) and broadcast a into it. */
  if (2 * nd > GL_MAXDIMS) return gl_error(L, "np.tile", "too many dimensions");
  int64_t vsh[GL_MAXDIMS], vst[GL_MAXDIMS], ssh[GL_MAXDIMS], sst[GL_MAXDIMS];
  for (int i = 0; i < nd; i++) {
    vsh[2 * i] = rp[i]; vst[2 * i] = r->strides[i] * ash[i];
    vsh[2 * i + 1] = ash[i]; vst[2 * i + 1] = r->strides[i];
    ssh[2 * i] = 1; sst[2 * i] = 0;
    ssh[2 * i + 1] = ash[i]; sst[2 * i + 1] = ast[i];
  }
  gl_cast_copy(r->dtype, 2 * nd, vsh, vst, r->data, a->dtype, 2 * nd, ssh, sst, a->data);
  return 1;
}

/* repeat(a, n [, axis]): each element n times (flattened when no axis). */
static int np_repeat (lua_State *L) {
  gl_array *a = gl_array_arg(L, 1, -1, "np.repeat");
  lua_Integer k = luaL_checkinteger(L, 2);
  if (k < 0) return gl_error(L, "np.repeat", "negative dimensions are not allowed");
  int axis = axis_opt(L, 3, a->ndim, -1, "np.repeat");
  if (axis < 0) {
    int64_t n = a->size;
    lua_pushvalue(L, 1);
    gl_array *c = gl_array_arg_contig(L, -1, -1, "np.repeat");
    int64_t sh[2] = {n, k}, st[2] = {1, 0}, osh;
    if (gl_mul_overflow(n, k, &osh))
      return gl_error(L, "np.repeat", "array of %lld x %lld elements is too big", (long long)n, (long long)k);
    gl_check_size(L, "np.repeat", a->dtype, 1, &osh);
    gl_array *r = gl_array_push(L, a->dtype, 1, &osh);
    int64_t rst[2] = {k, 1};
    gl_cast_copy(r->dtype, 2, sh, rst, r->data, c->dtype, 2, sh, st, c->data);
    return 1;
  }
  if (a->ndim >= GL_MAXDIMS) return gl_error(L, "np.repeat", "too many dimensions");
  int64_t out[GL_MAXDIMS], vsh[GL_MAXDIMS], vst[GL_MAXDIMS], ssh[GL_MAXDIMS], sst[GL_MAXDIMS];
  memcpy(out, a->shape, sizeof out);
  if (gl_mul_overflow(out[axis], k, &out[axis]))
    return gl_error(L, "np.repeat", "array of %lld x %lld elements along axis %d is too big",
                    (long long)a->shape[axis], (long long)k, axis);
  gl_check_size(L, "np.repeat", a->dtype, a->ndim, out);
  gl_array *r = gl_array_push(L, a->dtype, a->ndim, out);
  for (int i = 0, j = 0; i < a->ndim; i++, j++) {
    vsh[j] = a->shape[i]; vst[j] = r->strides[i] * (i == axis ? k : 1);
    ssh[j] = a->shape[i]; sst[j] = a->strides[i];
    if (i == axis) { j++; vsh[j] = k; vst[j] = r->strides[i]; ssh[j] = 1; sst[j] = 0; }
  }
  gl_cast_copy(r->dtype, a->ndim + 1, vsh, vst, r->data, a->dtype, a->ndim + 1, ssh, sst, a->data);
  return 1;
}

/* flip(a [, axis]): reversed view; axis an integer, a list of them or {axis=}. */
static int np_flip (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int64_t st[GL_MAXDIMS];
  char *data = a->data;
  size_t isz = gl_dtype_size(a->dtype);
  memcpy(st, a->strides, sizeof st);
  int sel[GL_MAXDIMS];
  for (int i = 0; i < a->ndim; i++) sel[i] = 1;
  if (lua_istable(L, 2) && lua_rawlen(L, 2) > 0) {   /* a tuple of axes */
    for (int i = 0; i < a->ndim; i++) sel[i] = 0;
    for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, 2); k++) {
      lua_rawgeti(L, 2, k);
      sel[axis_opt(L, lua_gettop(L), a->ndim, -1, "np.flip")] = 1;
      lua_pop(L, 1);
    }
  } else {
    int only = axis_opt(L, 2, a->ndim, -1, "np.flip");
    for (int i = 0; i < a->ndim && only >= 0; i++) sel[i] = i == only;
  }
  for (int i = 0; i < a->ndim; i++) {
    if (!sel[i]) continue;
    if (a->shape[i] > 0) data += (a->shape[i] - 1) * a->strides[i] * (int64_t)isz;
    st[i] = -a->strides[i];
  }
  gl_array_push_view(L, 1, a->dtype, a->ndim, a->shape, st, data);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"broadcast_to", arr_broadcast_to}, {"column_stack", np_column_stack},
  {"concatenate", np_concatenate}, {"expand_dims", arr_expand_dims},
  {"flatten", arr_flatten}, {"flip", np_flip}, {"hstack", np_hstack},
  {"permute", arr_transpose}, {"ravel", arr_ravel}, {"repeat", np_repeat},
  {"rep", np_repeat}, {"reshape", arr_reshape}, {"split", np_split}, {"squeeze", arr_squeeze},
  {"stack", np_stack}, {"swapaxes", arr_swapaxes}, {"tile", np_tile},
  {"transpose", arr_transpose}, {"vstack", np_vstack},
  {NULL, NULL}
};

static const luaL_Reg methods[] = {
  {"expand_dims", arr_expand_dims}, {"flatten", arr_flatten}, {"flip", np_flip},
  {"permute", arr_transpose}, {"ravel", arr_ravel}, {"rep", np_repeat},
  {"repeat", np_repeat}, {"reshape", arr_reshape}, {"squeeze", arr_squeeze}, {"swapaxes", arr_swapaxes},
  {"transpose", arr_transpose}, {"view", arr_reshape},
  {NULL, NULL}
};

void gl_array_open_shape (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  gl_array_add_methods(L, methods);
}
