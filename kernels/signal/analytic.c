/* analytic.c: scipy.signal.hilbert as one r2c and one backward c2c FFT per
 * row. scipy takes a full complex FFT of the real input, multiplies it by h
 * and inverts it; the negative frequencies are multiplied by 0, so the r2c
 * half-spectrum is all that is needed. The 1/N of the inverse is folded into
 * h (rounding differs from scipy's by an ulp or two, not more).
 *
 * Rows are independent and each is transformed by the same plan whatever the
 * thread that runs it, so results do not depend on the thread count. */
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include "gl_types.h"
#include "analytic.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* One row: x (length n) -> spec (N/2+1 bins, then zeros) -> dst (N complex). */
static void one_row (int64_t n, const double *x, int64_t N, fftw_plan r2c, fftw_plan c2c,
                     double *rb, fftw_complex *cb, fftw_complex *ob, int magnitude, void *dst) {
  int64_t m = n < N ? n : N;
  memcpy(rb, x, (size_t)m * sizeof *rb);
  for (int64_t i = m; i < N; i++) rb[i] = 0;
  fftw_execute_dft_r2c(r2c, rb, cb);
  double s1 = 1.0 / (double)N, s2 = 2.0 / (double)N;
  int64_t top = N % 2 == 0 ? N / 2 : (N + 1) / 2;   /* bins 1..top-1 doubled */
  cb[0][0] *= s1; cb[0][1] *= s1;
  for (int64_t k = 1; k < top; k++) { cb[k][0] *= s2; cb[k][1] *= s2; }
  int64_t k0 = top;
  if (N % 2 == 0) { cb[top][0] *= s1; cb[top][1] *= s1; k0 = top + 1; }
  memset(cb + k0, 0, (size_t)(N - k0) * sizeof *cb);
  /* straight into the output row when its alignment is the plan's */
  if (!magnitude && fftw_alignment_of((double *)dst) == 0) {
    fftw_execute_dft(c2c, cb, (fftw_complex *)dst);
    return;
  }
  fftw_execute_dft(c2c, cb, ob);
  if (magnitude) {
    double *y = dst;
    for (int64_t i = 0; i < N; i++) y[i] = hypot(ob[i][0], ob[i][1]);
  } else {
    memcpy(dst, ob, (size_t)N * sizeof *ob);
  }
}

int gl_sig_analytic_f64 (int64_t rows, int64_t n, const double *x, int64_t N,
                         fftw_plan r2c, fftw_plan c2c, int magnitude, void *out) {
  atomic_int err = 0;
  size_t osz = magnitude ? sizeof(double) : sizeof(fftw_complex);
  int nth = (rows >= 2 && (double)rows * (double)N >= 65536.0) ? gl_threads() : 1;
#ifdef _OPENMP
#pragma omp parallel num_threads(nth) if (nth > 1)
#endif
  {
    double *rb = fftw_malloc((size_t)N * sizeof *rb);
    fftw_complex *cb = fftw_malloc((size_t)N * sizeof *cb);
    fftw_complex *ob = fftw_malloc((size_t)N * sizeof *ob);
    if (!rb || !cb || !ob) atomic_store(&err, GL_ENOMEM);
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t r = 0; r < rows; r++) {
      if (atomic_load_explicit(&err, memory_order_relaxed)) continue;
      if (gl_interrupted()) { atomic_store(&err, GL_EINTR); continue; }
      one_row(n, x + r * n, N, r2c, c2c, rb, cb, ob, magnitude, (char *)out + (size_t)(r * N) * osz);
    }
    fftw_free(rb); fftw_free(cb); fftw_free(ob);
  }
  (void)nth;
  return atomic_load(&err);
}
