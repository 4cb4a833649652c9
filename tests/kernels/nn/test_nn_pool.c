/* test_nn_pool.c: hand-checkable cases of kernels/nn/pool.c and
 * batchnorm.c, float32 and float64. */
#include <math.h>
#include "testhelp.h"
#include "gl_types.h"
#include "pool.h"
#include "batchnorm.h"

static void test_sizes (void) {
  CHECK(gl_nn_pool_out_size(28, 2, 0, 2, 1, 0) == 14);
  CHECK(gl_nn_pool_out_size(15, 2, 0, 2, 1, 0) == 7);
  CHECK(gl_nn_pool_out_size(15, 2, 0, 2, 1, 1) == 8);
  CHECK(gl_nn_pool_out_size(5, 2, 1, 2, 1, 1) == 3);      /* the last window would start in the padding */
  CHECK(gl_nn_pool_out_size(2, 3, 0, 1, 1, 0) == 0);
}

static void test_max (void) {
  /* 1-D: windows of 2, stride 2, padding 1: [-inf, 1], [3, 2], [0, 7] */
  double x[5] = {1, 3, 2, 0, 7}, y[3], gy[3] = {1, 2, 3}, gx[5];
  int64_t idx[3];
  gl_nn_pool_shape s = {1, 1, 5, 1, 3, 1, 2, 1, 2, 0, 1, 1, 1};
  gl_nn_max_pool_f64(&s, x, y, idx);
  CLOSE(y[0], 1, 0); CLOSE(y[1], 3, 0); CLOSE(y[2], 7, 0);
  CHECK(idx[0] == 0 && idx[1] == 1 && idx[2] == 4);
  gl_nn_max_pool_backward_f64(&s, gy, idx, gx);
  CLOSE(gx[0], 1, 0); CLOSE(gx[1], 2, 0); CLOSE(gx[2], 0, 0); CLOSE(gx[4], 3, 0);
  /* 2-D 2x2 of a 4x4 ramp, float32: the bottom-right of each window */
  float xf[16], yf[4];
  int64_t idf[4];
  for (int i = 0; i < 16; i++) xf[i] = (float)i;
  gl_nn_pool_shape s2 = {1, 4, 4, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1};
  gl_nn_max_pool_f32(&s2, xf, yf, idf);
  CLOSE(yf[0], 5, 0); CLOSE(yf[3], 15, 0); CHECK(idf[1] == 7);
}

static void test_avg (void) {
  /* kernel 3, stride 3, padding 1 over {1..5}: windows [pad,1,2], [3,4,5] */
  double x[5] = {1, 2, 3, 4, 5}, y[2], gy[2] = {3, 6}, gx[5];
  gl_nn_pool_shape s = {1, 1, 5, 1, 2, 1, 3, 1, 3, 0, 1, 1, 1};
  gl_nn_avg_pool_f64(&s, x, y, 1, 0);
  CLOSE(y[0], 1.0, 1e-15); CLOSE(y[1], 4, 1e-15);            /* (0 + 1 + 2) / 3 */
  gl_nn_avg_pool_f64(&s, x, y, 0, 0);
  CLOSE(y[0], 1.5, 1e-15);                                  /* (1 + 2) / 2 */
  gl_nn_avg_pool_f64(&s, x, y, 1, 2);
  CLOSE(y[1], 6, 1e-15);                                    /* divisor 2 */
  gl_nn_avg_pool_backward_f64(&s, gy, gx, 1, 0);
  CLOSE(gx[0], 1, 1e-15); CLOSE(gx[4], 2, 1e-15);
  /* adaptive: 5 -> 3 windows [0,2), [1,4), [3,5) */
  float xf[5] = {1, 2, 3, 4, 5}, yf[3], gf[3] = {2, 3, 4}, gxf[5];
  gl_nn_pool_shape a = {1, 1, 5, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  gl_nn_adaptive_avg_pool_f32(&a, xf, yf);
  CLOSE(yf[0], 1.5, 1e-7); CLOSE(yf[1], 3, 1e-7); CLOSE(yf[2], 4.5, 1e-7);
  gl_nn_adaptive_avg_pool_backward_f32(&a, gf, gxf);
  CLOSE(gxf[1], 1 + 1, 1e-7); CLOSE(gxf[3], 1 + 2, 1e-7);
}

static void test_bn (void) {
  /* 2 samples, 1 channel, 2 positions: mean 2.5, biased var 1.25 */
  double x[4] = {1, 2, 3, 4}, w[1] = {2}, b[1] = {1}, rm[1] = {0}, rv[1] = {1}, y[4], mean[1], is[1];
  gl_nn_batch_norm_f64(2, 1, 2, x, w, b, rm, rv, 1, 0.5, 0, y, mean, is);
  CLOSE(mean[0], 2.5, 0); CLOSE(is[0], 1 / sqrt(1.25), 1e-15);
  CLOSE(y[0], (1 - 2.5) / sqrt(1.25) * 2 + 1, 1e-15);
  CLOSE(rm[0], 1.25, 1e-15); CLOSE(rv[0], 0.5 + 0.5 * (5.0 / 3.0), 1e-15);   /* unbiased 5/3 */
  double gy[4] = {1, 1, 1, 1}, gx[4], gw[1], gb[1];
  gl_nn_batch_norm_backward_f64(2, 1, 2, x, gy, w, mean, is, 1, gx, gw, gb);
  CLOSE(gx[0], 0, 1e-15); CLOSE(gb[0], 4, 0); CLOSE(gw[0], 0, 1e-15);         /* a constant gy */
  gl_nn_batch_norm_backward_f64(2, 1, 2, x, gy, w, mean, is, 0, gx, gw, gb);
  CLOSE(gx[0], 2 / sqrt(1.25), 1e-15);
  float xf[4] = {1, 2, 3, 4}, yf[4], mf[1], sf[1], rmf[1] = {10}, rvf[1] = {4};
  gl_nn_batch_norm_f32(2, 1, 2, xf, NULL, NULL, rmf, rvf, 0, 0.1, 0, yf, mf, sf);
  CLOSE(yf[3], (4 - 10) / 2.0, 1e-7); CLOSE(mf[0], 10, 0); CLOSE(sf[0], 0.5, 0);
}

int main (void) {
  test_sizes();
  test_max();
  test_avg();
  test_bn();
  return TEST_REPORT();
}
