/* test_nn_conv.c: hand-checkable cases of kernels/nn/nn_conv.c, float32 and
 * float64: moving sums, padding, stride, dilation, groups, the adjoint
 * identity <conv(x), g> = <x, conv^T(g)>, weight and bias gradients. */
#include <string.h>
#include "testhelp.h"
#include "gl_types.h"
#include "nn_conv.h"

static gl_nn_conv_shape shape1d (int64_t n, int64_t ci, int64_t w, int64_t co, int64_t ow, int64_t k,
                                 int64_t st, int64_t pad, int64_t dil, int64_t groups) {
  gl_nn_conv_shape s = {n, ci, 1, w, co, 1, ow, 1, k, 1, st, 0, pad, 1, dil, groups};
  return s;
}

static void test_1d (void) {
  /* y = x[i] + 2 x[i + 2] (dilation 2), zero padding 1 on the left, stride 2 */
  double x[6] = {1, 2, 3, 4, 5, 6}, w[2] = {1, 2}, b[1] = {0.5}, y[3], g[3] = {1, 1, 1}, gx[6], gw[2], gb[1];
  gl_nn_conv_shape s = shape1d(1, 1, 6, 1, 3, 2, 2, 1, 2, 1);
  CHECK(gl_nn_conv_forward_f64(&s, x, w, b, y) == 0);
  /* windows start at -1, 1, 3: (0 + 2*2), (2 + 2*4), (4 + 2*6) */
  CLOSE(y[0], 4.5, 0); CLOSE(y[1], 10.5, 0); CLOSE(y[2], 16.5, 0);
  gl_nn_conv_backward_data_f64(&s, g, w, NULL, gx);
  CLOSE(gx[0], 0, 0); CLOSE(gx[1], 2 + 1, 0); CLOSE(gx[3], 2 + 1, 0); CLOSE(gx[5], 2, 0); CLOSE(gx[2], 0, 0);
  gl_nn_conv_backward_weight_f64(&s, x, g, gw);
  CLOSE(gw[0], 0 + 2 + 4, 0); CLOSE(gw[1], 2 + 4 + 6, 0);
  gl_nn_channel_sum_f64(1, 1, 3, g, gb);
  CLOSE(gb[0], 3, 0);
  float xf[6] = {1, 2, 3, 4, 5, 6}, wf[2] = {1, 2}, yf[3];
  gl_nn_conv_forward_f32(&s, xf, wf, NULL, yf);
  CLOSE(yf[2], 16, 0);
}

static void test_2d (void) {
  /* 3x3 box sum of ones with padding 1: 4 at corners, 6 on edges, 9 inside */
  double x[16], w[9], y[16];
  for (int i = 0; i < 16; i++) x[i] = 1;
  for (int i = 0; i < 9; i++) w[i] = 1;
  gl_nn_conv_shape s = {1, 1, 4, 4, 1, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1};
  gl_nn_conv_forward_f64(&s, x, w, NULL, y);
  CLOSE(y[0], 4, 0); CLOSE(y[1], 6, 0); CLOSE(y[5], 9, 0); CLOSE(y[15], 4, 0);
  /* groups 2, two samples: each output channel sees only its own input channel */
  float xg[2 * 2 * 4], wg[2] = {3, -1}, yg[2 * 2 * 4], gwg[2];
  for (int i = 0; i < 16; i++) xg[i] = (float)i;
  gl_nn_conv_shape sg = {2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 1, 1, 2};
  gl_nn_conv_forward_f32(&sg, xg, wg, NULL, yg);
  CLOSE(yg[0], 0, 0); CLOSE(yg[4], -4, 0); CLOSE(yg[8 + 3], 33, 0); CLOSE(yg[8 + 7], -15, 0);
  /* gw with gout = ones: sum of each channel's inputs over the batch */
  float ones[16];
  for (int i = 0; i < 16; i++) ones[i] = 1;
  gl_nn_conv_backward_weight_f32(&sg, xg, ones, gwg);
  CLOSE(gwg[0], (0 + 1 + 2 + 3) + (8 + 9 + 10 + 11), 0);
  CLOSE(gwg[1], (4 + 5 + 6 + 7) + (12 + 13 + 14 + 15), 0);
}

/* <conv(x), g> = <x, conv^T(g)> for a strided, dilated, grouped, padded case,
 * and gw summed over a batch larger than the chunk count equals the sum of
 * the per-sample gradients. */
static void test_adjoint (void) {
  enum { N = 11, CI = 4, H = 7, W = 6, CO = 6, KH = 3, KW = 2 };
  gl_nn_conv_shape s = {N, CI, H, W, CO, 0, 0, KH, KW, 2, 1, 1, 0, 1, 2, 2};
  s.oh = (H + 1 + 1 - (KH - 1) - 1) / 2 + 1;            /* padding 1 + 1 rows */
  s.ow = (W - 2 * (KW - 1) - 1) / 1 + 1;
  static double x[N * CI * H * W], w[CO * CI / 2 * KH * KW], y[N * CO * 16 * 16], g[N * CO * 16 * 16];
  static double gx[N * CI * H * W], gw[CO * CI / 2 * KH * KW], gw1[CO * CI / 2 * KH * KW];
  int64_t P = s.oh * s.ow;
  for (int i = 0; i < N * CI * H * W; i++) x[i] = (i * 37 % 101) / 50.0 - 1;
  for (int i = 0; i < CO * CI / 2 * KH * KW; i++) w[i] = (i * 13 % 29) / 14.0 - 1;
  for (int i = 0; i < N * CO * P; i++) g[i] = (i * 7 % 31) / 15.0 - 1;
  gl_nn_conv_forward_f64(&s, x, w, NULL, y);
  gl_nn_conv_backward_data_f64(&s, g, w, NULL, gx);
  double a = 0, bsum = 0;
  for (int i = 0; i < N * CO * P; i++) a += y[i] * g[i];
  for (int i = 0; i < N * CI * H * W; i++) bsum += x[i] * gx[i];
  CLOSE(a, bsum, 1e-12);
  gl_nn_conv_backward_weight_f64(&s, x, g, gw);
  memset(gw1, 0, sizeof gw1);
  gl_nn_conv_shape one = s;
  one.n = 1;
  for (int n = 0; n < N; n++) {
    double t[CO * CI / 2 * KH * KW];
    gl_nn_conv_backward_weight_f64(&one, x + n * CI * H * W, g + n * CO * P, t);
    for (int i = 0; i < CO * CI / 2 * KH * KW; i++) gw1[i] += t[i];
  }
  for (int i = 0; i < CO * CI / 2 * KH * KW; i += 5) CLOSE(gw[i], gw1[i], 1e-12);
  /* <gw, w> = <conv(x) with w, g> (linearity in w) */
  double c = 0;
  for (int i = 0; i < CO * CI / 2 * KH * KW; i++) c += gw[i] * w[i];
  CLOSE(c, a, 1e-12);
}

int main (void) {
  test_1d();
  test_2d();
  test_adjoint();
  return TEST_REPORT();
}
