/* test_gl_size.c: checked shape products (kernels/core/gl_size.h). */
#include "testhelp.h"
#include "gl_size.h"

int main (void) {
  int64_t n = -7, b = -7;
  int64_t s1[2] = {3, 4};
  CHECK(gl_shape_bytes(2, s1, 8, &n, &b) == 0 && n == 12 && b == 96);
  CHECK(gl_shape_bytes(0, NULL, 8, &n, &b) == 0 && n == 1 && b == 8);
  int64_t s2[2] = {INT64_MAX, 2};               /* broadcast_to({maxinteger, 2}) */
  CHECK(gl_shape_bytes(2, s2, 8, &n, &b) == -1);
  int64_t s3[2] = {(int64_t)1 << 32, (int64_t)1 << 32};  /* wraps to 0 unchecked */
  CHECK(gl_shape_bytes(2, s3, 1, &n, &b) == -1);
  int64_t s4[1] = {INT64_MAX};                  /* fits as a count, not in bytes */
  CHECK(gl_shape_bytes(1, s4, 8, &n, &b) == -2);
  CHECK(gl_shape_bytes(1, s4, 1, &n, &b) == -2); /* above GL_MAX_BYTES */
  int64_t s5[3] = {0, (int64_t)1 << 40, (int64_t)1 << 40};  /* NumPy refuses it too */
  CHECK(gl_shape_bytes(3, s5, 8, &n, &b) == -1);
  int64_t s6[3] = {0, 5, 7};
  CHECK(gl_shape_bytes(3, s6, 8, &n, &b) == 0 && n == 0 && b == 0);
  int64_t s7[1] = {(int64_t)1 << 59};          /* 2^62 bytes: allowed, may not allocate */
  CHECK(gl_shape_bytes(1, s7, 8, &n, &b) == 0 && b == (int64_t)1 << 62);
  int64_t p;
  CHECK(gl_mul_overflow(INT64_MAX, 2, &p) == 1);
  CHECK(gl_add_overflow(INT64_MAX, 1, &p) == 1);
  CHECK(gl_add_overflow(2, 3, &p) == 0 && p == 5);
  return TEST_REPORT();
}
