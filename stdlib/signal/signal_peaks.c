/* signal_peaks.c: bindings of the peak loops (kernels/signal/peaks.c) for
 * signal_peaks.lua. Positions cross this boundary 0-based, as int64 arrays;
 * the Lua front adds 1 before users see them. */
#include <string.h>
#include "gl_array.h"
#include "peaks.h"
#include "signal_internal.h"

static gl_array *fvec (lua_State *L, int idx, const char *fname) {
  gl_array *a = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  if (a->ndim != 1) gl_error(L, fname, "internal: 1-D array expected");
  return a;
}

static gl_array *ivec (lua_State *L, int idx, const char *fname) {
  gl_array *a = gl_array_arg_contig(L, idx, GL_INT64, fname);
  if (a->ndim != 1) gl_error(L, fname, "internal: 1-D array expected");
  return a;
}

/* core.local_maxima(fname, x) -> mid, left, right (0-based) */
static int sp_local_maxima (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = fvec(L, 2, fname);
  int64_t cap = x->size / 2 + 1;
  int64_t *buf = gl_scratch(L, (size_t)(3 * cap) * sizeof *buf);
  int64_t m = gl_sig_local_maxima_f64(x->size, (const double *)x->data, buf, buf + cap, buf + 2 * cap);
  for (int k = 0; k < 3; k++) {
    gl_array *o = gl_array_push1(L, GL_INT64, m);
    if (m) memcpy(o->data, buf + k * cap, (size_t)m * sizeof *buf);
  }
  return 3;
}

/* core.peak_distance(fname, x, peaks, distance) -> keep (bool) */
static int sp_peak_distance (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = fvec(L, 2, fname), *p = ivec(L, 3, fname);
  double d = luaL_checknumber(L, 4);
  int64_t *order = gl_scratch(L, (size_t)(p->size + 1) * sizeof *order);
  gl_array *keep = gl_array_push1(L, GL_BOOL, p->size);
  if (gl_sig_peak_distance_f64(p->size, (const int64_t *)p->data, (const double *)x->data, d,
                               (unsigned char *)keep->data, order))
    gl_error(L, fname, "not enough memory");
  return 1;
}

/* core.prominences(fname, x, peaks, wlen) -> prom, lb, rb */
static int sp_prominences (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = fvec(L, 2, fname), *p = ivec(L, 3, fname);
  lua_Integer wlen = luaL_checkinteger(L, 4);
  gl_array *pr = gl_array_push1(L, GL_FLOAT64, p->size);
  gl_array *lb = gl_array_push1(L, GL_INT64, p->size), *rb = gl_array_push1(L, GL_INT64, p->size);
  if (gl_sig_prominences_f64(x->size, (const double *)x->data, p->size, (const int64_t *)p->data, wlen,
                             (double *)pr->data, (int64_t *)lb->data, (int64_t *)rb->data))
    gl_error(L, fname, "a peak is not a valid position in x");
  return 3;
}

/* core.widths(fname, x, peaks, rel, prom, lb, rb) -> w, wh, lip, rip */
static int sp_widths (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = fvec(L, 2, fname), *p = ivec(L, 3, fname);
  double rel = luaL_checknumber(L, 4);
  gl_array *pr = fvec(L, 5, fname), *lb = ivec(L, 6, fname), *rb = ivec(L, 7, fname);
  int64_t m = p->size;
  if (pr->size != m || lb->size != m || rb->size != m)
    gl_error(L, fname, "prominence data must have one value per peak");
  gl_array *o[4];
  for (int k = 0; k < 4; k++) o[k] = gl_array_push1(L, GL_FLOAT64, m);
  if (gl_sig_widths_f64(x->size, (const double *)x->data, m, (const int64_t *)p->data, rel,
                        (const double *)pr->data, (const int64_t *)lb->data, (const int64_t *)rb->data,
                        (double *)o[0]->data, (double *)o[1]->data, (double *)o[2]->data, (double *)o[3]->data))
    gl_error(L, fname, "prominence data is invalid (bases must surround their peak)");
  return 4;
}

static const luaL_Reg funcs[] = {
  {"local_maxima", sp_local_maxima}, {"peak_distance", sp_peak_distance},
  {"prominences", sp_prominences}, {"widths", sp_widths}, {NULL, NULL}};

void gl_signal_open_peaks (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
}
