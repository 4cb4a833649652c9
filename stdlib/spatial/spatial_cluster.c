/* spatial_cluster.c: bindings of the clustering kernels (kernels/ml/cluster_*.c),
 * used by stdlib/ml/ml_cluster.lua and ml_cluster_metrics.lua. Labels cross this
 * boundary 0-based (noise -1); the Lua side decides what users see. */
#include <stdlib.h>
#include <string.h>
#include "spatial_internal.h"
#include "cluster.h"

static gl_array *matrix (lua_State *L, int idx, const char *fn) {
  gl_array *a = gl_array_arg_contig(L, idx, GL_FLOAT64, fn);
  char buf[64];
  if (a->ndim != 2) gl_error(L, fn, "expected a 2-D array, got shape %s", gl_shape_str(buf, sizeof buf, a->ndim, a->shape));
  return a;
}

/* The optional centring of X at idx: a float64 vector of d values, or NULL. */
static const double *shift_arg (lua_State *L, int idx, int64_t d, const char *fn) {
  if (lua_isnoneornil(L, idx)) return NULL;
  gl_array *s = gl_array_arg_contig(L, idx, GL_FLOAT64, fn);
  if (s->ndim != 1 || s->shape[0] != d) gl_error(L, fn, "the centring shift must have %lld values", (long long)d);
  return (const double *)s->data;
}

/* core.kmeans_pp(X, k, n_local_trials, seed [, shift]) -> centers (k, d) of
 * X - shift, rows (1-based) */
static int cl_kmeans_pp (lua_State *L) {
  const char *fn = "ml.KMeans";
  gl_array *X = matrix(L, 1, fn);
  lua_Integer k = luaL_checkinteger(L, 2), nt = luaL_checkinteger(L, 3);
  lua_Integer seed = luaL_checkinteger(L, 4);
  int64_t n = X->shape[0], d = X->shape[1];
  const double *shift = shift_arg(L, 5, d, fn);
  lua_settop(L, 5);
  if (k < 1 || k > n) gl_error(L, fn, "n_samples=%lld should be >= n_clusters=%lld", (long long)n, (long long)k);
  gl_array *C = gl_array_push2(L, GL_FLOAT64, k, d);
  gl_array *I = gl_array_push1(L, GL_INT64, k);
  gl_rng rng;
  gl_random_seed(&rng, (uint64_t)seed);
  int rc = gl_kmeans_pp_f64(n, d, (const double *)X->data, shift, k, nt, &rng, (double *)C->data, (int64_t *)I->data);
  if (rc) gl_kernel_error(L, fn, rc);
  for (int64_t j = 0; j < k; j++) ((int64_t *)I->data)[j] += 1;
  return 2;
}

/* core.kmeans_fit(X, centers, max_iter, tol, elkan [, shift]) -> labels
 * (0-based), inertia, n_iter, centers (all of X - shift) */
static int cl_kmeans_fit (lua_State *L) {
  const char *fn = "ml.KMeans";
  gl_array *X = matrix(L, 1, fn);
  gl_array *C0 = matrix(L, 2, fn);
  lua_Integer maxit = luaL_checkinteger(L, 3);
  double tol = luaL_checknumber(L, 4);
  int elkan = lua_toboolean(L, 5);
  int64_t n = X->shape[0], d = X->shape[1], k = C0->shape[0];
  const double *shift = shift_arg(L, 6, d, fn);
  lua_settop(L, 6);
  if (C0->shape[1] != d) gl_error(L, fn, "init has %lld features, X has %lld", (long long)C0->shape[1], (long long)d);
  if (k > n) gl_error(L, fn, "n_samples=%lld should be >= n_clusters=%lld", (long long)n, (long long)k);
  if (maxit < 1) gl_error(L, fn, "max_iter must be >= 1");
  gl_array *lab = gl_array_push1(L, GL_INT64, n);
  gl_array *C = gl_array_push_copy(L, C0, GL_FLOAT64);
  double inertia = 0; int64_t nit = 0;
  int rc = gl_kmeans_fit_f64(n, d, (const double *)X->data, shift, k, (double *)C->data, maxit, tol, elkan,
                             (int64_t *)lab->data, &inertia, &nit);
  if (rc) gl_kernel_error(L, fn, rc);
  lua_pushvalue(L, -2);            /* labels */
  lua_pushnumber(L, inertia);
  lua_pushinteger(L, nit);
  lua_pushvalue(L, -4);            /* centers */
  return 4;
}

/* core.kmeans_assign(X, centers) -> labels (0-based), squared distances, inertia */
static int cl_kmeans_assign (lua_State *L) {
  const char *fn = "ml.KMeans";
  gl_array *X = matrix(L, 1, fn);
  gl_array *C = matrix(L, 2, fn);
  int64_t n = X->shape[0], d = X->shape[1], k = C->shape[0];
  if (C->shape[1] != d)
    gl_error(L, fn, "X has %lld features, but KMeans is expecting %lld features as input", (long long)d, (long long)C->shape[1]);
  gl_array *lab = gl_array_push1(L, GL_INT64, n);
  gl_array *d2 = gl_array_push1(L, GL_FLOAT64, n);
  double inertia = 0;
  int rc = gl_kmeans_assign_f64(n, d, (const double *)X->data, k, (const double *)C->data,
                                (int64_t *)lab->data, (double *)d2->data, &inertia);
  if (rc) gl_kernel_error(L, fn, rc);
  lua_pushnumber(L, inertia);
  return 3;
}

/* core.dbscan(X, eps, min_samples, leafsize) -> labels (0-based, -1 noise), core (uint8) */
static int cl_dbscan (lua_State *L) {
  const char *fn = "ml.DBSCAN";
  gl_array *X = matrix(L, 1, fn);
  double eps = luaL_checknumber(L, 2);
  lua_Integer ms = luaL_checkinteger(L, 3), leaf = luaL_optinteger(L, 4, 30);
  if (!(eps > 0)) gl_error(L, fn, "eps must be > 0, got %g", eps);
  if (ms < 1) gl_error(L, fn, "min_samples must be >= 1, got %lld", (long long)ms);
  int64_t n = X->shape[0];
  gl_kdtree *t = gl_spatial_newtree(L, X, leaf, fn);
  gl_array *lab = gl_array_push1(L, GL_INT64, n);
  gl_array *core = gl_array_push1(L, GL_UINT8, n);
  int rc = gl_dbscan_f64(t, eps, ms, (int64_t *)lab->data, (uint8_t *)core->data);
  if (rc) gl_kernel_error(L, fn, rc);
  return 2;
}

/* core.silhouette(X, labels (0-based), n_labels) -> s */
static int cl_silhouette (lua_State *L) {
  const char *fn = "ml.silhouette_samples";
  gl_array *X = matrix(L, 1, fn);
  gl_array *lab = gl_array_arg_contig(L, 2, GL_INT64, fn);
  lua_Integer nl = luaL_checkinteger(L, 3);
  int64_t n = X->shape[0];
  if (lab->size != n) gl_error(L, fn, "X has %lld samples but labels has %lld", (long long)n, (long long)lab->size);
  gl_array *s = gl_array_push1(L, GL_FLOAT64, n);
  int rc = gl_silhouette_f64(n, X->shape[1], (const double *)X->data, (const int64_t *)lab->data, nl, (double *)s->data);
  if (rc) gl_kernel_error(L, fn, rc);
  return 1;
}

/* core.linkage(X, method 0..3) -> Z (n-1, 4), scipy's layout, 0-based ids */
static int cl_linkage (lua_State *L) {
  const char *fn = "ml.AgglomerativeClustering";
  gl_array *X = matrix(L, 1, fn);
  lua_Integer method = luaL_checkinteger(L, 2);
  int64_t n = X->shape[0];
  if (n < 2) gl_error(L, fn, "at least 2 samples are needed, got %lld", (long long)n);
  if (n > 40000) gl_error(L, fn, "%lld samples need a %.1f GB distance matrix (limit: 40000 samples)",
                          (long long)n, (double)n * (n - 1) / 2 * 8 / 1e9);
  gl_array *Z = gl_array_push2(L, GL_FLOAT64, n - 1, 4);
  int rc = gl_linkage_f64(n, X->shape[1], (const double *)X->data, (int)method, (double *)Z->data);
  if (rc) gl_kernel_error(L, fn, rc);
  return 1;
}

/* core.kde_eval(data (n,d), weights (n), points (m,d), L (d,d), norm) -> density (m) */
static int cl_kde_eval (lua_State *L) {
  const char *fn = "stats.gaussian_kde";
  gl_array *D = matrix(L, 1, fn);
  gl_array *W = gl_array_arg_contig(L, 2, GL_FLOAT64, fn);
  gl_array *P = matrix(L, 3, fn);
  gl_array *C = matrix(L, 4, fn);
  double norm = luaL_checknumber(L, 5);
  int64_t n = D->shape[0], d = D->shape[1], m = P->shape[0];
  if (d > 64) gl_error(L, fn, "at most 64 dimensions, got %lld", (long long)d);
  if (P->shape[1] != d) gl_error(L, fn, "points have dimension %lld, dataset has dimension %lld", (long long)P->shape[1], (long long)d);
  if (W->size != n || C->shape[0] != d || C->shape[1] != d) gl_error(L, fn, "inconsistent weights or covariance");
  gl_array *out = gl_array_push1(L, GL_FLOAT64, m);
  int rc = gl_kde_eval_f64(d, n, (const double *)D->data, (const double *)W->data, m, (const double *)P->data,
                           (const double *)C->data, norm, (double *)out->data);
  if (rc) gl_kernel_error(L, fn, rc);
  return 1;
}

/* core.tsne(X, Y0, perplexity, early_exaggeration, learning_rate, n_iter,
 *           n_iter_without_progress, min_grad_norm) -> Y, kl, n_iter */
static int cl_tsne (lua_State *L) {
  const char *fn = "ml.TSNE";
  gl_array *X = matrix(L, 1, fn);
  gl_array *Y0 = matrix(L, 2, fn);
  double perp = luaL_checknumber(L, 3), ex = luaL_checknumber(L, 4), lr = luaL_checknumber(L, 5);
  lua_Integer nit = luaL_checkinteger(L, 6), nwp = luaL_checkinteger(L, 7);
  double mg = luaL_checknumber(L, 8);
  int64_t n = X->shape[0];
  if (Y0->shape[0] != n || Y0->shape[1] > 16) gl_error(L, fn, "bad initial embedding");
  if (n > 10000) gl_error(L, fn, "exact t-SNE keeps two n x n matrices: at most 10000 samples, got %lld (subsample)", (long long)n);
  gl_array *Y = gl_array_push_copy(L, Y0, GL_FLOAT64);
  double kl = 0; int64_t its = 0;
  int rc = gl_tsne_exact_f64(n, X->shape[1], (const double *)X->data, Y0->shape[1], perp, ex, lr, nit, nwp, mg,
                             (double *)Y->data, &kl, &its);
  if (rc) gl_kernel_error(L, fn, rc);
  lua_pushnumber(L, kl);
  lua_pushinteger(L, its);
  return 3;
}

/* core.hdbscan(X, min_cluster_size, min_samples, leaf, allow_single) -> labels (0-based, -1), probabilities */
static int cl_hdbscan (lua_State *L) {
  const char *fn = "ml.HDBSCAN";
  gl_array *X = matrix(L, 1, fn);
  lua_Integer mcs = luaL_checkinteger(L, 2), ms = luaL_checkinteger(L, 3);
  int leaf = lua_toboolean(L, 4), single = lua_toboolean(L, 5);
  int64_t n = X->shape[0];
  if (mcs < 2) gl_error(L, fn, "min_cluster_size must be >= 2, got %lld", (long long)mcs);
  if (ms < 1) gl_error(L, fn, "min_samples must be >= 1, got %lld", (long long)ms);
  if (ms > n) gl_error(L, fn, "min_samples=%lld is larger than the %lld samples", (long long)ms, (long long)n);
  gl_kdtree *t = gl_spatial_newtree(L, X, 30, fn);
  gl_array *lab = gl_array_push1(L, GL_INT64, n);
  gl_array *pr = gl_array_push1(L, GL_FLOAT64, n);
  int rc = gl_hdbscan_f64(t, mcs, ms, leaf, single, (int64_t *)lab->data, (double *)pr->data);
  if (rc) gl_kernel_error(L, fn, rc);
  return 2;
}

/* core.tsne_bh(X, Y0 (n, 2), perplexity, early_exaggeration, learning_rate, n_iter,
 *              n_iter_without_progress, min_grad_norm, angle) -> Y, kl, n_iter */
static int cl_tsne_bh (lua_State *L) {
  const char *fn = "ml.TSNE";
  gl_array *X = matrix(L, 1, fn);
  gl_array *Y0 = matrix(L, 2, fn);
  double perp = luaL_checknumber(L, 3), ex = luaL_checknumber(L, 4), lr = luaL_checknumber(L, 5);
  lua_Integer nit = luaL_checkinteger(L, 6), nwp = luaL_checkinteger(L, 7);
  double mg = luaL_checknumber(L, 8), angle = luaL_checknumber(L, 9);
  int64_t n = X->shape[0];
  if (Y0->shape[0] != n || Y0->shape[1] != 2) gl_error(L, fn, "barnes_hut needs n_components=2");
  gl_kdtree *t = gl_spatial_newtree(L, X, 16, fn);
  gl_array *Y = gl_array_push_copy(L, Y0, GL_FLOAT64);
  double kl = 0; int64_t its = 0;
  int rc = gl_tsne_bh_f64(t, perp, ex, lr, nit, nwp, mg, angle, (double *)Y->data, &kl, &its);
  if (rc) gl_kernel_error(L, fn, rc);
  lua_pushnumber(L, kl);
  lua_pushinteger(L, its);
  return 3;
}

static gl_array *i64_vector (lua_State *L, int idx, const char *fn, const char *what) {
  gl_array *a = gl_array_arg_contig(L, idx, GL_INT64, fn);
  if (a->ndim != 1) gl_error(L, fn, "%s must be 1-D", what);
  return a;
}

static void push_buf (lua_State *L, gl_i64buf *b) {
  gl_array *a = gl_array_push1(L, GL_INT64, b->len);
  if (b->len) memcpy(a->data, b->data, (size_t)b->len * sizeof(int64_t));
  free(b->data);
  b->data = NULL;
}

/* core.dbscan_tile(own, gid, off, nb, iscore) -> root, src, dst: one tile's
 * pass of spatial.tiles (1-based positions and rows in and out) */
static int cl_dbscan_tile (lua_State *L) {
  const char *fn = "spatial.tiles.task";
  gl_array *own = i64_vector(L, 1, fn, "own"), *gid = i64_vector(L, 2, fn, "gid");
  gl_array *off = i64_vector(L, 3, fn, "off"), *nb = i64_vector(L, 4, fn, "nb");
  gl_array *isc = gl_array_arg_contig(L, 5, GL_UINT8, fn);
  int64_t m = own->size;
  if (off->size != m + 1 || isc->size != m) gl_error(L, fn, "inconsistent neighbour lists");
  const int64_t *o = (const int64_t *)off->data;
  if (m >= 0 && (o[0] != 1 || o[m] - 1 != nb->size)) gl_error(L, fn, "inconsistent neighbour lists");
  gl_array *root = gl_array_push1(L, GL_INT64, m);
  gl_i64buf src = {0}, dst = {0};
  int rc = gl_dbscan_tile(1, m, (const int64_t *)own->data, gid->size, (const int64_t *)gid->data, o,
                          (const int64_t *)nb->data, (const uint8_t *)isc->data, (int64_t *)root->data, &src, &dst);
  if (rc) { free(src.data); free(dst.data); }
  if (rc == GL_EINVAL) gl_error(L, fn, "a position is outside the tile");
  if (rc) gl_kernel_error(L, fn, rc);
  push_buf(L, &src);
  push_buf(L, &dst);
  return 3;
}

/* core.dbscan_tiles_merge(n, idx, core, root, src, dst) -> labels, core, n_clusters */
static int cl_dbscan_tiles_merge (lua_State *L) {
  const char *fn = "spatial.tiles.merge";
  lua_Integer n = luaL_checkinteger(L, 1);
  gl_array *idx = i64_vector(L, 2, fn, "index"), *root = i64_vector(L, 4, fn, "root");
  gl_array *cin = gl_array_arg_contig(L, 3, GL_UINT8, fn);
  gl_array *src = i64_vector(L, 5, fn, "src"), *dst = i64_vector(L, 6, fn, "dst");
  if (n < 0 || cin->size != idx->size || root->size != idx->size || src->size != dst->size)
    gl_error(L, fn, "inconsistent tile outputs");
  gl_array *lab = gl_array_push1(L, GL_INT64, n);
  gl_array *core = gl_array_push1(L, GL_UINT8, n);
  int64_t ncl = 0;
  int rc = gl_dbscan_tiles_merge(1, n, idx->size, (const int64_t *)idx->data, (const uint8_t *)cin->data,
                                 (const int64_t *)root->data, src->size, (const int64_t *)src->data,
                                 (const int64_t *)dst->data, (int64_t *)lab->data, (uint8_t *)core->data, &ncl);
  if (rc == GL_EINVAL) gl_error(L, fn, "a tile's output names rows outside 1..%lld (a plan of another cloud?)", (long long)n);
  if (rc) gl_kernel_error(L, fn, rc);
  lua_pushinteger(L, ncl);
  return 3;
}

void gl_spatial_open_cluster (lua_State *L) {
  static const luaL_Reg f[] = {
    {"dbscan", cl_dbscan},
    {"dbscan_tile", cl_dbscan_tile},
    {"dbscan_tiles_merge", cl_dbscan_tiles_merge},
    {"hdbscan", cl_hdbscan},
    {"kde_eval", cl_kde_eval},
    {"kmeans_assign", cl_kmeans_assign},
    {"kmeans_fit", cl_kmeans_fit},
    {"kmeans_pp", cl_kmeans_pp},
    {"linkage", cl_linkage},
    {"silhouette", cl_silhouette},
    {"tsne", cl_tsne},
    {"tsne_bh", cl_tsne_bh},
    {NULL, NULL}
  };
  luaL_setfuncs(L, f, 0);
}
