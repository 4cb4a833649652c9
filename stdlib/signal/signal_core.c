/* signal_core.c: luaopen_geolab_signal_core, the C half of the signal module
 * (stdlib/signal/signal.lua is the front, which checks options and moves the
 * filtered axis last). Filters see C-contiguous (rows, n) float64 arrays.
 * Spectral bindings are in signal_spectral.c. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "iir_design.h"
#include "filter.h"
#include "signal_internal.h"

#define MAX_ORDER 60

/* core.iirdesign(fname, ftype, btype, order, wn1, wn2, rp, norm, output)
 * output "ba" -> b, a; "sos" -> sos; "zpk" -> z, p (complex128), k (a number). */
static int sc_iirdesign (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  static const char *const ftypes[] = {"butter", "cheby1", "bessel", "cheby2", NULL};   /* GL_IIR_* order */
  static const char *const btypes[] = {"lowpass", "highpass", "bandpass", "bandstop", NULL};
  static const char *const norms[] = {"phase", "delay", "mag", NULL};
  static const char *const outs[] = {"ba", "sos", "zpk", NULL};
  int ftype = luaL_checkoption(L, 2, NULL, ftypes), btype = luaL_checkoption(L, 3, NULL, btypes);
  lua_Integer order = luaL_checkinteger(L, 4);
  double wn[2] = {luaL_checknumber(L, 5), luaL_optnumber(L, 6, 0)};
  double rp = luaL_optnumber(L, 7, 0);
  int norm = luaL_checkoption(L, 8, "phase", norms), out = luaL_checkoption(L, 9, "ba", outs);
  if (order < 0 || order > MAX_ORDER)
    gl_error(L, fname, "filter order must be an integer from 0 to %d, got %lld", MAX_ORDER, (long long)order);
  double complex z[2 * MAX_ORDER + 2], p[2 * MAX_ORDER + 2];
  int64_t nz, np;
  double k;
  int rc = gl_iir_zpk(ftype, btype, (int)order, rp, norm, wn, z, &nz, p, &np, &k);
  if (rc) gl_error(L, fname, "the Bessel polynomial's roots did not converge for order %lld", (long long)order);
  if (out == 0) {
    gl_array *b = gl_array_push1(L, GL_FLOAT64, nz + 1);
    gl_iir_poly(nz, z, k, (double *)b->data);
    gl_array *a = gl_array_push1(L, GL_FLOAT64, np + 1);
    gl_iir_poly(np, p, 1.0, (double *)a->data);
    return 2;
  }
  if (out == 1) {
    int64_t nsec = gl_iir_nsections(nz, np);
    gl_array *s = gl_array_push2(L, GL_FLOAT64, nsec, 6);
    if (gl_iir_zpk2sos(nz, z, np, p, k, nsec, (double *)s->data))
      gl_error(L, fname, "a complex pole or zero has no conjugate");
    return 1;
  }
  for (int w = 0; w < 2; w++) {
    int64_t n = w ? np : nz;
    const double complex *v = w ? p : z;
    gl_array *c = gl_array_push1(L, GL_COMPLEX128, n);
    memcpy(c->data, v, (size_t)n * sizeof *v);
  }
  lua_pushnumber(L, k);
  return 3;
}

/* A 1-D float64 coefficient array at idx (contiguous). */
static gl_array *coef_arg (lua_State *L, int idx, const char *fname, const char *what) {
  gl_array *c = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  if (c->ndim != 1) gl_error(L, fname, "%s must be 1-D, got %d-D", what, c->ndim);
  if (c->size < 1) gl_error(L, fname, "%s must not be empty", what);
  return c;
}

/* b and a padded with zeros to a common length nc, in Lua-owned scratch. */
static double *pad_ba (lua_State *L, const gl_array *b, const gl_array *a, int64_t *nc) {
  int64_t n = b->size > a->size ? b->size : a->size;
  double *ba = gl_scratch(L, (size_t)(2 * n) * sizeof(double));
  memset(ba, 0, (size_t)(2 * n) * sizeof(double));
  memcpy(ba, b->data, (size_t)b->size * sizeof(double));
  memcpy(ba + n, a->data, (size_t)a->size * sizeof(double));
  *nc = n;
  return ba;
}

/* A C-contiguous 2-D float64 signal array at idx (rows, n). NaN is let
 * through, as scipy does: it spreads over the rest of the filtered signal
 * (docs/signal.md says so and shows how to fill gaps first). */
static gl_array *rows_arg (lua_State *L, int idx, const char *fname) {
  gl_array *x = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  if (x->ndim != 2) gl_error(L, fname, "internal: signal rows expected");
  return x;
}

/* core.lfilter(fname, b, a, x2d, zi2d|nil) -> y, zf (zf is (rows, nc-1)) */
static int sc_lfilter (lua_State *L) {
  lua_settop(L, 5);   /* zi stays at 5 when it is not given */
  const char *fname = luaL_checkstring(L, 1);
  gl_array *b = coef_arg(L, 2, fname, "b"), *a = coef_arg(L, 3, fname, "a");
  gl_array *x = rows_arg(L, 4, fname);
  int64_t nc, rows = x->shape[0], n = x->shape[1];
  if (((double *)a->data)[0] == 0) gl_error(L, fname, "a[1] must not be zero (the filter is normalised by it)");
  double *ba = pad_ba(L, b, a, &nc);
  gl_array *y = gl_array_push2(L, GL_FLOAT64, rows, n);
  gl_array *z = gl_array_push_zeros(L, GL_FLOAT64, 2, (int64_t[]){rows, nc - 1});
  if (!lua_isnoneornil(L, 5)) {
    gl_array *zi = gl_array_arg_contig(L, 5, GL_FLOAT64, fname);
    if (zi->size != z->size) gl_error(L, fname, "internal: zi size");
    memcpy(z->data, zi->data, (size_t)z->size * sizeof(double));
  }
  int rc = gl_sig_lfilter_f64(rows, n, (const double *)x->data, (double *)y->data, nc, ba, ba + nc,
                              (double *)z->data);
  if (rc) gl_kernel_error(L, fname, rc);
  return 2;
}

/* (nsec, 6) float64 sos at idx with sos[:, 4] == 1 (1-based column). */
static gl_array *sos_arg (lua_State *L, int idx, const char *fname) {
  gl_array *s = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  char buf[64];
  if (s->ndim == 1 && s->size == 6) {
    gl_array_push_view(L, idx, GL_FLOAT64, 2, (int64_t[]){1, 6}, (int64_t[]){6, 1}, s->data);
    lua_replace(L, idx);
    s = gl_array_test(L, idx);
  }
  if (s->ndim != 2 || s->shape[1] != 6 || s->shape[0] < 1)
    gl_error(L, fname, "sos must have shape (n_sections, 6), got %s", gl_shape_str(buf, sizeof buf, s->ndim, s->shape));
  for (int64_t i = 0; i < s->shape[0]; i++)
    if (((double *)s->data)[6 * i + 3] != 1)
      gl_error(L, fname, "sos[:, 4] (a0 of each section) must be all ones, section %lld has %g",
               (long long)(i + 1), ((double *)s->data)[6 * i + 3]);
  return s;
}

/* core.sosfilt(fname, sos, x2d, zi3d|nil) -> y, zf (rows, nsec, 2) */
static int sc_sosfilt (lua_State *L) {
  lua_settop(L, 4);   /* zi stays at 4 when it is not given */
  const char *fname = luaL_checkstring(L, 1);
  gl_array *s = sos_arg(L, 2, fname);
  gl_array *x = rows_arg(L, 3, fname);
  int64_t rows = x->shape[0], n = x->shape[1], nsec = s->shape[0];
  gl_array *y = gl_array_push2(L, GL_FLOAT64, rows, n);
  gl_array *z = gl_array_push_zeros(L, GL_FLOAT64, 3, (int64_t[]){rows, nsec, 2});
  if (!lua_isnoneornil(L, 4)) {
    gl_array *zi = gl_array_arg_contig(L, 4, GL_FLOAT64, fname);
    if (zi->size != z->size) gl_error(L, fname, "internal: zi size");
    memcpy(z->data, zi->data, (size_t)z->size * sizeof(double));
  }
  int rc = gl_sig_sosfilt_f64(rows, n, (const double *)x->data, (double *)y->data, nsec,
                              (const double *)s->data, (double *)z->data);
  if (rc) gl_kernel_error(L, fname, rc);
  return 2;
}

static int zi_error (lua_State *L, const char *fname) {
  return gl_error(L, fname, "the filter has no steady state (I - A is singular)");
}

/* core.lfilter_zi(fname, b, a) -> zi */
static int sc_lfilter_zi (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *b = coef_arg(L, 2, fname, "b"), *a = coef_arg(L, 3, fname, "a");
  /* leading zeros of a are dropped, as scipy does */
  const double *ad = (const double *)a->data;
  int64_t skip = 0;
  while (a->size - skip > 1 && ad[skip] == 0) skip++;
  if (ad[skip] == 0) gl_error(L, fname, "there must be at least one nonzero a coefficient");
  gl_array_push_view(L, 3, GL_FLOAT64, 1, (int64_t[]){a->size - skip}, (int64_t[]){1}, a->data + skip * sizeof(double));
  lua_replace(L, 3);
  a = gl_array_test(L, 3);
  int64_t nc;
  double *ba = pad_ba(L, b, a, &nc);
  gl_array *zi = gl_array_push1(L, GL_FLOAT64, nc - 1);
  if (gl_sig_lfilter_zi_f64(nc, ba, ba + nc, (double *)zi->data)) zi_error(L, fname);
  return 1;
}

/* core.sosfilt_zi(fname, sos) -> zi (nsec, 2) */
static int sc_sosfilt_zi (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *s = sos_arg(L, 2, fname);
  gl_array *zi = gl_array_push2(L, GL_FLOAT64, s->shape[0], 2);
  if (gl_sig_sosfilt_zi_f64(s->shape[0], (const double *)s->data, (double *)zi->data)) zi_error(L, fname);
  return 1;
}

/* core.filtfilt(fname, b|sos, a|nil, x2d, padtype, padlen|nil) -> y */
static int sc_filtfilt (lua_State *L) {
  lua_settop(L, 6);   /* padlen stays at 6 when it is not given */
  const char *fname = luaL_checkstring(L, 1);
  static const char *const pads[] = {"none", "odd", "even", "constant", NULL};
  int sos = lua_isnoneornil(L, 3);
  gl_array *s = NULL, *b = NULL, *a = NULL;
  int64_t ntaps, nc = 0;
  double *ba = NULL;
  if (sos) {
    s = sos_arg(L, 2, fname);
    int64_t z2 = 0, z5 = 0, nsec = s->shape[0];
    for (int64_t i = 0; i < nsec; i++) {
      z2 += ((double *)s->data)[6 * i + 2] == 0;
      z5 += ((double *)s->data)[6 * i + 5] == 0;
    }
    ntaps = 2 * nsec + 1 - (z2 < z5 ? z2 : z5);
  } else {
    b = coef_arg(L, 2, fname, "b"); a = coef_arg(L, 3, fname, "a");
    ntaps = b->size > a->size ? b->size : a->size;
    if (((double *)a->data)[0] == 0) gl_error(L, fname, "a[1] must not be zero (the filter is normalised by it)");
  }
  gl_array *x = rows_arg(L, 4, fname);
  int pad = luaL_checkoption(L, 5, "odd", pads);
  int64_t edge = pad == GL_PAD_NONE ? 0 : (lua_isnoneornil(L, 6) ? 3 * ntaps : luaL_checkinteger(L, 6));
  int64_t rows = x->shape[0], n = x->shape[1];
  if (edge < 0) gl_error(L, fname, "padlen must be >= 0, got %lld", (long long)edge);
  if (n <= edge)   /* scipy's words, then ours */
    gl_error(L, fname, "The length of the input vector x must be greater than padlen, which is %lld "
             "(x has %lld samples along the axis%s)", (long long)edge, (long long)n,
             lua_isnoneornil(L, 6) ? "; padlen defaults to 3 times the number of filter taps" : "");
  if (!sos) ba = pad_ba(L, b, a, &nc);
  gl_array *y = gl_array_push2(L, GL_FLOAT64, rows, n);
  int rc = gl_sig_filtfilt_f64(rows, n, (const double *)x->data, (double *)y->data, pad, edge,
                               nc, ba, ba ? ba + nc : NULL, sos ? s->shape[0] : 0,
                               sos ? (const double *)s->data : NULL);
  if (rc == GL_ESINGULAR) zi_error(L, fname);
  if (rc) gl_kernel_error(L, fname, rc);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"filtfilt", sc_filtfilt}, {"iirdesign", sc_iirdesign}, {"lfilter", sc_lfilter},
  {"lfilter_zi", sc_lfilter_zi}, {"sosfilt", sc_sosfilt}, {"sosfilt_zi", sc_sosfilt_zi},
  {NULL, NULL}};

int luaopen_geolab_signal_core (lua_State *L) {
  luaL_newlib(L, funcs);
  gl_signal_open_spectral(L);
  gl_signal_open_conv(L);
  gl_signal_open_peaks(L);
  return 1;
}
