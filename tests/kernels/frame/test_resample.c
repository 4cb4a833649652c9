/* test_resample.c: time bins (fixed steps and calendar rules), grouped
 * reductions, gap interpolation with limits, index matching, stable sorts,
 * rolling windows and correlations (resample.c, rolling.c). */
#include <math.h>
#include <string.h>
#include "datetime.h"
#include "resample.h"
#include "rolling.h"
#include "gl_types.h"
#include "testhelp.h"

static int64_t P (const char *s) {
  int64_t v = 0;
  gl_dt_parse(s, strlen(s), 0, &v, NULL);
  return v;
}

int main (void) {
  /* 1h bins from midnight of the first day, left-labelled; NaT skipped */
  int64_t ts[5] = {P("2016-02-28 22:10"), P("2016-02-28 23:59:59"), GL_NAT, P("2016-02-29 01:00"), P("2016-02-29 01:30")};
  int64_t codes[5], labels[8], nb;
  CHECK(gl_resample_bins(5, ts, GL_RULE_TICK, 1, 3600 * GL_NS_PER_SEC, codes, labels, &nb) == 0);
  CHECK(nb == 4 && codes[0] == 0 && codes[1] == 1 && codes[2] == -1 && codes[3] == 3 && codes[4] == 3);
  CHECK(labels[0] == P("2016-02-28 22:00") && labels[3] == P("2016-02-29 01:00"));
  /* month ends (leap February), weeks ending Sunday, month starts */
  int64_t tm[3] = {P("2016-01-31 23:00"), P("2016-02-29 12:00"), P("2016-04-01")};
  CHECK(gl_resample_bins(3, tm, GL_RULE_MONTH, 1, 0, codes, labels, &nb) == 0);
  CHECK(nb == 4 && codes[1] == 1 && codes[2] == 3 && labels[1] == P("2016-02-29") && labels[2] == P("2016-03-31"));
  CHECK(gl_resample_bins(3, tm, GL_RULE_MONTH_START, 1, 0, codes, labels, &nb) == 0 && labels[0] == P("2016-01-01"));
  int64_t tw[2] = {P("2016-02-28 12:00"), P("2016-02-29")};   /* a Sunday, then Monday */
  CHECK(gl_resample_bins(2, tw, GL_RULE_WEEK, 1, 0, codes, labels, &nb) == 0);
  CHECK(nb == 2 && labels[0] == P("2016-02-28") && labels[1] == P("2016-03-06"));
  CHECK(gl_resample_bins(2, tw, 99, 1, 0, codes, labels, &nb) == GL_EINVAL);
  /* grouped reductions skip NaN; empty groups give NaN (0 for sum, count) */
  int64_t g[6] = {0, 0, 2, 2, 2, -1};
  double v[6] = {1, NAN, 3, 5, 4, 100}, out[3];
  int64_t scratch[6 + 2 * 3 + 1];
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_MEAN, 1, out, NULL);
  CHECK(out[0] == 1 && isnan(out[1]) && out[2] == 4);
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_SUM, 1, out, NULL);
  CHECK(out[0] == 1 && out[1] == 0 && out[2] == 12);
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_COUNT, 1, out, NULL);
  CHECK(out[0] == 1 && out[1] == 0 && out[2] == 3);
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_MEDIAN, 1, out, scratch);
  CHECK(out[0] == 1 && isnan(out[1]) && out[2] == 4);
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_STD, 1, out, NULL);
  CLOSE(out[2], 1.0, 1e-15);
  CHECK(isnan(out[0]));
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_FIRST, 1, out, NULL);
  CHECK(out[0] == 1 && out[2] == 3);
  gl_group_reduce_f64(6, g, v, 3, GL_AGG_LAST, 1, out, NULL);
  CHECK(out[2] == 4);
  /* interpolation: leading NaN kept, limit fills the start of each run, trailing run padded */
  double y[9] = {NAN, 1, NAN, NAN, NAN, 5, NAN, NAN, NAN}, r[9];
  gl_interpolate_f64(9, NULL, y, 0, 0, r);
  CHECK(isnan(r[0]) && r[2] == 2 && r[4] == 4 && r[8] == 5);
  gl_interpolate_f64(9, NULL, y, 0, 2, r);
  CHECK(r[2] == 2 && r[3] == 3 && isnan(r[4]) && r[6] == 5 && r[7] == 5 && isnan(r[8]));
  double x[3] = {0, 1, 10}, y3[3] = {0, NAN, 10}, r3[3];
  gl_interpolate_f64(3, x, y3, 0, 0, r3);
  CHECK(r3[1] == 1);
  /* index matching: nearest ties go to the later label, tolerance, pad, exact on unsorted */
  int64_t src[3] = {0, 10, 20}, tgt[4] = {4, 5, 6, 31}, m[4];
  gl_index_match_i64(3, src, 4, tgt, 3, -1, m);
  CHECK(m[0] == 0 && m[1] == 1 && m[2] == 1 && m[3] == 2);
  gl_index_match_i64(3, src, 4, tgt, 3, 5, m);
  CHECK(m[1] == 1 && m[3] == -1);
  gl_index_match_i64(3, src, 4, tgt, 1, -1, m);
  CHECK(m[0] == 0 && m[2] == 0 && m[3] == 2);
  int64_t uns[3] = {20, 0, 10}, t2[2] = {10, 11};
  CHECK(gl_index_match_i64(3, uns, 2, t2, 0, -1, m) == 0 && m[0] == 2 && m[1] == -1);
  CHECK(gl_index_match_i64(3, uns, 2, t2, 3, -1, m) == GL_EINVAL);
  /* stable sorts */
  int64_t k[6] = {3, 1, 3, 2, 1, 0}, ord[6], sc[6];
  gl_argsort_i64(6, k, ord, sc);
  CHECK(ord[0] == 5 && ord[1] == 1 && ord[2] == 4 && ord[3] == 3 && ord[4] == 0 && ord[5] == 2);
  double kd[5] = {2, NAN, 1, 2, 0};
  gl_argsort_f64(5, kd, 0, ord, sc);
  CHECK(ord[0] == 4 && ord[1] == 2 && ord[2] == 0 && ord[3] == 3 && ord[4] == 1);
  gl_argsort_f64(5, kd, 1, ord, sc);
  CHECK(ord[0] == 0 && ord[1] == 3 && ord[4] == 1);
  /* rolling: count and time windows */
  double xs[5] = {1, 2, NAN, 4, 5}, ro[5], rs[10];
  gl_rolling_f64(5, xs, NULL, 2, 1, GL_ROLL_SUM, 1, ro, rs);
  CHECK(ro[0] == 1 && ro[1] == 3 && ro[2] == 2 && ro[3] == 4 && ro[4] == 9);
  gl_rolling_f64(5, xs, NULL, 3, 3, GL_ROLL_MEAN, 1, ro, rs);
  CHECK(isnan(ro[1]) && isnan(ro[3]));
  int64_t tt[5] = {0, 10, 20, 30, 100};
  gl_rolling_f64(5, xs, tt, 15, 1, GL_ROLL_MAX, 1, ro, rs);
  CHECK(ro[1] == 2 && ro[3] == 4 && ro[4] == 5);
  gl_rolling_f64(5, xs, NULL, 5, 1, GL_ROLL_MEDIAN, 1, ro, rs);
  CHECK(ro[4] == 3);
  /* correlations, pairwise complete; Spearman on average ranks */
  double c1[5] = {1, 2, 3, 4, NAN}, c2[5] = {2, 4, 6, 9, 1}, cm[4], cs[20];
  const double *cols[2] = {c1, c2};
  int64_t is[5];
  gl_corr_f64(5, 2, cols, 1, 1, cm, cs, is);
  CLOSE(cm[1], 1.0, 1e-15);
  gl_corr_f64(5, 2, cols, 0, 1, cm, cs, is);
  CHECK(cm[1] > 0.99 && cm[1] < 1 && cm[0] == 1);
  double rk[4], kv[4] = {10, 20, 10, NAN};
  int64_t o4[4], s4[4];
  gl_rank_avg_f64(4, kv, rk, o4, s4);
  CHECK(rk[0] == 1.5 && rk[2] == 1.5 && rk[1] == 3 && isnan(rk[3]));
  return TEST_REPORT();
}
