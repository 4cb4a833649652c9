/* test_nn_act.c: hand-checkable cases of kernels/nn/activation.c, softmax.c
 * and nll.c, float32 and float64. */
#include <math.h>
#include "testhelp.h"
#include "gl_types.h"
#include "activation.h"
#include "softmax.h"
#include "nll.h"

static void test_activation (void) {
  double x[4] = {-2, -0.5, 0, 1.5}, y[4], g[4] = {1, 1, 1, 2}, gx[4];
  float xf[4] = {-2, -0.5f, 0, 1.5f}, yf[4], gf[4] = {1, 1, 1, 2}, gxf[4];
  CHECK(gl_nn_activation_f64(4, x, y, GL_NN_RELU, 0) == 0);
  CLOSE(y[0], 0, 0); CLOSE(y[3], 1.5, 0);
  gl_nn_activation_backward_f64(4, x, y, g, gx, GL_NN_RELU, 0);
  CLOSE(gx[0], 0, 0); CLOSE(gx[2], 0, 0); CLOSE(gx[3], 2, 0);      /* relu'(0) = 0 */
  gl_nn_activation_f64(4, x, y, GL_NN_LEAKY_RELU, 0.1);
  CLOSE(y[0], -0.2, 1e-15); CLOSE(y[3], 1.5, 0);
  gl_nn_activation_f64(4, x, y, GL_NN_SIGMOID, 0);
  CLOSE(y[2], 0.5, 0); CLOSE(y[0], 1 / (1 + exp(2.0)), 1e-15);
  gl_nn_activation_backward_f64(4, x, y, g, gx, GL_NN_SIGMOID, 0);
  CLOSE(gx[2], 0.25, 1e-15);
  gl_nn_activation_f64(4, x, y, GL_NN_ELU, 2.0);
  CLOSE(y[1], 2 * (exp(-0.5) - 1), 1e-15);
  gl_nn_activation_backward_f64(4, x, y, g, gx, GL_NN_ELU, 2.0);
  CLOSE(gx[1], 2 * exp(-0.5), 1e-15); CLOSE(gx[3], 2, 0);
  gl_nn_activation_f64(4, x, y, GL_NN_GELU, 0);
  CLOSE(y[3], 1.5 * 0.5 * (1 + erf(1.5 / sqrt(2.0))), 1e-15);
  gl_nn_activation_f64(4, x, y, GL_NN_SILU, 0);
  CLOSE(y[3], 1.5 / (1 + exp(-1.5)), 1e-15);
  gl_nn_activation_backward_f64(4, x, y, g, gx, GL_NN_TANH, 0);   /* y is silu's: uses y only */
  CLOSE(gx[3], 2 * (1 - y[3] * y[3]), 1e-15);
  CHECK(gl_nn_activation_f64(4, x, y, 99, 0) == GL_EINVAL);
  gl_nn_activation_f32(4, xf, yf, GL_NN_TANH, 0);
  CLOSE(yf[0], tanh(-2.0), 1e-7);
  gl_nn_activation_backward_f32(4, xf, yf, gf, gxf, GL_NN_TANH, 0);
  CLOSE(gxf[3], 2 * (1 - tanh(1.5) * tanh(1.5)), 1e-6);
  gl_nn_activation_f32(4, xf, yf, GL_NN_RELU, 0);
  CLOSE(yf[1], 0, 0);
}

static void test_softmax (void) {
  /* 2 x 2 x 3 (outer, n, inner): along the middle axis */
  double x[12] = {0, 1, 2, 0, 1, 3,   5, 5, 5, 5, 6, 1000}, y[12], g[12], gx[12];
  float xf[3] = {1, 2, 3}, yf[3], gyf[3] = {1, 0, 0}, gxf[3];
  gl_nn_softmax_f64(2, 2, 3, x, y, 0);
  CLOSE(y[0], 0.5, 1e-15); CLOSE(y[3], 0.5, 1e-15);
  CLOSE(y[2], 1 / (1 + exp(1.0)), 1e-15); CLOSE(y[5], 1 / (1 + exp(-1.0)), 1e-15);
  CLOSE(y[11], 1, 1e-15); CLOSE(y[8], 0, 1e-300);                 /* no overflow at 1000 */
  gl_nn_softmax_f64(2, 2, 3, x, y, 1);
  CLOSE(y[0], log(0.5), 1e-15); CLOSE(y[8], -995, 1e-12);
  for (int i = 0; i < 12; i++) g[i] = 1;
  gl_nn_softmax_backward_f64(2, 2, 3, y, g, gx, 1);                 /* gx = 1 - 2 p */
  CLOSE(gx[0], 0, 1e-15); CLOSE(gx[2], 1 - 2 / (1 + exp(1.0)), 1e-15);
  gl_nn_softmax_f64(2, 2, 3, x, y, 0);
  gl_nn_softmax_backward_f64(2, 2, 3, y, g, gx, 0);                 /* constant gy: 0 */
  CLOSE(gx[1], 0, 1e-15);
  gl_nn_softmax_f32(1, 3, 1, xf, yf, 0);
  double s = exp(1.0) + exp(2.0) + exp(3.0);
  CLOSE(yf[2], exp(3.0) / s, 1e-6);
  gl_nn_softmax_backward_f32(1, 3, 1, yf, gyf, gxf, 0);             /* p0 (1 - p0), -p0 p1 */
  CLOSE(gxf[0], exp(1.0) / s * (1 - exp(1.0) / s), 1e-6);
  CLOSE(gxf[1], -exp(1.0) / s * exp(2.0) / s, 1e-6);
}

static void test_nll (void) {
  double lp[6] = {-1, -2, -3, -4, -5, -6}, w[3] = {1, 2, 3}, loss[2], g[6], tw;
  float lpf[6] = {-1, -2, -3, -4, -5, -6}, lossf[2], gf[6], one = 1;
  int64_t t[2] = {3, 1}, tbad[2] = {0, 1}, tign[2] = {3, 7};
  CHECK(gl_nn_nll_bad_target(2, t, 3, -100) == -1);
  CHECK(gl_nn_nll_bad_target(2, tbad, 3, -100) == 0);
  CHECK(gl_nn_nll_bad_target(2, tign, 3, 7) == -1);
  gl_nn_nll_f64(2, 3, 1, lp, t, NULL, -100, GL_NN_RED_MEAN, loss, &tw);
  CLOSE(loss[0], 3.5, 1e-15); CLOSE(tw, 2, 0);
  gl_nn_nll_f64(2, 3, 1, lp, t, w, -100, GL_NN_RED_MEAN, loss, &tw);
  CLOSE(loss[0], (3 * 3 + 1 * 4) / 4.0, 1e-15); CLOSE(tw, 4, 0);
  gl_nn_nll_f64(2, 3, 1, lp, t, w, -100, GL_NN_RED_NONE, loss, &tw);
  CLOSE(loss[0], 9, 0); CLOSE(loss[1], 4, 0);
  gl_nn_nll_f64(2, 3, 1, lp, tign, w, 7, GL_NN_RED_SUM, loss, &tw);
  CLOSE(loss[0], 9, 0); CLOSE(tw, 3, 0);
  double gl1 = 2;
  gl_nn_nll_backward_f64(2, 3, 1, t, w, -100, GL_NN_RED_MEAN, 4, &gl1, g);
  CLOSE(g[2], -3 * 2 / 4.0, 1e-15); CLOSE(g[3], -1 * 2 / 4.0, 1e-15); CLOSE(g[0], 0, 0);
  CHECK(gl_nn_nll_f64(2, 3, 1, lp, tbad, NULL, -100, GL_NN_RED_SUM, loss, &tw) == GL_ERANGE);
  gl_nn_nll_f32(2, 3, 1, lpf, t, NULL, -100, GL_NN_RED_SUM, lossf, &tw);
  CLOSE(lossf[0], 7, 0);
  gl_nn_nll_backward_f32(2, 3, 1, t, NULL, -100, GL_NN_RED_SUM, 2, &one, gf);
  CLOSE(gf[2], -1, 0); CLOSE(gf[1], 0, 0);
}

int main (void) {
  test_activation();
  test_softmax();
  test_nll();
  return TEST_REPORT();
}
