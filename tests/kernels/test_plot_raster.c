/* test_plot_raster.c: marker stamps, colormap lookup and deterministic PNG round trips. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"
#include "testhelp.h"

static int file_eq (const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  int eq = fa && fb;
  while (eq) {
    int ca = fgetc(fa), cb = fgetc(fb);
    if (ca != cb) eq = 0;
    if (ca == EOF) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return eq;
}

int main (void) {
  enum { W = 40, H = 30 };
  uint32_t px[W * H];
  for (int i = 0; i < W * H; i++) px[i] = 0xffffffffu;
  uint8_t mask[9] = {0, 255, 0, 255, 255, 255, 0, 255, 0};   /* a 3x3 plus */
  gl_plot_stamp st[16];
  for (int k = 0; k < 16; k++) { st[k].w = 3; st[k].h = 3; st[k].cx = 1; st[k].cy = 1; st[k].fill = mask; st[k].edge = NULL; }
  double xs[] = {10.5, 30.2, NAN, -50}, ys[] = {5.5, 20.9, 3, 3};
  double red[] = {1, 0, 0, 1};
  CHECK(gl_plot_stamp_blit(W, H, W * 4, px, 4, xs, ys, st, red, 1, NULL, 0, NULL) == GL_OK);
  CHECK(px[5 * W + 10] == 0xffff0000u);
  CHECK(px[4 * W + 10] == 0xffff0000u);
  CHECK(px[4 * W + 9] == 0xffffffffu);
  CHECK(px[20 * W + 30] == 0xffff0000u);
  double half[] = {0, 0, 1, 0.5};
  gl_plot_stamp_blit(W, H, W * 4, px, 1, xs, ys, st, half, 1, NULL, 0, NULL);
  uint32_t p = px[5 * W + 10];
  CHECK((p >> 24) == 255 && ((p >> 16) & 255) >= 126 && ((p >> 16) & 255) <= 129 && (p & 255) >= 126);

  /* PNG: same pixels, same bytes; read back gives the pixels */
  const char *f1 = "/tmp/gl_test_plot_1.png", *f2 = "/tmp/gl_test_plot_2.png";
  CHECK(gl_plot_png_write(W, H, W * 4, px, f1, 100) == GL_OK);
  CHECK(gl_plot_png_write(W, H, W * 4, px, f2, 100) == GL_OK);
  CHECK(file_eq(f1, f2));
  int64_t w, h;
  unsigned char *rgba;
  CHECK(gl_plot_png_read(f1, &w, &h, &rgba) == GL_OK);
  CHECK(w == W && h == H);
  CHECK(rgba[(20 * W + 30) * 4] == 255 && rgba[(20 * W + 30) * 4 + 1] == 0);
  free(rgba);
  /* translucent pixels are unpremultiplied */
  px[0] = 0x80400000u;
  CHECK(gl_plot_png_write(W, H, W * 4, px, f1, 0) == GL_OK);
  CHECK(gl_plot_png_read(f1, &w, &h, &rgba) == GL_OK);
  CHECK(rgba[3] == 128 && rgba[0] == 128);
  free(rgba);
  CHECK(gl_plot_png_write(W, H, W * 4, px, "/nonexistent/dir/x.png", 0) == GL_EIO);
  FILE *f = fopen(f2, "wb"); fputs("not a png", f); fclose(f);
  CHECK(gl_plot_png_read(f2, &w, &h, &rgba) == GL_EFORMAT);
  remove(f1); remove(f2);

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
  return TEST_REPORT();
}
