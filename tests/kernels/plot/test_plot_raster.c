/* test_plot_raster.c: compositing marker stamps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"
#include "testhelp.h"

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

  /* many points in one colour take the transmittance path: 2 points of alpha
   * 0.5 on white give 75% colour, as two "over" operations do */
  enum { NP = 2000 };
  static double mx[NP], my[NP];
  for (int i = 0; i < W * H; i++) px[i] = 0xffffffffu;
  for (int i = 0; i < NP; i++) { mx[i] = 5.5 + (i % 30); my[i] = 20.5; }
  mx[0] = mx[1] = 38.5; my[0] = my[1] = 3.5;   /* only these two overlap here */
  for (int i = 2; i < NP; i++) if (mx[i] > 30) mx[i] = 20.5;
  double blue_half[] = {0, 0, 1, 0.5};
  CHECK(gl_plot_stamp_blit(W, H, W * 4, px, NP, mx, my, st, blue_half, 1, NULL, 0, NULL) == GL_OK);
  p = px[3 * W + 38];
  CHECK((p >> 24) == 255 && (p & 255) == 255 && ((p >> 16) & 255) >= 62 && ((p >> 16) & 255) <= 66);
  p = px[20 * W + 10];   /* ~67 points stacked: fully blue */
  CHECK((p & 255) == 255 && ((p >> 16) & 255) <= 1);
  CHECK(px[10 * W + 10] == 0xffffffffu);
  return TEST_REPORT();
}
