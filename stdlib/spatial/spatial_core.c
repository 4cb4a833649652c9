/* spatial_core.c: luaopen_geolab_spatial_core, the C half of the spatial
 * module (stdlib/spatial/spatial.lua is the front): the kd-tree userdata and its
 * queries, eigenfeatures. LAS I/O is in spatial_las.c, clustering kernels'
 * bindings in spatial_cluster.c. Positions given to and returned from Lua are
 * 1-based. */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "gl_array.h"
#include "gl_mem.h"
#include "kdtree.h"
#include "eigenfeatures.h"
#include "spatial_internal.h"

/* {===== tree userdata */

/* The tree's arrays live in one block, a userdata kept as the tree's user
 * value, not in malloc'ed memory: the collector then counts their size (a
 * loop building trees freed none until other allocations ran a cycle, and
 * every build faulted in fresh pages), and Lua's allocator recycles the
 * block of a dead tree for the next one (stdlib/core/gl_alloc.c). Closing a
 * tree drops the block. */
static int tree_gc (lua_State *L) {
  gl_kdtree *t = luaL_checkudata(L, 1, GL_KDTREE_MT);
  memset(t, 0, sizeof *t);
  lua_pushnil(L);
  lua_setiuservalue(L, 1, 1);
  return 0;
}

static size_t up64 (size_t n) { return (n + 63) & ~(size_t)63; }

gl_kdtree *gl_spatial_checktree (lua_State *L, int idx) {
  gl_kdtree *t = luaL_checkudata(L, idx, GL_KDTREE_MT);
  if (!t->pts) luaL_error(L, "attempt to use a closed KDTree");
  return t;
}

/* Pushes a new tree over the n x d float64 array a. */
gl_kdtree *gl_spatial_newtree (lua_State *L, const gl_array *a, int64_t leafsize, const char *fname) {
  gl_kdtree *t = lua_newuserdatauv(L, sizeof *t, 1);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, GL_KDTREE_MT);
  int64_t n = a->shape[0], d = a->shape[1], nn = gl_kdtree_max_nodes(n, leafsize);
  size_t szp = up64((size_t)(n * d) * sizeof(double)), szi = up64((size_t)n * sizeof(int64_t));
  size_t szn = up64((size_t)nn * sizeof(int64_t)), szb = up64((size_t)(nn * 2 * d) * sizeof(double));
  size_t need = szp + szi + 4 * szn + szb;
  /* From 2 MiB on, the arrays start on a huge page and ask for huge pages:
   * a fresh block (the first trees of a session, before dead ones are
   * recycled) then faults once per 2 MiB instead of 512 times, which was
   * a fifth of building the 44.7k-point dune tree (1.2 of 6.5 ms). The
   * slack is address space; only touched pages cost memory. */
  size_t align = need >= GL_HUGE_PAGE ? GL_HUGE_PAGE : 64;
  char *blk = lua_newuserdatauv(L, need + align, 0);   /* a memory error names the caller (gl_alloc.c) */
  lua_setiuservalue(L, -2, 1);
  char *p = (char *)(((uintptr_t)blk + align - 1) & ~(uintptr_t)(align - 1));
  if (align == GL_HUGE_PAGE) gl_advise_huge_aligned(p, need);
  t->pts = (double *)p; p += szp;
  t->idx = (int64_t *)p; p += szi;
  t->start = (int64_t *)p; p += szn;
  t->end = (int64_t *)p; p += szn;
  t->left = (int64_t *)p; p += szn;
  t->right = (int64_t *)p; p += szn;
  t->box = (double *)p;
  t->n = n; t->d = d; t->leafsize = leafsize;
  int rc = gl_kdtree_build(t, (const double *)a->data, a->strides[0], a->strides[1]);
  if (rc == GL_EINVAL) gl_error(L, fname, "points contain NaN or infinite coordinates");
  if (rc) gl_kernel_error(L, fname, rc);
  return t;
}

/* 2-D float64 points (a 1-D array is one point when d is given). */
gl_array *gl_spatial_points (lua_State *L, int idx, int64_t d, const char *fname) {
  gl_array *a = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  char buf[64];
  if (a->ndim == 1 && d > 0 && a->shape[0] == d) {
    int64_t shp[2] = {1, d}, st[2] = {d, 1};
    gl_array_push_view(L, idx, GL_FLOAT64, 2, shp, st, a->data);
    lua_replace(L, idx);
    a = gl_array_test(L, idx);
  }
  if (a->ndim != 2)
    gl_error(L, fname, "expected a 2-D array of points, got shape %s", gl_shape_str(buf, sizeof buf, a->ndim, a->shape));
  if (d > 0 && a->shape[1] != d)
    gl_error(L, fname, "points have %lld coordinates, the tree has %lld",
             (long long)a->shape[1], (long long)d);
  return a;
}

/* core.kdtree(points, leafsize) -> tree */
static int sp_kdtree (lua_State *L) {
  gl_array *a = gl_spatial_points(L, 1, 0, "spatial.KDTree");
  lua_Integer leaf = luaL_optinteger(L, 2, 16);
  if (leaf < 1) gl_error(L, "spatial.KDTree", "leafsize must be >= 1, got %lld", (long long)leaf);
  if (a->shape[0] < 1) gl_error(L, "spatial.KDTree", "no points");
  if (a->shape[1] < 1) gl_error(L, "spatial.KDTree", "points have no coordinates");
  gl_spatial_newtree(L, a, leaf, "spatial.KDTree");
  return 1;
}

static int tree_info (lua_State *L) {
  gl_kdtree *t = gl_spatial_checktree(L, 1);
  lua_pushinteger(L, t->n); lua_pushinteger(L, t->d);
  lua_pushinteger(L, t->nnodes); lua_pushinteger(L, t->leafsize);
  return 4;
}

/* tree:knn(x, k, dmax) -> dist (m x k), ind (m x k, 1-based; 0 where none) */
static int tree_knn (lua_State *L) {
  gl_kdtree *t = gl_spatial_checktree(L, 1);
  gl_array *q = gl_spatial_points(L, 2, t->d, "KDTree:query");
  lua_Integer k = luaL_checkinteger(L, 3);
  double dmax = luaL_optnumber(L, 4, INFINITY);
  if (k < 1) gl_error(L, "KDTree:query", "k must be >= 1, got %lld", (long long)k);
  if (k > t->n) gl_error(L, "KDTree:query", "k = %lld neighbours asked for, the tree has only %lld points",
                         (long long)k, (long long)t->n);
  int64_t m = q->shape[0];
  gl_array *dist = gl_array_push2(L, GL_FLOAT64, m, k);
  gl_array *ind = gl_array_push2(L, GL_INT64, m, k);
  int rc = gl_kdtree_knn(t, m, (const double *)q->data, k, dmax, (double *)dist->data, (int64_t *)ind->data);
  if (rc) gl_kernel_error(L, "KDTree:query", rc);
  int64_t *ip = (int64_t *)ind->data;
  for (int64_t i = 0; i < m * k; i++) ip[i] += 1;
  return 2;
}

/* tree:ball(x, r, count_only, pairs) -> counts (m) | offsets (m+1), indices (1-based)
 * | pairs (npairs, 2) when pairs (x must be the tree's points) */
static int tree_ball (lua_State *L) {
  gl_kdtree *t = gl_spatial_checktree(L, 1);
  const char *fn = "KDTree:query_ball_point";
  gl_array *q = gl_spatial_points(L, 2, t->d, fn);
  int count_only = lua_toboolean(L, 4), pairs = lua_toboolean(L, 5);
  int64_t m = q->shape[0];
  const double *r; double r1; int64_t rstride = 0;
  if (lua_isnumber(L, 3)) {
    r1 = lua_tonumber(L, 3); r = &r1;
    if (!(r1 > 0)) gl_error(L, fn, "radius must be > 0, got %g", r1);
  } else {
    gl_array *ra = gl_array_arg_contig(L, 3, GL_FLOAT64, fn);
    if (ra->size != m) gl_error(L, fn, "%lld radii for %lld points", (long long)ra->size, (long long)m);
    r = (const double *)ra->data; rstride = 1;
    for (int64_t i = 0; i < m; i++)
      if (!(r[i] > 0)) gl_error(L, fn, "radius must be > 0, got %g at position %lld", r[i], (long long)i + 1);
  }
  void **box = gl_box(L);   /* owns buf.data, which the kernel reallocs, until it is copied out */
  gl_array *off = gl_array_push1(L, GL_INT64, m + 1);
  int64_t *o = (int64_t *)off->data;
  gl_i64buf buf = {0, 0, 0};
  int rc = gl_kdtree_radius(t, m, (const double *)q->data, r, rstride, o, &buf, count_only, pairs);
  *box = buf.data;
  if (rc) gl_kernel_error(L, fn, rc);
  if (count_only) {   /* counts from offsets */
    gl_array *c = gl_array_push1(L, GL_INT64, m);
    for (int64_t i = 0; i < m; i++) ((int64_t *)c->data)[i] = o[i + 1] - o[i];
    return 1;
  }
  if (pairs) {   /* (npairs, 2): query row, neighbour row, 1-based */
    gl_array *pr = gl_array_push2(L, GL_INT64, buf.len, 2);
    int64_t *pp = (int64_t *)pr->data;
    for (int64_t i = 0; i < m; i++)
      for (int64_t q = o[i]; q < o[i + 1]; q++) { pp[2 * q] = i + 1; pp[2 * q + 1] = buf.data[q] + 1; }
    gl_box_free(box);
    return 1;
  }
  gl_array *ind = gl_array_push1(L, GL_INT64, buf.len);
  for (int64_t i = 0; i < buf.len; i++) ((int64_t *)ind->data)[i] = buf.data[i] + 1;
  gl_box_free(box);
  for (int64_t i = 0; i <= m; i++) o[i] += 1;     /* 1-based offsets: query i is o[i]..o[i+1]-1 */
  return 2;
}

/* tree:count(x, r) -> number of (query, point) pairs within r */
static int tree_count (lua_State *L) {
  gl_kdtree *t = gl_spatial_checktree(L, 1);
  const char *fn = "KDTree:count_neighbors";
  gl_array *q = gl_spatial_points(L, 2, t->d, fn);
  double r = luaL_checknumber(L, 3);
  int64_t m = q->shape[0];
  if (r < 0 || isnan(r)) gl_error(L, fn, "radius must be >= 0, got %g", r);
  int64_t *o = malloc((size_t)(m + 1) * sizeof *o);
  if (!o) gl_error(L, fn, "not enough memory");
  int rc = gl_kdtree_radius(t, m, (const double *)q->data, &r, 0, o, NULL, 1, 0);
  int64_t total = o[m];
  free(o);
  if (rc) gl_kernel_error(L, fn, rc);
  lua_pushinteger(L, total);
  return 1;
}

/* tree:eigenfeatures(cores, radii, want_evec, min_neighbors, index_order) -> eig, feat[, evec] */
static int tree_eigenfeatures (lua_State *L) {
  gl_kdtree *t = gl_spatial_checktree(L, 1);
  const char *fn = "spatial.eigenfeatures";
  if (t->d != 3) gl_error(L, fn, "points must be 3-D, got %lld coordinates", (long long)t->d);
  gl_array *c = gl_spatial_points(L, 2, 3, fn);
  gl_array *ra = gl_array_arg_contig(L, 3, GL_FLOAT64, fn);
  int want = lua_toboolean(L, 4);
  lua_Integer minn = luaL_optinteger(L, 5, 3);
  int index_order = lua_toboolean(L, 6);
  const double *r = (const double *)ra->data;
  for (int64_t s = 0; s < ra->size; s++)
    if (!(r[s] > 0) || isinf(r[s])) gl_error(L, fn, "radius must be > 0, got %g", r[s]);
  int64_t m = c->shape[0], ns = ra->size;
  int64_t s3[3] = {m, ns, 3}, sf[3] = {m, ns, GL_EF_NFEAT}, s9[4] = {m, ns, 3, 3};
  gl_array *eig = gl_array_push(L, GL_FLOAT64, 3, s3);
  gl_array *feat = gl_array_push(L, GL_FLOAT64, 3, sf);
  gl_array *ev = want ? gl_array_push(L, GL_FLOAT64, 4, s9) : NULL;
  int rc = gl_eigenfeatures_f64(t, m, (const double *)c->data, ns, r, (double *)eig->data,
                                (double *)feat->data, ev ? (double *)ev->data : NULL, minn,
                                index_order);
  if (rc) gl_kernel_error(L, fn, rc);
  return want ? 3 : 2;
}

/* core.eigh3(a 3x3) -> w ascending, v (columns) -- exposed for tests */
static int sp_eigh3 (lua_State *L) {
  gl_array *a = gl_array_arg_contig(L, 1, GL_FLOAT64, "spatial.eigh3");
  if (a->size != 9) gl_error(L, "spatial.eigh3", "expected a 3x3 matrix");
  gl_array *w = gl_array_push1(L, GL_FLOAT64, 3);
  gl_array *v = gl_array_push2(L, GL_FLOAT64, 3, 3);
  gl_eigh3((const double *)a->data, (double *)w->data, (double *)v->data);
  return 2;
}

/* }===== */

static const luaL_Reg tree_methods[] = {
  {"ball", tree_ball},
  {"count", tree_count},
  {"eigenfeatures", tree_eigenfeatures},
  {"info", tree_info},
  {"knn", tree_knn},
  {NULL, NULL}
};

static const luaL_Reg funcs[] = {
  {"eigh3", sp_eigh3},
  {"kdtree", sp_kdtree},
  {NULL, NULL}
};

int luaopen_geolab_spatial_core (lua_State *L) {
  gl_newmetatable(L, GL_KDTREE_MT, tree_methods, tree_gc);
  lua_pop(L, 1);
  luaL_newlib(L, funcs);
  gl_spatial_open_las(L);
  gl_spatial_open_cluster(L);
  return 1;
}
