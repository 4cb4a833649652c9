/* test_plot_ticks.c: MaxNLocator tick choices and histogram counts. */
#include <math.h>
#include "plot.h"
#include "testhelp.h"

static int same (const double *a, int na, const double *b, int nb) {
  if (na != nb) return 0;
  for (int i = 0; i < na; i++) if (fabs(a[i] - b[i]) > 1e-9 * (1 + fabs(b[i]))) return 0;
  return 1;
}

int main (void) {
  double t[64];
  int n = gl_plot_ticks_maxn(0, 1, 9, 2, NULL, 0, 0, t, 64);
  double e1[] = {0, 0.2, 0.4, 0.6, 0.8, 1.0};   /* matplotlib's choice */
  CHECK(same(t, n, e1, 6));
  n = gl_plot_ticks_maxn(0, 10, 5, 2, NULL, 0, 0, t, 64);
  double e2[] = {0, 2, 4, 6, 8, 10};
  CHECK(same(t, n, e2, 6));
  n = gl_plot_ticks_maxn(-3.7, 12.2, 6, 2, NULL, 0, 0, t, 64);
  double e3[] = {-5, 0, 5, 10, 15};
  CHECK(same(t, n, e3, 5));
  /* large offset: 1e6 + small span */
  n = gl_plot_ticks_maxn(1000000.1, 1000000.9, 8, 2, NULL, 0, 0, t, 64);
  CHECK(n == 6 && fabs(t[1] - 1000000.2) < 1e-6);
  /* degenerate interval widened */
  double a = 5, b = 5;
  gl_plot_nonsingular(&a, &b, 0.001, 1e-15);
  CHECK(a < 5 && b > 5);
  n = gl_plot_ticks_maxn(0, 0, 9, 2, NULL, 0, 0, t, 64);
  CHECK(n > 2);
  CHECK(gl_plot_ticks_maxn(0, 1, 0, 2, NULL, 0, 0, t, 64) == GL_EINVAL);
  /* integer steps */
  n = gl_plot_ticks_maxn(0, 3, 9, 2, NULL, 0, 1, t, 64);
  double e4[] = {0, 1, 2, 3};
  CHECK(same(t, n, e4, 4));

  double x[] = {0.5, 1.5, 1.5, 2.0, 3.0, NAN, -1, 4};
  double edges[] = {0, 1, 2, 3}, c[3];
  CHECK(gl_plot_histogram_f64(8, 1, x, NULL, 3, edges, c) == GL_OK);
  CLOSE(c[0], 1, 0); CLOSE(c[1], 2, 0); CLOSE(c[2], 2, 0);   /* 3.0 in the last bin */
  double w[] = {1, 2, 3, 4, 5, 6, 7, 8};
  gl_plot_histogram_f64(8, 1, x, w, 3, edges, c);
  CLOSE(c[1], 5, 0); CLOSE(c[2], 9, 0);
  return TEST_REPORT();
}
