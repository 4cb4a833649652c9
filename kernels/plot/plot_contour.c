/* plot_contour.c: iso-lines and filled bands of a gridded field.
 *
 * Lines: marching squares. Every crossing of the level lies on a grid edge
 * with a unique id (horizontal edges first, then vertical ones); each cell
 * joins two or four crossings (saddles are resolved with the cell's mean),
 * and each crossing belongs to at most two segments, so segments are chained
 * into polylines by walking from edge to edge: open chains from their free
 * ends first, then closed loops.
 * Bands: each cell is split into two triangles on which z is linear; the
 * triangle is clipped to lo <= z < hi (Sutherland-Hodgman on z), which is
 * exact for the linear interpolant. Polygons keep the grid's orientation, so
 * filling them all at once with the non-zero rule leaves no seams. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"

void gl_plot_pts_free (gl_plot_pts *p) {
  free(p->x); free(p->y);
  p->x = p->y = NULL; p->n = p->cap = 0;
}

static int push (gl_plot_pts *p, double x, double y) {
  if (p->n == p->cap) {
    int64_t cap = p->cap ? 2 * p->cap : 256;
    double *nx = realloc(p->x, sizeof(double) * cap);
    if (nx == NULL) return GL_ENOMEM;
    p->x = nx;
    double *ny = realloc(p->y, sizeof(double) * cap);
    if (ny == NULL) return GL_ENOMEM;
    p->y = ny;
    p->cap = cap;
  }
  p->x[p->n] = x; p->y[p->n] = y; p->n++;
  return GL_OK;
}

typedef struct grid {
  int64_t ny, nx;
  const double *x, *y, *z;
  double level;
} grid;

/* Crossing point on edge id. */
static void crossing (const grid *g, int64_t id, double *px, double *py) {
  int64_t nh = g->ny * g->nx, i, j, i2, j2;
  if (id < nh) { i = id / g->nx; j = id % g->nx; i2 = i; j2 = j + 1; }
  else { id -= nh; i = id / g->nx; j = id % g->nx; i2 = i + 1; j2 = j; }
  double za = g->z[i * g->nx + j], zb = g->z[i2 * g->nx + j2];
  double t = zb == za ? 0.5 : (g->level - za) / (zb - za);
  *px = g->x[j] + t * (g->x[j2] - g->x[j]);
  *py = g->y[i] + t * (g->y[i2] - g->y[i]);
}

int gl_plot_contour_lines_f64 (int64_t ny, int64_t nx, const double *x, const double *y,
                               const double *z, double level, gl_plot_pts *out) {
  if (ny < 2 || nx < 2) return GL_ESHAPE;
  grid g = {ny, nx, x, y, z, level};
  int64_t nh = ny * nx, ne = 2 * nh;
  int64_t *eseg = malloc(sizeof(int64_t) * 2 * ne);
  int64_t cap = 1024, ns = 0;
  int64_t *seg = malloc(sizeof(int64_t) * 2 * cap);
  if (eseg == NULL || seg == NULL) { free(eseg); free(seg); return GL_ENOMEM; }
  for (int64_t e = 0; e < 2 * ne; e++) eseg[e] = -1;
  int rc = GL_OK;
  for (int64_t i = 0; i + 1 < ny && rc == GL_OK; i++) {
    for (int64_t j = 0; j + 1 < nx; j++) {
      double c[4] = {z[i * nx + j], z[i * nx + j + 1], z[(i + 1) * nx + j + 1], z[(i + 1) * nx + j]};
      if (isnan(c[0]) || isnan(c[1]) || isnan(c[2]) || isnan(c[3])) continue;
      int up[4], nup = 0;
      for (int k = 0; k < 4; k++) { up[k] = c[k] > level; nup += up[k]; }
      if (nup == 0 || nup == 4) continue;
      /* edges between corners k and k+1: bottom, right, top, left */
      int64_t eid[4] = {i * nx + j, nh + i * nx + j + 1, (i + 1) * nx + j, nh + i * nx + j};
      int64_t pair[4];
      int np = 0;
      if (nup == 2 && up[0] == up[2]) {   /* saddle */
        int centre = (c[0] + c[1] + c[2] + c[3]) / 4 > level;
        if (centre == up[0]) { pair[0] = eid[0]; pair[1] = eid[1]; pair[2] = eid[2]; pair[3] = eid[3]; }
        else { pair[0] = eid[3]; pair[1] = eid[0]; pair[2] = eid[1]; pair[3] = eid[2]; }
        np = 2;
      } else {
        int m = 0;
        for (int k = 0; k < 4; k++) if (up[k] != up[(k + 1) % 4]) pair[m++] = eid[k];
        np = 1;
      }
      for (int s = 0; s < np; s++) {
        if (ns == cap) {
          int64_t *t = realloc(seg, sizeof(int64_t) * 4 * cap);
          if (t == NULL) { rc = GL_ENOMEM; break; }
          seg = t; cap *= 2;
        }
        int64_t a = pair[2 * s], b = pair[2 * s + 1];
        seg[2 * ns] = a; seg[2 * ns + 1] = b;
        eseg[2 * a + (eseg[2 * a] >= 0)] = ns;
        eseg[2 * b + (eseg[2 * b] >= 0)] = ns;
        ns++;
      }
    }
  }
  char *used = rc == GL_OK ? calloc(ns ? ns : 1, 1) : NULL;
  if (rc == GL_OK && used == NULL) rc = GL_ENOMEM;
  /* two passes: chains starting at a free end, then closed loops */
  for (int pass = 0; pass < 2 && rc == GL_OK; pass++) {
    for (int64_t s0 = 0; s0 < ns && rc == GL_OK; s0++) {
      if (used[s0]) continue;
      int64_t start = seg[2 * s0];
      if (pass == 0) {   /* find a free end of s0 */
        if (eseg[2 * start + 1] >= 0) {
          start = seg[2 * s0 + 1];
          if (eseg[2 * start + 1] >= 0) continue;
        }
      }
      double px, py;
      crossing(&g, start, &px, &py);
      rc = push(out, px, py);
      int64_t s = s0, e = start;
      while (rc == GL_OK && s >= 0 && !used[s]) {
        used[s] = 1;
        int64_t other = seg[2 * s] == e ? seg[2 * s + 1] : seg[2 * s];
        crossing(&g, other, &px, &py);
        rc = push(out, px, py);
        e = other;
        s = eseg[2 * e] == s ? eseg[2 * e + 1] : eseg[2 * e];
      }
      if (rc == GL_OK) rc = push(out, NAN, NAN);
    }
  }
  free(used); free(eseg); free(seg);
  return rc;
}

typedef struct vtx { double x, y, z; } vtx;

/* Clips polygon in[0..n) to z >= t (keep_above) or z < t; returns new count. */
static int clip_poly (const vtx *in, int n, vtx *out, double t, int keep_above) {
  int m = 0;
  for (int k = 0; k < n; k++) {
    const vtx *a = &in[k], *b = &in[(k + 1) % n];
    int ia = keep_above ? a->z >= t : a->z < t;
    int ib = keep_above ? b->z >= t : b->z < t;
    if (ia) out[m++] = *a;
    if (ia != ib) {
      double u = (t - a->z) / (b->z - a->z);
      vtx v = {a->x + u * (b->x - a->x), a->y + u * (b->y - a->y), t};
      out[m++] = v;
    }
  }
  return m;
}

int gl_plot_contour_band_f64 (int64_t ny, int64_t nx, const double *x, const double *y,
                              const double *z, double lo, double hi, gl_plot_pts *out) {
  if (ny < 2 || nx < 2) return GL_ESHAPE;
  int rc = GL_OK;
  for (int64_t i = 0; i + 1 < ny && rc == GL_OK; i++) {
    if (gl_interrupted()) return GL_EINTR;
    for (int64_t j = 0; j + 1 < nx && rc == GL_OK; j++) {
      vtx c[4] = {{x[j], y[i], z[i * nx + j]}, {x[j + 1], y[i], z[i * nx + j + 1]},
                  {x[j + 1], y[i + 1], z[(i + 1) * nx + j + 1]}, {x[j], y[i + 1], z[(i + 1) * nx + j]}};
      int nin = 0, nan = 0;
      for (int k = 0; k < 4; k++) {
        if (isnan(c[k].z)) nan = 1;
        nin += c[k].z >= lo && c[k].z < hi;
      }
      if (nan) continue;
      if (nin == 4) {   /* whole cell inside: one quad */
        for (int k = 0; k < 4 && rc == GL_OK; k++) rc = push(out, c[k].x, c[k].y);
        if (rc == GL_OK) rc = push(out, NAN, NAN);
        continue;
      }
      double zmin = fmin(fmin(c[0].z, c[1].z), fmin(c[2].z, c[3].z));
      double zmax = fmax(fmax(c[0].z, c[1].z), fmax(c[2].z, c[3].z));
      if (zmax < lo || zmin >= hi) continue;
      for (int tri = 0; tri < 2 && rc == GL_OK; tri++) {
        vtx t[3] = {c[0], tri == 0 ? c[1] : c[2], tri == 0 ? c[2] : c[3]};
        vtx p1[8], p2[10];
        int m = clip_poly(t, 3, p1, lo, 1);
        m = m ? clip_poly(p1, m, p2, hi, 0) : 0;
        if (m < 3) continue;
        for (int k = 0; k < m && rc == GL_OK; k++) rc = push(out, p2[k].x, p2[k].y);
        if (rc == GL_OK) rc = push(out, NAN, NAN);
      }
    }
  }
  return rc;
}
