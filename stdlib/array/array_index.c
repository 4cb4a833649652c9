/* array_index.c: __index/__newindex. 1-based, inclusive ranges, views for
 * integers and ranges, copies for integer arrays and masks (GUIDE "Arrays").
 *
 *   a[i]                 position i along axis 0 (a number when a is 1-D)
 *   a[{i, j}]            one element (a number) or a sub-view
 *   a[{{s, e, step}, {}}] ranges; {} is the whole axis, {s} is s..s kept as an axis
 *   a[mask]              bool array over the leading axes: selected blocks (copy)
 *   a[idx]               int array of positions along axis 0 (copy)
 * Integer arrays inside a multi-index select orthogonally along their axis. */
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "cast.h"
#include "iter.h"
#include "take.h"

typedef struct selection {
  int ndim;
  int64_t shape[GL_MAXDIMS], strides[GL_MAXDIMS];
  char *data;
  int nfancy;
  int fancy_axis[GL_MAXDIMS];      /* axis of the view each index array applies to */
  int fancy_arg[GL_MAXDIMS];       /* stack index of its int64 position array (0-based) */
  int all_ints;                    /* every axis got an integer: a scalar element */
} selection;

/* Index 0 is never clipped or wrapped: it is the commonest slip of a NumPy
 * user, and any quiet answer to it would be the wrong element (issue 10). */
#define ZERO_HINT "positions count from 1 in geolab (Lua); "

static int64_t check_pos (lua_State *L, lua_Integer i, int64_t n, int axis) {
  if (i == 0) gl_error(L, "index", "position 0 along axis %d: " ZERO_HINT "NumPy's a[0] is a[1]", axis);
  int64_t p = i < 0 ? i + n + 1 : i;
  if (p < 1 || p > n)
    gl_error(L, "index", "index %lld is out of bounds for axis %d with size %lld",
             (long long)i, axis, (long long)n);
  return p - 1;
}

/* Converts an index array (int positions, 1-based, or a bool mask) at stack
 * index idx into 0-based int64 positions, pushed on the stack. */
static int push_positions (lua_State *L, int idx, int64_t n, int axis) {
  gl_array *ix = gl_array_arg_contig(L, idx, -1, "index");
  if (ix->dtype == GL_BOOL) {
    if (ix->ndim != 1 || ix->shape[0] != n)
      gl_error(L, "index", "boolean index of shape (%lld,) does not match axis %d with size %lld",
               (long long)(ix->ndim == 1 ? ix->shape[0] : ix->size), axis, (long long)n);
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) count += ((gl_bool *)ix->data)[i] != 0;
    gl_array *p = gl_array_push1(L, GL_INT64, count);
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) if (((gl_bool *)ix->data)[i]) ((int64_t *)p->data)[k++] = i;
    return lua_gettop(L);
  }
  if (!gl_dtype_is_int(ix->dtype))
    gl_error(L, "index", "arrays used as indices must be of integer or boolean type, got %s", gl_dtype_name(ix->dtype));
  if (ix->ndim != 1) gl_error(L, "index", "index arrays must be 1-D");
  gl_array *p = gl_array_push1(L, GL_INT64, ix->size);
  for (int64_t i = 0; i < ix->size; i++) {
    int64_t v = (int64_t)gl_array_getd(ix, i);
    if (v == 0)
      gl_error(L, "index", "index array holds 0 (item %lld): " ZERO_HINT
               "NumPy's a[np.array([0, 2])] is a[np.array{1, 3}]", (long long)i + 1);
    ((int64_t *)p->data)[i] = check_pos(L, v, n, axis);
  }
  return lua_gettop(L);
}

/* Applies a range {s, e, step} (any part may be missing) to one axis. */
static void apply_range (lua_State *L, int tidx, int64_t n, int64_t *start, int64_t *count, int64_t *step) {
  lua_Integer s, e, st = 1;
  int has_s, has_e;
  lua_rawgeti(L, tidx, 3);
  if (!lua_isnil(L, -1)) {
    if (!lua_isinteger(L, -1)) gl_error(L, "index", "range step must be an integer");
    st = lua_tointeger(L, -1);
    if (st == 0) gl_error(L, "index", "range step cannot be zero");
  }
  lua_pop(L, 1);
  lua_rawgeti(L, tidx, 1);
  has_s = !lua_isnil(L, -1);
  if (has_s && !lua_isinteger(L, -1)) gl_error(L, "index", "range bounds must be integers");
  s = lua_tointeger(L, -1);
  lua_rawgeti(L, tidx, 2);
  has_e = !lua_isnil(L, -1);
  if (has_e && !lua_isinteger(L, -1)) gl_error(L, "index", "range bounds must be integers");
  e = lua_tointeger(L, -1);
  lua_pop(L, 2);
  if (has_s && !has_e && lua_rawlen(L, tidx) == 1) e = s, has_e = 1;  /* {i}: just i, kept as an axis */
  /* {1, 0} stays the empty range (as `for i = 1, 0`); a range reaching down
   * to 0 is an off-by-one from Python. */
  if ((has_s && s == 0) || (has_e && e == 0 && st < 0))
    gl_error(L, "index", "range {%lld, %lld}: " ZERO_HINT "NumPy's a[0:3] is a[{{1, 3}}]",
             (long long)s, (long long)e);
  if (!has_s) s = st > 0 ? 1 : n;
  if (!has_e) e = st > 0 ? n : 1;
  if (s < 0) s += n + 1;
  if (e < 0) e += n + 1;
  /* clamp like Python slices: a range past the end selects what exists */
  if (st > 0) {
    if (s < 1) s = 1;
    if (e > n) e = n;
    *count = e >= s ? (e - s) / st + 1 : 0;
  } else {
    if (s > n) s = n;
    if (e < 1) e = 1;
    *count = s >= e ? (s - e) / (-st) + 1 : 0;
  }
  *start = *count > 0 ? s - 1 : 0;
  *step = st;
}

/* Builds the selection described by the key at kidx on array a (at aidx).
 * Index arrays are pushed on the stack and referenced from sel. */
static void build_selection (lua_State *L, int aidx, int kidx, selection *sel) {
  gl_array *a = gl_array_check(L, aidx);
  size_t isz = gl_dtype_size(a->dtype);
  int nkeys, in = 0;
  sel->ndim = 0;
  sel->data = a->data;
  sel->nfancy = 0;
  sel->all_ints = 1;
  if (lua_istable(L, kidx)) nkeys = (int)lua_rawlen(L, kidx);
  else nkeys = 1;
  if (nkeys > a->ndim)
    gl_error(L, "index", "too many indices for array: array is %d-dimensional, but %d were indexed", a->ndim, nkeys);
  for (int k = 0; k < nkeys; k++, in++) {
    int vidx;
    if (lua_istable(L, kidx)) { lua_rawgeti(L, kidx, k + 1); vidx = lua_gettop(L); }
    else vidx = kidx;
    int64_t n = a->shape[in];
    int t = lua_type(L, vidx);
    if (t == LUA_TNUMBER) {
      if (!lua_isinteger(L, vidx)) gl_error(L, "index", "indices must be integers, got %g", lua_tonumber(L, vidx));
      int64_t p = check_pos(L, lua_tointeger(L, vidx), n, in);
      sel->data += p * a->strides[in] * (int64_t)isz;
    } else if (t == LUA_TTABLE) {
      int64_t start, count, step;
      apply_range(L, vidx, n, &start, &count, &step);
      sel->data += start * a->strides[in] * (int64_t)isz;
      sel->shape[sel->ndim] = count;
      sel->strides[sel->ndim] = a->strides[in] * step;
      sel->ndim++;
      sel->all_ints = 0;
    } else if (gl_array_test(L, vidx)) {
      int p = push_positions(L, vidx, n, in);
      if (vidx != kidx) { lua_remove(L, vidx); p--; }  /* keep the stack tidy */
      sel->fancy_axis[sel->nfancy] = sel->ndim;
      sel->fancy_arg[sel->nfancy] = p;
      sel->nfancy++;
      sel->shape[sel->ndim] = n;
      sel->strides[sel->ndim] = a->strides[in];
      sel->ndim++;
      sel->all_ints = 0;
      continue;
    } else {
      gl_error(L, "index", "invalid index of type %s", luaL_typename(L, vidx));
    }
    if (vidx != kidx) lua_pop(L, 1);
  }
  for (; in < a->ndim; in++) {
    sel->shape[sel->ndim] = a->shape[in];
    sel->strides[sel->ndim] = a->strides[in];
    sel->ndim++;
    sel->all_ints = 0;
  }
}

/* Pushes a[mask] where mask covers the leading axes of a. */
static int index_mask (lua_State *L, int aidx, gl_array *mask) {
  gl_array *a = gl_array_check(L, aidx);
  if (mask->ndim > a->ndim) gl_error(L, "index", "boolean index has more dimensions than the array");
  for (int i = 0; i < mask->ndim; i++)
    if (mask->shape[i] != a->shape[i]) {
      char s1[128], s2[128];
      gl_error(L, "index", "boolean index of shape %s does not match array of shape %s",
               gl_shape_str(s1, sizeof s1, mask->ndim, mask->shape), gl_shape_str(s2, sizeof s2, a->ndim, a->shape));
    }
  int top = lua_gettop(L);
  lua_pushvalue(L, aidx);
  a = gl_array_arg_contig(L, top + 1, -1, "index");
  lua_pushvalue(L, top);  /* mask */
  mask = gl_array_arg_contig(L, top + 2, -1, "index");
  int64_t count = 0;
  for (int64_t i = 0; i < mask->size; i++) count += ((gl_bool *)mask->data)[i] != 0;
  int64_t shape[GL_MAXDIMS];
  int nd = 1 + a->ndim - mask->ndim;
  shape[0] = count;
  int64_t inner = 1;
  for (int i = mask->ndim; i < a->ndim; i++) { shape[1 + i - mask->ndim] = a->shape[i]; inner *= a->shape[i]; }
  gl_array *r = gl_array_push(L, a->dtype, nd, shape);
  gl_compress(gl_dtype_size(a->dtype), mask->size, inner, a->data, (const unsigned char *)mask->data, r->data);
  return 1;
}

/* Pushes the gathered copy for a selection with index arrays. */
static void gather (lua_State *L, int aidx, selection *sel) {
  gl_array *a = gl_array_check(L, aidx);
  gl_array_push_view(L, aidx, a->dtype, sel->ndim, sel->shape, sel->strides, sel->data);
  for (int f = 0; f < sel->nfancy; f++) {
    gl_array *v = gl_array_arg_contig(L, -1, -1, "index");
    gl_array *pos = (gl_array *)lua_touserdata(L, sel->fancy_arg[f]);
    int ax = sel->fancy_axis[f];
    int64_t outer = 1, inner = 1, shape[GL_MAXDIMS];
    for (int i = 0; i < v->ndim; i++) {
      shape[i] = v->shape[i];
      if (i < ax) outer *= v->shape[i];
      if (i > ax) inner *= v->shape[i];
    }
    shape[ax] = pos->size;
    gl_array *r = gl_array_push(L, v->dtype, v->ndim, shape);
    gl_take(gl_dtype_size(v->dtype), outer, v->shape[ax], inner, v->data,
            (const int64_t *)pos->data, pos->size, r->data);
    lua_remove(L, -2);
  }
}

static const char *const fields[] = {"shape", "ndim", "dtype", "size", "T", "itemsize", "nbytes", "strides",
                                     "real", "imag", NULL};

/* a.real / a.imag of a complex array are views, as in NumPy (writing to
 * them writes the parts); of a real array, the array itself and zeros. */
static void push_part (lua_State *L, gl_array *a, int imag) {
  if (!gl_dtype_is_complex(a->dtype)) {
    if (imag) gl_array_push_zeros(L, a->dtype, a->ndim, a->shape);
    else lua_pushvalue(L, 1);
    return;
  }
  gl_dtype rt = gl_dtype_real(a->dtype);
  int64_t st[GL_MAXDIMS];
  for (int i = 0; i < a->ndim; i++) st[i] = a->strides[i] * 2;
  gl_array_push_view(L, 1, rt, a->ndim, a->shape, st, a->data + (imag ? gl_dtype_size(rt) : 0));
}

static int push_field (lua_State *L, gl_array *a, const char *k) {
  if (strcmp(k, "shape") == 0) {
    lua_createtable(L, a->ndim, 0);
    for (int i = 0; i < a->ndim; i++) { lua_pushinteger(L, a->shape[i]); lua_rawseti(L, -2, i + 1); }
    gl_set_tuple_meta(L);
  } else if (strcmp(k, "ndim") == 0) lua_pushinteger(L, a->ndim);
  else if (strcmp(k, "dtype") == 0) lua_pushstring(L, gl_dtype_name(a->dtype));
  else if (strcmp(k, "size") == 0) lua_pushinteger(L, a->size);
  else if (strcmp(k, "itemsize") == 0) lua_pushinteger(L, (lua_Integer)gl_dtype_size(a->dtype));
  else if (strcmp(k, "nbytes") == 0) lua_pushinteger(L, a->size * (lua_Integer)gl_dtype_size(a->dtype));
  else if (strcmp(k, "strides") == 0) {
    lua_createtable(L, a->ndim, 0);
    for (int i = 0; i < a->ndim; i++) {
      lua_pushinteger(L, a->strides[i] * (lua_Integer)gl_dtype_size(a->dtype));
      lua_rawseti(L, -2, i + 1);
    }
    gl_set_tuple_meta(L);
  } else if (strcmp(k, "real") == 0 || strcmp(k, "imag") == 0) {
    push_part(L, a, k[0] == 'i');
  } else if (strcmp(k, "T") == 0) {
    int64_t sh[GL_MAXDIMS], st[GL_MAXDIMS];
    for (int i = 0; i < a->ndim; i++) { sh[i] = a->shape[a->ndim - 1 - i]; st[i] = a->strides[a->ndim - 1 - i]; }
    gl_array_push_view(L, 1, a->dtype, a->ndim, sh, st, a->data);
  } else return 0;
  return 1;
}

static int cmp_names (const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The field or method of an array closest to k, or NULL: the names sorted, so
 * that a tie does not depend on the hash order of __methods. The table of
 * methods is at idx; the names stay anchored there. */
static const char *nearest_member (lua_State *L, int idx, const char *k) {
  size_t n = sizeof fields / sizeof fields[0], i = 0;   /* fields ends in NULL */
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) { lua_pop(L, 1); n++; }
  const char **names = lua_newuserdatauv(L, n * sizeof *names, 0);   /* GC-owned scratch */
  for (const char *const *f = fields; *f; f++) names[i++] = *f;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING && lua_tostring(L, -1)[0] != '_') names[i++] = lua_tostring(L, -1);
  }
  qsort(names, i, sizeof *names, cmp_names);
  names[i] = NULL;
  return gl_nearest_name(k, names);
}

int gl_arr_index (lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    const char *k = lua_tostring(L, 2);
    luaL_getmetatable(L, GL_ARRAY_MT);
    lua_getfield(L, -1, "__methods");
    if (lua_getfield(L, -1, k) != LUA_TNIL) return 1;  /* methods work on closed arrays too (close) */
    lua_pop(L, 1);
    gl_array *a = gl_array_check(L, 1);
    if (push_field(L, a, k)) return 1;
    /* a.resahpe: suggest among methods too, as util.member_index does */
    const char *near = nearest_member(L, -1, k);
    if (near) return gl_error(L, "array", "no field or method '%s' (did you mean '%s'?)", k, near);
    return gl_error(L, "array", "no field or method '%s'", k);
  }
  gl_array *a = gl_array_check(L, 1);
  if (lua_type(L, 2) == LUA_TNUMBER && a->ndim == 1) {   /* fast path: v[i] */
    if (!lua_isinteger(L, 2)) return gl_error(L, "index", "indices must be integers, got %g", lua_tonumber(L, 2));
    int64_t p = check_pos(L, lua_tointeger(L, 2), a->shape[0], 0);
    gl_push_elem_ptr(L, a->dtype, a->data + p * a->strides[0] * (int64_t)gl_dtype_size(a->dtype));
    return 1;
  }
  gl_array *key = gl_array_test(L, 2);
  if (key && key->dtype == GL_BOOL) return index_mask(L, 1, key);
  selection sel;
  build_selection(L, 1, 2, &sel);
  if (sel.all_ints && sel.nfancy == 0) {
    gl_push_elem_ptr(L, a->dtype, sel.data);
    return 1;
  }
  if (sel.nfancy) gather(L, 1, &sel);
  else gl_array_push_view(L, 1, a->dtype, sel.ndim, sel.shape, sel.strides, sel.data);
  return 1;
}

/* a[mask] = v: v is one value/block or one block per selected position. */
static int assign_mask (lua_State *L, gl_array *a, gl_array *mask) {
  if (mask->ndim > a->ndim) gl_error(L, "index", "boolean index has more dimensions than the array");
  for (int i = 0; i < mask->ndim; i++)
    if (mask->shape[i] != a->shape[i]) gl_error(L, "index", "boolean index does not match the array's shape");
  if (!gl_array_is_contiguous(a)) {
    /* scatter into a contiguous copy, then copy back */
    lua_pushvalue(L, 1);
    gl_array *c = gl_array_push_copy(L, a, a->dtype);
    lua_replace(L, 1);
    assign_mask(L, c, mask);
    gl_array_assign(a, c);
    return 0;
  }
  lua_pushvalue(L, 2);
  mask = gl_array_arg_contig(L, -1, -1, "index");
  int64_t count = 0, inner = 1;
  for (int64_t i = 0; i < mask->size; i++) count += ((gl_bool *)mask->data)[i] != 0;
  int64_t shape[GL_MAXDIMS];
  int nd = 1 + a->ndim - mask->ndim;
  shape[0] = count;
  for (int i = mask->ndim; i < a->ndim; i++) { shape[1 + i - mask->ndim] = a->shape[i]; inner *= a->shape[i]; }
  gl_array *v = gl_array_arg(L, 3, -1, "index");
  gl_array *blk = gl_array_push(L, a->dtype, nd, shape);
  int rc = gl_array_assign(blk, v);
  if (rc) {
    char s1[128], s2[128];
    return gl_error(L, "index", "cannot assign values of shape %s to %lld selected elements of shape %s",
                    gl_shape_str(s1, sizeof s1, v->ndim, v->shape), (long long)count,
                    gl_shape_str(s2, sizeof s2, nd, shape));
  }
  gl_expand(gl_dtype_size(a->dtype), mask->size, inner, blk->data, count, (const unsigned char *)mask->data, a->data);
  return 0;
}

int gl_arr_newindex (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  luaL_checkany(L, 3);
  if (lua_type(L, 2) == LUA_TSTRING) return gl_error(L, "array", "cannot set field '%s'", lua_tostring(L, 2));
  if (lua_type(L, 2) == LUA_TNUMBER && a->ndim == 1 && lua_type(L, 3) == LUA_TNUMBER) {
    if (!lua_isinteger(L, 2)) return gl_error(L, "index", "indices must be integers");
    int64_t p = check_pos(L, lua_tointeger(L, 2), a->shape[0], 0);
    gl_store_lua(L, 3, a->dtype, a->data + p * a->strides[0] * (int64_t)gl_dtype_size(a->dtype), "index");
    return 0;
  }
  gl_array *key = gl_array_test(L, 2);
  if (key && key->dtype == GL_BOOL) return assign_mask(L, a, key);
  selection sel;
  build_selection(L, 1, 2, &sel);
  gl_array *v = gl_array_arg(L, 3, -1, "index");
  gl_check_complex_assign(L, a, v);
  if (sel.nfancy == 0) {
    gl_array view = *a;
    view.ndim = sel.ndim;
    memcpy(view.shape, sel.shape, sizeof sel.shape);
    memcpy(view.strides, sel.strides, sizeof sel.strides);
    view.data = sel.data;
    if (gl_array_assign(&view, v)) {
      char s1[128], s2[128];
      return gl_error(L, "index", "could not broadcast input array from shape %s into shape %s",
                      gl_shape_str(s1, sizeof s1, v->ndim, v->shape), gl_shape_str(s2, sizeof s2, sel.ndim, sel.shape));
    }
    return 0;
  }
  if (sel.nfancy > 1) return gl_error(L, "index", "assignment supports one index array per index");
  /* Broadcast v to the gathered shape, then write each block back in place. */
  int ax = sel.fancy_axis[0];
  gl_array *pos = (gl_array *)lua_touserdata(L, sel.fancy_arg[0]);
  int64_t shape[GL_MAXDIMS];
  memcpy(shape, sel.shape, sizeof shape);
  shape[ax] = pos->size;
  gl_array *blk = gl_array_push(L, a->dtype, sel.ndim, shape);
  if (gl_array_assign(blk, v)) {
    char s1[128], s2[128];
    return gl_error(L, "index", "could not broadcast input array from shape %s into shape %s",
                    gl_shape_str(s1, sizeof s1, v->ndim, v->shape), gl_shape_str(s2, sizeof s2, sel.ndim, shape));
  }
  size_t isz = gl_dtype_size(a->dtype);
  gl_array dst = *a, src = *blk;
  dst.ndim = src.ndim = sel.ndim - 1;
  for (int i = 0, j = 0; i < sel.ndim; i++) {
    if (i == ax) continue;
    dst.shape[j] = sel.shape[i]; dst.strides[j] = sel.strides[i];
    src.shape[j] = blk->shape[i]; src.strides[j] = blk->strides[i];
    j++;
  }
  for (int64_t j = 0; j < pos->size; j++) {
    dst.data = sel.data + ((int64_t *)pos->data)[j] * sel.strides[ax] * (int64_t)isz;
    src.data = blk->data + j * blk->strides[ax] * (int64_t)isz;
    gl_array_assign(&dst, &src);
  }
  return 0;
}
