/* test_kdtree.c: kd-tree k-NN and radius queries against brute force, on
 * random points with duplicates, small and large query sets (the large one
 * takes the tree-ordered path). */
#include <stdlib.h>
#include <string.h>
#include "testhelp.h"
#include "kdtree.h"

static uint64_t st = 88172645463325252ULL;
static double urand (void) { st ^= st << 13; st ^= st >> 7; st ^= st << 17; return (double)(st >> 11) / 9007199254740992.0; }

static gl_kdtree *build (int64_t n, int64_t d, const double *X, int64_t leaf) {
  gl_kdtree *t = calloc(1, sizeof *t);
  int64_t nn = gl_kdtree_max_nodes(n, leaf);
  t->n = n; t->d = d; t->leafsize = leaf;
  t->pts = malloc((size_t)(n * d) * sizeof(double)); t->idx = malloc((size_t)n * sizeof(int64_t));
  t->start = malloc((size_t)nn * 8); t->end = malloc((size_t)nn * 8); t->left = malloc((size_t)nn * 8);
  t->right = malloc((size_t)nn * 8); t->box = malloc((size_t)(nn * 2 * d) * sizeof(double));
  CHECK(gl_kdtree_build(t, X, d, 1) == GL_OK);
  CHECK(t->nnodes <= nn);
  return t;
}
static void freetree (gl_kdtree *t) {
  free(t->pts); free(t->idx); free(t->start); free(t->end); free(t->left); free(t->right); free(t->box); free(t);
}

int main (void) {
  for (int trial = 0; trial < 3; trial++) {
    int64_t n = trial == 2 ? 30000 : 700, d = trial + 2, k = 7, leaf = trial == 1 ? 1 : 10;
    double *X = malloc((size_t)(n * d) * sizeof *X);
    for (int64_t i = 0; i < n * d; i++) X[i] = floor(urand() * 20) / 4;   /* many ties and duplicates */
    gl_kdtree *t = build(n, d, X, leaf);
    int64_t m = n;   /* query every point */
    double *dist = malloc((size_t)(m * k) * sizeof *dist), *bd = malloc((size_t)n * sizeof *bd);
    int64_t *ind = malloc((size_t)(m * k) * sizeof *ind);
    CHECK(gl_kdtree_knn(t, m, X, k, INFINITY, dist, ind) == GL_OK);
    int bad = 0;
    for (int64_t i = 0; i < m; i += (trial == 2 ? 97 : 1)) {
      for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t c = 0; c < d; c++) { double v = X[i * d + c] - X[j * d + c]; s += v * v; }
        bd[j] = s;
      }
      /* the k smallest (d2, j) pairs by selection */
      int64_t last = -1; double lastd = -1;
      for (int64_t r = 0; r < k; r++) {
        int64_t bj = -1;
        for (int64_t j = 0; j < n; j++) {
          if (bd[j] < lastd || (bd[j] == lastd && j <= last)) continue;
          if (bj < 0 || bd[j] < bd[bj]) bj = j;
        }
        if (ind[i * k + r] != bj || fabs(dist[i * k + r] - sqrt(bd[bj])) > 0) bad++;
        last = bj; lastd = bd[bj];
      }
    }
    CHECK(bad == 0);
    /* radius: counts and sorted members equal brute force */
    double r = 0.6;
    int64_t *off = malloc((size_t)(m + 1) * sizeof *off);
    gl_i64buf out = {0, 0, 0};
    CHECK(gl_kdtree_radius(t, m, X, &r, 0, off, &out, 0, 0) == GL_OK);
    bad = 0;
    for (int64_t i = 0; i < m; i += (trial == 2 ? 101 : 1)) {
      int64_t p = off[i];
      for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t c = 0; c < d; c++) { double v = X[i * d + c] - X[j * d + c]; s += v * v; }
        if (s <= r * r) { if (p >= off[i + 1] || out.data[p] != j) bad++; p++; }
      }
      if (p != off[i + 1]) bad++;
    }
    CHECK(bad == 0);
    free(out.data); free(off); free(dist); free(bd); free(ind); free(X); freetree(t);
  }
  /* NaN data is refused */
  double Xn[4] = {0, 1, NAN, 2};
  gl_kdtree tn = {2, 2, 4, 0, malloc(32), malloc(16), malloc(64), malloc(64), malloc(64), malloc(64), malloc(256)};
  CHECK(gl_kdtree_build(&tn, Xn, 2, 1) == GL_EINVAL);
  free(tn.pts); free(tn.idx); free(tn.start); free(tn.end); free(tn.left); free(tn.right); free(tn.box);
  return TEST_REPORT();
}
