/* test_plot_png.c: deterministic PNG writing and reading back with libpng. */
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
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
  px[20 * W + 30] = 0xffff0000u;
  /* PNG: same pixels, same bytes; read back gives the pixels */
  /* per-process names: suites of several checkouts may run at once */
  char f1[64], f2[64];
  snprintf(f1, sizeof f1, "/tmp/gl_test_plot_1.%ld.png", (long)getpid());
  snprintf(f2, sizeof f2, "/tmp/gl_test_plot_2.%ld.png", (long)getpid());
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

  return TEST_REPORT();
}
