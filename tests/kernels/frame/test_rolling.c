/* test_rolling.c: moving-window statistics and pairwise-complete
 * correlations against pandas 1.5.3 (Series.rolling over a count window and a
 * time window, DataFrame.corr/cov with missing values) and average ranks
 * against scipy.stats.rankdata; values from
 * tests/fixtures/kernels/gen_kernels.py. The frame kernels are float64 only
 * (pandas computes windows in float64 too). Tolerance 1e-13 relative: the
 * running mean/variance updates round differently from pandas' online
 * algorithm (both within a few ulps of the exact value). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "gl_types.h"
#include "rolling.h"
#include "testhelp.h"
#include "../../fixtures/kernels/expected.h"

#define N(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

static int near (double got, double want, double rtol) {
  if (isnan(want)) return isnan(got);
  return fabs(got - want) <= rtol * fabs(want) + 1e-300;
}

#define EXPECT_ALL(n, got, want, rtol, what) do { \
    int bad_ = 0; \
    for (int64_t i_ = 0; i_ < (n); i_++) \
      if (!near((got)[i_], (want)[i_], rtol)) { \
        bad_ = 1; \
        fprintf(stderr, "%s:%d: %s[%lld] = %.17g, expected %.17g\n", __FILE__, __LINE__, what, \
                (long long)i_, (got)[i_], (want)[i_]); \
      } \
    if (bad_) th_failed++; else th_passed++; \
  } while (0)

static void test_count_window (void) {
  enum { n = N(ROLL_X) };
  double out[n], scratch[2 * n];
  static const struct { int how; const double *want; const char *name; } C[] = {
    {GL_ROLL_MEAN, ROLL3_MEAN, "mean"}, {GL_ROLL_SUM, ROLL3_SUM, "sum"},
    {GL_ROLL_STD, ROLL3_STD, "std"}, {GL_ROLL_VAR, ROLL3_VAR, "var"},
    {GL_ROLL_MIN, ROLL3_MIN, "min"}, {GL_ROLL_MAX, ROLL3_MAX, "max"},
    {GL_ROLL_MEDIAN, ROLL3_MEDIAN, "median"}, {GL_ROLL_COUNT, ROLL3_COUNT, "count"},
  };
  for (size_t k = 0; k < sizeof C / sizeof C[0]; k++) {
    CHECK(gl_rolling_f64(n, ROLL_X, NULL, 3, 2, C[k].how, 1, out, scratch) == 0);
    EXPECT_ALL(n, out, C[k].want, 1e-13, C[k].name);
  }
  CHECK(gl_rolling_f64(n, ROLL_X, NULL, 3, 2, GL_ROLL_STD, 0, out, scratch) == 0);
  EXPECT_ALL(n, out, ROLL3_STD0, 1e-13, "std ddof=0");
  CHECK(gl_rolling_f64(n, ROLL_X, NULL, 0, 1, GL_ROLL_MEAN, 1, out, scratch) == GL_EINVAL);
}

static void test_time_window (void) {
  enum { n = N(ROLL_X) };
  int64_t ts[n];
  for (int i = 0; i < n; i++) ts[i] = ROLL_TS_S[i] * 1000000000;   /* nanoseconds, as datetimes */
  double out[n], scratch[2 * n];
  int64_t w = 3 * (int64_t)1000000000;
  CHECK(gl_rolling_f64(n, ROLL_X, ts, w, 1, GL_ROLL_MEAN, 1, out, scratch) == 0);
  EXPECT_ALL(n, out, ROLLT_MEAN, 1e-13, "3s mean");
  CHECK(gl_rolling_f64(n, ROLL_X, ts, w, 1, GL_ROLL_SUM, 1, out, scratch) == 0);
  EXPECT_ALL(n, out, ROLLT_SUM, 1e-13, "3s sum");
  CHECK(gl_rolling_f64(n, ROLL_X, ts, w, 1, GL_ROLL_MAX, 1, out, scratch) == 0);
  EXPECT_ALL(n, out, ROLLT_MAX, 0, "3s max");
  CHECK(gl_rolling_f64(n, ROLL_X, ts, w, 1, GL_ROLL_COUNT, 1, out, scratch) == 0);
  EXPECT_ALL(n, out, ROLLT_COUNT, 0, "3s count");
}

static void test_corr_rank (void) {
  enum { n = N(CORR_A) };
  const double *cols[3] = {CORR_A, CORR_B, CORR_C};
  double out[9], scratch[4 * n];
  int64_t iscratch[n];
  CHECK(gl_corr_f64(n, 3, cols, 0, 1, out, scratch, iscratch) == 0);
  EXPECT_ALL(9, out, CORR_PEARSON, 1e-14, "pearson");
  CHECK(gl_corr_f64(n, 3, cols, 1, 1, out, scratch, iscratch) == 0);
  EXPECT_ALL(9, out, CORR_SPEARMAN, 1e-14, "spearman");
  CHECK(gl_corr_f64(n, 3, cols, 2, 1, out, scratch, iscratch) == 0);
  EXPECT_ALL(9, out, CORR_COV, 1e-14, "cov");
  enum { m = N(RANK_X) };
  double r[m];
  int64_t order[m], s[m];
  gl_rank_avg_f64(m, RANK_X, r, order, s);
  EXPECT_ALL(m, r, RANK_AVG, 0, "average ranks");
}

int main (void) {
  test_count_window();
  test_time_window();
  test_corr_rank();
  return TEST_REPORT();
}
