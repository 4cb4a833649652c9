/* spectral.c: windowed segment FFTs (scipy.signal._fft_helper) on an FFTW
 * r2c plan. Segments run one after the other through the plan's own
 * buffers: one plan, no per-segment allocation, and the same numbers for any
 * thread count. */
#include <string.h>
#include "gl_types.h"
#include "spectral.h"

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

int gl_sig_segments_rfft_f64 (int64_t rows, int64_t n, const double *x, int64_t nperseg,
                              int64_t step, int64_t nseg, const double *win, int detrend,
                              int64_t nfft, fftw_plan plan, double *in, fftw_complex *out,
                              double *re, double *im) {
  int64_t nf = nfft / 2 + 1;
  (void)n;
  for (int64_t r = 0; r < rows; r++) {
    if (gl_interrupted()) return GL_EINTR;
    for (int64_t s = 0; s < nseg; s++) {
      const double *seg = x + r * n + s * step;
      memcpy(in, seg, (size_t)nperseg * sizeof *in);
      gl_sig_detrend_f64(nperseg, in, detrend);
      for (int64_t i = 0; i < nperseg; i++) in[i] *= win[i];
      for (int64_t i = nperseg; i < nfft; i++) in[i] = 0;
      fftw_execute(plan);
      double *pr = re + (r * nseg + s) * nf, *pi = im + (r * nseg + s) * nf;
      for (int64_t k = 0; k < nf; k++) { pr[k] = out[k][0]; pi[k] = out[k][1]; }
    }
  }
  return 0;
}
