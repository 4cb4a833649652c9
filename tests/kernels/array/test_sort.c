/* test_sort.c: sort/argsort (stability, NaN last, strided lines, every type,
 * large inputs against qsort), searchsorted, unique, isin, and the counting
 * kernels of stats.c (histogram, bincount, nonzero). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sort.h"
#include "stats.h"
#include "testhelp.h"

static int cmp_nanlast (const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  if (isnan(a)) return isnan(b) ? 0 : 1;
  if (isnan(b)) return -1;
  return (a > b) - (a < b);
}

static void test_sort (void) {
  double x[7] = {3, NAN, 1, 2, 1, -INFINITY, 2};
  double v[7];
  int64_t p[7];
  gl_lines g = {1, 7, 1, 0, 1, 0};
  CHECK(gl_sort_f64(&g, x, v, p) == 0);
  CHECK(v[0] == -INFINITY && v[1] == 1 && v[2] == 1 && v[3] == 2 && v[5] == 3 && isnan(v[6]));
  /* stable: equal keys keep their order */
  CHECK(p[0] == 5 && p[1] == 2 && p[2] == 4 && p[3] == 3 && p[4] == 6 && p[5] == 0 && p[6] == 1);
  /* along the first axis of a 3 x 2 block (strided lines) */
  float m[6] = {5, 0, 1, 2, 3, 1};
  float mv[6];
  int64_t mp[6];
  gl_lines gc = {1, 3, 2, 0, 2, 1};
  CHECK(gl_sort_f32(&gc, m, mv, mp) == 0);
  CHECK(mv[0] == 1 && mv[2] == 3 && mv[4] == 5 && mv[1] == 0 && mv[3] == 1 && mv[5] == 2);
  CHECK(mp[0] == 1 && mp[2] == 2 && mp[4] == 0 && mp[1] == 0 && mp[3] == 2 && mp[5] == 1);
  int64_t iv[5] = {INT64_MAX, -1, INT64_MIN, 7, -1}, io[5], ip[5];
  CHECK(gl_sort_i64(&(gl_lines){1, 5, 1, 0, 1, 0}, iv, io, ip) == 0);
  CHECK(io[0] == INT64_MIN && io[1] == -1 && io[2] == -1 && io[4] == INT64_MAX && ip[1] == 1 && ip[2] == 4);
  /* a large line against qsort, values only and with positions */
  int64_t n = 100003;
  double *a = malloc(sizeof(double) * (size_t)n), *r = malloc(sizeof(double) * (size_t)n);
  double *s = malloc(sizeof(double) * (size_t)n);
  int64_t *pos = malloc(sizeof(int64_t) * (size_t)n);
  uint64_t st = 12345;
  for (int64_t k = 0; k < n; k++) {
    st = st * 6364136223846793005ull + 1442695040888963407ull;
    a[k] = (double)(st >> 40) / 1000.0;
    if (k % 101 == 0) a[k] = NAN;
  }
  memcpy(s, a, sizeof(double) * (size_t)n);
  qsort(s, (size_t)n, sizeof(double), cmp_nanlast);
  gl_lines gn = {1, n, 1, 0, 1, 0};
  CHECK(gl_sort_f64(&gn, a, r, pos) == 0);
  int ok = 1;
  for (int64_t k = 0; k < n; k++) {
    ok &= (r[k] == s[k]) || (isnan(r[k]) && isnan(s[k]));
    ok &= (a[pos[k]] == r[k]) || (isnan(r[k]) && isnan(a[pos[k]]));
    if (k > 0 && (r[k] == r[k - 1] || (isnan(r[k]) && isnan(r[k - 1])))) ok &= pos[k] > pos[k - 1];
  }
  CHECK(ok);
  /* 1 and 2 threads: the same positions */
  int64_t *pos2 = malloc(sizeof(int64_t) * (size_t)n);
  gl_lines g2 = {97, n / 97, 1, n / 97, 1, 0};
  gl_set_threads(1);
  gl_sort_f64(&g2, a, NULL, pos);
  gl_set_threads(2);
  gl_sort_f64(&g2, a, NULL, pos2);
  CHECK(memcmp(pos, pos2, sizeof(int64_t) * (size_t)(97 * (n / 97))) == 0);
  free(a); free(r); free(s); free(pos); free(pos2);
}

static void test_search (void) {
  double a[6] = {1, 2, 2, 2, 5, NAN}, v[5] = {0, 2, 3, NAN, 9};
  int64_t out[5];
  gl_searchsorted_f64(6, 1, a, 5, v, out, 0);
  CHECK(out[0] == 0 && out[1] == 1 && out[2] == 4 && out[3] == 5 && out[4] == 5);
  gl_searchsorted_f64(6, 1, a, 5, v, out, 1);
  CHECK(out[0] == 0 && out[1] == 4 && out[2] == 4 && out[3] == 6 && out[4] == 5);
  int64_t ia[4] = {10, 20, 30, 40}, iq[3] = {20, 25, 50}, io[3];
  gl_searchsorted_i64(2, 2, ia, 3, iq, io, 0);   /* strided: {10, 30} */
  CHECK(io[0] == 1 && io[1] == 1 && io[2] == 2);
  gl_bool in[5];
  gl_isin_f64(5, v, 6, a, in, 0);
  CHECK(!in[0] && in[1] && !in[2] && !in[3] && !in[4]);
  gl_isin_f64(5, v, 6, a, in, 1);
  CHECK(in[0] && !in[1] && in[3]);
}

static void test_unique (void) {
  double x[8] = {3, NAN, 1, 3, NAN, 0, -0.0, 1};
  double vals[8];
  int64_t first[8], inv[8], cnt[8], nu = 0;
  CHECK(gl_unique_f64(8, x, vals, first, inv, cnt, &nu) == 0);
  CHECK(nu == 4);
  CHECK(vals[0] == 0 && vals[1] == 1 && vals[2] == 3 && isnan(vals[3]));
  CHECK(first[0] == 5 && first[1] == 2 && first[2] == 0 && first[3] == 1);
  CHECK(cnt[0] == 2 && cnt[1] == 2 && cnt[2] == 2 && cnt[3] == 2);
  CHECK(inv[0] == 2 && inv[1] == 3 && inv[5] == 0 && inv[6] == 0 && inv[7] == 1);
  int64_t iv[4] = {5, 5, 5, 5}, ivals[4];
  CHECK(gl_unique_i64(4, iv, ivals, NULL, NULL, NULL, &nu) == 0 && nu == 1 && ivals[0] == 5);
  CHECK(gl_unique_i64(0, iv, ivals, NULL, NULL, NULL, &nu) == 0 && nu == 0);
}

static void test_counting (void) {
  double e[6];
  gl_hist_edges(5, 0, 1, e);
  CHECK(e[0] == 0 && e[5] == 1);
  CLOSE(e[2], 0.4, 1e-15);
  double x[9] = {0, 0.2, 0.19999999999999998, 0.4, 0.99, 1, 1.01, -0.1, NAN};
  int64_t c[5], c2[5];
  CHECK(gl_histogram_f64(9, x, NULL, 5, e, 1, c, NULL) == 0);
  CHECK(c[0] == 2 && c[1] == 1 && c[2] == 1 && c[3] == 0 && c[4] == 2);
  CHECK(gl_histogram_f64(9, x, NULL, 5, e, 0, c2, NULL) == 0);   /* bisection agrees */
  CHECK(memcmp(c, c2, sizeof c) == 0);
  double w[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, ws[5];
  gl_histogram_f64(9, x, w, 5, e, 1, NULL, ws);
  CHECK(ws[0] == 4 && ws[1] == 2 && ws[4] == 11);
  int64_t lab[5] = {0, 3, 3, 1, 0}, bc[4];
  CHECK(gl_bincount(5, lab, NULL, 4, bc, NULL) == 0);
  CHECK(bc[0] == 2 && bc[1] == 1 && bc[2] == 0 && bc[3] == 2);
  CHECK(gl_bincount(5, lab, NULL, 3, bc, NULL) == GL_ERANGE);
  gl_bool b[6] = {0, 1, 0, 0, 1, 1};
  int64_t pos[6];
  CHECK(gl_nonzero_u8(6, b, NULL) == 3);
  CHECK(gl_nonzero_u8(6, b, pos) == 3 && pos[0] == 1 && pos[1] == 4 && pos[2] == 5);
}

int main (void) {
  test_sort();
  test_search();
  test_unique();
  test_counting();
  return TEST_REPORT();
}
