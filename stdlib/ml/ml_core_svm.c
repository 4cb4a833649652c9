/* ml_core_svm.c: bindings of kernels/ml/ml_svm.c (SMO solver, kernel matrices). */
#include <string.h>
#include "gl_array.h"
#include "ml_internal.h"
#include "ml_svm.h"

static void read_kernel (lua_State *L, int idx, gl_svm_kernel *k, const char *fname) {
  static const char *const names[] = {"linear", "poly", "rbf", "sigmoid", NULL};
  const char *s = gl_opt_string(L, idx, "kernel", "rbf", fname);
  int t;
  for (t = 0; names[t] && strcmp(names[t], s); t++) ;
  if (!names[t]) gl_error(L, fname, "kernel must be 'linear', 'poly', 'rbf' or 'sigmoid', got '%s'", s);
  k->type = t;
  k->gamma = gl_opt_number(L, idx, "gamma", 1.0, fname);
  k->coef0 = gl_opt_number(L, idx, "coef0", 0.0, fname);
  k->degree = (int)gl_opt_integer(L, idx, "degree", 3, fname);
}

/* svm_solve(X, y, p, C, kernel_opts, eps, max_iter, cache_mb, shrinking) -> alpha, rho, n_iter
 * X: l x d points; y, p, C: nv values each (nv = l or 2l). */
static int ml_svm_solve (lua_State *L) {
  const char *fname = "ml.svm_solve";
  gl_svm_kernel k;
  luaL_checktype(L, 5, LUA_TTABLE);
  double eps = luaL_checknumber(L, 6);
  lua_Integer max_iter = luaL_optinteger(L, 7, -1);
  double cache_mb = luaL_optnumber(L, 8, 200.0);
  int shrinking = lua_isnoneornil(L, 9) ? 1 : lua_toboolean(L, 9);
  read_kernel(L, 5, &k, fname);
  gl_array *X = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  if (X->ndim != 2) gl_error(L, fname, "X must be 2-D");
  int64_t l = X->shape[0], d = X->shape[1];
  gl_array *y = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  gl_array *p = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  gl_array *C = gl_array_arg_contig(L, 4, GL_FLOAT64, fname);
  int64_t nv = y->size;
  if ((nv != l && nv != 2 * l) || p->size != nv || C->size != nv) gl_error(L, fname, "sizes do not agree");
  gl_array *alpha = gl_array_push_zeros(L, GL_FLOAT64, 1, &nv);
  double rho;
  int64_t it;
  int rc = gl_ml_svm_solve_f64(l, d, (const double *)X->data, nv, (const double *)y->data,
                               (const double *)p->data, (const double *)C->data, &k, eps, max_iter,
                               (size_t)(cache_mb * 1048576.0), shrinking, (double *)alpha->data, &rho, &it);
  if (rc) return gl_kernel_error(L, fname, rc);
  lua_pushnumber(L, rho);
  lua_pushinteger(L, it);
  return 3;
}

/* svm_kernel(A, B, kernel_opts) -> K (m x n) */
static int ml_svm_kernel (lua_State *L) {
  const char *fname = "ml.svm_kernel";
  gl_svm_kernel k;
  luaL_checktype(L, 3, LUA_TTABLE);
  read_kernel(L, 3, &k, fname);
  gl_array *A = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  gl_array *B = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  if (A->ndim != 2 || B->ndim != 2 || A->shape[1] != B->shape[1]) gl_error(L, fname, "A and B must be 2-D with the same columns");
  gl_array *K = gl_array_push2(L, GL_FLOAT64, A->shape[0], B->shape[0]);
  int rc = gl_ml_svm_kernel_f64(A->shape[0], B->shape[0], A->shape[1], (const double *)A->data,
                                (const double *)B->data, &k, (double *)K->data);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 1;
}

/* svm_decision(A, SV, W, kernel_opts) -> D (m x np) = K(A, SV) W^T */
static int ml_svm_decision (lua_State *L) {
  const char *fname = "ml.svm_decision";
  gl_svm_kernel k;
  luaL_checktype(L, 4, LUA_TTABLE);
  read_kernel(L, 4, &k, fname);
  gl_array *A = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  gl_array *S = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  gl_array *W = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  if (A->ndim != 2 || S->ndim != 2 || A->shape[1] != S->shape[1]) gl_error(L, fname, "A and SV must be 2-D with the same columns");
  if (W->ndim != 2 || W->shape[1] != S->shape[0]) gl_error(L, fname, "W must have one column per support vector");
  gl_array *D = gl_array_push2(L, GL_FLOAT64, A->shape[0], W->shape[0]);
  int rc = gl_ml_svm_decision_f64(A->shape[0], S->shape[0], A->shape[1], W->shape[0], (const double *)A->data,
                                  (const double *)S->data, (const double *)W->data, &k, (double *)D->data);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"svm_decision", ml_svm_decision},
  {"svm_kernel", ml_svm_kernel},
  {"svm_solve", ml_svm_solve},
  {NULL, NULL}
};

void gl_ml_open_svm (lua_State *L) { luaL_setfuncs(L, funcs, 0); }
