/* test_kdtree.c: kd-tree k-NN and radius queries against brute force, on
 * random points with duplicates, small and large query sets (the large one
 * takes the tree-ordered path); the build's invariants (median splits on
 * the axis of largest extent, tight boxes, children numbered after their
 * parent) and a tree identical with 1 and 2 threads, on data that takes
 * every path of the build (histogram splits, a skewed histogram, tasks). */
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

/* every invariant of kdtree.h and kdtree_build.c; returns the failures */
static int check_tree (const gl_kdtree *t, const double *X) {
  int64_t n = t->n, d = t->d, bad = 0;
  char *seen = calloc((size_t)n, 1);
  for (int64_t i = 0; i < n; i++) {
    if (t->idx[i] < 0 || t->idx[i] >= n || seen[t->idx[i]]++) bad++;
    else for (int64_t k = 0; k < d; k++) bad += t->pts[i * d + k] != X[t->idx[i] * d + k];
  }
  free(seen);
  bad += t->start[0] != 0 || t->end[0] != n || t->nnodes > gl_kdtree_max_nodes(n, t->leafsize);
  for (int64_t j = 0; j < t->nnodes; j++) {
    int64_t s = t->start[j], e = t->end[j], l = t->left[j], r = t->right[j], dim = 0;
    const double *lo = t->box + j * 2 * d, *hi = lo + d;
    for (int64_t k = 0; k < d; k++) {          /* tight box */
      double mn = INFINITY, mx = -INFINITY;
      for (int64_t i = s; i < e; i++) { double v = t->pts[i * d + k]; mn = v < mn ? v : mn; mx = v > mx ? v : mx; }
      bad += lo[k] != mn || hi[k] != mx;
      if (hi[k] - lo[k] > hi[dim] - lo[dim]) dim = k;
    }
    if (l < 0) { bad += r >= 0 || (e - s > t->leafsize && hi[dim] > lo[dim]); continue; }
    int64_t mid = s + (e - s) / 2;
    bad += l <= j || r <= j || t->start[l] != s || t->end[l] != mid || t->start[r] != mid || t->end[r] != e;
    double lmax = -INFINITY, rmin = INFINITY;   /* a median split on dim */
    for (int64_t i = s; i < mid; i++) lmax = t->pts[i * d + dim] > lmax ? t->pts[i * d + dim] : lmax;
    for (int64_t i = mid; i < e; i++) rmin = t->pts[i * d + dim] < rmin ? t->pts[i * d + dim] : rmin;
    bad += lmax > rmin;
  }
  return (int)bad;
}

static int same_tree (const gl_kdtree *a, const gl_kdtree *b) {
  int64_t n = a->n, d = a->d, m = a->nnodes;
  return m == b->nnodes && !memcmp(a->idx, b->idx, (size_t)n * 8) && !memcmp(a->pts, b->pts, (size_t)(n * d) * 8)
      && !memcmp(a->start, b->start, (size_t)m * 8) && !memcmp(a->end, b->end, (size_t)m * 8)
      && !memcmp(a->left, b->left, (size_t)m * 8) && !memcmp(a->right, b->right, (size_t)m * 8)
      && !memcmp(a->box, b->box, (size_t)(m * 2 * d) * 8);
}

int main (void) {
  /* build invariants, and the same tree for 1 and 2 threads: clustered 3-D
     points with ties (tasks above 16384 points, histogram splits), and 2-D
     points with one far outlier (nearly all rows in one histogram bin) */
  for (int trial = 0; trial < 2; trial++) {
    int64_t n = trial ? 140000 : 150000, d = trial ? 2 : 3;   /* above PAR_MIN: threads used */
    double *X = malloc((size_t)(n * d) * sizeof *X);
    for (int64_t i = 0; i < n; i++)
      for (int64_t k = 0; k < d; k++)
        X[i * d + k] = trial ? urand() : floor(urand() * 8) + floor(urand() * 4000) / 1000;
    if (trial) X[0] = 1e6;
    gl_set_threads(1);
    gl_kdtree *t1 = build(n, d, X, 16);
    gl_set_threads(2);
    gl_kdtree *t2 = build(n, d, X, 16);
    CHECK(check_tree(t1, X) == 0);
    CHECK(same_tree(t1, t2));
    freetree(t1); freetree(t2); free(X);
  }

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
