/* ml_core.c: the C part of the ml module (luaopen_geolab_ml_core): trees and
 * forests here; SVM, linear solvers and neighbours in ml_svm.c, ml_linear.c
 * and ml_neighbors.c. Bindings only check arguments and call kernels. */
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "ml_internal.h"
#include "ml_tree.h"
#include "ml_mt.h"

#define TREE_MT "geolab.MLTree"

void *gl_ml_scratch (lua_State *L, size_t bytes) {
  return lua_newuserdatauv(L, bytes ? bytes : 1, 0);
}

/* {=====  tree userdata  ===== */

static gl_ml_tree *check_tree (lua_State *L, int i) {
  return (gl_ml_tree *)luaL_checkudata(L, i, TREE_MT);
}

static gl_ml_tree *push_tree (lua_State *L) {
  gl_ml_tree *t = (gl_ml_tree *)lua_newuserdatauv(L, sizeof(gl_ml_tree), 0);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, TREE_MT);
  return t;
}

static int tree_gc (lua_State *L) {
  gl_ml_tree_free(check_tree(L, 1));
  return 0;
}

/* Column-major float32 copy of the 2-D array at idx (scratch pushed). */
static float *colmajor_f32 (lua_State *L, int idx, int64_t *n, int64_t *p, const char *fname) {
  gl_array *X = gl_array_arg(L, idx, GL_FLOAT32, fname);
  if (X->ndim != 2) gl_error(L, fname, "X must be 2-D");
  *n = X->shape[0]; *p = X->shape[1];
  float *out = (float *)gl_ml_scratch(L, (size_t)(*n * *p) * sizeof(float));
  const float *src = (const float *)X->data;
  for (int64_t i = 0; i < *n; i++)
    for (int64_t f = 0; f < *p; f++) out[f * *n + i] = src[i * X->strides[0] + f * X->strides[1]];
  return out;
}

static const double *vec_f64 (lua_State *L, int idx, int64_t n, const char *fname, const char *what) {
  if (lua_isnoneornil(L, idx)) return NULL;
  gl_array *a = gl_array_arg_contig(L, idx, GL_FLOAT64, fname);
  if (a->size != n) gl_error(L, fname, "%s has %d values, expected %d", what, (int)a->size, (int)n);
  return (const double *)a->data;
}

static void read_opts (lua_State *L, int idx, gl_ml_tree_opts *o, int64_t p, const char *fname) {
  static const char *const crits[] = {"gini", "entropy", "squared_error", NULL};
  const char *cr = gl_opt_string(L, idx, "criterion", "gini", fname);
  int k;
  for (k = 0; crits[k] && strcmp(crits[k], cr); k++) ;
  if (!crits[k]) {
    if (strcmp(cr, "friedman_mse") == 0 || strcmp(cr, "mse") == 0) k = GL_TREE_MSE;
    else if (strcmp(cr, "log_loss") == 0) k = GL_TREE_ENTROPY;
    else gl_error(L, fname, "criterion must be 'gini', 'entropy', 'log_loss' or 'squared_error', got '%s'", cr);
  }
  o->criterion = k;
  o->random_splitter = strcmp(gl_opt_string(L, idx, "splitter", "best", fname), "random") == 0;
  o->n_classes = gl_opt_integer(L, idx, "n_classes", 1, fname);
  o->max_depth = gl_opt_integer(L, idx, "max_depth", -1, fname);
  o->min_samples_split = gl_opt_integer(L, idx, "min_samples_split", 2, fname);
  o->min_samples_leaf = gl_opt_integer(L, idx, "min_samples_leaf", 1, fname);
  o->max_features = gl_opt_integer(L, idx, "max_features", p, fname);
  o->min_impurity_decrease = gl_opt_number(L, idx, "min_impurity_decrease", 0.0, fname);
  if (o->criterion != GL_TREE_MSE && o->n_classes < 1) gl_error(L, fname, "n_classes must be >= 1");
}

/* tree_fit(X, y, sample_weight|nil, opts, rand_r_seed) -> tree, importances
 * (impurity decreases / root weight) */
static int ml_tree_fit (lua_State *L) {
  const char *fname = "ml.tree_fit";
  int64_t n, p;
  gl_ml_tree_opts o;
  luaL_checktype(L, 4, LUA_TTABLE);
  uint32_t seed = (uint32_t)luaL_optinteger(L, 5, 0);
  float *Xc = colmajor_f32(L, 1, &n, &p, fname);
  const double *y = vec_f64(L, 2, n, fname, "y");
  const double *sw = vec_f64(L, 3, n, fname, "sample_weight");
  read_opts(L, 4, &o, p, fname);
  gl_ml_tree *t = push_tree(L);
  gl_array *imp = gl_array_push1(L, GL_FLOAT64, p);
  int rc = gl_ml_tree_fit(t, n, p, Xc, y, sw, &o, &seed, (double *)imp->data);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 2;
}

/* forest_fit(X, y, sw|nil, opts, ntrees, seeds, bootstrap, max_samples, oob, nthreads)
 * seeds: int64 array of ntrees RandomState seeds (one per tree)
 * -> {trees}, importances (ntrees x p), oob_sum (n x nv) | nil, oob_n | nil */
static int ml_forest_fit (lua_State *L) {
  const char *fname = "ml.forest_fit";
  int64_t n, p;
  gl_ml_tree_opts o;
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_Integer ntrees = luaL_checkinteger(L, 5);
  int bootstrap = lua_toboolean(L, 7);
  lua_Integer max_samples = luaL_optinteger(L, 8, 0);
  int want_oob = lua_toboolean(L, 9);
  int nthreads = (int)luaL_optinteger(L, 10, 0);
  luaL_argcheck(L, ntrees >= 1, 5, "n_estimators must be >= 1");
  gl_array *sa = gl_array_arg_contig(L, 6, GL_INT64, fname);
  if (sa->size != ntrees) gl_error(L, fname, "expected %d seeds", (int)ntrees);
  uint32_t *seeds = (uint32_t *)gl_ml_scratch(L, (size_t)ntrees * sizeof(uint32_t));
  for (lua_Integer k = 0; k < ntrees; k++) seeds[k] = (uint32_t)((int64_t *)sa->data)[k];
  float *Xc = colmajor_f32(L, 1, &n, &p, fname);
  const double *y = vec_f64(L, 2, n, fname, "y");
  const double *sw = vec_f64(L, 3, n, fname, "sample_weight");
  read_opts(L, 4, &o, p, fname);
  int64_t nv = o.criterion == GL_TREE_MSE ? 1 : o.n_classes;
  gl_ml_tree **ptrs = (gl_ml_tree **)gl_ml_scratch(L, (size_t)ntrees * sizeof(gl_ml_tree *));
  /* the trees are fitted into one block, then moved into userdatas */
  gl_ml_tree *block = (gl_ml_tree *)gl_ml_scratch(L, (size_t)ntrees * sizeof(gl_ml_tree));
  memset(block, 0, (size_t)ntrees * sizeof(gl_ml_tree));
  lua_createtable(L, (int)ntrees, 0);
  int tidx = lua_gettop(L);
  for (lua_Integer k = 0; k < ntrees; k++) {
    ptrs[k] = push_tree(L);
    lua_rawseti(L, tidx, k + 1);
  }
  gl_array *imp = gl_array_push2(L, GL_FLOAT64, ntrees, p);
  gl_array *oob = NULL, *oobn = NULL;
  if (want_oob && bootstrap) {
    oob = gl_array_push_zeros(L, GL_FLOAT64, 2, (int64_t[]){n, nv});
    oobn = gl_array_push_zeros(L, GL_INT64, 1, (int64_t[]){n});
  } else { lua_pushnil(L); lua_pushnil(L); }
  int rc = gl_ml_forest_fit(ntrees, block, n, p, Xc, y, sw, &o, seeds, bootstrap, max_samples,
                            oob ? (double *)oob->data : NULL, oobn ? (int64_t *)oobn->data : NULL,
                            (double *)imp->data, nthreads);
  for (lua_Integer k = 0; k < ntrees; k++) *ptrs[k] = block[k];  /* owned by the userdatas now */
  if (rc) return gl_kernel_error(L, fname, rc);
  lua_pushvalue(L, tidx);
  lua_insert(L, -4);
  return 4;
}

/* Pointers to the trees of the list at idx. */
static const gl_ml_tree **tree_list (lua_State *L, int idx, int64_t *nt) {
  luaL_checktype(L, idx, LUA_TTABLE);
  *nt = (int64_t)luaL_len(L, idx);
  if (*nt < 1) luaL_argerror(L, idx, "empty list of trees");
  const gl_ml_tree **ptrs = (const gl_ml_tree **)gl_ml_scratch(L, (size_t)*nt * sizeof(*ptrs));
  for (int64_t k = 0; k < *nt; k++) {
    lua_rawgeti(L, idx, k + 1);
    ptrs[k] = check_tree(L, -1);
    lua_pop(L, 1);
  }
  return ptrs;
}

/* forest_predict({trees} | tree, X, classify) -> (n x nv) probabilities or (n) values */
static int ml_forest_predict (lua_State *L) {
  const char *fname = "ml.forest_predict";
  int64_t nt;
  const gl_ml_tree **ptrs;
  if (lua_isuserdata(L, 1)) {
    ptrs = (const gl_ml_tree **)gl_ml_scratch(L, sizeof(*ptrs));
    ptrs[0] = check_tree(L, 1);
    nt = 1;
  } else ptrs = tree_list(L, 1, &nt);
  int classify = lua_toboolean(L, 3);
  gl_array *X = gl_array_arg_contig(L, 2, GL_FLOAT32, fname);
  if (X->ndim != 2) gl_error(L, fname, "X must be 2-D");
  int64_t n = X->shape[0], p = X->shape[1];
  for (int64_t k = 0; k < nt; k++)
    for (int64_t j = 0; j < ptrs[k]->n_nodes; j++)
      if (ptrs[k]->feature[j] >= p) gl_error(L, fname, "X has %d features, the tree uses feature %d", (int)p, (int)ptrs[k]->feature[j] + 1);
  gl_array *out = classify ? gl_array_push2(L, GL_FLOAT64, n, ptrs[0]->nv) : gl_array_push1(L, GL_FLOAT64, n);
  int rc = gl_ml_forest_predict(nt, ptrs, n, p, (const float *)X->data, classify, (double *)out->data);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 1;
}

/* tree:apply(X) -> int64 1-based leaf node of each row */
static int tree_apply (lua_State *L) {
  gl_ml_tree *t = check_tree(L, 1);
  gl_array *X = gl_array_arg_contig(L, 2, GL_FLOAT32, "ml.tree.apply");
  if (X->ndim != 2) gl_error(L, "ml.tree.apply", "X must be 2-D");
  gl_array *out = gl_array_push1(L, GL_INT64, X->shape[0]);
  int64_t *o = (int64_t *)out->data;
  gl_ml_tree_apply(t, X->shape[0], X->shape[1], (const float *)X->data, o);
  for (int64_t i = 0; i < X->shape[0]; i++) o[i]++;
  return 1;
}

/* tree:set_value(values): replaces the node values (n_nodes x nv, or n_nodes). */
static int tree_set_value (lua_State *L) {
  gl_ml_tree *t = check_tree(L, 1);
  gl_array *v = gl_array_arg_contig(L, 2, GL_FLOAT64, "ml.tree.set_value");
  if (v->size != t->n_nodes * t->nv) gl_error(L, "ml.tree.set_value", "expected %d values", (int)(t->n_nodes * t->nv));
  memcpy(t->value, v->data, (size_t)v->size * sizeof(double));
  return 0;
}

/* tree:arrays() -> {children_left=, children_right=, feature=, threshold=,
 * value=, impurity=, n_node_samples=, weighted_n_node_samples=, node_count=,
 * max_depth=, n_leaves=}; node and feature numbers are 1-based (0 = none). */
static int tree_arrays (lua_State *L) {
  gl_ml_tree *t = check_tree(L, 1);
  int64_t nn = t->n_nodes;
  lua_createtable(L, 0, 11);
  const struct { const char *name; int64_t *src; } iarr[] = {
    {"children_left", t->left}, {"children_right", t->right}, {"feature", t->feature}};
  for (int k = 0; k < 3; k++) {
    gl_array *a = gl_array_push1(L, GL_INT64, nn);
    for (int64_t j = 0; j < nn; j++) ((int64_t *)a->data)[j] = iarr[k].src[j] + 1;
    lua_setfield(L, -2, iarr[k].name);
  }
  gl_array *a = gl_array_push1(L, GL_INT64, nn);
  memcpy(a->data, t->n_node_samples, (size_t)nn * sizeof(int64_t));
  lua_setfield(L, -2, "n_node_samples");
  const struct { const char *name; double *src; } darr[] = {
    {"threshold", t->threshold}, {"impurity", t->impurity}, {"weighted_n_node_samples", t->wn}};
  for (int k = 0; k < 3; k++) {
    a = gl_array_push1(L, GL_FLOAT64, nn);
    memcpy(a->data, darr[k].src, (size_t)nn * sizeof(double));
    lua_setfield(L, -2, darr[k].name);
  }
  a = gl_array_push2(L, GL_FLOAT64, nn, t->nv);
  memcpy(a->data, t->value, (size_t)(nn * t->nv) * sizeof(double));
  lua_setfield(L, -2, "value");
  /* depth and leaves */
  int64_t *depth = (int64_t *)gl_ml_scratch(L, (size_t)nn * sizeof(int64_t));
  int64_t maxd = 0, leaves = 0;
  depth[0] = 0;
  for (int64_t j = 0; j < nn; j++) {   /* parents come before children */
    if (t->left[j] < 0) { leaves++; if (depth[j] > maxd) maxd = depth[j]; }
    else { depth[t->left[j]] = depth[j] + 1; depth[t->right[j]] = depth[j] + 1; }
  }
  lua_pop(L, 1);
  lua_pushinteger(L, nn); lua_setfield(L, -2, "node_count");
  lua_pushinteger(L, maxd); lua_setfield(L, -2, "max_depth");
  lua_pushinteger(L, leaves); lua_setfield(L, -2, "n_leaves");
  return 1;
}

static const luaL_Reg tree_methods[] = {
  {"apply", tree_apply},
  {"arrays", tree_arrays},
  {"set_value", tree_set_value},
  {NULL, NULL}
};

/* mt_randint(seed, high, count) -> int64 array: RandomState(seed).randint(0,
 * high, count), NumPy's legacy stream (for sklearn-compatible seeds). */
static int ml_mt_randint (lua_State *L) {
  lua_Integer seed = luaL_checkinteger(L, 1), high = luaL_checkinteger(L, 2), cnt = luaL_checkinteger(L, 3);
  luaL_argcheck(L, seed >= 0 && seed <= 0xFFFFFFFFLL, 1, "seed must be between 0 and 2**32 - 1");
  luaL_argcheck(L, high >= 1 && high <= 0x100000000LL, 2, "high out of range");
  gl_mt19937 *mt = (gl_mt19937 *)gl_ml_scratch(L, sizeof(gl_mt19937));
  gl_mt_seed(mt, (uint32_t)seed);
  gl_array *out = gl_array_push1(L, GL_INT64, cnt);
  for (lua_Integer i = 0; i < cnt; i++) ((int64_t *)out->data)[i] = gl_mt_randint(mt, (uint64_t)high);
  return 1;
}

/* {=====  RandomState: NumPy's legacy stream, for sklearn-identical splits  ===== */

#define RS_MT "geolab.MLRandomState"

/* random_state(seed) -> a RandomState-like stream (methods below). */
static int ml_random_state (lua_State *L) {
  lua_Integer seed = luaL_checkinteger(L, 1);
  luaL_argcheck(L, seed >= 0 && seed <= 0xFFFFFFFFLL, 1, "seed must be between 0 and 2**32 - 1");
  gl_mt19937 *mt = (gl_mt19937 *)lua_newuserdatauv(L, sizeof(gl_mt19937), 0);
  gl_mt_seed(mt, (uint32_t)seed);
  luaL_setmetatable(L, RS_MT);
  return 1;
}

/* rs:randint(high [, count]): integers in [0, high); a number, or an int64 array. */
static int rs_randint (lua_State *L) {
  gl_mt19937 *mt = (gl_mt19937 *)luaL_checkudata(L, 1, RS_MT);
  lua_Integer high = luaL_checkinteger(L, 2);
  luaL_argcheck(L, high >= 1 && high <= 0x100000000LL, 2, "high out of range");
  if (lua_isnoneornil(L, 3)) { lua_pushinteger(L, gl_mt_randint(mt, (uint64_t)high)); return 1; }
  lua_Integer cnt = luaL_checkinteger(L, 3);
  gl_array *out = gl_array_push1(L, GL_INT64, cnt);
  for (lua_Integer i = 0; i < cnt; i++) ((int64_t *)out->data)[i] = gl_mt_randint(mt, (uint64_t)high);
  return 1;
}

/* rs:uniform(count): float64 array of random_sample() draws. */
static int rs_uniform (lua_State *L) {
  gl_mt19937 *mt = (gl_mt19937 *)luaL_checkudata(L, 1, RS_MT);
  lua_Integer cnt = luaL_checkinteger(L, 2);
  gl_array *out = gl_array_push1(L, GL_FLOAT64, cnt);
  for (lua_Integer i = 0; i < cnt; i++) ((double *)out->data)[i] = gl_mt_double(mt);
  return 1;
}

/* rs:normal(count): float64 array of standard_normal() draws. */
static int rs_normal (lua_State *L) {
  gl_mt19937 *mt = (gl_mt19937 *)luaL_checkudata(L, 1, RS_MT);
  lua_Integer cnt = luaL_checkinteger(L, 2);
  gl_array *out = gl_array_push1(L, GL_FLOAT64, cnt);
  for (lua_Integer i = 0; i < cnt; i++) ((double *)out->data)[i] = gl_mt_gauss(mt);
  return 1;
}

/* rs:exponential(count): float64 array of standard_exponential() draws. */
static int rs_exponential (lua_State *L) {
  gl_mt19937 *mt = (gl_mt19937 *)luaL_checkudata(L, 1, RS_MT);
  lua_Integer cnt = luaL_checkinteger(L, 2);
  gl_array *out = gl_array_push1(L, GL_FLOAT64, cnt);
  for (lua_Integer i = 0; i < cnt; i++) ((double *)out->data)[i] = gl_mt_exponential(mt);
  return 1;
}

/* rs:shuffle(a): shuffles the contiguous 1-D array a in place. */
static int rs_shuffle (lua_State *L) {
  gl_mt19937 *mt = (gl_mt19937 *)luaL_checkudata(L, 1, RS_MT);
  gl_array *a = gl_array_check(L, 2);
  if (a->ndim != 1 || !gl_array_is_contiguous(a)) gl_error(L, "ml.RandomState.shuffle", "a 1-D contiguous array is expected");
  char buf[16];
  gl_mt_shuffle(mt, a->shape[0], a->data, gl_dtype_size(a->dtype), buf);
  return 0;
}

/* rs:permutation(n): 1..n shuffled (RandomState.permutation(n) + 1). */
static int rs_permutation (lua_State *L) {
  gl_mt19937 *mt = (gl_mt19937 *)luaL_checkudata(L, 1, RS_MT);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 0, 2, "n must be >= 0");
  gl_array *out = gl_array_push1(L, GL_INT64, n);
  int64_t *o = (int64_t *)out->data;
  for (lua_Integer i = 0; i < n; i++) o[i] = i;
  char buf[8];
  gl_mt_shuffle(mt, n, (char *)o, sizeof(int64_t), buf);
  for (lua_Integer i = 0; i < n; i++) o[i]++;
  return 1;
}

static const luaL_Reg rs_methods[] = {
  {"exponential", rs_exponential},
  {"normal", rs_normal},
  {"permutation", rs_permutation},
  {"randint", rs_randint},
  {"shuffle", rs_shuffle},
  {"uniform", rs_uniform},
  {NULL, NULL}
};
/* } */

/* data_dir() -> the data/ folder of the source tree this binary was built
 * from (ml.datasets looks there after $GEOLAB_DATA_DIR). */
static int ml_data_dir (lua_State *L) {
#ifdef GEOLAB_DATA_DIR
  lua_pushliteral(L, GEOLAB_DATA_DIR);
#else
  lua_pushliteral(L, "data");
#endif
  return 1;
}

static const luaL_Reg tree_funcs[] = {
  {"data_dir", ml_data_dir},
  {"forest_fit", ml_forest_fit},
  {"forest_predict", ml_forest_predict},
  {"mt_randint", ml_mt_randint},
  {"random_state", ml_random_state},
  {"tree_fit", ml_tree_fit},
  {NULL, NULL}
};

void gl_ml_open_tree (lua_State *L) {
  gl_newmetatable(L, TREE_MT, tree_methods, tree_gc);
  lua_pop(L, 1);
  gl_newmetatable(L, RS_MT, rs_methods, NULL);
  lua_pop(L, 1);
  luaL_setfuncs(L, tree_funcs, 0);
}
/* } */

int luaopen_geolab_ml_core (lua_State *L) {
  lua_newtable(L);
  gl_ml_open_tree(L);
  gl_ml_open_svm(L);
  gl_ml_open_linear(L);
  gl_ml_open_neighbors(L);
  return 1;
}
