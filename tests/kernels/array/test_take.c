/* test_take.c: gathers and scatters along one axis (np.take / put /
 * compress / boolean assignment) for 4- and 8-byte items (float32, float64),
 * single items and blocks (inner > 1), with outer repeats, duplicate indices
 * and a broadcast source block. Expected values written out by hand: they
 * are positions, checked against the definition in take.h. */
#include <stdint.h>
#include <string.h>
#include "take.h"
#include "testhelp.h"

static void test_take_put (void) {
  /* float64 (2, 4, 1) taking rows {3, 0, 3} along the middle axis */
  double src[8] = {0, 1, 2, 3, 10, 11, 12, 13}, dst[6];
  int64_t idx[3] = {3, 0, 3};
  gl_take(8, 2, 4, 1, (const char *)src, idx, 3, (char *)dst);
  double want[6] = {3, 0, 3, 13, 10, 13};
  CHECK(memcmp(dst, want, sizeof want) == 0);
  /* float32 (4, 3) rows {2, 1}: blocks of 3 items */
  float m[12], r[6];
  for (int i = 0; i < 12; i++) m[i] = (float)i + 0.5f;
  int64_t rows[2] = {2, 1};
  gl_take(4, 1, 4, 3, (const char *)m, rows, 2, (char *)r);
  float wr[6] = {6.5f, 7.5f, 8.5f, 3.5f, 4.5f, 5.5f};
  CHECK(memcmp(r, wr, sizeof wr) == 0);
  /* put: later duplicates win, as in NumPy */
  double d[4] = {0, 0, 0, 0}, v[3] = {1, 2, 3};
  int64_t pi[3] = {1, 3, 1};
  gl_put(8, 1, 4, 1, (const char *)v, pi, 3, (char *)d);
  CHECK(d[0] == 0 && d[1] == 3 && d[2] == 0 && d[3] == 2);
  float f[8] = {0}, fv[4] = {1, 2, 3, 4};
  int64_t fi[1] = {2};
  gl_put(4, 2, 4, 1, (const char *)fv, fi, 1, (char *)f);     /* outer 2: f[o, 2] = fv[o] */
  CHECK(f[2] == 1 && f[6] == 2 && f[0] == 0 && f[7] == 0);
}

static void test_compress_expand (void) {
  unsigned char mask[5] = {1, 0, 1, 1, 0};
  double src[10], dst[10];
  for (int i = 0; i < 10; i++) src[i] = i * 1.25;
  CHECK(gl_compress(8, 5, 2, (const char *)src, mask, (char *)dst) == 3);   /* (5, 2) rows 0, 2, 3 */
  double want[6] = {0, 1.25, 5, 6.25, 7.5, 8.75};
  CHECK(memcmp(dst, want, sizeof want) == 0);
  float s32[5] = {1, 2, 3, 4, 5}, d32[5];
  CHECK(gl_compress(4, 5, 1, (const char *)s32, mask, (char *)d32) == 3);
  CHECK(d32[0] == 1 && d32[1] == 3 && d32[2] == 4);
  /* expand: the k-th source block to the k-th set position; others untouched */
  float out[5] = {-1, -1, -1, -1, -1}, blk[3] = {7, 8, 9};
  gl_expand(4, 5, 1, (const char *)blk, 3, mask, (char *)out);
  CHECK(out[0] == 7 && out[1] == -1 && out[2] == 8 && out[3] == 9 && out[4] == -1);
  /* one source block broadcast to every set position (a[mask] = row) */
  double row[2] = {0.5, -0.5}, o2[10];
  memset(o2, 0, sizeof o2);
  gl_expand(8, 5, 2, (const char *)row, 1, mask, (char *)o2);
  CHECK(o2[0] == 0.5 && o2[1] == -0.5 && o2[2] == 0 && o2[4] == 0.5 && o2[7] == -0.5 && o2[9] == 0);
  unsigned char none[3] = {0, 0, 0};
  CHECK(gl_compress(8, 3, 1, (const char *)src, none, (char *)dst) == 0);
}

int main (void) {
  test_take_put();
  test_compress_expand();
  return TEST_REPORT();
}
