/* analytic.c: scipy.signal.hilbert, z = ifft(fft(x) * h), as one r2c and one
 * c2r FFT per row.
 *
 * h is 1 at frequency 0 (and N/2 for even N), 2 on the positive frequencies
 * and 0 on the negative ones, so fft(x) * h = X + s X with s = sign(k). X
 * transforms back to x, and s X (anti-Hermitian) to i times the Hilbert
 * transform H(x), which is real. So the real part of z is x itself (cut or
 * zero-padded to N) and the imaginary part is the c2r transform of -i s X
 * over the r2c half-spectrum. scipy's complex inverse FFT gives the same
 * numbers up to rounding (its real part is x to within an ulp or two of the
 * largest value); this costs two real FFTs instead of a complex one of twice
 * the work. The 1/N of the inverse is folded into the spectrum.
 *
 * Rows are independent and each is transformed by the same plans whatever the
 * thread that runs it, so results do not depend on the thread count. */
#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include "gl_types.h"
#include <fftw3.h>
#include "analytic.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* A thread's scratch: rb (N doubles), cb (N/2+1 complex), then the plans'. */
static size_t part_bytes (int64_t N) {
  size_t rb = ((size_t)N * sizeof(double) + 63) / 64 * 64;
  size_t cb = ((size_t)(N / 2 + 1) * sizeof(fftw_complex) + 63) / 64 * 64;
  return rb + cb;
}

size_t gl_sig_analytic_scratch (const gl_fft_plan *r2c, const gl_fft_plan *c2r, int64_t N) {
  size_t a = gl_fft_scratch_bytes(r2c), b = gl_fft_scratch_bytes(c2r);
  return part_bytes(N) + (a > b ? a : b);
}

/* y = |x + i h| as sqrt(x^2 + h^2): within an ulp of libm's hypot (scipy's
 * and NumPy's abs), and vectorised: hypot, a call with range checks and a
 * correction step per value, was a quarter of the envelope's time. Where the
 * sum of squares could have overflowed or lost bits to underflow (or is NaN),
 * those values are redone by hypot. */
static void magnitude_f64 (int64_t m, const double *restrict x, const double *restrict h,
                           double *restrict y) {
  int64_t bad = 0;   /* 64-bit, as the comparison masks: the loop vectorises */
  for (int64_t i = 0; i < m; i++) {
    double s = x[i] * x[i] + h[i] * h[i];
    y[i] = sqrt(s);
    bad |= (int64_t)(s < 0x1p-968) | (int64_t)!(s <= DBL_MAX);   /* no branch: vectorises */
  }
  if (bad)
    for (int64_t i = 0; i < m; i++) {
      double s = x[i] * x[i] + h[i] * h[i];
      if (!(s >= 0x1p-968 && s <= DBL_MAX)) y[i] = hypot(x[i], h[i]);
    }
}

/* One row: x (length n) -> half spectrum cb -> H(x) in rb -> dst. */
static void one_row (int64_t n, const double *x, int64_t N, const gl_fft_plan *r2c,
                     const gl_fft_plan *c2r, char *scr, int magnitude, void *dst) {
  int64_t m = n < N ? n : N, nf = N / 2 + 1;
  double *rb = (double *)scr;
  fftw_complex *cb = (fftw_complex *)(scr + ((size_t)N * sizeof(double) + 63) / 64 * 64);
  void *ws = scr + part_bytes(N);
  const double *src = x;   /* read in place when whole: r2c keeps its input */
  if (m != N) {
    memcpy(rb, x, (size_t)m * sizeof *rb);
    for (int64_t i = m; i < N; i++) rb[i] = 0;
    src = rb;
  }
  gl_fft_exec(r2c, src, cb, ws);
  /* -i s X / N on bins 0..N/2: 0 at DC and at an even N's Nyquist bin */
  double s = 1.0 / (double)N;
  int64_t top = N % 2 == 0 ? N / 2 : nf;   /* bins 1..top-1 are positive frequencies */
  cb[0][0] = 0; cb[0][1] = 0;
  for (int64_t k = 1; k < top; k++) {
    double re = cb[k][0], im = cb[k][1];
    cb[k][0] = im * s; cb[k][1] = -re * s;
  }
  if (N % 2 == 0) { cb[top][0] = 0; cb[top][1] = 0; }
  gl_fft_exec(c2r, cb, rb, ws);
  if (magnitude) {
    double *y = dst;
    magnitude_f64(m, x, rb, y);
    for (int64_t i = m; i < N; i++) y[i] = fabs(rb[i]);
  } else {
    double *y = dst;
    for (int64_t i = 0; i < m; i++) { y[2 * i] = x[i]; y[2 * i + 1] = rb[i]; }
    for (int64_t i = m; i < N; i++) { y[2 * i] = 0; y[2 * i + 1] = rb[i]; }
  }
}

int gl_sig_analytic_f64 (int64_t rows, int64_t n, const double *x, int64_t N,
                         const gl_fft_plan *r2c, const gl_fft_plan *c2r, int magnitude, void *out,
                         void *scratch0) {
  atomic_int err = 0;
  size_t osz = magnitude ? sizeof(double) : sizeof(fftw_complex);
  size_t bytes = gl_sig_analytic_scratch(r2c, c2r, N);
  int nth = (rows >= 2 && (double)rows * (double)N >= 65536.0) ? gl_threads() : 1;
#ifdef _OPENMP
#pragma omp parallel num_threads(nth) if (nth > 1)
#endif
  {
    int own = 0;
#ifdef _OPENMP
    own = omp_get_thread_num() != 0;
#endif
    char *scr = own ? fftw_malloc(bytes) : scratch0;
    if (!scr) atomic_store(&err, GL_ENOMEM);
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t r = 0; r < rows; r++) {
      if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
      if (gl_interrupted()) { atomic_store(&err, GL_EINTR); continue; }
      one_row(n, x + r * n, N, r2c, c2r, scr, magnitude, (char *)out + (size_t)(r * N) * osz);
    }
    if (own) fftw_free(scr);
  }
  (void)nth;
  return atomic_load(&err);
}
