/* array_fft.c: the np.fft table's C part: fft, ifft, rfft, irfft along one
 * axis (kernels/array/fft.c on FFTW3), fftfreq, rfftfreq, fftshift and
 * ifftshift. The n-dimensional forms (fft2, fftn, rfftn, ...) are compositions
 * written in Lua (array_fft.lua), as NumPy writes them.
 *
 * Plans are cached per lua_State in a registry userdata (no C globals) that
 * holds kernels/array/fft_cache.c's cache, shared with the signal module
 * through gl_fft_get_plan (gl_array.h): a loop over windows of a few hundred
 * lengths plans each (kind, length) once. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "fft.h"

#define CACHE_MT "geolab.fft_plans"
/* the instance lives under its own key: the metatable's name must keep
 * naming the metatable, or luaL_checkudata in __gc fails and the plans leak */
#define CACHE_KEY "geolab.fft_plans.cache"

typedef struct { gl_fft_cache *c; } cache_box;

static int cache_gc (lua_State *L) {
  cache_box *b = (cache_box *)luaL_checkudata(L, 1, CACHE_MT);
  gl_fft_cache_free(b->c);
  b->c = NULL;
  return 0;
}

/* This state's plan cache (kernels/array/fft_cache.c), made on first use. */
static gl_fft_cache *state_cache (lua_State *L, const char *fname) {
  cache_box *b;
  if (lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY) == LUA_TUSERDATA) {
    b = (cache_box *)lua_touserdata(L, -1);
  } else {
    lua_pop(L, 1);
    b = (cache_box *)lua_newuserdatauv(L, sizeof *b, 0);
    b->c = NULL;   /* the box is collectable before the cache exists */
    gl_newmetatable(L, CACHE_MT, NULL, cache_gc);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
  }
  lua_pop(L, 1);   /* the registry keeps the cache alive */
  if (!b->c && !(b->c = gl_fft_cache_new())) gl_error(L, fname, "not enough memory");
  return b->c;
}

const gl_fft_plan *gl_fft_get_plan (lua_State *L, int kind, int64_t n, const char *fname) {
  const gl_fft_plan *p = gl_fft_cache_get(state_cache(L, fname), kind, n);
  if (!p) gl_error(L, fname, "FFTW could not plan a transform of length %lld", (long long)n);
  return p;
}

void *gl_fft_get_scratch (lua_State *L, size_t bytes, const char *fname) {
  void *s = gl_fft_cache_scratch(state_cache(L, fname), bytes);
  if (!s) gl_error(L, fname, "not enough memory");
  return s;
}

/* {=====================================================================
 * fft, ifft, rfft, irfft
 * ====================================================================== */

static const char *const fft_opts[] = {"axis", "n", "norm", NULL};

/* Arguments after a: positional n, axis, norm (nil skips one), and/or a
 * trailing options table with the same names, as numpy.fft.fft(a, n, axis, norm). */
static void fft_args (lua_State *L, const char *fname, int *has_n, lua_Integer *n, lua_Integer *axis,
                      const char **norm) {
  int top = lua_gettop(L), opts = 0;
  if (top >= 2 && lua_istable(L, top) && !gl_array_test(L, top)) { opts = top; top--; }
  if (top > 4) gl_error(L, fname, "too many arguments (a, n, axis, norm, or an options table)");
  *has_n = 0; *axis = -1; *norm = "backward";
  if (top >= 2 && !lua_isnil(L, 2)) {
    if (!lua_isinteger(L, 2)) gl_error(L, fname, "n must be an integer, got %s", luaL_typename(L, 2));
    *has_n = 1; *n = lua_tointeger(L, 2);
  }
  if (top >= 3 && !lua_isnil(L, 3)) {
    if (!lua_isinteger(L, 3)) gl_error(L, fname, "axis must be an integer, got %s", luaL_typename(L, 3));
    *axis = lua_tointeger(L, 3);
  }
  if (top >= 4 && !lua_isnil(L, 4)) {
    if (lua_type(L, 4) != LUA_TSTRING) gl_error(L, fname, "norm must be a string, got %s", luaL_typename(L, 4));
    *norm = lua_tostring(L, 4);
  }
  if (opts) {
    gl_check_options(L, opts, fname, fft_opts);
    if (gl_opt_field(L, opts, "n")) {
      if (!lua_isinteger(L, -1)) gl_error(L, fname, "option 'n' must be an integer");
      *has_n = 1; *n = lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
    *axis = gl_opt_integer(L, opts, "axis", *axis, fname);
    *norm = gl_opt_string(L, opts, "norm", *norm, fname);
  }
  if (strcmp(*norm, "backward") && strcmp(*norm, "ortho") && strcmp(*norm, "forward"))
    gl_error(L, fname, "invalid norm '%s' (use \"backward\", \"ortho\" or \"forward\")", *norm);
}

static int fft_core (lua_State *L, int kind, const char *fname) {
  int has_n;
  lua_Integer n, axis;
  const char *norm;
  luaL_checkany(L, 1);
  fft_args(L, fname, &has_n, &n, &axis, &norm);
  lua_settop(L, 1);
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  if (kind == GL_FFT_R2C && gl_dtype_is_complex(a->dtype))
    return gl_error(L, fname, "input is complex: use np.fft.fft, or np.fft.rfft(np.real(a))");
  a = gl_array_arg_contig(L, 1, kind == GL_FFT_R2C ? GL_FLOAT64 : GL_COMPLEX128, fname);
  if (a->ndim == 0) return gl_error(L, fname, "input must have at least one dimension");
  int ax = gl_check_axis(L, axis, a->ndim, fname);
  int64_t len = a->shape[ax];
  if (!has_n) n = kind == GL_FFT_C2R ? 2 * (len - 1) : len;
  if (n < 1) return gl_error(L, fname, "invalid number of FFT data points (%lld) specified", (long long)n);
  const gl_fft_plan *p = gl_fft_get_plan(L, kind, n, fname);
  int64_t outer = 1, inner = 1, shape[GL_MAXDIMS];
  for (int i = 0; i < a->ndim; i++) {
    shape[i] = a->shape[i];
    if (i < ax) outer *= a->shape[i];
    if (i > ax) inner *= a->shape[i];
  }
  shape[ax] = kind == GL_FFT_R2C ? n / 2 + 1 : n;
  int inverse = kind == GL_FFT_BACKWARD || kind == GL_FFT_C2R;
  double scale = 1;
  if (strcmp(norm, "ortho") == 0) scale = 1 / sqrt((double)n);
  else if ((strcmp(norm, "backward") == 0) == inverse) scale = 1 / (double)n;
  gl_array *r = gl_array_push(L, kind == GL_FFT_C2R ? GL_FLOAT64 : GL_COMPLEX128, a->ndim, shape);
  int rc = gl_fft_lines(p, outer, inner, a->data, len, r->data, scale);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 1;
}

static int f_fft (lua_State *L) { return fft_core(L, GL_FFT_FORWARD, "np.fft.fft"); }
static int f_ifft (lua_State *L) { return fft_core(L, GL_FFT_BACKWARD, "np.fft.ifft"); }
static int f_rfft (lua_State *L) { return fft_core(L, GL_FFT_R2C, "np.fft.rfft"); }
static int f_irfft (lua_State *L) { return fft_core(L, GL_FFT_C2R, "np.fft.irfft"); }

/* }{====================================================================
 * Frequencies and shifts
 * ====================================================================== */

/* fftfreq(n[, d = 1]) / rfftfreq: NumPy's integers times 1/(n*d). */
static int freq_core (lua_State *L, int real, const char *fname) {
  static const char *const allowed[] = {"d", NULL};
  if (!lua_isinteger(L, 1)) return gl_error(L, fname, "n must be an integer, got %s", luaL_typename(L, 1));
  lua_Integer n = lua_tointeger(L, 1);
  double d = 1;
  if (lua_istable(L, 2)) { gl_check_options(L, 2, fname, allowed); d = gl_opt_number(L, 2, "d", 1, fname); }
  else if (!lua_isnoneornil(L, 2)) {
    if (lua_type(L, 2) != LUA_TNUMBER) return gl_error(L, fname, "d must be a number, got %s", luaL_typename(L, 2));
    d = lua_tonumber(L, 2);
  }
  if (n < 1) return gl_error(L, fname, "n must be positive, got %lld", (long long)n);
  double val = 1.0 / ((double)n * d);
  int64_t m = real ? n / 2 + 1 : n;
  gl_array *r = gl_array_push1(L, GL_FLOAT64, m);
  double *x = (double *)r->data;
  int64_t half = (n - 1) / 2 + 1;
  for (int64_t i = 0; i < m; i++) x[i] = (double)(real || i < half ? i : i - n) * val;
  return 1;
}

static int f_fftfreq (lua_State *L) { return freq_core(L, 0, "np.fft.fftfreq"); }
static int f_rfftfreq (lua_State *L) { return freq_core(L, 1, "np.fft.rfftfreq"); }

/* The array at idx rolled by `shift` along axis ax (a new array). */
static void roll_axis (lua_State *L, int idx, int ax, int64_t shift) {
  gl_array *a = gl_array_check(L, idx);
  int64_t n = a->shape[ax];
  gl_array *r = gl_array_push(L, a->dtype, a->ndim, a->shape);
  if (n == 0) return;
  shift = ((shift % n) + n) % n;
  size_t isz = gl_dtype_size(a->dtype);
  /* r[shift:] = a[:n-shift], r[:shift] = a[n-shift:] */
  gl_array src = *a, dst = *r;
  src.shape[ax] = dst.shape[ax] = n - shift;
  dst.data = r->data + shift * r->strides[ax] * (int64_t)isz;
  if (n - shift > 0) gl_array_assign(&dst, &src);
  src = *a; dst = *r;
  src.shape[ax] = dst.shape[ax] = shift;
  src.data = a->data + (n - shift) * a->strides[ax] * (int64_t)isz;
  if (shift > 0) gl_array_assign(&dst, &src);
}

/* fftshift(x[, axes]) / ifftshift: every axis (default) or the given ones
 * (a number or a table, or {axes = ...}), rolled by n//2 (inverse: -(n//2)). */
static int shift_core (lua_State *L, int inverse, const char *fname) {
  static const char *const allowed[] = {"axes", NULL};
  luaL_checkany(L, 1);
  int aidx = 2;
  if (lua_istable(L, 2) && lua_rawlen(L, 2) == 0 && !lua_isnil(L, 2)) {
    gl_check_options(L, 2, fname, allowed);
    lua_getfield(L, 2, "axes");
    aidx = lua_gettop(L);
  }
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  int nd = a->ndim, use[GL_MAXDIMS];
  for (int i = 0; i < nd; i++) use[i] = lua_isnoneornil(L, aidx);
  if (!lua_isnoneornil(L, aidx)) {
    int cnt = lua_istable(L, aidx) ? (int)lua_rawlen(L, aidx) : 1;
    for (int k = 1; k <= cnt; k++) {
      if (lua_istable(L, aidx)) lua_rawgeti(L, aidx, k); else lua_pushvalue(L, aidx);
      if (!lua_isinteger(L, -1)) gl_error(L, fname, "axes must be integers, got %s", luaL_typename(L, -1));
      use[gl_check_axis(L, lua_tointeger(L, -1), nd, fname)] = 1;
      lua_pop(L, 1);
    }
  }
  lua_pushvalue(L, 1);
  for (int i = 0; i < nd; i++) {
    if (!use[i]) continue;
    int64_t n = a->shape[i], s = n / 2;
    roll_axis(L, -1, i, inverse ? -s : s);
    lua_remove(L, -2);
  }
  if (lua_rawequal(L, -1, 1)) gl_array_push_copy(L, a, a->dtype);   /* never the argument itself */
  return 1;
}

static int f_fftshift (lua_State *L) { return shift_core(L, 0, "np.fft.fftshift"); }
static int f_ifftshift (lua_State *L) { return shift_core(L, 1, "np.fft.ifftshift"); }

/* }===================================================================== */

static const luaL_Reg funcs[] = {
  {"fft", f_fft}, {"fftfreq", f_fftfreq}, {"fftshift", f_fftshift}, {"ifft", f_ifft},
  {"ifftshift", f_ifftshift}, {"irfft", f_irfft}, {"rfft", f_rfft}, {"rfftfreq", f_rfftfreq},
  {NULL, NULL}
};

/* Adds np.fft (this C part) to the module table on top of the stack. */
void gl_array_open_fft (lua_State *L) {
  luaL_newlib(L, funcs);
  lua_setfield(L, -2, "fft");
}
