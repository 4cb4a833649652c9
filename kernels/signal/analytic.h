/* analytic.h: the analytic signal of real rows (scipy.signal.hilbert) and its
 * magnitude (the envelope), on FFTW plans the caller creates and caches. */
#ifndef GL_SIGNAL_ANALYTIC_H
#define GL_SIGNAL_ANALYTIC_H
#include <stdint.h>
#include <fftw3.h>

/* For each of `rows` rows of x (length n, cut or zero-padded to N): the
 * analytic signal ifft(fft(x) * h) with scipy's h (1 at 0 and, for even N, at
 * N/2; 2 on the positive frequencies; 0 on the negative ones). r2c and c2r
 * are out-of-place plans of size N made on fftw_malloc'd buffers. Writes out
 * as (rows, N) double complex, or as (rows, N) doubles holding |analytic|
 * when magnitude is set. rb (N doubles) and cb (N/2+1 complex), fftw_malloc'd
 * and owned by the caller, are the scratch of the calling thread (kept
 * between calls, they save page faults on long signals); other threads
 * allocate their own. Returns 0, GL_ENOMEM or GL_EINTR. */
int gl_sig_analytic_f64(int64_t rows, int64_t n, const double *x, int64_t N,
                        fftw_plan r2c, fftw_plan c2r, int magnitude, void *out,
                        double *rb, fftw_complex *cb);

#endif
