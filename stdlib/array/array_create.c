/* array_create.c: constructors (array, zeros, arange, linspace, eye, *_like),
 * dtype conversion and conversion back to Lua tables. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "cast.h"
#include "iter.h"

gl_dtype gl_check_dtype (lua_State *L, int idx, gl_dtype def, const char *fname) {
  if (lua_isnoneornil(L, idx)) return def;
  const char *name = luaL_checkstring(L, idx);
  int t = gl_dtype_from_name(name);
  if (t < 0) {
    static const char *const names[] = {"float64", "float32", "int64", "int32", "uint8", "bool",
                                        "complex64", "complex128", NULL};
    const char *near = gl_nearest_name(name, names);
    if (near) gl_error(L, fname, "unknown dtype '%s' (did you mean '%s'?)", name, near);
    gl_error(L, fname, "unknown dtype '%s'", name);
  }
  return (gl_dtype)t;
}

/* NumPy refuses floats in shapes ("'float' object cannot be interpreted as
 * an integer"), even integral ones; so do we, saying how to write it. */
static void shape_value (lua_State *L, int idx, int64_t *out, const char *fname) {
  if (lua_isinteger(L, idx)) *out = lua_tointeger(L, idx);
  else if (lua_type(L, idx) == LUA_TNUMBER) {
    double v = lua_tonumber(L, idx);
    const char *shown = luaL_tolstring(L, idx, NULL);   /* as print shows it: 1e12 is 1000000000000.0 */
    if (v == floor(v) && fabs(v) < 9.2e18)
      gl_error(L, fname, "shape must contain integers, got the float %s "
               "('float' object cannot be interpreted as an integer; write %lld or math.tointeger(x))",
               shown, (long long)v);
    gl_error(L, fname, "shape must contain integers, got the float %s "
             "('float' object cannot be interpreted as an integer)", shown);
  } else gl_error(L, fname, "shape must contain integers, got %s", luaL_typename(L, idx));
  if (*out < 0) gl_error(L, fname, "negative dimensions are not allowed");
}

int gl_check_shape (lua_State *L, int idx, int64_t *shape, const char *fname) {
  if (lua_type(L, idx) == LUA_TNUMBER) {
    shape_value(L, idx, &shape[0], fname);
    return 1;
  }
  gl_array *a = gl_array_test(L, idx);
  if (a) {
    if (a->ndim != 1 || !gl_dtype_is_int(a->dtype)) gl_error(L, fname, "shape must be a 1-D integer array");
    if (a->size > GL_MAXDIMS) gl_error(L, fname, "too many dimensions (at most %d)", GL_MAXDIMS);
    for (int64_t i = 0; i < a->size; i++) {
      shape[i] = a->dtype == GL_INT64 ? ((int64_t *)a->data)[i * a->strides[0]] : (int64_t)gl_array_getd(a, i);
      if (shape[i] < 0) gl_error(L, fname, "negative dimensions are not allowed");
    }
    return (int)a->size;
  }
  if (!lua_istable(L, idx)) gl_error(L, fname, "shape must be an integer or a table of integers, got %s", luaL_typename(L, idx));
  int n = (int)lua_rawlen(L, idx);
  if (n > GL_MAXDIMS) gl_error(L, fname, "too many dimensions (at most %d)", GL_MAXDIMS);
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, idx, i + 1);
    shape_value(L, -1, &shape[i], fname);
    lua_pop(L, 1);
  }
  return n;
}

/* Dimension numbers are NumPy's (issue 10): 0 is the first axis and -1 the
 * last, so that axis= copied from Python keeps its meaning; only element
 * positions are 1-based in geolab. */
int gl_check_axis (lua_State *L, lua_Integer axis, int ndim, const char *fname) {
  lua_Integer a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim)
    gl_error(L, fname, "axis %lld is out of bounds for array of dimension %d", (long long)axis, ndim);
  return (int)a;
}

/* The dtype given either as a string argument or as {dtype=} in a table. */
static gl_dtype opt_dtype (lua_State *L, int idx, gl_dtype def, const char *fname) {
  if (lua_type(L, idx) == LUA_TSTRING) return gl_check_dtype(L, idx, def, fname);
  if (lua_istable(L, idx)) {
    static const char *const allowed[] = {"dtype", NULL};
    gl_check_options(L, idx, fname, allowed);
    lua_getfield(L, idx, "dtype");
    gl_dtype t = gl_check_dtype(L, -1, def, fname);
    lua_pop(L, 1);
    return t;
  }
  if (!lua_isnoneornil(L, idx)) gl_error(L, fname, "expected a dtype name or an options table, got %s", luaL_typename(L, idx));
  return def;
}

static int np_array (lua_State *L) {
  luaL_checkany(L, 1);
  int t = -1;
  if (!lua_isnoneornil(L, 2)) t = (int)opt_dtype(L, 2, GL_FLOAT64, "np.array");
  gl_array *a = gl_array_test(L, 1);
  if (a) gl_array_push_copy(L, a, t < 0 ? a->dtype : (gl_dtype)t);  /* np.array copies */
  else {
    lua_pushvalue(L, 1);
    gl_array_arg(L, -1, t, "np.array");
  }
  return 1;
}

static int np_asarray (lua_State *L) {
  luaL_checkany(L, 1);
  int t = -1;
  if (!lua_isnoneornil(L, 2)) t = (int)opt_dtype(L, 2, GL_FLOAT64, "np.asarray");
  lua_pushvalue(L, 1);
  gl_array_arg(L, -1, t, "np.asarray");
  return 1;
}

static void fill_value (gl_array *a, double v) {
  size_t isz = gl_dtype_size(a->dtype);
  if (a->size == 0) return;
  gl_store_f64(a->dtype, a->data, v);
  for (int64_t i = 1; i < a->size; i++) memcpy(a->data + i * (int64_t)isz, a->data, isz);
}

static int make_filled (lua_State *L, const char *fname, int has_value, double v) {
  int64_t shape[GL_MAXDIMS];
  int ndim = gl_check_shape(L, 1, shape, fname);
  int optidx = has_value ? 3 : 2;
  gl_dtype t = opt_dtype(L, optidx, GL_FLOAT64, fname);
  double cre, cim;
  if (has_value && gl_complex_test(L, 2, &cre, &cim)) {   /* np.full(n, z) */
    if (lua_isnoneornil(L, optidx)) t = GL_COMPLEX128;
    if (!gl_dtype_is_complex(t))
      return gl_error(L, fname, "cannot fill a %s array with a complex number", gl_dtype_name(t));
    gl_array *a = gl_array_push(L, t, ndim, shape);
    for (int64_t i = 0; i < a->size; i++) gl_store_c128(t, a->data + i * (int64_t)gl_dtype_size(t), cre, cim);
    return 1;
  }
  if (has_value) {
    if (lua_isboolean(L, 2)) v = lua_toboolean(L, 2);
    else v = luaL_checknumber(L, 2);
    if (lua_isnoneornil(L, optidx)) t = lua_isboolean(L, 2) ? GL_BOOL : lua_isinteger(L, 2) ? GL_INT64 : GL_FLOAT64;
  }
  gl_check_size(L, fname, t, ndim, shape);
  gl_array *a = gl_array_push(L, t, ndim, shape);
  if (v == 0) memset(a->data, 0, (size_t)a->size * gl_dtype_size(t));
  else if (has_value && t == GL_INT64 && lua_isinteger(L, 2)) {
    int64_t iv = lua_tointeger(L, 2);
    for (int64_t i = 0; i < a->size; i++) ((int64_t *)a->data)[i] = iv;
  } else fill_value(a, v);
  return 1;
}

static int np_zeros (lua_State *L) { return make_filled(L, "np.zeros", 0, 0); }
static int np_ones (lua_State *L) { return make_filled(L, "np.ones", 0, 1); }
static int np_empty (lua_State *L) { return make_filled(L, "np.empty", 0, 0); }
static int np_full (lua_State *L) { return make_filled(L, "np.full", 1, 0); }

static int make_like (lua_State *L, const char *fname, int has_value, double v) {
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  int optidx = has_value ? 3 : 2;
  gl_dtype t = opt_dtype(L, optidx, a->dtype, fname);
  if (has_value) {
    v = lua_isboolean(L, 2) ? lua_toboolean(L, 2) : luaL_checknumber(L, 2);
  }
  gl_array *b = gl_array_push(L, t, a->ndim, a->shape);
  if (v == 0) memset(b->data, 0, (size_t)b->size * gl_dtype_size(t));
  else fill_value(b, v);
  return 1;
}

static int np_zeros_like (lua_State *L) { return make_like(L, "np.zeros_like", 0, 0); }
static int np_ones_like (lua_State *L) { return make_like(L, "np.ones_like", 0, 1); }
static int np_empty_like (lua_State *L) { return make_like(L, "np.empty_like", 0, 0); }
static int np_full_like (lua_State *L) { return make_like(L, "np.full_like", 1, 0); }

/* np.arange([start,] stop [, step] [, dtype]): NumPy's half-open range. */
static int np_arange (lua_State *L) {
  int n = lua_gettop(L);
  int optidx = 0;
  if (n > 0 && (lua_type(L, n) == LUA_TSTRING || lua_istable(L, n))) optidx = n--;
  if (n < 1 || n > 3) return gl_error(L, "np.arange", "expected (stop), (start, stop) or (start, stop, step)");
  int allint = 1;
  for (int i = 1; i <= n; i++) {
    luaL_checknumber(L, i);
    if (!lua_isinteger(L, i)) allint = 0;
  }
  double start = n >= 2 ? lua_tonumber(L, 1) : 0;
  double stop = n >= 2 ? lua_tonumber(L, 2) : lua_tonumber(L, 1);
  double step = n == 3 ? lua_tonumber(L, 3) : 1;
  if (step == 0) return gl_error(L, "np.arange", "step must not be zero");
  if (!isfinite(start) || !isfinite(stop) || !isfinite(step)) return gl_error(L, "np.arange", "arguments must be finite");
  gl_dtype t = optidx ? opt_dtype(L, optidx, GL_FLOAT64, "np.arange") : (allint ? GL_INT64 : GL_FLOAT64);
  double len = ceil((stop - start) / step);
  /* converting a double above 2^63 to int64_t is undefined: refuse first */
  if (len >= 9.2e18) return gl_error(L, "np.arange", "maximum allowed size exceeded (%.14g elements)", len);
  int64_t count = len > 0 ? (int64_t)len : 0;
  gl_array *a = gl_array_push1(L, t, count);
  if (allint && t == GL_INT64) {
    int64_t s0 = n >= 2 ? lua_tointeger(L, 1) : 0, st = n == 3 ? lua_tointeger(L, 3) : 1;
    /* unsigned: wraps instead of undefined behaviour if rounding of len
     * above gave one element too many near the int64 limits */
    for (int64_t i = 0; i < count; i++) ((int64_t *)a->data)[i] = (int64_t)((uint64_t)s0 + (uint64_t)i * (uint64_t)st);
  } else {
    for (int64_t i = 0; i < count; i++) gl_store_f64(t, a->data + i * (int64_t)gl_dtype_size(t), start + (double)i * step);
  }
  return 1;
}

static int np_linspace (lua_State *L) {
  static const char *const allowed[] = {"endpoint", "dtype", "retstep", NULL};
  double start = luaL_checknumber(L, 1), stop = luaL_checknumber(L, 2);
  lua_Integer num = 50;
  int optidx = 3;
  if (lua_type(L, 3) == LUA_TNUMBER) { num = luaL_checkinteger(L, 3); optidx = 4; }
  if (num < 0) return gl_error(L, "np.linspace", "number of samples, %lld, must be non-negative", (long long)num);
  gl_check_options(L, optidx, "np.linspace", allowed);
  int endpoint = gl_opt_boolean(L, optidx, "endpoint", 1, "np.linspace");
  const char *dt = gl_opt_string(L, optidx, "dtype", "float64", "np.linspace");
  lua_pushstring(L, dt);
  gl_dtype t = gl_check_dtype(L, -1, GL_FLOAT64, "np.linspace");
  lua_pop(L, 1);
  int64_t div = endpoint ? num - 1 : num;
  double step = div > 0 ? (stop - start) / (double)div : NAN;
  gl_array *a = gl_array_push1(L, t, num);
  for (int64_t i = 0; i < num; i++) {
    double v = div > 0 ? start + (double)i * step : start;
    if (endpoint && i == num - 1 && num > 1) v = stop;
    gl_store_f64(t, a->data + i * (int64_t)gl_dtype_size(t), v);
  }
  if (gl_opt_boolean(L, optidx, "retstep", 0, "np.linspace")) { lua_pushnumber(L, step); return 2; }
  return 1;
}

static int np_logspace (lua_State *L) {
  static const char *const allowed[] = {"endpoint", "base", "dtype", NULL};
  double start = luaL_checknumber(L, 1), stop = luaL_checknumber(L, 2);
  lua_Integer num = 50;
  int optidx = 3;
  if (lua_type(L, 3) == LUA_TNUMBER) { num = luaL_checkinteger(L, 3); optidx = 4; }
  if (num < 0) return gl_error(L, "np.logspace", "number of samples, %lld, must be non-negative", (long long)num);
  gl_check_options(L, optidx, "np.logspace", allowed);
  int endpoint = gl_opt_boolean(L, optidx, "endpoint", 1, "np.logspace");
  double base = gl_opt_number(L, optidx, "base", 10.0, "np.logspace");
  int64_t div = endpoint ? num - 1 : num;
  gl_array *a = gl_array_push1(L, GL_FLOAT64, num);
  double *d = (double *)a->data;
  for (int64_t i = 0; i < num; i++) {
    double e = div > 0 ? start + (double)i * (stop - start) / (double)div : start;
    if (endpoint && i == num - 1 && num > 1) e = stop;
    d[i] = pow(base, e);
  }
  return 1;
}

static int np_eye (lua_State *L) {
  static const char *const allowed[] = {"k", "dtype", NULL};
  lua_Integer n = luaL_checkinteger(L, 1), m = n;
  int optidx = 2;
  if (lua_type(L, 2) == LUA_TNUMBER) { m = luaL_checkinteger(L, 2); optidx = 3; }
  if (n < 0 || m < 0) return gl_error(L, "np.eye", "negative dimensions are not allowed");
  gl_dtype t = GL_FLOAT64;
  lua_Integer k = 0;
  if (lua_type(L, optidx) == LUA_TSTRING) t = gl_check_dtype(L, optidx, GL_FLOAT64, "np.eye");
  else {
    gl_check_options(L, optidx, "np.eye", allowed);
    k = gl_opt_integer(L, optidx, "k", 0, "np.eye");
    if (gl_opt_field(L, optidx, "dtype")) { t = gl_check_dtype(L, -1, GL_FLOAT64, "np.eye"); lua_pop(L, 1); }
  }
  int64_t shape[2] = {n, m};
  gl_array *a = gl_array_push_zeros(L, t, 2, shape);
  for (int64_t i = 0; i < n; i++) {
    int64_t j = i + k;
    if (j >= 0 && j < m) gl_store_f64(t, a->data + (i * m + j) * (int64_t)gl_dtype_size(t), 1);
  }
  return 1;
}

static int np_identity (lua_State *L) {
  lua_settop(L, 2);
  lua_Integer n = luaL_checkinteger(L, 1);
  gl_dtype t = opt_dtype(L, 2, GL_FLOAT64, "np.identity");
  if (n < 0) return gl_error(L, "np.identity", "negative dimensions are not allowed");
  lua_settop(L, 0);
  lua_pushinteger(L, n);
  lua_pushstring(L, gl_dtype_name(t));
  return np_eye(L);
}

static int arr_astype (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  gl_dtype t = gl_check_dtype(L, 2, GL_FLOAT64, "astype");
  luaL_checkstring(L, 2);
  /* NumPy drops the imaginary part with only a ComplexWarning: fail instead */
  if (gl_dtype_is_complex(a->dtype) && !gl_dtype_is_complex(t))
    return gl_error(L, "astype", "cannot cast %s to %s without losing the imaginary part; "
                    "use np.real(a):astype('%s') or np.abs(a)", gl_dtype_name(a->dtype), gl_dtype_name(t), gl_dtype_name(t));
  gl_array_push_copy(L, a, t);
  return 1;
}

static int arr_copy (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  gl_array_push_copy(L, a, a->dtype);
  return 1;
}

static void push_table (lua_State *L, const gl_array *a, int axis, const char *p) {
  size_t isz = gl_dtype_size(a->dtype);
  if (axis == a->ndim) { gl_push_elem_ptr(L, a->dtype, p); return; }
  lua_createtable(L, (int)a->shape[axis], 0);
  for (int64_t i = 0; i < a->shape[axis]; i++) {
    push_table(L, a, axis + 1, p + i * a->strides[axis] * (int64_t)isz);
    lua_rawseti(L, -2, (lua_Integer)(i + 1));
  }
}

static int arr_totable (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  luaL_checkstack(L, a->ndim + 5, "array too deep");
  push_table(L, a, 0, a->data);
  if (lua_istable(L, -1)) gl_set_list_meta(L);
  return 1;
}

static int arr_item (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  if (lua_isnoneornil(L, 2)) {
    if (a->size != 1) return gl_error(L, "item", "can only convert an array of size 1 to a Lua number");
    gl_array_push_elem(L, a, 0);
    return 1;
  }
  lua_Integer i = luaL_checkinteger(L, 2);
  if (i < 0) i += a->size + 1;
  if (i < 1 || i > a->size) return gl_error(L, "item", "index %d is out of bounds for size %d", (int)i, (int)a->size);
  gl_array_push_elem(L, a, i - 1);
  return 1;
}

static int arr_fill (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  luaL_checkany(L, 2);
  char tmp[8];
  gl_store_lua(L, 2, a->dtype, tmp, "fill");
  if (gl_dtype_size(a->dtype) <= sizeof tmp && gl_is_contiguous(a->ndim, a->shape, a->strides)) {
    /* the common case (opt:zero_grad fills every gradient each batch): memset
     * or a flat loop instead of a broadcast copy of one element */
    size_t isz = gl_dtype_size(a->dtype), n = (size_t)a->size, k = 0;
    while (k < isz && tmp[k] == 0) k++;
    if (k == isz) memset(a->data, 0, n * isz);
    else for (size_t i = 0; i < n; i++) memcpy(a->data + i * isz, tmp, isz);
    lua_settop(L, 1);
    return 1;
  }
  int64_t zero[GL_MAXDIMS] = {0};
  int rc = gl_cast_copy(a->dtype, a->ndim, a->shape, a->strides, a->data, a->dtype, 0, zero, zero, tmp);
  if (rc) return gl_kernel_error(L, "fill", rc);
  lua_settop(L, 1);
  return 1;
}

static const luaL_Reg module_funcs[] = {
  {"arange", np_arange},
  {"array", np_array},
  {"asarray", np_asarray},
  {"empty", np_empty},
  {"empty_like", np_empty_like},
  {"eye", np_eye},
  {"full", np_full},
  {"full_like", np_full_like},
  {"identity", np_identity},
  {"linspace", np_linspace},
  {"logspace", np_logspace},
  {"ones", np_ones},
  {"ones_like", np_ones_like},
  {"zeros", np_zeros},
  {"zeros_like", np_zeros_like},
  {NULL, NULL}
};

static const luaL_Reg methods[] = {
  {"astype", arr_astype},
  {"copy", arr_copy},
  {"fill", arr_fill},
  {"item", arr_item},
  {"tolist", arr_totable},
  {"totable", arr_totable},
  {NULL, NULL}
};

void gl_array_open_create (lua_State *L) {
  luaL_setfuncs(L, module_funcs, 0);
  luaL_setfuncs(L, methods, 0);  /* np.copy(a), np.astype(a, t) too */
  gl_array_add_methods(L, methods);
}
