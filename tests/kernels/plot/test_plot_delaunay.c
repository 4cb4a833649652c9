/* test_plot_delaunay.c: Bowyer-Watson triangulation: counts, orientation,
 * the empty-circumcircle property, grids and duplicates. */
#include <math.h>
#include <stdlib.h>
#include "plot.h"
#include "testhelp.h"

/* area of the triangles, and whether every one is counter-clockwise */
static double total_area (const double *x, const double *y, int64_t nt, const int64_t *t, int *ccw) {
  double a = 0;
  *ccw = 1;
  for (int64_t k = 0; k < nt; k++) {
    int64_t i = t[3 * k], j = t[3 * k + 1], l = t[3 * k + 2];
    double o = (x[j] - x[i]) * (y[l] - y[i]) - (y[j] - y[i]) * (x[l] - x[i]);
    if (o <= 0) *ccw = 0;
    a += o / 2;
  }
  return a;
}

int main (void) {
  /* pseudo-random points in the unit square with its 4 corners: the hull is the square */
  enum { N = 300 };
  double x[N], y[N];
  uint64_t s = 12345;
  x[0] = 0; y[0] = 0; x[1] = 1; y[1] = 0; x[2] = 1; y[2] = 1; x[3] = 0; y[3] = 1;
  for (int i = 4; i < N; i++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL; x[i] = (double)(s >> 11) / 9007199254740992.0;
    s = s * 6364136223846793005ULL + 1442695040888963407ULL; y[i] = (double)(s >> 11) / 9007199254740992.0;
  }
  int64_t nt, *t;
  CHECK(gl_plot_delaunay_f64(N, x, y, &nt, &t) == GL_OK);
  int ccw;
  CLOSE(total_area(x, y, nt, t, &ccw), 1.0, 1e-12);   /* covers the hull exactly once */
  CHECK(ccw);
  CHECK(nt == 2 * N - 2 - 4);                          /* Euler, hull of 4 points */
  /* empty circumcircles: no point strictly inside any triangle's circle */
  int bad = 0;
  for (int64_t k = 0; k < nt; k++) {
    double ax = x[t[3 * k]], ay = y[t[3 * k]], bx = x[t[3 * k + 1]], by = y[t[3 * k + 1]];
    double cx = x[t[3 * k + 2]], cy = y[t[3 * k + 2]];
    double d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
    double ux = ((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d;
    double uy = ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d;
    double r2 = (ax - ux) * (ax - ux) + (ay - uy) * (ay - uy);
    for (int i = 0; i < N; i++) if ((x[i] - ux) * (x[i] - ux) + (y[i] - uy) * (y[i] - uy) < r2 * (1 - 1e-9)) bad++;
  }
  CHECK(bad == 0);
  free(t);

  /* a 6 x 5 grid (every cell cocircular): 2 triangles per cell, area exact */
  double gx[30], gy[30];
  for (int i = 0; i < 6; i++) for (int j = 0; j < 5; j++) { gx[i * 5 + j] = i; gy[i * 5 + j] = j; }
  CHECK(gl_plot_delaunay_f64(30, gx, gy, &nt, &t) == GL_OK);
  CHECK(nt == 2 * 5 * 4);
  CLOSE(total_area(gx, gy, nt, t, &ccw), 20.0, 1e-12);
  CHECK(ccw);
  free(t);

  /* duplicates are skipped; too few or equal points are refused */
  double dx[5] = {0, 1, 0, 1, 1}, dy[5] = {0, 0, 1, 1, 1};
  CHECK(gl_plot_delaunay_f64(5, dx, dy, &nt, &t) == GL_OK);
  CHECK(nt == 2);
  for (int64_t k = 0; k < 3 * nt; k++) CHECK(t[k] != 4);
  free(t);
  CHECK(gl_plot_delaunay_f64(2, dx, dy, &nt, &t) == GL_EINVAL);
  double ex[3] = {1, 1, 1}, ey[3] = {2, 2, 2};
  CHECK(gl_plot_delaunay_f64(3, ex, ey, &nt, &t) == GL_EINVAL);
  double nx[3] = {0, NAN, 1}, ny[3] = {0, 1, 1};
  CHECK(gl_plot_delaunay_f64(3, nx, ny, &nt, &t) == GL_EINVAL);
  return TEST_REPORT();
}
