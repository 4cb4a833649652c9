/* plot_delaunay.c: Delaunay triangulation of scattered points for
 * plt.Triangulation (matplotlib uses qhull; for the few thousand points of a
 * practical, Bowyer-Watson is enough and has no dependency).
 *
 * Algorithm (Bowyer-Watson): points are scaled into the unit square (so the
 * tolerances below are relative), a super-triangle far outside holds them
 * all, and each point in input order removes the triangles whose circumcircle
 * contains it strictly (by more than a relative 1e-12, so cocircular points,
 * as on a grid, keep the triangles already made) and fans the hole's boundary
 * to the point. Triangles touching the super-triangle are dropped at the end.
 * Duplicate points (same x and y) are skipped, as qhull does. The result is
 * deterministic: it depends only on the input order. Each O(n) insertion
 * scans all triangles, so the whole is O(n^2): 10 000 points take about a
 * second. Output triangles are counter-clockwise, vertex numbers 0-based. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"

typedef struct tri { int64_t v[3]; long double cx, cy, r2; } tri;

static int circum (const long double *px, const long double *py, tri *t) {
  long double ax = px[t->v[0]], ay = py[t->v[0]], bx = px[t->v[1]], by = py[t->v[1]];
  long double cx = px[t->v[2]], cy = py[t->v[2]];
  long double d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
  if (d == 0) return 0;
  long double a2 = ax * ax + ay * ay, b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
  t->cx = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d;
  t->cy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d;
  t->r2 = (ax - t->cx) * (ax - t->cx) + (ay - t->cy) * (ay - t->cy);
  return 1;
}

static long double orient (const long double *px, const long double *py, int64_t a, int64_t b, int64_t c) {
  return (px[b] - px[a]) * (py[c] - py[a]) - (py[b] - py[a]) * (px[c] - px[a]);
}

int gl_plot_delaunay_f64 (int64_t n, const double *x, const double *y, int64_t *ntri, int64_t **tris) {
  *ntri = 0; *tris = NULL;
  if (n < 3) return GL_EINVAL;
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  for (int64_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) return GL_EINVAL;
    xmin = fmin(xmin, x[i]); xmax = fmax(xmax, x[i]); ymin = fmin(ymin, y[i]); ymax = fmax(ymax, y[i]);
  }
  double span = fmax(xmax - xmin, ymax - ymin);
  if (span == 0) return GL_EINVAL;
  long double *px = malloc(sizeof(long double) * (size_t)(n + 3)), *py = malloc(sizeof(long double) * (size_t)(n + 3));
  int64_t cap = 2 * n + 16, nt = 0;
  tri *T = malloc(sizeof(tri) * (size_t)cap);
  int64_t ecap = 64, *edges = malloc(sizeof(int64_t) * 2 * (size_t)ecap);
  char *bad = malloc((size_t)cap);
  if (!px || !py || !T || !edges || !bad) { free(px); free(py); free(T); free(edges); free(bad); return GL_ENOMEM; }
  for (int64_t i = 0; i < n; i++) { px[i] = (x[i] - xmin) / span; py[i] = (y[i] - ymin) / span; }
  /* super-triangle: far enough that its circumcircles behave like half-planes near the data */
  px[n] = -1e4; py[n] = -1e4; px[n + 1] = 1e4 + 1; py[n + 1] = -1e4; px[n + 2] = 0.5; py[n + 2] = 1e4 + 1;
  T[0].v[0] = n; T[0].v[1] = n + 1; T[0].v[2] = n + 2;
  circum(px, py, &T[0]);
  nt = 1;
  int rc = GL_OK;
  for (int64_t p = 0; p < n && rc == GL_OK; p++) {
    int dup = 0;
    for (int64_t q = 0; q < p && !dup; q++) dup = x[q] == x[p] && y[q] == y[p];
    if (dup) continue;
    if (nt + 8 > cap) {   /* room for this insertion: at most nbad + 2 new triangles */
      cap = 2 * cap + 16;
      tri *nT = realloc(T, sizeof(tri) * (size_t)cap);
      char *nb = realloc(bad, (size_t)cap);
      if (nT) T = nT;
      if (nb) bad = nb;
      if (!nT || !nb) { rc = GL_ENOMEM; break; }
    }
    int64_t ne = 0, nbad = 0;
    for (int64_t t = 0; t < nt; t++) {
      long double dx = px[p] - T[t].cx, dy = py[p] - T[t].cy;
      bad[t] = dx * dx + dy * dy < T[t].r2 * (1 - 1e-12L);
      if (!bad[t]) continue;
      nbad++;
      for (int k = 0; k < 3; k++) {   /* boundary edges are those of one bad triangle only */
        int64_t a = T[t].v[k], b = T[t].v[(k + 1) % 3];
        int64_t found = -1;
        for (int64_t e = 0; e < ne; e++)
          if (edges[2 * e] == b && edges[2 * e + 1] == a) { found = e; break; }
        if (found >= 0) { edges[2 * found] = edges[2 * (ne - 1)]; edges[2 * found + 1] = edges[2 * (ne - 1) + 1]; ne--; }
        else {
          if (ne == ecap) {
            ecap *= 2;
            int64_t *ne2 = realloc(edges, sizeof(int64_t) * 2 * (size_t)ecap);
            if (!ne2) { rc = GL_ENOMEM; break; }
            edges = ne2;
          }
          edges[2 * ne] = a; edges[2 * ne + 1] = b; ne++;
        }
      }
    }
    if (rc != GL_OK || nbad == 0) continue;
    if (nt - nbad + ne > cap) {
      cap = nt - nbad + ne + 16;
      tri *nT = realloc(T, sizeof(tri) * (size_t)cap);
      char *nb = realloc(bad, (size_t)cap);
      if (nT) T = nT;
      if (nb) bad = nb;
      if (!nT || !nb) { rc = GL_ENOMEM; break; }
    }
    int64_t w = 0;   /* compact the good triangles in order, then append the fan */
    for (int64_t t = 0; t < nt; t++) if (!bad[t]) T[w++] = T[t];
    nt = w;
    for (int64_t e = 0; e < ne; e++) {
      tri t = {{edges[2 * e], edges[2 * e + 1], p}, 0, 0, 0};
      if (orient(px, py, t.v[0], t.v[1], t.v[2]) <= 0) continue;   /* a sliver from rounding: skip it */
      if (!circum(px, py, &t)) continue;
      T[nt++] = t;
    }
  }
  if (rc == GL_OK) {
    int64_t m = 0;
    for (int64_t t = 0; t < nt; t++) if (T[t].v[0] < n && T[t].v[1] < n && T[t].v[2] < n) m++;
    int64_t *out = malloc(sizeof(int64_t) * 3 * (size_t)(m ? m : 1));
    if (!out) rc = GL_ENOMEM;
    else {
      int64_t k = 0;
      for (int64_t t = 0; t < nt; t++)
        if (T[t].v[0] < n && T[t].v[1] < n && T[t].v[2] < n) {
          out[3 * k] = T[t].v[0]; out[3 * k + 1] = T[t].v[1]; out[3 * k + 2] = T[t].v[2]; k++;
        }
      *ntri = m; *tris = out;
    }
  }
  free(px); free(py); free(T); free(edges); free(bad);
  return rc;
}
