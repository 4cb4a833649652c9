/* test_reduce.c: the reduction kernels against plain reference loops: NumPy's
 * pairwise tree bit for bit on every path (one line, rows, strided, one long
 * line split over threads), f32/f64/int64, NaN rules, quantile methods, and
 * identical results for 1 and 2 threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "reduce.h"
#include "testhelp.h"

/* NumPy's pairwise_sum, written out plainly (the reference). */
static double ref_pw (const double *a, int64_t n, int64_t s) {
  if (n < 8) {
    double r = 0.;
    for (int64_t i = 0; i < n; i++) r += a[i * s];
    return r;
  }
  if (n <= 128) {
    double r[8], res;
    int64_t i;
    for (int k = 0; k < 8; k++) r[k] = a[k * s];
    for (i = 8; i < n - n % 8; i += 8)
      for (int k = 0; k < 8; k++) r[k] += a[(i + k) * s];
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i * s];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return ref_pw(a, n2, s) + ref_pw(a + n2 * s, n - n2, s);
}

static uint64_t rng = 88172645463325252ull;
static double urand (void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}
static double *randvec (int64_t n) {
  double *a = malloc(sizeof(double) * (size_t)n);
  for (int64_t i = 0; i < n; i++) a[i] = urand() * 2 - 1 + (i % 7 == 0 ? 1e6 : 0);
  return a;
}

static void test_sum_paths (void) {
  int64_t R = 301, C = 517;
  double *a = randvec(R * C);
  double *out = malloc(sizeof(double) * (size_t)(R > C ? R : C));
  /* along the last axis: one line per row */
  gl_lines g = {R, C, 1, C, 1, 0};
  CHECK(gl_reduce_sum_f64(&g, a, out, 0) == 0);
  int ok = 1;
  for (int64_t r = 0; r < R; r++) ok &= out[r] == ref_pw(a + r * C, C, 1);
  CHECK(ok);
  /* along the first axis: rows path, each column the same tree */
  gl_lines g0 = {1, R, C, 0, C, 1};
  CHECK(gl_reduce_sum_f64(&g0, a, out, 0) == 0);
  ok = 1;
  for (int64_t c = 0; c < C; c++) ok &= out[c] == ref_pw(a + c, R, C);
  CHECK(ok);
  /* strided inner axis (a transposed view): per-line path */
  gl_lines gt = {1, C, R, 0, 1, C};
  CHECK(gl_reduce_sum_f64(&gt, a, out, 0) == 0);
  ok = 1;
  for (int64_t r = 0; r < R; r++) ok &= out[r] == ref_pw(a + r * C, C, 1);
  CHECK(ok);
  /* middle axis of a 3-D block */
  gl_lines g3 = {7, 43, 11, 43 * 11, 11, 1};
  double out3[77];
  CHECK(gl_reduce_sum_f64(&g3, a, out3, 0) == 0);
  ok = 1;
  for (int o = 0; o < 7; o++)
    for (int i = 0; i < 11; i++) ok &= out3[o * 11 + i] == ref_pw(a + o * 43 * 11 + i, 43, 11);
  CHECK(ok);
  /* a full reduction of one long line, split over threads */
  int64_t N = 1000003;
  double *b = randvec(N), s1, s2;
  gl_lines gl = {1, N, 1, 0, 1, 0};
  gl_set_threads(1);
  CHECK(gl_reduce_sum_f64(&gl, b, &s1, 0) == 0);
  gl_set_threads(2);
  CHECK(gl_reduce_sum_f64(&gl, b, &s2, 0) == 0);
  CHECK(s1 == ref_pw(b, N, 1));
  CHECK(memcmp(&s1, &s2, sizeof s1) == 0);
  /* empty lines sum to 0 */
  gl_lines ge = {1, 0, 3, 0, 3, 1};
  double z[3] = {1, 1, 1};
  CHECK(gl_reduce_sum_f64(&ge, a, z, 0) == 0 && z[0] == 0 && z[2] == 0);
  free(a); free(b); free(out);
}

static void test_threads (void) {
  int64_t R = 1200, C = 900;
  double *a = randvec(R * C);
  for (int64_t k = 0; k < R * C; k += 97) a[k] = NAN;
  double *o1 = malloc(sizeof(double) * (size_t)C), *o2 = malloc(sizeof(double) * (size_t)C);
  gl_lines g[2] = {{1, R, C, 0, C, 1}, {R, C, 1, C, 1, 0}};
  int same = 1;
  for (int k = 0; k < 2; k++) {
    int64_t nout = k == 0 ? C : R;
    double *p1 = malloc(sizeof(double) * (size_t)nout), *p2 = malloc(sizeof(double) * (size_t)nout);
    for (int f = 0; f < 4; f++) {
      gl_set_threads(1);
      if (f == 0) gl_reduce_sum_f64(&g[k], a, p1, 1);
      if (f == 1) gl_reduce_mean_f64(&g[k], a, p1, 1);
      if (f == 2) gl_reduce_var_f64(&g[k], a, p1, 1, 1, 1);
      if (f == 3) gl_reduce_var_f64(&g[k], a, p1, 0, 0, 0);
      gl_set_threads(2);
      if (f == 0) gl_reduce_sum_f64(&g[k], a, p2, 1);
      if (f == 1) gl_reduce_mean_f64(&g[k], a, p2, 1);
      if (f == 2) gl_reduce_var_f64(&g[k], a, p2, 1, 1, 1);
      if (f == 3) gl_reduce_var_f64(&g[k], a, p2, 0, 0, 0);
      same &= memcmp(p1, p2, sizeof(double) * (size_t)nout) == 0;
    }
    free(p1); free(p2);
  }
  CHECK(same);
  free(a); free(o1); free(o2);
}

static void test_moments (void) {
  double x[6] = {1, 2, 3, 4, NAN, 6};
  gl_lines g = {1, 4, 1, 0, 1, 0}, g6 = {1, 6, 1, 0, 1, 0};
  double m, v;
  gl_reduce_mean_f64(&g, x, &m, 0);
  CLOSE(m, 2.5, 0);
  gl_reduce_var_f64(&g, x, &v, 0, 0, 0);
  CLOSE(v, 1.25, 1e-15);
  gl_reduce_var_f64(&g, x, &v, 1, 0, 1);
  CLOSE(v, sqrt(5.0 / 3), 1e-15);
  gl_reduce_mean_f64(&g6, x, &m, 0);
  CHECK(isnan(m));
  gl_reduce_mean_f64(&g6, x, &m, 1);
  CLOSE(m, 16.0 / 5, 1e-15);
  gl_reduce_var_f64(&g6, x, &v, 0, 1, 0);
  CLOSE(v, (2.2 * 2.2 + 1.2 * 1.2 + 0.2 * 0.2 + 0.8 * 0.8 + 2.8 * 2.8) / 5, 1e-14);
  gl_reduce_notnan_f64(&g6, x, &v);
  CHECK(v == 5);
  /* ddof >= count: NaN for the nan-form, inf/NaN by division otherwise */
  gl_reduce_var_f64(&g, x, &v, 4, 1, 0);
  CHECK(isnan(v));
  gl_reduce_var_f64(&g, x, &v, 5, 0, 0);
  CHECK(isinf(v));
  double nn[2] = {NAN, NAN};
  gl_lines g2 = {1, 2, 1, 0, 1, 0};
  gl_reduce_mean_f64(&g2, nn, &m, 1);
  CHECK(isnan(m));
  /* float32: summed in double */
  float f[5] = {1e8f, 1, 1, 1, 1};
  gl_lines g5 = {1, 5, 1, 0, 1, 0};
  gl_reduce_sum_f32(&g5, f, &m, 0);
  CHECK(m == 100000004.0);
  gl_reduce_mean_f32(&g5, f, &m, 0);
  CLOSE(m, 100000004.0 / 5, 1e-15);
  /* float32 rows path equals the double computation */
  int64_t R = 200, C = 37;
  float *a = malloc(sizeof(float) * (size_t)(R * C));
  double *d = malloc(sizeof(double) * (size_t)(R * C)), o32[37], o64[37];
  for (int64_t k = 0; k < R * C; k++) d[k] = a[k] = (float)urand();
  gl_lines gr = {1, R, C, 0, C, 1};
  gl_reduce_var_f32(&gr, a, o32, 1, 0, 1);
  gl_reduce_var_f64(&gr, d, o64, 1, 0, 1);
  CHECK(memcmp(o32, o64, sizeof o32) == 0);
  free(a); free(d);
}

static void test_minmax (void) {
  double x[6] = {3, 1, NAN, 0, NAN, 0};
  double v;
  int64_t p;
  gl_lines g = {1, 6, 1, 0, 1, 0}, g2 = {1, 2, 1, 0, 1, 0};
  gl_reduce_minmax_f64(&g, x, &v, &p, 0, 0);
  CHECK(isnan(v) && p == 2);
  gl_reduce_minmax_f64(&g, x, &v, &p, 0, 1);
  CHECK(v == 0 && p == 3);
  gl_reduce_minmax_f64(&g, x, &v, &p, 1, 1);
  CHECK(v == 3 && p == 0);
  gl_reduce_minmax_f64(&g2, x, &v, &p, 0, 0);
  CHECK(v == 1 && p == 1);
  double nn[2] = {NAN, NAN};
  gl_reduce_minmax_f64(&g2, nn, &v, &p, 1, 1);
  CHECK(isnan(v) && p == -1);
  /* along the first axis of a 2-D block */
  float m[6] = {1, 5, 2,
                4, 0, NAN};
  float mv[3];
  int64_t mp[3];
  gl_lines gc = {1, 2, 3, 0, 3, 1};
  gl_reduce_minmax_f32(&gc, m, mv, mp, 1, 0);
  CHECK(mv[0] == 4 && mv[1] == 5 && isnan(mv[2]) && mp[0] == 1 && mp[1] == 0 && mp[2] == 1);
  gl_reduce_minmax_f32(&gc, m, mv, mp, 1, 1);
  CHECK(mv[2] == 2 && mp[2] == 0);
  int64_t iv[5] = {4, -2, 9, -2, 9}, r, rp;
  gl_lines g5 = {1, 5, 1, 0, 1, 0};
  gl_reduce_minmax_i64(&g5, iv, &r, &rp, 0);
  CHECK(r == -2 && rp == 1);
  gl_reduce_minmax_i64(&g5, iv, &r, &rp, 1);
  CHECK(r == 9 && rp == 2);
  CHECK(gl_reduce_minmax_f64(&(gl_lines){1, 0, 1, 0, 1, 0}, x, &v, &p, 0, 0) == GL_EINVAL);
}

static void test_prod_scan_diff (void) {
  double x[6] = {1, 2, 3,
                 4, NAN, 6};
  double o[6];
  gl_lines rows = {2, 3, 1, 3, 1, 0}, cols = {1, 2, 3, 0, 3, 1};
  gl_reduce_prod_f64(&rows, x, o, 0);
  CHECK(o[0] == 6 && isnan(o[1]));
  gl_reduce_prod_f64(&rows, x, o, 1);
  CHECK(o[0] == 6 && o[1] == 24);
  gl_scan_f64(&rows, x, o, GL_CUMSUM);
  CHECK(o[0] == 1 && o[1] == 3 && o[2] == 6 && o[3] == 4 && isnan(o[4]) && isnan(o[5]));
  gl_scan_f64(&rows, x, o, GL_NANCUMSUM);
  CHECK(o[4] == 4 && o[5] == 10);
  gl_scan_f64(&cols, x, o, GL_CUMPROD);
  CHECK(o[0] == 1 && o[3] == 4 && o[5] == 18 && isnan(o[4]));
  gl_diff_f64(&rows, x, o);
  CHECK(o[0] == 1 && o[1] == 1 && isnan(o[2]) && isnan(o[3]));
  gl_diff_f64(&cols, x, o);
  CHECK(o[0] == 3 && isnan(o[1]) && o[2] == 3);
  int64_t ix[4] = {INT64_MAX, 1, 2, 3}, io[4];
  gl_lines g4 = {1, 4, 1, 0, 1, 0}, g22 = {2, 2, 1, 2, 1, 0};
  gl_reduce_sum_i64(&g4, ix, io);
  CHECK(io[0] == INT64_MIN + 5);   /* wraps like NumPy */
  gl_reduce_prod_i64(&g22, ix, io);
  CHECK(io[0] == INT64_MAX && io[1] == 6);
  gl_scan_i64(&(gl_lines){1, 3, 1, 0, 1, 0}, ix + 1, io, GL_CUMPROD);
  CHECK(io[0] == 1 && io[1] == 2 && io[2] == 6);
  gl_diff_i64(&g4, ix, io);
  CHECK(io[1] == 1 && io[2] == 1);
  gl_bool b[6] = {1, 0, 1, 1, 1, 0};
  int64_t cnt[3];
  gl_reduce_count_u8(&(gl_lines){1, 2, 3, 0, 3, 1}, b, cnt);
  CHECK(cnt[0] == 2 && cnt[1] == 1 && cnt[2] == 1);
}

static void test_quantile (void) {
  double x[5] = {4, 1, 3, 2, NAN}, out[6];
  double q[6] = {0, 0.25, 0.5, 0.75, 1, 0.4};
  gl_lines g4 = {1, 4, 1, 0, 1, 0}, g5 = {1, 5, 1, 0, 1, 0};
  gl_reduce_quantile_f64(&g4, x, 6, q, out, GL_Q_LINEAR, 0);
  CHECK(out[0] == 1 && out[1] == 1.75 && out[2] == 2.5 && out[3] == 3.25 && out[4] == 4);
  CLOSE(out[5], 2.2, 1e-15);
  gl_reduce_quantile_f64(&g4, x, 6, q, out, GL_Q_LOWER, 0);
  CHECK(out[1] == 1 && out[2] == 2 && out[5] == 2);
  gl_reduce_quantile_f64(&g4, x, 6, q, out, GL_Q_HIGHER, 0);
  CHECK(out[1] == 2 && out[2] == 3 && out[0] == 1);
  gl_reduce_quantile_f64(&g4, x, 6, q, out, GL_Q_NEAREST, 0);
  CHECK(out[1] == 2 && out[2] == 3 && out[3] == 3);   /* 0.75, 1.5 -> 2, 2.25 */
  gl_reduce_quantile_f64(&g4, x, 6, q, out, GL_Q_MIDPOINT, 0);
  CHECK(out[0] == 1 && out[1] == 1.5 && out[2] == 2.5 && out[4] == 4);
  gl_reduce_quantile_f64(&g4, x, 1, q, out, GL_Q_MEDIAN, 0);
  CHECK(out[0] == 2.5);
  gl_reduce_quantile_f64(&g5, x, 1, q, out, GL_Q_MEDIAN, 0);
  CHECK(isnan(out[0]));
  gl_reduce_quantile_f64(&g5, x, 1, q, out, GL_Q_MEDIAN, 1);
  CHECK(out[0] == 2.5);
  /* a large line: select must agree with sorting */
  int64_t N = 100001;
  double *a = randvec(N), qq[3] = {0.1, 0.5, 0.999}, r[3];
  gl_lines gn = {1, N, 1, 0, 1, 0};
  gl_reduce_quantile_f64(&gn, a, 3, qq, r, GL_Q_LINEAR, 0);
  /* the median of N distinct values has N/2 values below it */
  int64_t below = 0;
  for (int64_t k = 0; k < N; k++) below += a[k] < r[1];
  CHECK(below == N / 2);
  free(a);
  /* columns of a 2-D block, nq x ncols output */
  double m[6] = {1, 10, 2, 20, 3, 30};   /* 3 x 2 */
  double qm[2] = {0.5, 1}, om[4];
  gl_reduce_quantile_f64(&(gl_lines){1, 3, 2, 0, 2, 1}, m, 2, qm, om, GL_Q_LINEAR, 0);
  CHECK(om[0] == 2 && om[1] == 20 && om[2] == 3 && om[3] == 30);
}

int main (void) {
  test_sum_paths();
  test_threads();
  test_moments();
  test_minmax();
  test_prod_scan_diff();
  test_quantile();
  return TEST_REPORT();
}
