/* sort_complex.c: NumPy's order of complex numbers: lexicographic (real
 * part, then imaginary part) within four classes that come one after the
 * other: R+Rj, R+nanj, nan+Rj, nan+nanj. Three passes of the stable float
 * sort give it: by imaginary part, then by real part, then by class, each
 * pass keeping the order of the one before among its ties. */
#include <math.h>
#include <stdlib.h>
#include "sort.h"

/* key of element x for pass k: 0 imaginary part, 1 real part, 2 NaN class */
static double key (const double *z, int k) {
  if (k == 0) return z[1];
  if (k == 1) return z[0];
  return 2.0 * (isnan(z[0]) != 0) + (isnan(z[1]) != 0);
}

int gl_sort_c128 (const gl_lines *g, const gl_c128 *x, gl_c128 *out, int64_t *pos) {
  int64_t total = g->outer * g->n * g->inner;
  size_t cnt = (size_t)(total > 0 ? total : 1);
  const double *d = (const double *)x;
  gl_lines gc = {g->outer, g->n, g->inner, g->n * g->inner, g->inner, 1};   /* contiguous */
  int64_t *perm = malloc(sizeof(int64_t) * cnt), *step = malloc(sizeof(int64_t) * cnt);
  double *kv = malloc(sizeof(double) * cnt);
  int rc = GL_ENOMEM;
  if (!perm || !step || !kv) goto done;
  for (int64_t c = 0; c < total; c++) perm[c] = (c / g->inner) % g->n;   /* identity */
  for (int k = 0; k < 3; k++) {
    for (int64_t o = 0; o < g->outer; o++)
      for (int64_t j = 0; j < g->n; j++)
        for (int64_t i = 0; i < g->inner; i++) {
          int64_t c = (o * g->n + j) * g->inner + i;
          kv[c] = key(d + 2 * (o * g->so + perm[c] * g->sn + i * g->si), k);
        }
    if ((rc = gl_sort_f64(&gc, kv, NULL, step))) goto done;
    for (int64_t o = 0; o < g->outer; o++)   /* perm = perm[step] along each line */
      for (int64_t j = 0; j < g->n; j++)
        for (int64_t i = 0; i < g->inner; i++) {
          int64_t c = (o * g->n + j) * g->inner + i;
          step[c] = perm[(o * g->n + step[c]) * g->inner + i];
        }
    int64_t *t = perm; perm = step; step = t;
  }
  for (int64_t o = 0; o < g->outer; o++)
    for (int64_t j = 0; j < g->n; j++)
      for (int64_t i = 0; i < g->inner; i++) {
        int64_t c = (o * g->n + j) * g->inner + i;
        if (pos) pos[c] = perm[c];
        if (out) out[c] = x[o * g->so + perm[c] * g->sn + i * g->si];
      }
done:
  free(perm);
  free(step);
  free(kv);
  return rc;
}
