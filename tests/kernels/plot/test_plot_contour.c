/* test_plot_contour.c: marching squares lines and filled bands. */
#include <math.h>
#include "plot.h"
#include "testhelp.h"

int main (void) {
  /* z = x^2 + y^2 on a 41x41 grid; level 0.25 is a circle of radius 0.5 */
  enum { N = 41 };
  double x[N], y[N], z[N * N];
  for (int i = 0; i < N; i++) x[i] = y[i] = -1 + 2.0 * i / (N - 1);
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) z[i * N + j] = x[j] * x[j] + y[i] * y[i];
  gl_plot_pts p = {0};
  CHECK(gl_plot_contour_lines_f64(N, N, x, y, z, 0.25, &p) == GL_OK);
  int nan = 0;
  double maxerr = 0;
  for (int64_t i = 0; i < p.n; i++) {
    if (isnan(p.x[i])) { nan++; continue; }
    maxerr = fmax(maxerr, fabs(hypot(p.x[i], p.y[i]) - 0.5));
  }
  CHECK(nan == 1);            /* one closed polyline */
  CHECK(maxerr < 0.01);
  CLOSE(p.x[0], p.x[p.n - 2], 1e-12);   /* closed: first == last */
  gl_plot_pts_free(&p);

  /* band area: 0 <= z < 0.25 is a disc of area pi/4 */
  CHECK(gl_plot_contour_band_f64(N, N, x, y, z, 0, 0.25, &p) == GL_OK);
  double area = 0;
  int64_t s = 0;
  for (int64_t i = 0; i < p.n; i++) {
    if (!isnan(p.x[i])) continue;
    for (int64_t k = s; k < i; k++) {
      int64_t k2 = k + 1 < i ? k + 1 : s;
      area += p.x[k] * p.y[k2] - p.x[k2] * p.y[k];
    }
    s = i + 1;
  }
  area /= 2;
  CHECK(area > 0);   /* counter-clockwise */
  CLOSE(area, M_PI / 4, 0.01);
  gl_plot_pts_free(&p);
  CHECK(gl_plot_contour_lines_f64(1, N, x, y, z, 0.25, &p) == GL_ESHAPE);
  return TEST_REPORT();
}
