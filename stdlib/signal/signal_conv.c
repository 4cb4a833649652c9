/* signal_conv.c: bindings of the direct sliding-window kernels
 * (kernels/signal/conv.c): convolution, savgol's boundary convolution,
 * medfilt and STA/LTA. Arguments are checked by signal_misc.lua and
 * signal_trigger.lua; here only shapes are asserted. */
#include <string.h>
#include "gl_array.h"
#include "conv.h"
#include "signal_internal.h"

static gl_array *vec (lua_State *L, int idx, const char *fname) {
  gl_array *a = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  if (a->ndim != 1) gl_error(L, fname, "internal: 1-D array expected");
  return a;
}

/* core.convolve(fname, x, w) -> full convolution */
static int sv_convolve (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = vec(L, 2, fname), *w = vec(L, 3, fname);
  if (x->size < 1 || w->size < 1) gl_error(L, fname, "inputs must not be empty");
  gl_array *y = gl_array_push1(L, GL_FLOAT64, x->size + w->size - 1);
  gl_sig_convolve_full_f64(x->size, (const double *)x->data, w->size, (const double *)w->data, (double *)y->data);
  return 1;
}

/* core.convolve1d(fname, x2d, w, mode, cval) -> y2d */
static int sv_convolve1d (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  static const char *const modes[] = {"constant", "nearest", "mirror", "wrap", NULL};
  gl_array *x = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  gl_array *w = vec(L, 3, fname);
  int mode = luaL_checkoption(L, 4, "constant", modes);
  double cval = luaL_optnumber(L, 5, 0);
  if (x->ndim != 2 || w->size % 2 != 1) gl_error(L, fname, "internal: rows and an odd window expected");
  int64_t rows = x->shape[0], n = x->shape[1];
  gl_array *y = gl_array_push2(L, GL_FLOAT64, rows, n);
  for (int64_t r = 0; r < rows; r++)
    gl_sig_convolve1d_f64(n, (const double *)x->data + r * n, w->size, (const double *)w->data, mode, cval,
                          (double *)y->data + r * n);
  return 1;
}

/* core.medfilt(fname, x, m) -> y */
static int sv_medfilt (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = vec(L, 2, fname);
  lua_Integer m = luaL_checkinteger(L, 3);
  if (m < 1 || m % 2 != 1) gl_error(L, fname, "internal: odd kernel size expected");
  double *s = gl_scratch(L, (size_t)m * sizeof(double));
  gl_array *y = gl_array_push1(L, GL_FLOAT64, x->size);
  gl_sig_medfilt_f64(x->size, (const double *)x->data, m, (double *)y->data, s);
  return 1;
}

/* core.sta_lta(fname, x, nsta, nlta, recursive) -> cft */
static int sv_sta_lta (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = vec(L, 2, fname);
  lua_Integer nsta = luaL_checkinteger(L, 3), nlta = luaL_checkinteger(L, 4);
  int rec = lua_toboolean(L, 5);
  if (nsta < 1 || nlta < 1) gl_error(L, fname, "internal: window lengths must be >= 1");
  gl_array *y = gl_array_push1(L, GL_FLOAT64, x->size);
  if (rec) gl_sig_recursive_sta_lta_f64(x->size, (const double *)x->data, nsta, nlta, (double *)y->data);
  else gl_sig_classic_sta_lta_f64(x->size, (const double *)x->data, nsta, nlta, (double *)y->data);
  return 1;
}

/* core.upfirdn(fname, h, x2d, up, down, ny) -> y2d (rows, ny) */
static int sv_upfirdn (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *h = vec(L, 2, fname);
  gl_array *x = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  lua_Integer up = luaL_checkinteger(L, 4), down = luaL_checkinteger(L, 5), ny = luaL_checkinteger(L, 6);
  if (x->ndim != 2 || up < 1 || down < 1 || ny < 0) gl_error(L, fname, "internal: bad upfirdn arguments");
  int64_t rows = x->shape[0], n = x->shape[1];
  gl_array *y = gl_array_push2(L, GL_FLOAT64, rows, ny);
  for (int64_t r = 0; r < rows; r++)
    gl_sig_upfirdn_f64(n, (const double *)x->data + r * n, h->size, (const double *)h->data, up, down, ny,
                       (double *)y->data + r * ny);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"convolve", sv_convolve}, {"convolve1d", sv_convolve1d}, {"medfilt", sv_medfilt},
  {"sta_lta", sv_sta_lta}, {"upfirdn", sv_upfirdn}, {NULL, NULL}};

void gl_signal_open_conv (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
}
