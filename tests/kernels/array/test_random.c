/* test_random.c: kernels/random.c. Exact reproducibility (recorded first
 * values: a change in any stream is a visible regression) and statistical
 * properties (moments, chi-square of bounded integers, permutations). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "random.h"
#include "testhelp.h"

static double mean_of (int64_t n, const double *x) {
  double s = 0; for (int64_t i = 0; i < n; i++) s += x[i]; return s / (double)n;
}
static double var_of (int64_t n, const double *x) {
  double m = mean_of(n, x), s = 0;
  for (int64_t i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  return s / (double)(n - 1);
}

static void test_reference_stream (void) {
  /* xoshiro256** seeded through splitmix64: the first raw outputs for seed 0
   * and seed 42, checked against a Python transcription of the reference
   * C code (Vigna, prng.di.unimi.it). */
  static const uint64_t ref0[4] = {
    UINT64_C(0x99ec5f36cb75f2b4), UINT64_C(0xbf6e1f784956452a),
    UINT64_C(0x1a5f849d4933e6e0), UINT64_C(0x6aa594f1262d2d2c)};
  static const uint64_t ref42[2] = {UINT64_C(0x15780b2e0c2ec716), UINT64_C(0x6104d9866d113a7e)};
  gl_rng r;
  gl_random_seed(&r, 0);
  for (int i = 0; i < 4; i++) {
    uint64_t x = gl_random_next(&r);
    if (x != ref0[i]) fprintf(stderr, "seed 0 draw %d: 0x%016" PRIx64 "\n", i, x);
    CHECK(x == ref0[i]);
  }
  gl_random_seed(&r, 42);
  for (int i = 0; i < 2; i++) {
    uint64_t x = gl_random_next(&r);
    if (x != ref42[i]) fprintf(stderr, "seed 42 draw %d: 0x%016" PRIx64 "\n", i, x);
    CHECK(x == ref42[i]);
  }
  /* same seed, same numbers; different seeds, different numbers */
  gl_rng a, b;
  double x[100], y[100], one = 1, zero = 0;
  gl_random_seed(&a, 7); gl_random_seed(&b, 7);
  CHECK(gl_random_normal_f64(&a, 100, x, &zero, 0, &one, 0) == 0);
  CHECK(gl_random_normal_f64(&b, 100, y, &zero, 0, &one, 0) == 0);
  CHECK(memcmp(x, y, sizeof x) == 0);
  gl_random_seed(&b, 8);
  CHECK(gl_random_normal_f64(&b, 100, y, &zero, 0, &one, 0) == 0);
  CHECK(memcmp(x, y, sizeof x) != 0);
}

static void test_uniform_normal (void) {
  enum { N = 200000 };
  gl_rng r;
  double *x = malloc(sizeof(double) * N), lo = -2, hi = 3, loc = 5, scale = 2, zero = 0, one = 1;
  float *xf = malloc(sizeof(float) * N);
  gl_random_seed(&r, 1);
  CHECK(gl_random_uniform_f64(&r, N, x, &lo, 0, &hi, 0) == 0);
  double mn = x[0], mx = x[0];
  for (int i = 0; i < N; i++) { if (x[i] < mn) mn = x[i]; if (x[i] > mx) mx = x[i]; }
  CHECK(mn >= -2 && mx < 3);
  CLOSE(mean_of(N, x), 0.5, 0.01);
  CLOSE(var_of(N, x), 25.0 / 12, 0.01);
  CHECK(gl_random_normal_f64(&r, N, x, &loc, 0, &scale, 0) == 0);
  CLOSE(mean_of(N, x), 5, 0.005);           /* sd of the mean: 2/sqrt(2e5) = 0.0045 -> rel 1e-3 */
  CLOSE(sqrt(var_of(N, x)), 2, 0.01);
  { /* third and fourth moments of N(0,1): 0 and 3 */
    double s3 = 0, s4 = 0;
    CHECK(gl_random_normal_f64(&r, N, x, &zero, 0, &one, 0) == 0);
    for (int i = 0; i < N; i++) { s3 += x[i] * x[i] * x[i]; s4 += x[i] * x[i] * x[i] * x[i]; }
    CHECK(fabs(s3 / N) < 0.03);
    CHECK(fabs(s4 / N - 3) < 0.1);
  }
  CHECK(gl_random_normal_f32(&r, N, xf, &loc, 0, &scale, 0) == 0);
  for (int i = 0; i < N; i++) x[i] = xf[i];
  CLOSE(mean_of(N, x), 5, 0.005);
  CHECK(gl_random_uniform_f32(&r, N, xf, &zero, 0, &one, 0) == 0);
  int okf = 1;
  for (int i = 0; i < N; i++) okf &= xf[i] >= 0 && xf[i] < 1;
  CHECK(okf);
  /* per-element parameters */
  double locs[3] = {0, 100, -100}, out[3];
  CHECK(gl_random_normal_f64(&r, 3, out, locs, 1, &zero, 0) == 0);
  CHECK(out[0] == 0 && out[1] == 100 && out[2] == -100);
  double neg = -1;
  CHECK(gl_random_normal_f64(&r, 3, out, locs, 1, &neg, 0) == GL_EINVAL);
  free(x); free(xf);
}

static void test_other_floats (void) {
  enum { N = 200000 };
  gl_rng r;
  double *x = malloc(sizeof(double) * N), s2 = 2, k = 3, one = 1, half = 0.5, a = 2, b = 5;
  gl_random_seed(&r, 2);
  CHECK(gl_random_exponential_f64(&r, N, x, &s2, 0) == 0);
  CLOSE(mean_of(N, x), 2, 0.01); CLOSE(var_of(N, x), 4, 0.03);
  CHECK(gl_random_gamma_f64(&r, N, x, &k, 0, &s2, 0) == 0);     /* mean 6, var 12 */
  CLOSE(mean_of(N, x), 6, 0.01); CLOSE(var_of(N, x), 12, 0.03);
  CHECK(gl_random_gamma_f64(&r, N, x, &half, 0, &one, 0) == 0); /* shape < 1: mean 0.5, var 0.5 */
  CLOSE(mean_of(N, x), 0.5, 0.01); CLOSE(var_of(N, x), 0.5, 0.03);
  CHECK(gl_random_beta_f64(&r, N, x, &a, 0, &b, 0) == 0);       /* mean 2/7, var 10/(49*8) */
  CLOSE(mean_of(N, x), 2.0 / 7, 0.01); CLOSE(var_of(N, x), 10.0 / 392, 0.03);
  free(x);
}

static void test_integers (void) {
  enum { N = 100000, K = 10 };
  gl_rng r;
  int64_t *v = malloc(sizeof(int64_t) * N), counts[K] = {0};
  gl_random_seed(&r, 3);
  CHECK(gl_random_integers_i64(&r, N, v, -3, 6) == 0);
  int inrange = 1;
  for (int i = 0; i < N; i++) { inrange &= v[i] >= -3 && v[i] <= 6; if (inrange) counts[v[i] + 3]++; }
  CHECK(inrange);
  double chi2 = 0, e = (double)N / K;
  for (int i = 0; i < K; i++) chi2 += (counts[i] - e) * (counts[i] - e) / e;
  CHECK(chi2 < 27.9);   /* chi-square, 9 dof, p = 0.001 */
  CHECK(gl_random_integers_i64(&r, 3, v, 5, 4) == GL_EINVAL);
  CHECK(gl_random_integers_i64(&r, 100, v, INT64_MIN, INT64_MAX) == 0);
  CHECK(gl_random_integers_i64(&r, 5, v, 7, 7) == 0);
  CHECK(v[0] == 7 && v[4] == 7);
  /* Lemire with a range that is not a power of two and close to 2^64 */
  uint64_t big = UINT64_MAX / 3 * 2, mx = 0;
  for (int i = 0; i < 1000; i++) { uint64_t x = gl_random_interval(&r, big); CHECK(x <= big); if (x > mx) mx = x; }
  CHECK(mx > big / 2);
  free(v);
}

static void test_poisson_binomial (void) {
  enum { N = 200000 };
  gl_rng r;
  int64_t *v = malloc(sizeof(int64_t) * N);
  double *x = malloc(sizeof(double) * N);
  static const double lams[] = {0.5, 4, 30, 1000};
  gl_random_seed(&r, 4);
  for (size_t j = 0; j < sizeof lams / sizeof lams[0]; j++) {
    CHECK(gl_random_poisson_i64(&r, N, v, &lams[j], 0) == 0);
    for (int i = 0; i < N; i++) x[i] = (double)v[i];
    CLOSE(mean_of(N, x), lams[j], 0.01); CLOSE(var_of(N, x), lams[j], 0.03);
  }
  static const int64_t ns[] = {10, 100, 5000};
  static const double ps[] = {0.3, 0.05, 0.8};
  for (size_t j = 0; j < 3; j++) {
    double m = (double)ns[j] * ps[j], var = m * (1 - ps[j]);
    int ok = 1;
    CHECK(gl_random_binomial_i64(&r, N, v, &ns[j], 0, &ps[j], 0) == 0);
    for (int i = 0; i < N; i++) { x[i] = (double)v[i]; ok &= v[i] >= 0 && v[i] <= ns[j]; }
    CHECK(ok);
    CLOSE(mean_of(N, x), m, 0.01); CLOSE(var_of(N, x), var, 0.03);
  }
  double bad = -1, p2 = 2;
  int64_t n10 = 10;
  CHECK(gl_random_poisson_i64(&r, 1, v, &bad, 0) == GL_EINVAL);
  CHECK(gl_random_binomial_i64(&r, 1, v, &n10, 0, &p2, 0) == GL_EINVAL);
  free(v); free(x);
}

static void test_permutation_choice (void) {
  gl_rng r;
  int64_t p[50], seen[50] = {0}, idx[50], out[50];
  gl_random_seed(&r, 5);
  CHECK(gl_random_permutation_i64(&r, 50, p, 1) == 0);
  for (int i = 0; i < 50; i++) if (p[i] >= 1 && p[i] <= 50) seen[p[i] - 1]++;
  int all = 1; for (int i = 0; i < 50; i++) all &= seen[i] == 1;
  CHECK(all);
  /* without replacement: distinct */
  CHECK(gl_random_choice_i64(&r, 50, 20, out, 0, NULL, idx) == 0);
  memset(seen, 0, sizeof seen);
  all = 1; for (int i = 0; i < 20; i++) all &= ++seen[out[i]] == 1;
  CHECK(all);
  CHECK(gl_random_choice_i64(&r, 5, 6, out, 0, NULL, idx) == GL_EINVAL);
  /* weights: zero weight never drawn, frequencies follow p */
  double cdf[3] = {0.2, 0.2, 1.0};
  int64_t *many = malloc(sizeof(int64_t) * 100000), c[3] = {0};
  CHECK(gl_random_choice_i64(&r, 3, 100000, many, 1, cdf, NULL) == 0);
  for (int i = 0; i < 100000; i++) c[many[i]]++;
  CHECK(c[1] == 0);
  CLOSE(c[0] / 1e5, 0.2, 0.02);
  double w[4] = {0.5, 0, 0.25, 0.25};
  CHECK(gl_random_choice_i64(&r, 4, 3, out, 0, w, idx) == 0);
  CHECK(out[0] != 1 && out[1] != 1 && out[2] != 1 && out[0] != out[1] && out[1] != out[2] && out[0] != out[2]);
  double w2[3] = {1, 0, 0};
  CHECK(gl_random_choice_i64(&r, 3, 2, out, 0, w2, idx) == GL_EINVAL);
  free(many);
  /* shuffle rows of a 4x3 int32 matrix: rows stay intact */
  int32_t m[12];
  for (int i = 0; i < 12; i++) m[i] = i;
  int64_t shape[1] = {3}, strides[1] = {4};
  CHECK(gl_random_shuffle(&r, 4, (char *)m, 12, 1, shape, strides, 4) == 0);
  int rows_ok = 1, sum = 0;
  for (int i = 0; i < 4; i++) { rows_ok &= m[3 * i] % 3 == 0 && m[3 * i + 1] == m[3 * i] + 1 && m[3 * i + 2] == m[3 * i] + 2; sum += m[3 * i]; }
  CHECK(rows_ok && sum == 0 + 3 + 6 + 9);
}

int main (void) {
  test_reference_stream();
  test_uniform_normal();
  test_other_floats();
  test_integers();
  test_poisson_binomial();
  test_permutation_choice();
  return TEST_REPORT();
}
