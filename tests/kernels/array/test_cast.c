/* test_cast.c: dtype conversion loops against NumPy 1.24's astype (from
 * tests/fixtures/kernels/gen_kernels.py): float -> int truncation and the
 * NaN/out-of-range rule, bool, narrowing integers that wrap, f32 rounding;
 * contiguous and strided, and gl_cast_copy's broadcasting. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "cast.h"
#include "testhelp.h"
#include "../../fixtures/kernels/expected.h"

#define N(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

static void run (gl_dtype dt, gl_dtype st, int64_t n, void *dst, int64_t ds, const void *src, int64_t ss) {
  char *p[2] = {dst, (char *)src};
  int64_t s[2] = {ds, ss};
  gl_cast_loop(dt, st)(n, p, s, NULL);
}

static void test_from_float (void) {
  int64_t n = N(CAST_SRC);
  int64_t i64[N(CAST_SRC)];
  gl_bool b[N(CAST_SRC)];
  float f32[N(CAST_SRC)];
  run(GL_INT64, GL_FLOAT64, n, i64, 8, CAST_SRC, 8);
  for (int64_t i = 0; i < n; i++) CHECK(i64[i] == CAST_I64[i]);
  run(GL_BOOL, GL_FLOAT64, n, b, 1, CAST_SRC, 8);
  for (int64_t i = 0; i < n; i++) CHECK(b[i] == CAST_BOOL[i]);
  run(GL_FLOAT32, GL_FLOAT64, n, f32, 4, CAST_SRC, 8);
  for (int64_t i = 0; i < n; i++)
    CHECK(isnan(CAST_F32[i]) ? isnan(f32[i]) : f32[i] == CAST_F32[i]);
  /* the same from float32 (the values are exact or rounded alike), strided:
   * source every third element, destination backwards */
  float src32[3 * N(CAST_SRC)];
  int64_t back[N(CAST_SRC)];
  for (int64_t i = 0; i < n; i++) { src32[3 * i] = (float)CAST_SRC[i]; src32[3 * i + 1] = src32[3 * i + 2] = 99; }
  run(GL_INT64, GL_FLOAT32, n, back + n - 1, -8, src32, 12);
  for (int64_t i = 0; i < n; i++) CHECK(back[n - 1 - i] == CAST_I64[i]);
  /* int32 and uint8 from f64 stay in range for the small values */
  int32_t i32[5];
  uint8_t u8[5];
  run(GL_INT32, GL_FLOAT64, 5, i32, 4, CAST_SRC, 8);
  run(GL_UINT8, GL_FLOAT64, 5, u8, 1, CAST_SRC + 1, 8);
  for (int64_t i = 0; i < 5; i++) CHECK(i32[i] == (int32_t)CAST_I64[i]);
  for (int64_t i = 0; i < 5; i++) CHECK(u8[i] == (uint8_t)CAST_I64[i + 1]);
}

static void test_from_int (void) {
  int64_t n = N(CAST_ISRC);
  uint8_t u8[N(CAST_ISRC)];
  int32_t i32[N(CAST_ISRC)];
  float f32[N(CAST_ISRC)];
  double f64[N(CAST_ISRC)];
  run(GL_UINT8, GL_INT64, n, u8, 1, CAST_ISRC, 8);
  for (int64_t i = 0; i < n; i++) CHECK(u8[i] == CAST_I_U8[i]);
  run(GL_INT32, GL_INT64, n, i32, 4, CAST_ISRC, 8);
  for (int64_t i = 0; i < n; i++) CHECK(i32[i] == CAST_I_I32[i]);
  run(GL_FLOAT32, GL_INT64, n, f32, 4, CAST_ISRC, 8);
  for (int64_t i = 0; i < n; i++) CHECK(f32[i] == CAST_I_F32[i]);
  run(GL_FLOAT64, GL_INT64, n, f64, 8, CAST_ISRC, 8);
  for (int64_t i = 0; i < n; i++) CHECK(f64[i] == (double)CAST_ISRC[i]);
  /* bool <- uint8: anything non-zero is true */
  uint8_t bytes[4] = {0, 1, 2, 255};
  gl_bool b[4];
  run(GL_BOOL, GL_UINT8, 4, b, 1, bytes, 1);
  CHECK(b[0] == 0 && b[1] == 1 && b[2] == 1 && b[3] == 1);
}

/* gl_cast_copy: a (3,) float32 row broadcast into a (2, 3) float64 array
 * stored transposed (strides (1, 2)), and a leading length-1 axis dropped. */
static void test_cast_copy (void) {
  float row[3] = {1.5f, -2.25f, 1e-3f};
  double dst[6];
  int64_t dshape[2] = {2, 3}, dstr[2] = {1, 2}, sshape[1] = {3}, sstr[1] = {1};
  memset(dst, 0, sizeof dst);
  CHECK(gl_cast_copy(GL_FLOAT64, 2, dshape, dstr, (char *)dst, GL_FLOAT32, 1, sshape, sstr, (const char *)row) == GL_OK);
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++) CHECK(dst[r + 2 * c] == (double)row[c]);
  int64_t s2shape[2] = {1, 3}, s2str[2] = {3, 1}, d1shape[1] = {3}, d1str[1] = {1};
  int64_t out[3];
  CHECK(gl_cast_copy(GL_INT64, 1, d1shape, d1str, (char *)out, GL_FLOAT32, 2, s2shape, s2str, (const char *)row) == GL_OK);
  CHECK(out[0] == 1 && out[1] == -2 && out[2] == 0);
  int64_t bad[2] = {2, 3};
  CHECK(gl_cast_copy(GL_INT64, 1, d1shape, d1str, (char *)out, GL_FLOAT32, 2, bad, s2str, (const char *)row) == GL_ESHAPE);
  int64_t four[1] = {4};
  CHECK(gl_cast_copy(GL_FLOAT64, 2, dshape, dstr, (char *)dst, GL_FLOAT32, 1, four, sstr, (const char *)row) == GL_ESHAPE);
}

static void test_load_store (void) {
  char buf[8];
  gl_store_f64(GL_FLOAT32, buf, 0.1);
  CHECK(*(float *)buf == 0.1f);
  CHECK(gl_load_f64(GL_FLOAT32, buf) == (double)0.1f);
  gl_store_f64(GL_INT32, buf, -3.9);
  CHECK(gl_load_i64(GL_INT32, buf) == -3);
  gl_store_f64(GL_BOOL, buf, NAN);
  CHECK(gl_load_i64(GL_BOOL, buf) == 1);
  int64_t big = (int64_t)1 << 53;
  memcpy(buf, &big, 8);
  CHECK(gl_load_f64(GL_INT64, buf) == 9007199254740992.0);
}

int main (void) {
  test_from_float();
  test_from_int();
  test_cast_copy();
  test_load_store();
  return TEST_REPORT();
}
