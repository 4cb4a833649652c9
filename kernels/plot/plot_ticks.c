/* plot_ticks.c: "nice" tick locations (matplotlib's MaxNLocator) and histogram counts.
 *
 * The locator scales the range to a decade, then walks an extended staircase of
 * steps (0.1*steps, steps, 10*steps[1]) down from the first step at least
 * range/nbins, keeping the largest one that still puts min_n_ticks ticks
 * inside the range. Tick positions are integer multiples of the step, with a
 * tolerance that grows with a large offset (the _Edge_integer helper), so that
 * 0.30000000000000004 counts as 0.3. */
#include <math.h>
#include "plot.h"

void gl_plot_nonsingular (double *vmin, double *vmax, double expander, double tiny) {
  double a = *vmin, b = *vmax;
  if (!isfinite(a) || !isfinite(b)) { *vmin = -expander; *vmax = expander; return; }
  int swapped = 0;
  if (b < a) { double t = a; a = b; b = t; swapped = 1; }
  double maxabs = fmax(fabs(a), fabs(b));
  if (maxabs < (1e6 / tiny) * 2.2250738585072014e-308) { a = -expander; b = expander; }
  else if (b - a <= maxabs * tiny) {
    if (b == 0 && a == 0) { a = -expander; b = expander; }
    else { a -= expander * fabs(a); b += expander * fabs(b); }
  }
  (void)swapped;   /* matplotlib's increasing=True: return in increasing order */
  *vmin = a; *vmax = b;
}

/* Python's floor division and modulo for floats. */
static void pydivmod (double x, double y, double *d, double *m) {
  double mod = fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0 && ((y < 0) != (mod < 0))) { mod += y; div -= 1.0; }
  double fd = floor(div);
  if (div - fd > 0.5) fd += 1.0;
  *d = fd; *m = mod;
}

static int closeto (double ms, double edge, double step, double offset) {
  double tol = 1e-10;
  if (offset > 0) {
    double digits = log10(offset / step);
    tol = fmax(1e-10, pow(10, digits - 12));
    tol = fmin(0.4999, tol);
  }
  return fabs(ms - edge) < tol;
}

int gl_plot_ticks_maxn (double vmin, double vmax, int nbins, int min_n_ticks,
                        const double *steps, int nsteps, int integer,
                        double *out, int maxout) {
  static const double defsteps[] = {1, 2, 2.5, 5, 10};
  if (steps == NULL) { steps = defsteps; nsteps = 5; }
  if (nbins < 1 || nsteps < 2 || nsteps > 16 || maxout < 1) return GL_EINVAL;
  gl_plot_nonsingular(&vmin, &vmax, 1e-13, 1e-14);
  if (vmax < vmin) { double t = vmin; vmin = vmax; vmax = t; }
  /* scale_range */
  double dv = fabs(vmax - vmin), meanv = (vmax + vmin) / 2, offset = 0;
  if (!(fabs(meanv) / dv < 100))
    offset = copysign(pow(10, floor(log10(fabs(meanv)))), meanv);
  double scale = pow(10, floor(log10(dv / nbins)));
  double _vmin = vmin - offset, _vmax = vmax - offset;
  double raw_step = (_vmax - _vmin) / nbins;
  double ext[40];
  int ne = 0;
  for (int i = 0; i < nsteps - 1; i++) ext[ne++] = 0.1 * steps[i] * scale;
  for (int i = 0; i < nsteps; i++) ext[ne++] = steps[i] * scale;
  ext[ne++] = 10 * steps[1] * scale;
  if (integer) {
    int k = 0;
    for (int i = 0; i < ne; i++)
      if (ext[i] < 1 || fabs(ext[i] - nearbyint(ext[i])) < 0.001) ext[k++] = ext[i];
    ne = k;
  }
  int istep = 0;
  while (istep < ne - 1 && !(ext[istep] >= raw_step)) istep++;
  int count = 0;
  for (; istep >= 0; istep--) {
    double step = ext[istep];
    if (integer && floor(_vmax) - ceil(_vmin) >= min_n_ticks - 1) step = fmax(1, step);
    double d, m, low, high;
    pydivmod(_vmin, step, &d, &m);
    double best_vmin = d * step;
    pydivmod(_vmin - best_vmin, step, &d, &m);
    low = closeto(m / step, 1, step, fabs(offset)) ? d + 1 : d;
    pydivmod(_vmax - best_vmin, step, &d, &m);
    high = closeto(m / step, 0, step, fabs(offset)) ? d : d + 1;
    count = 0;
    int inside = 0;
    for (double k = low; k <= high && count < maxout; k += 1) {
      double t = k * step + best_vmin;
      if (t <= _vmax && t >= _vmin) inside++;
      out[count++] = t;
    }
    if (inside >= min_n_ticks) break;
  }
  for (int i = 0; i < count; i++) out[i] += offset;
  return count;
}

int gl_plot_histogram_f64 (int64_t n, int64_t sx, const double *x, const double *w,
                           int64_t nb, const double *e, double *counts) {
  if (nb < 1) return GL_EINVAL;
  for (int64_t b = 0; b < nb; b++) counts[b] = 0;
  double lo = e[0], hi = e[nb];
  for (int64_t i = 0; i < n; i++) {
    double v = x[i * sx];
    if (!(v >= lo && v <= hi)) continue;   /* also drops NaN */
    int64_t a = 0, b = nb;                 /* find bin: e[a] <= v < e[a+1] */
    while (b - a > 1) {
      int64_t mid = (a + b) / 2;
      if (v >= e[mid]) a = mid; else b = mid;
    }
    counts[a] += w ? w[i] : 1.0;
  }
  return GL_OK;
}
