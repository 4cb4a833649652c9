/* test_fft.c: the FFT plans of fft.c against a naive DFT (every kind, odd and
 * even lengths, gl_fft_exec on misaligned buffers, gl_fft_lines on strided
 * lines) and the plan cache of fft_cache.c (hits, least-recently-used
 * eviction past GL_FFT_CACHE_PLANS, the memory budget, scratch). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fftw3.h>
#include "fft.h"
#include "testhelp.h"

#define PI 3.14159265358979323846

/* X_k = sum_j x_j exp(sign 2 pi i jk/n), x and X as (re, im) pairs */
static void dft (int64_t n, const double *x, double *X, int sign) {
  for (int64_t k = 0; k < n; k++) {
    double re = 0, im = 0;
    for (int64_t j = 0; j < n; j++) {
      double a = sign * 2 * PI * (double)((j * k) % n) / (double)n;
      re += x[2 * j] * cos(a) - x[2 * j + 1] * sin(a);
      im += x[2 * j] * sin(a) + x[2 * j + 1] * cos(a);
    }
    X[2 * k] = re; X[2 * k + 1] = im;
  }
}

static void test_kinds (int64_t n) {
  double *x = calloc((size_t)(2 * n), sizeof(double)), *X = calloc((size_t)(2 * n), sizeof(double));
  /* one spare double in front: exec must cope with buffers FFTW did not plan on */
  double *in = calloc((size_t)(2 * n + 3), sizeof(double)), *out = calloc((size_t)(2 * n + 3), sizeof(double));
  for (int64_t j = 0; j < n; j++) x[2 * j] = sin(0.3 * (double)(j * j)) + 0.1 * (double)j;
  dft(n, x, X, -1);
  /* r2c on a misaligned input and output */
  gl_fft_plan *p = gl_fft_plan_new(GL_FFT_R2C, n);
  void *s = fftw_malloc(gl_fft_scratch_bytes(p));
  for (int64_t j = 0; j < n; j++) in[1 + j] = x[2 * j];
  gl_fft_exec(p, in + 1, out + 1, s);
  for (int64_t k = 0; k <= n / 2; k++) { CLOSE(out[1 + 2 * k], X[2 * k], 1e-12); CLOSE(out[2 + 2 * k], X[2 * k + 1], 1e-12); }
  gl_fft_plan_free(p); fftw_free(s);
  /* c2r of that half spectrum gives n x back (unscaled); DC's and an even
   * n's Nyquist imaginary parts are ignored */
  p = gl_fft_plan_new(GL_FFT_C2R, n);
  s = fftw_malloc(gl_fft_scratch_bytes(p));
  memcpy(in, X, sizeof(double) * (size_t)(2 * (n / 2 + 1)));
  in[1] = 5;
  if (n % 2 == 0) in[2 * (n / 2) + 1] = -7;
  gl_fft_exec(p, in, out, s);
  for (int64_t j = 0; j < n; j++) CLOSE(out[j] / (double)n, x[2 * j], 1e-12);
  gl_fft_plan_free(p); fftw_free(s);
  /* complex forward and backward, through gl_fft_lines on a 2 x n x 1 block
   * whose second line is the first one's spectrum */
  p = gl_fft_plan_new(GL_FFT_BACKWARD, n);
  CHECK(gl_fft_plan_kind(p) == GL_FFT_BACKWARD && gl_fft_plan_n(p) == n);
  double *blk = calloc((size_t)(4 * n), sizeof(double)), *res = calloc((size_t)(4 * n), sizeof(double));
  memcpy(blk, X, sizeof(double) * (size_t)(2 * n));
  memcpy(blk + 2 * n, X, sizeof(double) * (size_t)(2 * n));
  CHECK(gl_fft_lines(p, 2, 1, blk, n, res, 1.0 / (double)n) == 0);
  for (int64_t j = 0; j < n; j++) { CLOSE(res[2 * j], x[2 * j], 1e-12); CLOSE(res[2 * n + 2 * j + 1], 0, 1e-12); }
  gl_fft_plan_free(p);
  /* strided: the same two lines interleaved (inner = 2) */
  p = gl_fft_plan_new(GL_FFT_FORWARD, n);
  for (int64_t j = 0; j < n; j++) {
    blk[4 * j] = x[2 * j]; blk[4 * j + 1] = 0; blk[4 * j + 2] = 0; blk[4 * j + 3] = x[2 * j];
  }
  CHECK(gl_fft_lines(p, 1, 2, blk, n, res, 1.0) == 0);
  for (int64_t k = 0; k < n; k++) {
    CLOSE(res[4 * k], X[2 * k], 1e-12); CLOSE(res[4 * k + 1], X[2 * k + 1], 1e-12);
    CLOSE(res[4 * k + 2], -X[2 * k + 1], 1e-12); CLOSE(res[4 * k + 3], X[2 * k], 1e-12);   /* i x */
  }
  gl_fft_plan_free(p);
  free(x); free(X); free(in); free(out); free(blk); free(res);
}

static void test_cache (void) {
  gl_fft_cache *c = gl_fft_cache_new();
  const gl_fft_plan *a = gl_fft_cache_get(c, GL_FFT_R2C, 100);
  CHECK(a && gl_fft_cache_get(c, GL_FFT_R2C, 100) == a);
  const gl_fft_plan *b = gl_fft_cache_get(c, GL_FFT_C2R, 100);   /* another kind: another plan */
  CHECK(b && b != a && gl_fft_plan_kind(b) == GL_FFT_C2R);
  CHECK(gl_fft_cache_count(c) == 2);
  /* past the limit: the least recently used go, the latest stay */
  for (int64_t n = 2; n < 2 + GL_FFT_CACHE_PLANS; n++) {
    CHECK(gl_fft_cache_get(c, GL_FFT_FORWARD, n) != NULL);
    if (n % 16 == 0) CHECK(gl_fft_cache_get(c, GL_FFT_R2C, 100) == a);   /* kept in use */
  }
  CHECK(gl_fft_cache_count(c) == GL_FFT_CACHE_PLANS);
  CHECK(gl_fft_cache_get(c, GL_FFT_R2C, 100) == a);
  const gl_fft_plan *last = gl_fft_cache_get(c, GL_FFT_FORWARD, 1 + GL_FFT_CACHE_PLANS);
  CHECK(gl_fft_cache_count(c) == GL_FFT_CACHE_PLANS);
  CHECK(gl_fft_cache_get(c, GL_FFT_FORWARD, 1 + GL_FFT_CACHE_PLANS) == last);
  /* the memory budget: plans of 2^20 points (16 MB each by the estimate) */
  int64_t big[6] = {1 << 20, 3 << 19, 5 << 18, 9 << 17, 15 << 16, 1 << 21};
  const gl_fft_plan *pb = NULL;
  for (int i = 0; i < 6; i++) CHECK((pb = gl_fft_cache_get(c, GL_FFT_R2C, big[i])) != NULL);
  CHECK(gl_fft_plan_n(pb) == big[5]);   /* the newest is never the one evicted */
  CHECK(gl_fft_cache_bytes(c) <= GL_FFT_CACHE_BYTES);
  CHECK(gl_fft_cache_count(c) < GL_FFT_CACHE_PLANS);
  CHECK(gl_fft_cache_get(c, GL_FFT_R2C, big[5]) == pb);
  /* scratch: aligned for FFTW, grows, stays */
  void *s1 = gl_fft_cache_scratch(c, 1000);
  CHECK(s1 != NULL && fftw_alignment_of((double *)s1) == 0);
  void *s2 = gl_fft_cache_scratch(c, 500);
  CHECK(s2 == s1);
  CHECK(gl_fft_cache_scratch(c, 100000) != NULL);
  gl_fft_cache_free(c);
}

int main (void) {
  int64_t ns[] = {1, 2, 7, 12, 17, 60, 97, 101, 255};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) test_kinds(ns[i]);
  test_cache();
  return TEST_REPORT();
}
