/* plot_cmap.c: colormap lookup, as matplotlib's Colormap.__call__ after Normalize. */
#include <math.h>
#include <string.h>
#include "plot.h"

const gl_plot_cmap *gl_plot_cmap_find (const char *name) {
  for (const gl_plot_cmap *c = gl_plot_cmaps; c->name != NULL; c++)
    if (strcmp(c->name, name) == 0) return c;
  return NULL;
}

static void put_entry (const gl_plot_cmap *cm, int k, int reverse, double *o) {
  const double *e = reverse && cm->rgb_r ? cm->rgb_r + 3 * k : cm->rgb + 3 * (reverse ? cm->n - 1 - k : k);
  o[0] = e[0]; o[1] = e[1]; o[2] = e[2]; o[3] = 1.0;
}

int gl_plot_cmap_apply_f64 (int64_t n, int64_t stride, const double *v, double *rgba,
                            const gl_plot_cmap *cm, double vmin, double vmax,
                            int reverse, int lognorm, const double *under,
                            const double *over, const double *bad) {
  if (cm == NULL || cm->n <= 0) return GL_EINVAL;
  int N = cm->n;
  double lo = vmin, hi = vmax;
  if (lognorm) {
    if (!(vmin > 0 && vmax > 0)) return GL_EINVAL;
    lo = log10(vmin); hi = log10(vmax);
  }
  double span = hi - lo;
  for (int64_t i = 0; i < n; i++) {
    double x = v[i * stride], *o = rgba + 4 * i;
    if (lognorm) x = x > 0 ? log10(x) : NAN;
    if (isnan(x)) {
      if (bad) memcpy(o, bad, 4 * sizeof(double));
      else o[0] = o[1] = o[2] = o[3] = 0.0;
      continue;
    }
    double t = span == 0 ? 0.0 : (x - lo) / span;   /* matplotlib: vmin == vmax gives 0 */
    double f = t * N;
    if (f < 0) {
      if (under) memcpy(o, under, 4 * sizeof(double));
      else put_entry(cm, 0, reverse, o);
    } else if (f > N) {
      if (over) memcpy(o, over, 4 * sizeof(double));
      else put_entry(cm, N - 1, reverse, o);
    } else {
      int k = f >= N ? N - 1 : (int)f;
      put_entry(cm, k, reverse, o);
    }
  }
  return GL_OK;
}
