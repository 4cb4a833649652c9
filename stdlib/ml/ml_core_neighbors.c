/* ml_core_neighbors.c: k nearest neighbours for ml (brute force with BLAS
 * blocks, or the spatial kd-tree of kernels/spatial/kdtree.c in low dimension). */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "ml_internal.h"
#include "ml_neighbors.h"
#include "kdtree.h"

/* knn(X, Q, k, algorithm) -> dist (m x k), ind (m x k, 1-based)
 * algorithm: "brute", "kd_tree" or "auto" (kd-tree when d <= 15 and k < n/2). */
static int ml_knn (lua_State *L) {
  const char *fname = "ml.knn";
  lua_Integer k = luaL_checkinteger(L, 3);
  const char *alg = luaL_optstring(L, 4, "auto");
  lua_Integer leaf = luaL_optinteger(L, 5, 30);
  gl_array *X = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  gl_array *Q = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  if (X->ndim != 2 || Q->ndim != 2 || X->shape[1] != Q->shape[1]) gl_error(L, fname, "X and queries must be 2-D with the same columns");
  int64_t n = X->shape[0], m = Q->shape[0], d = X->shape[1];
  if (k < 1 || k > n) gl_error(L, fname, "n_neighbors must be in 1..%d, got %d", (int)n, (int)k);
  int use_tree = strcmp(alg, "kd_tree") == 0 || strcmp(alg, "ball_tree") == 0 ||
                 (strcmp(alg, "auto") == 0 && d <= 15 && k < n / 2);
  gl_array *dist = gl_array_push2(L, GL_FLOAT64, m, k);
  gl_array *ind = gl_array_push2(L, GL_INT64, m, k);
  int rc;
  if (use_tree) {
    gl_kdtree t;
    if (leaf < 1) leaf = 1;
    int64_t nn = gl_kdtree_max_nodes(n, leaf);
    memset(&t, 0, sizeof t);
    t.n = n; t.d = d; t.leafsize = leaf;
    t.pts = (double *)gl_ml_scratch(L, (size_t)(n * d) * sizeof(double));
    t.idx = (int64_t *)gl_ml_scratch(L, (size_t)n * sizeof(int64_t));
    t.start = (int64_t *)gl_ml_scratch(L, (size_t)nn * sizeof(int64_t));
    t.end = (int64_t *)gl_ml_scratch(L, (size_t)nn * sizeof(int64_t));
    t.left = (int64_t *)gl_ml_scratch(L, (size_t)nn * sizeof(int64_t));
    t.right = (int64_t *)gl_ml_scratch(L, (size_t)nn * sizeof(int64_t));
    t.box = (double *)gl_ml_scratch(L, (size_t)(nn * 2 * d) * sizeof(double));
    rc = gl_kdtree_build(&t, (const double *)X->data, d, 1);
    if (!rc) rc = gl_kdtree_knn(&t, m, (const double *)Q->data, k, INFINITY, (double *)dist->data,
                                (int64_t *)ind->data);
    lua_pop(L, 7);
  } else {
    rc = gl_ml_knn_brute_f64(n, m, d, (const double *)X->data, (const double *)Q->data, k,
                             (double *)dist->data, (int64_t *)ind->data);
  }
  if (rc) return gl_kernel_error(L, fname, rc);
  int64_t *ip = (int64_t *)ind->data;
  for (int64_t i = 0; i < m * k; i++) ip[i]++;
  return 2;
}

static const luaL_Reg funcs[] = {
  {"knn", ml_knn},
  {NULL, NULL}
};

void gl_ml_open_neighbors (lua_State *L) { luaL_setfuncs(L, funcs, 0); }
