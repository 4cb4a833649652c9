/* test_optim.c: the fused optimiser steps of kernels/nn/optim.c against
 * their definitions (the PyTorch fixtures are checked in tests/nn/optim.lua),
 * float32 and float64, the argument checks, and norms that do not depend on
 * the thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gl_types.h"
#include "optim.h"
#include "testhelp.h"

int main (void) {
  /* SGD, momentum 0.9, dampening 0.5: buf = g, then 0.9 buf + 0.5 g */
  double p[3] = {1, -2, 0.5}, g[3] = {0.1, 0.2, -0.3}, buf[3];
  gl_nn_sgd_opts so = {0.1, 0.9, 0.5, 0, 0, 0, 1};
  CHECK(gl_nn_sgd_step_f64(3, p, g, buf, &so) == 0);
  so.first = 0;
  CHECK(gl_nn_sgd_step_f64(3, p, g, buf, &so) == 0);
  for (int i = 0; i < 3; i++) {
    double b2 = 0.9 * g[i] + 0.5 * g[i];
    CLOSE(buf[i], b2, 1e-15);
    CLOSE(p[i], (i == 0 ? 1 : i == 1 ? -2 : 0.5) - 0.1 * g[i] - 0.1 * b2, 1e-15);
  }
  so.momentum = 0.5;   /* momentum without a buffer is refused */
  CHECK(gl_nn_sgd_step_f64(3, p, g, NULL, &so) == GL_EINVAL);

  /* Adam, first step from zero moments: p -= lr * g / (|g| + eps) */
  float pf[4] = {1, 2, 3, 4}, gf[4] = {0.5f, -1, 0, 2}, m[4] = {0}, v[4] = {0}, vmax[4] = {0};
  gl_nn_adam_opts ao = {0.01, 0.9, 0.999, 1e-8, 0, 0.01 / (1 - 0.9), sqrt(1 - 0.999), 1, 0, 0};
  CHECK(gl_nn_adam_step_f32(4, pf, gf, m, v, vmax, &ao) == 0);
  for (int i = 0; i < 4; i++) {
    CLOSE(pf[i], (i + 1) - 0.01 * gf[i] / (fabs(gf[i]) + 1e-8), 1e-6);
    CHECK(vmax[i] == v[i]);
  }
  CHECK(gl_nn_adam_step_f32(4, pf, gf, m, v, NULL, &ao) == GL_EINVAL);
  /* AdamW decays the weight before the moments: with a zero gradient only the decay acts */
  double pw[2] = {2, -4}, gw[2] = {0, 0}, mw[2] = {0}, vw[2] = {0};
  gl_nn_adam_opts wo = {0.1, 0.9, 0.999, 1e-8, 0.5, 0.1 / (1 - 0.9), sqrt(1 - 0.999), 0, 0, 1};
  CHECK(gl_nn_adam_step_f64(2, pw, gw, mw, vw, NULL, &wo) == 0);
  CLOSE(pw[0], 2 * (1 - 0.05), 1e-15);
  CLOSE(pw[1], -4 * (1 - 0.05), 1e-15);

  /* RMSprop, first step: sq = (1-a) g^2, p -= lr g / (sqrt(sq) + eps) */
  double pr[2] = {1, 1}, gr[2] = {0.3, -0.6}, sq[2] = {0};
  gl_nn_rmsprop_opts ro = {0.01, 0.99, 1e-8, 0, 0, 0, 0};
  CHECK(gl_nn_rmsprop_step_f64(2, pr, gr, sq, NULL, NULL, &ro) == 0);
  for (int i = 0; i < 2; i++) CLOSE(pr[i], 1 - 0.01 * gr[i] / (sqrt(0.01 * gr[i] * gr[i]) + 1e-8), 1e-14);
  ro.centered = 1;
  CHECK(gl_nn_rmsprop_step_f64(2, pr, gr, sq, NULL, NULL, &ro) == GL_EINVAL);

  /* norms: definitions, and the same bits with 1 and 2 threads */
  double x[4] = {3, -4, 0, 0}, out;
  CHECK(gl_nn_norm_f64(4, x, 2, &out) == 0 && out == 5);
  CHECK(gl_nn_norm_f64(4, x, 1, &out) == 0 && out == 7);
  CHECK(gl_nn_norm_f64(4, x, INFINITY, &out) == 0 && out == 4);
  CHECK(gl_nn_norm_f64(4, x, 3, &out) == 0);
  CLOSE(out, cbrt(27 + 64), 1e-15);
  CHECK(gl_nn_norm_f64(4, x, -1, &out) == GL_EINVAL);
  int64_t n = 300001;
  float *big = malloc((size_t)n * sizeof *big);
  CHECK(big != NULL);
  if (big) {
    for (int64_t i = 0; i < n; i++) big[i] = (float)sin((double)i) * 1e-3f;
    double a1, a2;
    gl_set_threads(1);
    CHECK(gl_nn_norm_f32(n, big, 2, &a1) == 0);
    gl_set_threads(2);
    CHECK(gl_nn_norm_f32(n, big, 2, &a2) == 0);
    CHECK(memcmp(&a1, &a2, sizeof a1) == 0);
    CLOSE(a1, sqrt(n / 2.0) * 1e-3, 1e-3);
    CHECK(gl_nn_scale_f32(n, big, 0.5) == 0);
    CHECK(big[7] == (float)sin(7.0) * 1e-3f * 0.5f);
    free(big);
  }
  return TEST_REPORT();
}
