/* array.c: the geolab.Array userdata: memory, conversion from Lua values,
 * fields and the module table (luaopen_geolab_array). Indexing lives in
 * array_index.c, printing in array_print.c, construction in array_create.c. */
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include "gl_array.h"
#include "array_internal.h"
#include "cast.h"
#include "iter.h"
#include <cblas.h>

/* {====================================================================
 * Memory
 * ===================================================================== */

#define GL_ALIGN 64

/* Allocates the buffer userdata in protected mode: Lua's own "not enough
 * memory" carries no function name and no traceback (the message handler is
 * not called for memory errors), so large requests are tried here first. */
static int alloc_buffer (lua_State *L) {
  lua_newuserdatauv(L, (size_t)lua_tointeger(L, 1), 0);
  return 1;
}

/* Pushes a buffer userdata of nbytes (aligned to GL_ALIGN) and returns the
 * aligned pointer. The GC owns it, and counts its size when pacing itself.
 * nbytes has passed gl_check_size, so adding the alignment cannot overflow. */
static char *push_buffer (lua_State *L, int64_t nbytes) {
  size_t n = (size_t)(nbytes > 0 ? nbytes : 1) + GL_ALIGN;
  char *raw;
  if (n < ((size_t)1 << 20)) raw = (char *)lua_newuserdatauv(L, n, 0);
  else {
    lua_pushcfunction(L, alloc_buffer);
    lua_pushinteger(L, (lua_Integer)n);
    int st = lua_pcall(L, 1, 1, 0);
    if (st == LUA_ERRMEM) {
      char name[64], sz[32];
      const char *fname = gl_api_name(L, name, sizeof name);
      lua_pushfstring(L, "%s%scannot allocate %s", fname ? fname : "", fname ? ": " : "",
                      gl_format_bytes(sz, sizeof sz, (double)nbytes));
      lua_error(L);
    }
    if (st != LUA_OK) lua_error(L);
    raw = (char *)lua_touserdata(L, -1);
  }
  uintptr_t p = ((uintptr_t)raw + GL_ALIGN - 1) & ~(uintptr_t)(GL_ALIGN - 1);
#ifdef MADV_HUGEPAGE
  /* Large buffers are fresh mmaps: with 4 KiB pages, first touch costs one
   * fault per page and dominates simple elementwise ops. Ask for huge pages,
   * as NumPy does (hugepage_setup in its allocator). */
  if (n >= ((size_t)4 << 20)) {
    uintptr_t lo = ((uintptr_t)raw + 4095) & ~(uintptr_t)4095;
    madvise((void *)lo, (size_t)((uintptr_t)raw + n - lo) & ~(size_t)4095, MADV_HUGEPAGE);
  }
#endif
  return (char *)p;
}

/* Pushes an array header in the closed state (data NULL), so that an error
 * while allocating its buffer leaves nothing half-made. Views go through
 * here too: their size must fit as NumPy's do (a broadcast view of
 * {2^32, 2^32} had size 0 and summed to 0.0). */
static gl_array *push_header (lua_State *L, gl_dtype t, int ndim, const int64_t *shape) {
  if (ndim < 0 || ndim > GL_MAXDIMS) {
    char name[64];
    const char *fname = gl_api_name(L, name, sizeof name);
    luaL_error(L, "%s: %d dimensions (at most %d allowed)", fname ? fname : "array", ndim, GL_MAXDIMS);
  }
  int64_t size = gl_check_size(L, NULL, t, ndim, shape);
  gl_array *a = (gl_array *)lua_newuserdatauv(L, sizeof(gl_array), 1);
  a->data = NULL;
  a->dtype = t;
  a->ndim = ndim;
  a->size = size;
  for (int i = 0; i < ndim; i++) a->shape[i] = shape[i];
  gl_contiguous_strides(ndim, a->shape, a->strides);
  luaL_setmetatable(L, GL_ARRAY_MT);
  return a;
}

gl_array *gl_array_push (lua_State *L, gl_dtype t, int ndim, const int64_t *shape) {
  gl_array *a = push_header(L, t, ndim, shape);
  char *data = push_buffer(L, a->size * (int64_t)gl_dtype_size(t));
  lua_setiuservalue(L, -2, 1);
  a->data = data;
  return a;
}

gl_array *gl_array_push_zeros (lua_State *L, gl_dtype t, int ndim, const int64_t *shape) {
  gl_array *a = gl_array_push(L, t, ndim, shape);
  memset(a->data, 0, (size_t)a->size * gl_dtype_size(t));
  return a;
}

gl_array *gl_array_push1 (lua_State *L, gl_dtype t, int64_t n) {
  return gl_array_push(L, t, 1, &n);
}

gl_array *gl_array_push2 (lua_State *L, gl_dtype t, int64_t rows, int64_t cols) {
  int64_t shape[2] = {rows, cols};
  return gl_array_push(L, t, 2, shape);
}

gl_array *gl_array_push_view (lua_State *L, int base, gl_dtype t, int ndim,
                              const int64_t *shape, const int64_t *strides, char *data) {
  base = lua_absindex(L, base);
  gl_array *a = push_header(L, t, ndim, shape);
  for (int i = 0; i < ndim; i++) a->strides[i] = strides[i];
  lua_getiuservalue(L, base, 1);
  lua_setiuservalue(L, -2, 1);
  a->data = data;
  return a;
}

gl_array *gl_array_test (lua_State *L, int idx) {
  gl_array *a = (gl_array *)luaL_testudata(L, idx, GL_ARRAY_MT);
  if (a && a->data == NULL) luaL_error(L, "attempt to use a closed array");
  return a;
}

gl_array *gl_array_check (lua_State *L, int idx) {
  gl_array *a = (gl_array *)luaL_testudata(L, idx, GL_ARRAY_MT);
  if (a == NULL) {
    const char *msg = lua_pushfstring(L, "array expected, got %s", luaL_typename(L, idx));
    luaL_argerror(L, idx, msg);
  }
  if (a->data == NULL) luaL_error(L, "attempt to use a closed array");
  return a;
}

int gl_array_is_contiguous (const gl_array *a) {
  return gl_is_contiguous(a->ndim, a->shape, a->strides);
}

/* }==================================================================== */

/* {====================================================================
 * Conversion from Lua values
 * ===================================================================== */

typedef struct scan_state {
  int ndim;
  int64_t shape[GL_MAXDIMS];
  int has_float, has_int, has_bool, has_complex;
  int inner_dtype;       /* dtype of nested arrays, -1 if none */
  int leaf_seen;         /* a number was met at depth ndim: no deeper level may follow */
  const char *fname;
} scan_state;

/* First pass: shape from the first element at each depth, then check that
 * every nested table agrees, and note which kinds of values occur. */
static void scan_value (lua_State *L, int idx, int depth, scan_state *s) {
  int t = lua_type(L, idx);
  if (t == LUA_TTABLE) {
    int64_t n = (int64_t)lua_rawlen(L, idx);
    if (depth == s->ndim) {
      if (s->leaf_seen)
        gl_error(L, s->fname, "inhomogeneous nested tables: a table at depth %d where a number was met before", depth + 1);
      if (depth >= GL_MAXDIMS) gl_error(L, s->fname, "too many nested levels");
      s->shape[s->ndim++] = n;
    } else if (depth > s->ndim || s->shape[depth] != n) {
      gl_error(L, s->fname, "inhomogeneous nested tables: length %lld at depth %d, expected %lld",
               (long long)n, depth + 1, depth < s->ndim ? (long long)s->shape[depth] : 0LL);
    }
    for (int64_t i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i);
      scan_value(L, lua_gettop(L), depth + 1, s);
      lua_pop(L, 1);
    }
    return;
  }
  gl_array *a = gl_array_test(L, idx);
  if (a) {
    if (depth == s->ndim && s->inner_dtype < 0) {
      if (s->leaf_seen && a->ndim > 0)
        gl_error(L, s->fname, "inhomogeneous nested tables: an array at depth %d where a number was met before", depth + 1);
      if (depth + a->ndim > GL_MAXDIMS) gl_error(L, s->fname, "too many dimensions");
      for (int i = 0; i < a->ndim; i++) s->shape[s->ndim++] = a->shape[i];
      s->inner_dtype = a->dtype;
      if (a->ndim == 0) s->leaf_seen = 1;
    } else {
      if (depth + a->ndim != s->ndim) gl_error(L, s->fname, "inhomogeneous shapes of nested arrays");
      for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != s->shape[depth + i]) gl_error(L, s->fname, "inhomogeneous shapes of nested arrays");
      s->inner_dtype = gl_dtype_promote((gl_dtype)s->inner_dtype, a->dtype);
    }
    return;
  }
  if (depth != s->ndim) gl_error(L, s->fname, "inhomogeneous nested tables: a %s where a table was expected", luaL_typename(L, idx));
  s->leaf_seen = 1;
  if (t == LUA_TNUMBER) {
    if (lua_isinteger(L, idx)) s->has_int = 1; else s->has_float = 1;
  } else if (t == LUA_TBOOLEAN) {
    s->has_bool = 1;
  } else if (luaL_testudata(L, idx, GL_COMPLEX_MT)) {
    s->has_complex = 1;
  } else {
    gl_error(L, s->fname, "expected numbers or booleans, got %s", luaL_typename(L, idx));
  }
}

/* Second pass: write values in C order. pos advances through dst. */
static void fill_value (lua_State *L, int idx, gl_array *dst, int64_t *pos) {
  size_t isz = gl_dtype_size(dst->dtype);
  if (lua_type(L, idx) == LUA_TTABLE) {
    int64_t n = (int64_t)lua_rawlen(L, idx);
    for (int64_t i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i);
      fill_value(L, lua_gettop(L), dst, pos);
      lua_pop(L, 1);
    }
    return;
  }
  gl_array *a = gl_array_test(L, idx);
  if (a) {
    int64_t cs[GL_MAXDIMS];
    gl_contiguous_strides(a->ndim, a->shape, cs);
    gl_cast_copy(dst->dtype, a->ndim, a->shape, cs, dst->data + *pos * (int64_t)isz,
                 a->dtype, a->ndim, a->shape, a->strides, a->data);
    *pos += a->size;
    return;
  }
  char *p = dst->data + *pos * (int64_t)isz;
  double re, im;
  if (gl_complex_test(L, idx, &re, &im)) gl_store_c128(dst->dtype, p, re, im);
  else if (lua_isboolean(L, idx)) gl_store_f64(dst->dtype, p, lua_toboolean(L, idx));
  else if (lua_isinteger(L, idx) && dst->dtype == GL_INT64) *(int64_t *)p = lua_tointeger(L, idx);
  else if (lua_isinteger(L, idx) && dst->dtype != GL_FLOAT32 && dst->dtype != GL_FLOAT64) {
    lua_Integer v = lua_tointeger(L, idx);
    gl_store_f64(dst->dtype, p, (double)v);
  } else gl_store_f64(dst->dtype, p, lua_tonumber(L, idx));
  (*pos)++;
}

/* Pushes a new array built from the Lua value at idx. */
static gl_array *from_lua (lua_State *L, int idx, int dtype, const char *fname) {
  scan_state s;
  idx = lua_absindex(L, idx);
  memset(&s, 0, sizeof s);
  s.inner_dtype = -1;
  s.fname = fname;
  scan_value(L, idx, 0, &s);
  gl_dtype t;
  if (dtype >= 0) t = (gl_dtype)dtype;
  else {
    t = s.has_complex ? GL_COMPLEX128 : s.has_float ? GL_FLOAT64 : s.has_int ? GL_INT64
      : s.has_bool ? GL_BOOL : GL_FLOAT64;
    if (s.inner_dtype >= 0)
      t = (s.has_float || s.has_int || s.has_bool || s.has_complex) ? gl_dtype_promote(t, (gl_dtype)s.inner_dtype)
                                                                    : (gl_dtype)s.inner_dtype;
  }
  if (s.has_complex && !gl_dtype_is_complex(t))
    gl_error(L, fname, "cannot convert a complex number to %s (take np.real or np.abs of it first)",
             gl_dtype_name(t));
  gl_array *a = gl_array_push(L, t, s.ndim, s.shape);
  int64_t pos = 0;
  fill_value(L, idx, a, &pos);
  return a;
}

/* Every whole-array copy (astype, copy, contiguous and the private copies of
 * bindings) stops on Ctrl-C: the copy is unreachable garbage then. */
gl_array *gl_array_push_copy (lua_State *L, const gl_array *a, gl_dtype t) {
  gl_array *c = gl_array_push(L, t, a->ndim, a->shape);
  if (gl_cast_copy_poll(t, c->ndim, c->shape, c->strides, c->data,
                        a->dtype, a->ndim, a->shape, a->strides, a->data) == GL_EINTR)
    gl_kernel_error(L, NULL, GL_EINTR);
  return c;
}

gl_array *gl_array_arg (lua_State *L, int idx, int dtype, const char *fname) {
  idx = lua_absindex(L, idx);
  gl_array *a = gl_array_test(L, idx);
  if (a) {
    if (dtype < 0 || (gl_dtype)dtype == a->dtype) return a;
    if (gl_dtype_is_complex(a->dtype) && !gl_dtype_is_complex((gl_dtype)dtype))
      gl_error(L, fname, "complex arrays are not supported (np.real(a) or np.abs(a) gives a real array)");
    a = gl_array_push_copy(L, a, (gl_dtype)dtype);
  } else if (lua_type(L, idx) == LUA_TTABLE && luaL_getmetafield(L, idx, "__toarray") != LUA_TNIL) {
    /* a frame Series or Index is a table too: its values, not its raw length 0 */
    lua_pushvalue(L, idx);
    lua_call(L, 1, 1);
    if (!gl_array_test(L, -1)) gl_error(L, fname, "__toarray did not return an array");
    lua_replace(L, idx);
    return gl_array_arg(L, idx, dtype, fname);
  } else if (lua_type(L, idx) == LUA_TNUMBER || lua_type(L, idx) == LUA_TBOOLEAN ||
             lua_type(L, idx) == LUA_TTABLE || luaL_testudata(L, idx, GL_COMPLEX_MT)) {
    a = from_lua(L, idx, dtype, fname);
  } else {
    /* objects such as frame columns convert through a to_array method */
    if (luaL_getmetafield(L, idx, "__toarray") != LUA_TNIL) {
      lua_pushvalue(L, idx);
      lua_call(L, 1, 1);
      if (!gl_array_test(L, -1)) gl_error(L, fname, "__toarray did not return an array");
      lua_replace(L, idx);
      return gl_array_arg(L, idx, dtype, fname);
    }
    const char *msg = lua_pushfstring(L, "array expected, got %s", luaL_typename(L, idx));
    return (gl_array *)(intptr_t)luaL_argerror(L, idx, msg);
  }
  lua_replace(L, idx);
  return a;
}

gl_array *gl_array_arg_contig (lua_State *L, int idx, int dtype, const char *fname) {
  idx = lua_absindex(L, idx);
  gl_array *a = gl_array_arg(L, idx, dtype, fname);
  if (gl_array_is_contiguous(a)) return a;
  a = gl_array_push_copy(L, a, a->dtype);
  lua_replace(L, idx);
  return a;
}

int gl_array_assign (gl_array *dst, const gl_array *src) {
  return gl_cast_copy(dst->dtype, dst->ndim, dst->shape, dst->strides, dst->data,
                      src->dtype, src->ndim, src->shape, src->strides, src->data);
}

/* }==================================================================== */

/* {====================================================================
 * Elements
 * ===================================================================== */

char *gl_array_elem_ptr (const gl_array *a, int64_t flat) {
  int64_t off = 0;
  for (int i = a->ndim - 1; i >= 0; i--) {
    off += (flat % a->shape[i]) * a->strides[i];
    flat /= a->shape[i];
  }
  return a->data + off * (int64_t)gl_dtype_size(a->dtype);
}

double gl_array_getd (const gl_array *a, int64_t flat) {
  return gl_load_f64(a->dtype, gl_array_elem_ptr(a, flat));
}

void gl_array_setd (gl_array *a, int64_t flat, double v) {
  gl_store_f64(a->dtype, gl_array_elem_ptr(a, flat), v);
}

void gl_array_complex_at (const gl_array *a, int64_t flat, double *re, double *im) {
  gl_load_c128(a->dtype, gl_array_elem_ptr(a, flat), re, im);
}

void gl_check_complex_assign (lua_State *L, const gl_array *dst, const gl_array *v) {
  if (gl_dtype_is_complex(v->dtype) && !gl_dtype_is_complex(dst->dtype))
    gl_error(L, "index", "cannot assign complex values to a %s array (assign np.real(v), or make the array complex)",
             gl_dtype_name(dst->dtype));
}

void gl_push_elem_ptr (lua_State *L, gl_dtype t, const char *p) {
  double re, im;
  switch (t) {
    case GL_COMPLEX64: case GL_COMPLEX128:
      gl_load_c128(t, p, &re, &im);
      gl_complex_push(L, re, im);
      break;
    case GL_BOOL: lua_pushboolean(L, *(const gl_bool *)p); break;
    case GL_UINT8: case GL_INT32: case GL_INT64: lua_pushinteger(L, gl_load_i64(t, p)); break;
    default: lua_pushnumber(L, gl_load_f64(t, p)); break;
  }
}

void gl_array_push_elem (lua_State *L, const gl_array *a, int64_t flat) {
  gl_push_elem_ptr(L, a->dtype, gl_array_elem_ptr(a, flat));
}

/* Stores the Lua value at idx into element p (dtype t); raises on a non-number. */
void gl_store_lua (lua_State *L, int idx, gl_dtype t, char *p, const char *fname) {
  double re, im;
  if (gl_complex_test(L, idx, &re, &im)) {
    if (!gl_dtype_is_complex(t))
      gl_error(L, fname, "cannot assign a complex number to a %s array element (assign z.real, or make the array complex)",
               gl_dtype_name(t));
    gl_store_c128(t, p, re, im);
  } else if (lua_isboolean(L, idx)) gl_store_f64(t, p, lua_toboolean(L, idx));
  else if (lua_isinteger(L, idx) && t == GL_INT64) *(int64_t *)p = lua_tointeger(L, idx);
  else if (lua_type(L, idx) == LUA_TNUMBER) gl_store_f64(t, p, lua_tonumber(L, idx));
  else gl_error(L, fname, "cannot assign a %s to an array element", luaL_typename(L, idx));
}

/* }==================================================================== */

/* {====================================================================
 * Methods and module table
 * ===================================================================== */

void gl_array_add_methods (lua_State *L, const luaL_Reg *methods) {
  luaL_getmetatable(L, GL_ARRAY_MT);
  lua_getfield(L, -1, "__methods");
  luaL_setfuncs(L, methods, 0);
  lua_pop(L, 2);
}

static int arr_close (lua_State *L) {
  gl_array *a = (gl_array *)luaL_checkudata(L, 1, GL_ARRAY_MT);
  a->data = NULL;
  lua_pushnil(L);
  lua_setiuservalue(L, 1, 1);  /* drop this array's hold on the buffer */
  return 0;
}

static int arr_len (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  if (a->ndim == 0) return luaL_error(L, "len() of unsized object (a 0-d array)");
  lua_pushinteger(L, a->shape[0]);
  return 1;
}

static const luaL_Reg meta_funcs[] = {
  {"__close", arr_close},
  {"__gc", NULL},  /* nothing to free: the buffer is a GC object of its own */
  {"__index", gl_arr_index},
  {"__len", arr_len},
  {"__newindex", gl_arr_newindex},
  {"__tostring", gl_arr_tostring},
  {NULL, NULL}
};

static const luaL_Reg methods[] = {
  {"close", arr_close},
  {"tostring", gl_arr_tostring},
  {NULL, NULL}
};

static void create_meta (lua_State *L) {
  if (!luaL_newmetatable(L, GL_ARRAY_MT)) { lua_pop(L, 1); return; }
  luaL_setfuncs(L, meta_funcs, 0);
  lua_pushnil(L);
  lua_setfield(L, -2, "__gc");
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__methods");
  /* the fields, for the REPL's completion (vm/complete.c) */
  static const char *const fields[] = {"T", "dtype", "imag", "itemsize", "nbytes", "ndim", "real", "shape", "size", "strides"};
  lua_createtable(L, (int)(sizeof fields / sizeof fields[0]), 0);
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    lua_pushstring(L, fields[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "__fields");
  lua_pop(L, 1);
}

int luaopen_geolab_array (lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, "geolab.array") == LUA_TTABLE) return 1;  /* one table per state */
  lua_pop(L, 2);
  /* OpenBLAS's own threads do not split work the same way for every thread
   * count; geolab's kernels parallelise around single-threaded BLAS calls
   * instead (kernels/array/linalg.c), so results never depend on --threads. */
  openblas_set_num_threads(1);
  create_meta(L);
  lua_newtable(L);
  gl_array_open_create(L);
  gl_array_open_complex(L);
  gl_array_open_ops(L);
  gl_array_open_shape(L);
  gl_array_open_reduce(L);
  gl_array_open_io(L);
  gl_array_open_linalg(L);
  gl_array_open_random(L);
  gl_array_open_fft(L);
  gl_array_open_npfun(L);   /* last: its Lua part uses the rest */
  lua_pushliteral(L, "float64"); lua_setfield(L, -2, "float64");
  lua_pushliteral(L, "float32"); lua_setfield(L, -2, "float32");
  lua_pushliteral(L, "int64"); lua_setfield(L, -2, "int64");
  lua_pushliteral(L, "int32"); lua_setfield(L, -2, "int32");
  lua_pushliteral(L, "uint8"); lua_setfield(L, -2, "uint8");
  lua_pushliteral(L, "bool"); lua_setfield(L, -2, "bool");
  lua_pushliteral(L, "complex64"); lua_setfield(L, -2, "complex64");
  lua_pushliteral(L, "complex128"); lua_setfield(L, -2, "complex128");
  lua_pushnumber(L, NAN); lua_setfield(L, -2, "nan");
  lua_pushnumber(L, HUGE_VAL); lua_setfield(L, -2, "inf");
  lua_pushnumber(L, M_PI); lua_setfield(L, -2, "pi");
  lua_pushnumber(L, M_E); lua_setfield(L, -2, "e");
  return 1;
}
/* }==================================================================== */
