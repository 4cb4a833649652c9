/* analytic.h: the analytic signal of real rows (scipy.signal.hilbert) and its
 * magnitude (the envelope), on FFT plans the caller creates and caches. */
#ifndef GL_SIGNAL_ANALYTIC_H
#define GL_SIGNAL_ANALYTIC_H
#include <stdint.h>
#include <stddef.h>
#include "fft.h"

/* For each of `rows` rows of x (length n, cut or zero-padded to N): the
 * analytic signal ifft(fft(x) * h) with scipy's h (1 at 0 and, for even N, at
 * N/2; 2 on the positive frequencies; 0 on the negative ones). r2c and c2r
 * are plans of size N (kernels/array/fft.h). Writes out as (rows, N) double
 * complex, or as (rows, N) doubles holding |analytic| when magnitude is set.
 * scratch0 (gl_sig_analytic_scratch bytes, FFTW-aligned, owned by the caller)
 * is the calling thread's scratch (kept between calls, it saves page faults
 * on long signals); other threads allocate their own. Returns 0, GL_ENOMEM
 * or GL_EINTR. */
size_t gl_sig_analytic_scratch(const gl_fft_plan *r2c, const gl_fft_plan *c2r, int64_t N);
int gl_sig_analytic_f64(int64_t rows, int64_t n, const double *x, int64_t N,
                        const gl_fft_plan *r2c, const gl_fft_plan *c2r, int magnitude, void *out,
                        void *scratch0);

#endif
