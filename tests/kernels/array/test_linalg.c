/* test_linalg.c: kernels/array/linalg.c against naive loops and algebraic identities
 * (A X = B, Q R = A, U S V^T = A, L L^T = A, ...), f32 and f64, contiguous,
 * transposed and strided layouts. */
#include <math.h>
#include <pthread.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include "linalg.h"
#include "testhelp.h"

static uint64_t seed = 12345;
static double urand (void) {   /* tiny LCG: the kernels' tests need no quality */
  seed = seed * 6364136223846793005u + 1442695040888963407u;
  return (double)(seed >> 11) * 0x1.0p-53 * 2 - 1;
}

static void naive (int64_t m, int64_t n, int64_t k, const double *a, int64_t ars, int64_t acs,
                   const double *b, int64_t brs, int64_t bcs, double *c) {
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      double s = 0;
      for (int64_t p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * brs + j * bcs];
      c[i * n + j] = s;
    }
}

static double maxdiff (int64_t n, const double *x, const double *y) {
  double d = 0;
  for (int64_t i = 0; i < n; i++) if (fabs(x[i] - y[i]) > d) d = fabs(x[i] - y[i]);
  return d;
}

/* every layout of A and B: contiguous, transposed, strided (every other
 * column of a wider buffer), negative strides */
static void test_matmul_layouts (void) {
  static const int64_t dims[][3] = {{1, 1, 5}, {4, 1, 3}, {1, 6, 3}, {5, 7, 3}, {33, 17, 29},
                                    {3, 4, 1}, {2, 3, 0}, {300, 5, 70}};
  for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
    int64_t m = dims[d][0], n = dims[d][1], k = dims[d][2];
    double *abuf = malloc(sizeof(double) * (size_t)(4 * m * k + 4));
    double *bbuf = malloc(sizeof(double) * (size_t)(4 * k * n + 4));
    double *c = malloc(sizeof(double) * (size_t)(m * n + 1)), *ref = malloc(sizeof(double) * (size_t)(m * n + 1));
    float *af = malloc(sizeof(float) * (size_t)(4 * m * k + 4)), *bf = malloc(sizeof(float) * (size_t)(4 * k * n + 4));
    float *cf = malloc(sizeof(float) * (size_t)(m * n + 1));
    for (int64_t i = 0; i < 4 * m * k + 4; i++) { abuf[i] = urand(); af[i] = (float)abuf[i]; }
    for (int64_t i = 0; i < 4 * k * n + 4; i++) { bbuf[i] = urand(); bf[i] = (float)bbuf[i]; }
    for (int la = 0; la < 4; la++)
      for (int lb = 0; lb < 4; lb++) {
        /* layout 0: row-major, 1: transposed, 2: every other column, 3: reversed rows */
        int64_t ars = k, acs = 1, brs = n, bcs = 1, aoff = 0, boff = 0;
        if (la == 1) { ars = 1; acs = m; }
        if (la == 2) { ars = 2 * k; acs = 2; }
        if (la == 3 && m > 0) { ars = -k; acs = 1; aoff = (m - 1) * k; }
        if (lb == 1) { brs = 1; bcs = k; }
        if (lb == 2) { brs = 2 * n; bcs = 2; }
        if (lb == 3 && k > 0) { brs = -n; bcs = 1; boff = (k - 1) * n; }
        naive(m, n, k, abuf + aoff, ars, acs, bbuf + boff, brs, bcs, ref);
        for (int64_t i = 0; i < m * n; i++) c[i] = NAN;
        CHECK(gl_linalg_matmul_f64(m, n, k, abuf + aoff, ars, acs, bbuf + boff, brs, bcs, c, n) == 0);
        CHECK(maxdiff(m * n, c, ref) < 1e-12);
        CHECK(gl_linalg_matmul_f32(m, n, k, af + aoff, ars, acs, bf + boff, brs, bcs, cf, n) == 0);
        double df = 0;
        for (int64_t i = 0; i < m * n; i++) if (fabs(cf[i] - ref[i]) > df) df = fabs(cf[i] - ref[i]);
        CHECK(df < 1e-4);
      }
    free(abuf); free(bbuf); free(c); free(ref); free(af); free(bf); free(cf);
  }
  /* broadcast operand (stride 0) and an output with ldc > n */
  {
    double a[6] = {1, 2, 3, 4, 5, 6}, b[3] = {1, 10, 100}, c[2 * 5];
    CHECK(gl_linalg_matmul_f64(2, 2, 3, a, 3, 1, b, 1, 0, c, 5) == 0);
    CHECK(c[0] == 321 && c[1] == 321 && c[5] == 654 && c[6] == 654);
  }
}

static void test_matmul_int (void) {
  int64_t a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {7, 8, 9, 10, 11, 12}, c[4];
  CHECK(gl_linalg_matmul_i64(2, 2, 3, a, 3, 1, b, 2, 1, c, 2) == 0);
  CHECK(c[0] == 58 && c[1] == 64 && c[2] == 139 && c[3] == 154);
  /* transposed A: a^T (3x2) @ a (2x3) */
  int64_t d[9];
  CHECK(gl_linalg_matmul_i64(3, 3, 2, a, 1, 3, a, 3, 1, d, 3) == 0);
  CHECK(d[0] == 17 && d[4] == 29 && d[8] == 45 && d[1] == 22);
  /* wraps like NumPy instead of UB */
  int64_t big[1] = {INT64_MAX}, two[1] = {2}, o[1];
  CHECK(gl_linalg_matmul_i64(1, 1, 1, big, 1, 1, two, 1, 1, o, 1) == 0);
  CHECK(o[0] == -2);
}

static void test_interrupt (void) {
  int64_t n = 600;
  double *a = calloc((size_t)(n * n), sizeof(double)), *c = malloc(sizeof(double) * (size_t)(n * n));
  gl_interrupt_set(1);
  CHECK(gl_linalg_matmul_f64(n, n, n, a, n, 1, a, n, 1, c, n) == GL_EINTR);
  gl_interrupt_set(0);
  CHECK(gl_linalg_matmul_f64(n, n, n, a, n, 1, a, n, 1, c, n) == GL_OK);
  free(a); free(c);
}

static double now (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double t_flag;
static void *raise_later (void *arg) {
  (void)arg;
  struct timespec d = {0, 50 * 1000 * 1000};
  nanosleep(&d, NULL);
  t_flag = now();
  gl_interrupt_set(1);
  return NULL;
}

/* Ctrl-C during a big product (about 1 s) stops it early. The latency is
 * printed, not asserted: benchmarks, not tests, judge timing (a loaded CI
 * machine would make a time bound flaky). */
static void test_interrupt_latency (void) {
  int64_t n = 4000;
  double *a = calloc((size_t)(n * n), sizeof(double)), *c = malloc(sizeof(double) * (size_t)(n * n));
  pthread_t th;
  t_flag = 0;
  pthread_create(&th, NULL, raise_later, NULL);
  int rc = gl_linalg_matmul_f64(n, n, n, a, n, 1, a, n, 1, c, n);
  double t_end = now();
  pthread_join(th, NULL);
  gl_interrupt_set(0);
  CHECK(rc == GL_EINTR);
  if (rc == GL_EINTR) {
    fprintf(stderr, "interrupt latency %.3f s\n", t_end - t_flag);
  }
  free(a); free(c);
}

/* The same bits for any thread count (row blocks are fixed by the shape). */
static void test_thread_independence (void) {
  int64_t m = 700, n = 500, k = 600;
  double *a = malloc(sizeof(double) * (size_t)(m * k)), *b = malloc(sizeof(double) * (size_t)(k * n));
  double *c1 = malloc(sizeof(double) * (size_t)(m * n)), *c2 = malloc(sizeof(double) * (size_t)(m * n));
  for (int64_t i = 0; i < m * k; i++) a[i] = urand();
  for (int64_t i = 0; i < k * n; i++) b[i] = urand();
  gl_set_threads(1);
  CHECK(gl_linalg_matmul_f64(m, n, k, a, k, 1, b, n, 1, c1, n) == 0);
  gl_set_threads(3);
  CHECK(gl_linalg_matmul_f64(m, n, k, a, k, 1, b, n, 1, c2, n) == 0);
  CHECK(memcmp(c1, c2, sizeof(double) * (size_t)(m * n)) == 0);
  gl_set_threads(0);
  free(a); free(b); free(c1); free(c2);
}

static void test_solve_inv_det (void) {
  double a[9] = {4, -2, 1, -2, 4, -2, 1, -2, 4}, b[6] = {11, 1, -16, 2, 17, 3}, lu[9], x[6];
  memcpy(lu, a, sizeof a); memcpy(x, b, sizeof b);
  CHECK(gl_linalg_solve_f64(3, 2, lu, x) == 0);
  double ax[6];
  naive(3, 2, 3, a, 3, 1, x, 2, 1, ax);
  CHECK(maxdiff(6, ax, b) < 1e-12);
  double inv[9], id[9];
  memcpy(inv, a, sizeof a);
  CHECK(gl_linalg_inv_f64(3, inv) == 0);
  naive(3, 3, 3, a, 3, 1, inv, 3, 1, id);
  for (int i = 0; i < 9; i++) CLOSE(id[i], i % 4 == 0, 1e-14);
  double sign, logdet;
  memcpy(lu, a, sizeof a);
  CHECK(gl_linalg_slogdet_f64(3, lu, &sign, &logdet) == 0);
  CLOSE(sign * exp(logdet), 36.0, 1e-13);
  double s2[4] = {1, 2, 2, 4};
  CHECK(gl_linalg_inv_f64(2, s2) == GL_ESINGULAR);
  double s3[4] = {1, 2, 2, 4};
  CHECK(gl_linalg_slogdet_f64(2, s3, &sign, &logdet) == 0);
  CHECK(sign == 0 && isinf(logdet) && logdet < 0);
  double neg[4] = {0, 1, 1, 0};   /* det -1: a pivot swap */
  CHECK(gl_linalg_slogdet_f64(2, neg, &sign, &logdet) == 0);
  CHECK(sign == -1); CLOSE(logdet, 0, 1e-15);
  float af[4] = {2, 1, 1, 3}, bf[2] = {3, 5};
  CHECK(gl_linalg_solve_f32(2, 1, af, bf) == 0);
  CLOSE(bf[0], 0.8, 1e-6); CLOSE(bf[1], 1.4, 1e-6);
}

static void test_eig (void) {
  double a[9] = {2, 1, 0, 1, 3, 1, 0, 1, 4}, v[9], w[3];
  memcpy(v, a, sizeof a);
  CHECK(gl_linalg_eigh_f64(3, v, w, 'L', 1) == 0);
  CHECK(w[0] <= w[1] && w[1] <= w[2]);
  for (int j = 0; j < 3; j++)       /* A v_j = w_j v_j, v_j = column j */
    for (int i = 0; i < 3; i++) {
      double s = 0;
      for (int p = 0; p < 3; p++) s += a[i * 3 + p] * v[p * 3 + j];
      CLOSE(s, w[j] * v[i * 3 + j], 1e-13);
    }
  /* 'U' reads only the upper triangle */
  double up[9] = {2, 1, 0, 99, 3, 1, 99, 99, 4}, w2[3];
  CHECK(gl_linalg_eigh_f64(3, up, w2, 'U', 0) == 0);
  for (int i = 0; i < 3; i++) CLOSE(w2[i], w[i], 1e-13);
  /* general: rotation has eigenvalues +-i */
  double rot[4] = {0, -1, 1, 0}, wr[2], wi[2], vr[4];
  CHECK(gl_linalg_eig_f64(2, rot, wr, wi, vr) == 0);
  CLOSE(wr[0], 0, 1e-15); CLOSE(fabs(wi[0]), 1, 1e-15); CLOSE(wi[0], -wi[1], 1e-15);
  double tri[4] = {1, 2, 0, 3}, vr2[4];
  CHECK(gl_linalg_eig_f64(2, tri, wr, wi, vr2) == 0);
  CLOSE(wr[0], 1, 1e-14); CLOSE(wr[1], 3, 1e-14); CHECK(wi[0] == 0 && wi[1] == 0);
  CLOSE(vr2[0] * vr2[0] + vr2[2] * vr2[2], 1, 1e-14);
}

static void test_svd_qr_chol (void) {
  int64_t m = 5, n = 3;
  double a[15], w[15], s[3], u[25], vt[9];
  for (int i = 0; i < 15; i++) a[i] = urand();
  for (int full = 0; full < 2; full++) {
    int64_t uc = full ? m : n;
    memcpy(w, a, sizeof a);
    CHECK(gl_linalg_svd_f64(m, n, w, s, u, vt, full, 1) == 0);
    CHECK(s[0] >= s[1] && s[1] >= s[2]);
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        double t = 0;
        for (int l = 0; l < n; l++) t += u[i * uc + l] * s[l] * vt[l * n + j];
        CLOSE(t, a[i * n + j], 1e-13);
      }
  }
  for (int complete = 0; complete < 2; complete++) {
    int64_t kr = complete ? m : n;
    double q[25], r[15];
    CHECK(gl_linalg_qr_f64(m, n, a, q, r, complete) == 0);
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        double t = 0;
        for (int l = 0; l < kr; l++) t += q[i * kr + l] * r[l * n + j];
        CLOSE(t, a[i * n + j], 1e-13);
      }
    for (int i = 0; i < kr; i++) for (int j = 0; j < i && j < n; j++) CHECK(r[i * n + j] == 0);
    for (int i = 0; i < kr; i++)       /* Q^T Q = I */
      for (int j = 0; j < kr; j++) {
        double t = 0;
        for (int l = 0; l < m; l++) t += q[l * kr + i] * q[l * kr + j];
        CLOSE(t, i == j, 1e-13);
      }
  }
  /* wide QR */
  {
    double q[9], r[15];
    CHECK(gl_linalg_qr_f64(3, 5, a, q, r, 0) == 0);
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 5; j++) {
        double t = 0;
        for (int l = 0; l < 3; l++) t += q[i * 3 + l] * r[l * 5 + j];
        CLOSE(t, a[i * 5 + j], 1e-13);
      }
  }
  double spd[9] = {4, 12, -16, 12, 37, -43, -16, -43, 98};
  CHECK(gl_linalg_cholesky_f64(3, spd) == 0);
  double expect[9] = {2, 0, 0, 6, 1, 0, -8, 5, 3};
  for (int i = 0; i < 9; i++) CLOSE(spd[i], expect[i], 1e-14);
  double notpd[4] = {1, 2, 2, 1};
  CHECK(gl_linalg_cholesky_f64(2, notpd) == GL_ESINGULAR);
  float spdf[4] = {4, 2, 2, 3};
  CHECK(gl_linalg_cholesky_f32(2, spdf) == 0);
  CLOSE(spdf[0], 2, 1e-6); CLOSE(spdf[2], 1, 1e-6); CLOSE(spdf[3], sqrt(2.0), 1e-6); CHECK(spdf[1] == 0);
}

static void test_lstsq_pinv (void) {
  /* fit y = 1 + 2x exactly plus one outlier-free overdetermined system */
  double a[8] = {1, 0, 1, 1, 1, 2, 1, 3}, b[4] = {1, 3, 5, 7}, s[2];
  int64_t rank;
  CHECK(gl_linalg_lstsq_f64(4, 2, 1, a, b, s, -1, &rank) == 0);
  CHECK(rank == 2);
  CLOSE(b[0], 1, 1e-13); CLOSE(b[1], 2, 1e-13);
  /* underdetermined: minimum-norm solution of x1 + x2 = 2 is (1, 1) */
  double u[2] = {1, 1}, ub[2] = {2, 0}, us[1];
  CHECK(gl_linalg_lstsq_f64(1, 2, 1, u, ub, us, -1, &rank) == 0);
  CHECK(rank == 1); CLOSE(ub[0], 1, 1e-14); CLOSE(ub[1], 1, 1e-14);
  /* pinv of a rank-deficient matrix: A A+ A = A */
  double r[6] = {1, 2, 3, 2, 4, 6}, w[6], p[6], ap[4], apa[6];
  memcpy(w, r, sizeof r);
  CHECK(gl_linalg_pinv_f64(2, 3, w, p, 1e-15) == 0);
  naive(2, 2, 3, r, 3, 1, p, 2, 1, ap);
  naive(2, 3, 2, ap, 2, 1, r, 3, 1, apa);
  CHECK(maxdiff(6, apa, r) < 1e-13);
}

static void test_norms (void) {
  double x[4] = {3, -4, 0, 12};
  CLOSE(gl_linalg_vnorm_f64(4, x, 1, 2), 13, 1e-15);
  CLOSE(gl_linalg_vnorm_f64(4, x, 1, 1), 19, 1e-15);
  CLOSE(gl_linalg_vnorm_f64(4, x, 1, INFINITY), 12, 0);
  CLOSE(gl_linalg_vnorm_f64(4, x, 1, -INFINITY), 0, 0);
  CLOSE(gl_linalg_vnorm_f64(4, x, 1, 0), 3, 0);
  CLOSE(gl_linalg_vnorm_f64(2, x, 2, 3), pow(27.0, 1.0 / 3), 1e-15);   /* {3, 0} */
  float xf[2] = {3, 4};
  CLOSE(gl_linalg_vnorm_f32(2, xf, 1, 2), 5, 1e-7);
  double a[6] = {1, -2, 3, -4, 5, -6}, out;
  CHECK(gl_linalg_mnorm_f64(2, 3, a, 3, 1, GL_NORM_FRO, &out) == 0); CLOSE(out, sqrt(91.0), 1e-15);
  CHECK(gl_linalg_mnorm_f64(2, 3, a, 3, 1, GL_NORM_1, &out) == 0); CLOSE(out, 9, 0);
  CHECK(gl_linalg_mnorm_f64(2, 3, a, 3, 1, GL_NORM_M1, &out) == 0); CLOSE(out, 5, 0);
  CHECK(gl_linalg_mnorm_f64(2, 3, a, 3, 1, GL_NORM_INF, &out) == 0); CLOSE(out, 15, 0);
  CHECK(gl_linalg_mnorm_f64(2, 3, a, 3, 1, GL_NORM_MINF, &out) == 0); CLOSE(out, 6, 0);
  CHECK(gl_linalg_mnorm_f64(3, 2, a, 1, 3, GL_NORM_INF, &out) == 0); CLOSE(out, 9, 0); /* transposed */
  double d[4] = {3, 0, 0, -4};
  CHECK(gl_linalg_mnorm_f64(2, 2, d, 2, 1, GL_NORM_2, &out) == 0); CLOSE(out, 4, 1e-15);
  CHECK(gl_linalg_mnorm_f64(2, 2, d, 2, 1, GL_NORM_M2, &out) == 0); CLOSE(out, 3, 1e-15);
  CHECK(gl_linalg_mnorm_f64(2, 2, d, 2, 1, GL_NORM_NUC, &out) == 0); CLOSE(out, 7, 1e-15);
  double bad[2] = {1, NAN};
  CHECK(gl_linalg_isfinite_f64(2, bad, 1) == 0);
  CHECK(gl_linalg_isfinite_f64(1, bad, 1) == 1);
}

/* gemm_share: a smaller minimum work per shared block (nn's Linear asks for
 * 2^24) gives the product (f32 against a double loop) with beta 1 adding
 * into C, and the same bits with 1 and 2 threads. 1000 x 784 -> 48 is the
 * course MLP's inference batch: two blocks of 500 rows. */
static void test_gemm_share (void) {
  int64_t m = 1000, n = 48, k = 784;
  float *a = malloc(sizeof(float) * (size_t)(m * k)), *w = malloc(sizeof(float) * (size_t)(n * k));
  float *c1 = malloc(sizeof(float) * (size_t)(m * n)), *c2 = malloc(sizeof(float) * (size_t)(m * n));
  double worst = 0;
  for (int64_t i = 0; i < m * k; i++) a[i] = (float)urand();
  for (int64_t i = 0; i < n * k; i++) w[i] = (float)urand();
  for (int64_t i = 0; i < m * n; i++) c1[i] = c2[i] = (float)(i % n);   /* the bias */
  gl_set_threads(1);   /* B = w^T: element strides (1, k) */
  CHECK(gl_linalg_gemm_share_f32(m, n, k, a, k, 1, w, 1, k, 1.0f, c1, n, (int64_t)1 << 24) == 0);
  gl_set_threads(2);
  CHECK(gl_linalg_gemm_share_f32(m, n, k, a, k, 1, w, 1, k, 1.0f, c2, n, (int64_t)1 << 24) == 0);
  gl_set_threads(0);
  CHECK(memcmp(c1, c2, sizeof(float) * (size_t)(m * n)) == 0);
  for (int64_t i = 0; i < m; i += 37)
    for (int64_t j = 0; j < n; j++) {
      double s = (double)j;
      for (int64_t p = 0; p < k; p++) s += (double)a[i * k + p] * (double)w[j * k + p];
      if (fabs(s - c1[i * n + j]) > worst) worst = fabs(s - c1[i * n + j]);
    }
  CHECK(worst < 1e-3);
  free(a); free(w); free(c1); free(c2);
}

int main (void) {
  test_matmul_layouts();
  test_matmul_int();
  test_interrupt();
  test_interrupt_latency();
  test_thread_independence();
  test_gemm_share();
  test_solve_inv_det();
  test_eig();
  test_svd_qr_chol();
  test_lstsq_pinv();
  test_norms();
  return TEST_REPORT();
}
