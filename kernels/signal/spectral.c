/* spectral.c: windowed segment FFTs (scipy.signal._fft_helper) on an r2c
 * plan (kernels/array/fft.h), and what scipy's _spectral_helper makes of them (scaled complex
 * spectra, power, magnitude), written in one pass. Segments are independent:
 * each runs through the same plan on its thread's buffers, so the numbers do
 * not depend on the thread count. */
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include "gl_types.h"
#include <fftw3.h>
#include "spectral.h"

#ifdef _OPENMP
#include <omp.h>
#endif

void gl_sig_detrend_f64 (int64_t n, double *x, int kind) {
  if (kind == GL_DETREND_NONE || n < 1) return;
  double m = 0;
  for (int64_t i = 0; i < n; i++) m += x[i];
  m /= (double)n;
  if (kind == GL_DETREND_CONSTANT) {
    for (int64_t i = 0; i < n; i++) x[i] -= m;
    return;
  }
  /* least-squares line over t = 0..n-1, centred so the fit is well conditioned */
  double tc = (double)(n - 1) / 2, stt = 0, sty = 0;
  for (int64_t i = 0; i < n; i++) {
    double t = (double)i - tc;
    stt += t * t;
    sty += t * (x[i] - m);
  }
  double slope = stt > 0 ? sty / stt : 0;
  for (int64_t i = 0; i < n; i++) x[i] -= m + slope * ((double)i - tc);
}

/* One segment's spectrum bins (cb, nf of them) -> its output row. */
static void store (const fftw_complex *cb, int64_t nfft, int mode, int onesided, double scale,
                   void *dst) {
  int64_t nf = nfft / 2 + 1, nout = onesided ? nf : nfft;
  if (mode == GL_SEG_COMPLEX) {
    double *y = dst;
    for (int64_t k = 0; k < nf; k++) { y[2 * k] = cb[k][0] * scale; y[2 * k + 1] = cb[k][1] * scale; }
    for (int64_t k = nf; k < nout; k++) {
      y[2 * k] = cb[nfft - k][0] * scale; y[2 * k + 1] = -cb[nfft - k][1] * scale;
    }
    return;
  }
  double *y = dst;
  if (mode == GL_SEG_MAGNITUDE) {
    for (int64_t k = 0; k < nf; k++) y[k] = sqrt(cb[k][0] * cb[k][0] + cb[k][1] * cb[k][1]) * scale;
  } else if (onesided) {
    /* scipy doubles all bins but DC and, for even nfft, Nyquist (x2 is exact) */
    int64_t hi = nfft % 2 ? nf : nf - 1;
    y[0] = (cb[0][0] * cb[0][0] + cb[0][1] * cb[0][1]) * scale;
    for (int64_t k = 1; k < hi; k++) y[k] = (cb[k][0] * cb[k][0] + cb[k][1] * cb[k][1]) * scale * 2;
    for (int64_t k = hi; k < nf; k++) y[k] = (cb[k][0] * cb[k][0] + cb[k][1] * cb[k][1]) * scale;
  } else {
    for (int64_t k = 0; k < nf; k++) y[k] = (cb[k][0] * cb[k][0] + cb[k][1] * cb[k][1]) * scale;
  }
  for (int64_t k = nf; k < nout; k++) y[k] = y[nfft - k];
}

int gl_sig_segments_f64 (int64_t rows, int64_t n, const double *x, int64_t nperseg,
                         int64_t step, int64_t nseg, const double *win, int detrend,
                         int64_t nfft, const gl_fft_plan *plan, int mode, int onesided, double scale,
                         void *out) {
  int64_t nf = nfft / 2 + 1, nout = onesided ? nf : nfft, total = rows * nseg;
  size_t osz = (mode == GL_SEG_COMPLEX ? 2 : 1) * sizeof(double);
  atomic_int err = 0;
  int nth = (total >= 4 && (double)total * (double)nfft >= 65536.0) ? gl_threads() : 1;
#ifdef _OPENMP
#pragma omp parallel num_threads(nth) if (nth > 1)
#endif
  {
    double *rb = fftw_malloc((size_t)nfft * sizeof *rb);
    fftw_complex *cb = fftw_malloc((size_t)nf * sizeof *cb);
    void *ws = fftw_malloc(gl_fft_scratch_bytes(plan));
    if (!rb || !cb || !ws) atomic_store(&err, GL_ENOMEM);
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t g = 0; g < total; g++) {
      if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
      if ((g & 255) == 0 && gl_interrupted()) { atomic_store(&err, GL_EINTR); continue; }
      int64_t r = g / nseg, s = g % nseg;
      const double *seg = x + r * n + s * step;
      if (detrend == GL_DETREND_CONSTANT) {
        /* gl_sig_detrend_f64's mean, subtracted and windowed in one pass */
        double m = 0;
        for (int64_t i = 0; i < nperseg; i++) m += seg[i];
        m /= (double)nperseg;
        for (int64_t i = 0; i < nperseg; i++) rb[i] = (seg[i] - m) * win[i];
      } else {
        memcpy(rb, seg, (size_t)nperseg * sizeof *rb);
        gl_sig_detrend_f64(nperseg, rb, detrend);
        for (int64_t i = 0; i < nperseg; i++) rb[i] *= win[i];
      }
      for (int64_t i = nperseg; i < nfft; i++) rb[i] = 0;
      gl_fft_exec(plan, rb, cb, ws);
      store(cb, nfft, mode, onesided, scale, (char *)out + (size_t)(g * nout) * osz);
    }
    fftw_free(rb); fftw_free(cb); fftw_free(ws);
  }
  (void)nth;
  return atomic_load(&err);
}
