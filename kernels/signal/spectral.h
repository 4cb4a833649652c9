/* spectral.h: segment-wise real FFTs for welch, periodogram, spectrogram and
 * stft (scipy.signal's _fft_helper) on plans of kernels/array/fft.h that the
 * caller creates and caches (FFTW's planner is not thread-safe, and plans
 * made with FFTW_ESTIMATE give the same numbers on every run). */
#ifndef GL_SIGNAL_SPECTRAL_H
#define GL_SIGNAL_SPECTRAL_H
#include <stdint.h>
#include "fft.h"

enum { GL_DETREND_NONE = 0, GL_DETREND_CONSTANT, GL_DETREND_LINEAR };

/* Removes the mean (constant) or the least-squares line (linear) of x[0..n). */
void gl_sig_detrend_f64(int64_t n, double *x, int kind);

/* What gl_sig_segments_f64 writes for each segment spectrum X. */
enum { GL_SEG_COMPLEX = 0,  /* X * scale, double complex */
       GL_SEG_PSD,          /* |X|^2 * scale, one-sided bins doubled as scipy's psd */
       GL_SEG_MAGNITUDE };  /* |X| * scale */

/* For each of `rows` rows of x (length n): segments of nperseg samples every
 * step samples (nseg of them), each detrended, multiplied by win and
 * transformed with `plan` (an r2c plan of size nfft, executed on private
 * buffers, so segments run in parallel, each the same way whatever the
 * thread count). Writes out as
 * (rows, nseg, nout): nout = nfft/2+1 bins when onesided, else all nfft bins
 * (the upper ones conjugates of the lower, the input being real). Scratch is
 * allocated here. Returns 0, GL_ENOMEM or GL_EINTR. */
int gl_sig_segments_f64(int64_t rows, int64_t n, const double *x, int64_t nperseg,
                        int64_t step, int64_t nseg, const double *win, int detrend,
                        int64_t nfft, const gl_fft_plan *plan, int mode, int onesided, double scale,
                        void *out);

#endif
