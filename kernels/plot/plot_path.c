/* plot_path.c: data -> pixel transforms and line simplification.
 *
 * Simplification follows matplotlib's PathSimplifier (path_converters.h): the
 * current run starts at the last emitted point and follows the direction of
 * its first point; later points closer than `tol` to that line only extend the
 * run's farthest forward and backward excursions. A point farther away ends
 * the run: its extremes are emitted and a new run starts. Collinear back-and-
 * forth noise collapses to its envelope, so a million-vertex signal draws the
 * same picture from a few thousand vertices. */
#include <math.h>
#include "plot.h"

double gl_plot_axmap_apply (const gl_plot_axmap *m, double v) {
  double a = m->d0, b = m->d1;
  switch (m->scale) {
    case GL_PLOT_LOG:
      if (!(v > 0)) return NAN;
      v = log10(v); a = log10(a); b = log10(b);
      break;
    case GL_PLOT_SYMLOG: {
      /* matplotlib's SymmetricalLogTransform, base 10, linscale 1 */
      double t = m->linthresh > 0 ? m->linthresh : 1, ls = 1.0 / (1.0 - 0.1);
#define SYMLOG(u) (fabs(u) <= t ? (u) * ls : copysign(t * (ls + log10(fabs(u) / t)), (u)))
      v = SYMLOG(v); a = SYMLOG(a); b = SYMLOG(b);
#undef SYMLOG
      break;
    }
    default: break;
  }
  if (b == a) return (m->p0 + m->p1) / 2;
  return m->p0 + (v - a) * (m->p1 - m->p0) / (b - a);
}

typedef struct run {
  int active;                 /* a run has started (origin set) */
  int has_dir;                /* direction known */
  double ox, oy, dx, dy, dn;  /* origin, direction, |direction| */
  double fmax, bmin;          /* extreme projections */
  double fx, fy, bx, by;      /* points at those projections */
  double lx, ly;              /* last point of the run */
} run;

static void flush (run *r, double *ox, double *oy, int64_t *k) {
  if (!r->has_dir) return;
  ox[*k] = r->fx; oy[*k] = r->fy; (*k)++;
  if (r->bmin < 0) { ox[*k] = r->bx; oy[*k] = r->by; (*k)++; }
  if (r->lx != ox[*k - 1] || r->ly != oy[*k - 1]) { ox[*k] = r->lx; oy[*k] = r->ly; (*k)++; }
}

static void start_dir (run *r, double px, double py) {
  r->dx = px - r->ox; r->dy = py - r->oy;
  r->dn = sqrt(r->dx * r->dx + r->dy * r->dy);
  r->has_dir = r->dn > 0;
  r->fmax = r->dn; r->bmin = 0;
  r->fx = px; r->fy = py; r->bx = r->ox; r->by = r->oy;
  r->lx = px; r->ly = py;
}

int64_t gl_plot_path_simplify_f64 (int64_t n, int64_t sx, int64_t sy,
                                   const double *x, const double *y,
                                   double *ox, double *oy,
                                   const gl_plot_axmap *mx, const gl_plot_axmap *my,
                                   double tol) {
  int64_t k = 0;
  int lin = mx->scale == GL_PLOT_LINEAR && my->scale == GL_PLOT_LINEAR;
  double ax = 0, bx = 0, ay = 0, by = 0;
  if (lin) {   /* fast path: one multiply-add per coordinate */
    bx = mx->d1 == mx->d0 ? 0 : (mx->p1 - mx->p0) / (mx->d1 - mx->d0);
    ax = mx->p0 - mx->d0 * bx;
    by = my->d1 == my->d0 ? 0 : (my->p1 - my->p0) / (my->d1 - my->d0);
    ay = my->p0 - my->d0 * by;
  }
  run r = {0};
  for (int64_t i = 0; i < n; i++) {
    double px, py;
    if (lin) { px = ax + bx * x[i * sx]; py = ay + by * y[i * sy]; }
    else { px = gl_plot_axmap_apply(mx, x[i * sx]); py = gl_plot_axmap_apply(my, y[i * sy]); }
    if (!isfinite(px) || !isfinite(py)) {   /* break the line */
      if (r.active) {
        flush(&r, ox, oy, &k);
        ox[k] = NAN; oy[k] = NAN; k++;
      }
      r.active = 0; r.has_dir = 0;
      continue;
    }
    if (!r.active) {
      r.active = 1; r.has_dir = 0;
      r.ox = px; r.oy = py;
      ox[k] = px; oy[k] = py; k++;
      continue;
    }
    if (tol <= 0) { ox[k] = px; oy[k] = py; k++; r.ox = px; r.oy = py; continue; }
    if (!r.has_dir) {
      if (px == r.ox && py == r.oy) continue;
      start_dir(&r, px, py);
      continue;
    }
    double ux = px - r.ox, uy = py - r.oy;
    double perp = fabs(ux * r.dy - uy * r.dx) / r.dn;
    if (perp < tol) {
      double proj = (ux * r.dx + uy * r.dy) / r.dn;
      if (proj > r.fmax) { r.fmax = proj; r.fx = px; r.fy = py; }
      else if (proj < r.bmin) { r.bmin = proj; r.bx = px; r.by = py; }
      r.lx = px; r.ly = py;
      continue;
    }
    flush(&r, ox, oy, &k);
    r.ox = ox[k - 1]; r.oy = oy[k - 1];
    r.has_dir = 0;
    if (px == r.ox && py == r.oy) continue;
    start_dir(&r, px, py);
  }
  if (r.active) flush(&r, ox, oy, &k);
  return k;
}
