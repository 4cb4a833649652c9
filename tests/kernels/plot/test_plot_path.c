/* test_plot_path.c: transforms, NaN breaks and line simplification. */
#include <math.h>
#include <stdlib.h>
#include "plot.h"
#include "testhelp.h"

int main (void) {
  gl_plot_axmap mx = {0, 10, 100, 200, GL_PLOT_LINEAR, 1};
  gl_plot_axmap my = {0, 1, 500, 100, GL_PLOT_LINEAR, 1};
  CLOSE(gl_plot_axmap_apply(&mx, 5), 150, 1e-12);
  CLOSE(gl_plot_axmap_apply(&my, 0.25), 400, 1e-12);
  gl_plot_axmap ml = {1, 1000, 0, 300, GL_PLOT_LOG, 1};
  CLOSE(gl_plot_axmap_apply(&ml, 10), 100, 1e-9);
  CHECK(isnan(gl_plot_axmap_apply(&ml, -1)));
  gl_plot_axmap ms = {-100, 100, 0, 400, GL_PLOT_SYMLOG, 1};
  CLOSE(gl_plot_axmap_apply(&ms, 0), 200, 1e-9);
  CLOSE(gl_plot_axmap_apply(&ms, 10), 200 + 200 * 2.1111111111111111 / 3.1111111111111111, 1e-9);

  /* NaN breaks the line into two runs */
  double x[] = {0, 1, 2, NAN, 4, 5}, y[] = {0, 1, 0, 0, 1, 0};
  double ox[20], oy[20];
  int64_t k = gl_plot_path_simplify_f64(6, 1, 1, x, y, ox, oy, &mx, &my, 0);
  CHECK(k == 6);
  CHECK(isnan(ox[3]));
  CLOSE(ox[4], 140, 1e-12);

  /* a million points of noise on a straight line collapse, keeping extremes */
  int64_t n = 1000000;
  double *bx = malloc(sizeof(double) * n), *by = malloc(sizeof(double) * n);
  double *cx = malloc(sizeof(double) * (2 * n + 2)), *cy = malloc(sizeof(double) * (2 * n + 2));
  for (int64_t i = 0; i < n; i++) { bx[i] = (double)i / (n - 1) * 10; by[i] = 0.5 + ((i * 7919) % 13 == 0 ? 1e-5 : 0); }
  by[n / 2] = 0.9;   /* a spike must survive */
  k = gl_plot_path_simplify_f64(n, 1, 1, bx, by, cx, cy, &mx, &my, 1.0 / 9);
  CHECK(k < 50);
  double ymin = 1e9;
  for (int64_t i = 0; i < k; i++) if (cy[i] < ymin) ymin = cy[i];
  CLOSE(ymin, 500 - 0.9 * 400, 1e-9);
  CLOSE(cx[0], 100, 1e-12);
  CLOSE(cx[k - 1], 200, 1e-12);
  free(bx); free(by); free(cx); free(cy);
  return TEST_REPORT();
}
