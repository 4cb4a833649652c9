/* signal_spectral.c: FFT-based bindings of the signal module: windowed
 * segment spectra (welch, spectrogram, stft) and row FFTs (resample,
 * fftconvolve, hilbert envelopes). FFTW plans are cached per lua_State in a
 * registry userdata (no C globals), made with FFTW_ESTIMATE so that the same
 * script gives the same bits on every run; the cache's __gc destroys them. */
#include <string.h>
#include <fftw3.h>
#include "gl_array.h"
#include "fft.h"
#include "spectral.h"
#include "analytic.h"
#include "signal_internal.h"

enum { K_R2C = GL_FFT_R2C, K_C2R = GL_FFT_C2R, K_C2C_BACK = GL_FFT_BACKWARD, K_C2C_FWD = GL_FFT_FORWARD };

static gl_array *rows2d (lua_State *L, int idx, const char *fname) {
  gl_array *x = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  if (x->ndim != 2) gl_error(L, fname, "internal: rows expected");
  return x;
}

/* core.segments(fname, x2d, win, nperseg, step, nfft, detrend, mode, onesided, scale)
 * -> (rows, nseg, nout): mode "complex" (complex128), "psd" or "magnitude" (float64). */
static int ss_segments (lua_State *L) {
  static const char *const modes[] = {"complex", "psd", "magnitude", NULL};
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = rows2d(L, 2, fname);
  gl_array *w = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  int64_t nperseg = luaL_checkinteger(L, 4), step = luaL_checkinteger(L, 5), nfft = luaL_checkinteger(L, 6);
  int detrend = (int)luaL_checkinteger(L, 7);
  int mode = luaL_checkoption(L, 8, NULL, modes), onesided = lua_toboolean(L, 9);
  double scale = luaL_checknumber(L, 10);
  int64_t rows = x->shape[0], n = x->shape[1];
  if (w->size != nperseg || nperseg < 1 || step < 1 || nfft < nperseg || nperseg > n)
    gl_error(L, fname, "internal: bad segment sizes");
  int64_t nseg = (n - nperseg) / step + 1, nout = onesided ? nfft / 2 + 1 : nfft;
  const gl_fft_plan *p = gl_fft_get_plan(L, K_R2C, nfft, fname);
  int64_t shp[3] = {rows, nseg, nout};
  gl_array *y = gl_array_push(L, mode == GL_SEG_COMPLEX ? GL_COMPLEX128 : GL_FLOAT64, 3, shp);
  int rc = gl_sig_segments_f64(rows, n, (const double *)x->data, nperseg, step, nseg,
                               (const double *)w->data, detrend, nfft, p, mode, onesided, scale,
                               y->data);
  if (rc) gl_kernel_error(L, fname, rc);
  return 1;
}

/* core.rfft(fname, x2d, nfft) -> re, im (rows, nfft/2+1): rows zero-padded or cut to nfft */
static int ss_rfft (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = rows2d(L, 2, fname);
  int64_t nfft = luaL_checkinteger(L, 3), rows = x->shape[0], n = x->shape[1], nf = nfft / 2 + 1;
  if (nfft < 1) gl_error(L, fname, "FFT size must be >= 1, got %lld", (long long)nfft);
  const gl_fft_plan *p = gl_fft_get_plan(L, K_R2C, nfft, fname);
  gl_array *re = gl_array_push2(L, GL_FLOAT64, rows, nf), *im = gl_array_push2(L, GL_FLOAT64, rows, nf);
  size_t ws = gl_fft_scratch_bytes(p);   /* a multiple of 64: what follows is aligned */
  char *scr = gl_fft_get_scratch(L, ws + (size_t)nfft * sizeof(double) + (size_t)nf * sizeof(fftw_complex), fname);
  fftw_complex *out = (fftw_complex *)(scr + ws);
  double *in = (double *)(out + nf);
  for (int64_t r = 0; r < rows; r++) {
    int64_t m = n < nfft ? n : nfft;
    memcpy(in, (const double *)x->data + r * n, (size_t)m * sizeof(double));
    for (int64_t i = m; i < nfft; i++) in[i] = 0;
    gl_fft_exec(p, in, out, scr);
    for (int64_t k = 0; k < nf; k++) {
      ((double *)re->data)[r * nf + k] = out[k][0];
      ((double *)im->data)[r * nf + k] = out[k][1];
    }
  }
  return 2;
}

/* core.irfft(fname, re2d, im2d, n) -> (rows, n), numpy.fft.irfft's scaling:
 * the input is cut or zero-padded to n/2+1 bins, the imaginary part of bin 0
 * (and of bin n/2 for even n) ignored. */
static int ss_irfft (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *re = rows2d(L, 2, fname), *im = rows2d(L, 3, fname);
  int64_t n = luaL_checkinteger(L, 4), rows = re->shape[0], m = re->shape[1], nf = n / 2 + 1;
  if (n < 1) gl_error(L, fname, "FFT size must be >= 1, got %lld", (long long)n);
  const gl_fft_plan *p = gl_fft_get_plan(L, K_C2R, n, fname);
  gl_array *y = gl_array_push2(L, GL_FLOAT64, rows, n);
  size_t ws = gl_fft_scratch_bytes(p);   /* a multiple of 64: what follows is aligned */
  char *scr = gl_fft_get_scratch(L, ws + (size_t)nf * sizeof(fftw_complex) + (size_t)n * sizeof(double), fname);
  fftw_complex *in = (fftw_complex *)(scr + ws);
  double *o = (double *)(in + nf);
  for (int64_t r = 0; r < rows; r++) {
    for (int64_t k = 0; k < nf; k++) {
      in[k][0] = k < m ? ((double *)re->data)[r * m + k] : 0;
      in[k][1] = k < m ? ((double *)im->data)[r * m + k] : 0;
    }
    gl_fft_exec(p, in, o, scr);   /* ignores the imaginary parts of DC and Nyquist */
    for (int64_t i = 0; i < n; i++) ((double *)y->data)[r * n + i] = o[i] / (double)n;
  }
  return 1;
}

/* core.fft(fname, re2d, im2d|nil, inverse) -> re, im (rows, n); inverse scales by 1/n */
static int ss_fft (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *re = rows2d(L, 2, fname);
  gl_array *im = lua_isnoneornil(L, 3) ? NULL : rows2d(L, 3, fname);
  int inverse = lua_toboolean(L, 4);
  int64_t rows = re->shape[0], n = re->shape[1];
  if (n < 1) gl_error(L, fname, "FFT size must be >= 1");
  const gl_fft_plan *p = gl_fft_get_plan(L, inverse ? K_C2C_BACK : K_C2C_FWD, n, fname);
  gl_array *yr = gl_array_push2(L, GL_FLOAT64, rows, n), *yi = gl_array_push2(L, GL_FLOAT64, rows, n);
  size_t ws = gl_fft_scratch_bytes(p);   /* a multiple of 64: what follows is aligned */
  char *scr = gl_fft_get_scratch(L, ws + 2 * (size_t)n * sizeof(fftw_complex), fname);
  fftw_complex *in = (fftw_complex *)(scr + ws), *out = in + n;
  double s = inverse ? 1.0 / (double)n : 1.0;
  for (int64_t r = 0; r < rows; r++) {
    for (int64_t k = 0; k < n; k++) {
      in[k][0] = ((double *)re->data)[r * n + k];
      in[k][1] = im ? ((double *)im->data)[r * n + k] : 0;
    }
    gl_fft_exec(p, in, out, scr);
    for (int64_t k = 0; k < n; k++) {
      ((double *)yr->data)[r * n + k] = out[k][0] * s;
      ((double *)yi->data)[r * n + k] = out[k][1] * s;
    }
  }
  return 2;
}

/* core.analytic(fname, x2d, N, magnitude) -> (rows, N): scipy.signal.hilbert of
 * each row (complex128), or its magnitude (float64) when magnitude is true. */
static int ss_analytic (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = rows2d(L, 2, fname);
  int64_t N = luaL_checkinteger(L, 3);
  int magnitude = lua_toboolean(L, 4);
  if (N < 1) gl_error(L, fname, "N must be positive, got %lld", (long long)N);
  const gl_fft_plan *f = gl_fft_get_plan(L, K_R2C, N, fname);
  const gl_fft_plan *b = gl_fft_get_plan(L, K_C2R, N, fname);   /* f stays cached (fft.h) */
  gl_array *y = gl_array_push2(L, magnitude ? GL_FLOAT64 : GL_COMPLEX128, x->shape[0], N);
  void *scr = gl_fft_get_scratch(L, gl_sig_analytic_scratch(f, b, N), fname);
  int rc = gl_sig_analytic_f64(x->shape[0], x->shape[1], (const double *)x->data, N, f, b,
                               magnitude, y->data, scr);
  if (rc) gl_kernel_error(L, fname, rc);
  return 1;
}

/* core.detrend(fname, x2d, kind, bps) -> y2d; bps: 0-based segment starts
 * (linear kind only), as scipy's bp. */
static int ss_detrend (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = rows2d(L, 2, fname);
  int kind = (int)luaL_checkinteger(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  int64_t rows = x->shape[0], n = x->shape[1], nb = (int64_t)lua_rawlen(L, 4);
  int64_t *cut = gl_scratch(L, (size_t)(nb + 2) * sizeof *cut);
  int64_t nc = 0;
  cut[nc++] = 0;
  for (int64_t i = 1; i <= nb; i++) { lua_rawgeti(L, 4, i); cut[nc++] = lua_tointeger(L, -1); lua_pop(L, 1); }
  cut[nc++] = n;
  for (int64_t i = 1; i < nc; i++) {   /* sorted, unique: np.sort(np.unique(...)) */
    int64_t t = cut[i], j = i;
    while (j > 0 && cut[j - 1] > t) { cut[j] = cut[j - 1]; j--; }
    cut[j] = t;
  }
  gl_array *y = gl_array_push_copy(L, x, GL_FLOAT64);
  double *d = (double *)y->data;
  for (int64_t r = 0; r < rows; r++) {
    if (kind == GL_DETREND_CONSTANT) { gl_sig_detrend_f64(n, d + r * n, kind); continue; }
    for (int64_t i = 0; i + 1 < nc; i++)
      if (cut[i + 1] > cut[i]) gl_sig_detrend_f64(cut[i + 1] - cut[i], d + r * n + cut[i], kind);
  }
  return 1;
}

static const luaL_Reg funcs[] = {
  {"analytic", ss_analytic}, {"detrend", ss_detrend}, {"fft", ss_fft}, {"irfft", ss_irfft}, {"rfft", ss_rfft}, {"segments", ss_segments}, {NULL, NULL}};

void gl_signal_open_spectral (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
}
