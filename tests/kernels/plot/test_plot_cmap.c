/* test_plot_cmap.c: colormap lookup as matplotlib's Colormap(Normalize(...)). */
#include <math.h>
#include "plot.h"
#include "testhelp.h"

int main (void) {
  /* colormap lookup like matplotlib: viridis(0) = #440154, viridis(1) = #fde725 */
  const gl_plot_cmap *cm = gl_plot_cmap_find("viridis");
  CHECK(cm != NULL && cm->n == 256);
  CHECK(gl_plot_cmap_find("viridiss") == NULL);
  double v[] = {0, 1, NAN, 2, 0.5}, out[20];
  gl_plot_cmap_apply_f64(5, 1, v, out, cm, 0, 1, 0, 0, NULL, NULL, NULL);
  CHECK((int)(out[0] * 255) == 68 && (int)(out[1] * 255) == 1 && (int)(out[2] * 255) == 84);
  CHECK((int)(out[4] * 255) == 253 && (int)(out[5] * 255) == 231);
  CHECK(out[11] == 0);          /* NaN -> transparent */
  CHECK(out[12] == out[4]);     /* over -> last */
  gl_plot_cmap_apply_f64(1, 1, v, out, cm, 0, 1, 1, 0, NULL, NULL, NULL);
  CHECK((int)(out[0] * 255) == 253);   /* reversed */
  const gl_plot_cmap *tab = gl_plot_cmap_find("tab10");
  CHECK(tab && tab->n == 10);
  double lv[] = {1, 10, 100, -1}, lo[16];
  CHECK(gl_plot_cmap_apply_f64(4, 1, lv, lo, cm, 1, 100, 0, 1, NULL, NULL, NULL) == GL_OK);
  CHECK((int)(lo[4] * 255) == (int)(cm->rgb[3 * 128] * 255));   /* 10 is the middle of a log norm */
  CHECK(lo[15] == 0);                                             /* non-positive -> bad */
  CHECK(gl_plot_cmap_apply_f64(1, 1, lv, lo, cm, 0, 100, 0, 1, NULL, NULL, NULL) == GL_EINVAL);
  return TEST_REPORT();
}
