/* ml_core_linear.c: bindings of kernels/ml/ml_linear.c (coordinate descent)
 * and ml_linreg.c (least squares). */
#include <string.h>
#include "gl_array.h"
#include "ml_internal.h"
#include "ml_linear.h"

/* enet_cd(X, y, w0, alpha, beta, max_iter, tol, positive) -> w, gap, n_iter
 * X: 2-D (n x p); w0: p starting values. */
static int ml_enet_cd (lua_State *L) {
  const char *fname = "ml.enet_cd";
  double alpha = luaL_checknumber(L, 4), beta = luaL_checknumber(L, 5);
  lua_Integer max_iter = luaL_checkinteger(L, 6);
  double tol = luaL_checknumber(L, 7);
  int positive = lua_toboolean(L, 8);
  gl_array *X = gl_array_arg(L, 1, GL_FLOAT64, fname);
  if (X->ndim != 2) gl_error(L, fname, "X must be 2-D");
  int64_t n = X->shape[0], p = X->shape[1];
  gl_array *y = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  gl_array *w0 = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  if (y->size != n || w0->size != p) gl_error(L, fname, "sizes of X, y and w0 do not agree");
  double *Xc = (double *)gl_ml_scratch(L, (size_t)(n * p) * sizeof(double));
  double *R = (double *)gl_ml_scratch(L, (size_t)n * sizeof(double));
  const double *src = (const double *)X->data;
  for (int64_t i = 0; i < n; i++)
    for (int64_t f = 0; f < p; f++) Xc[f * n + i] = src[i * X->strides[0] + f * X->strides[1]];
  gl_array *w = gl_array_push1(L, GL_FLOAT64, p);
  memcpy(w->data, w0->data, (size_t)p * sizeof(double));
  double gap;
  int64_t it;
  int rc = gl_ml_enet_cd_f64(n, p, Xc, (const double *)y->data, (double *)w->data, alpha, beta,
                             max_iter, tol, positive, R, &gap, &it);
  if (rc) return gl_kernel_error(L, fname, rc);
  lua_pushnumber(L, gap);
  lua_pushinteger(L, it);
  return 3;
}

/* linreg(X, y, fit_intercept) -> coef, rank, singular, X_offset, y_offset
 * X: 2-D float64 (n x p, n >= p + 1), y: 1-D float64 (n). */
static int ml_linreg (lua_State *L) {
  const char *fname = "ml.LinearRegression.fit";
  gl_array *X = gl_array_arg(L, 1, GL_FLOAT64, fname);
  gl_array *y = gl_array_arg(L, 2, GL_FLOAT64, fname);
  int fit_intercept = lua_toboolean(L, 3);
  if (X->ndim != 2 || y->ndim != 1 || y->shape[0] != X->shape[0] || X->shape[0] < X->shape[1] + 1)
    gl_error(L, fname, "linreg needs X (n, p) and y (n) with n > p");
  int64_t n = X->shape[0], p = X->shape[1], rank = 0;
  gl_array *coef = gl_array_push1(L, GL_FLOAT64, p);
  lua_pushnil(L);                                   /* rank, set below */
  gl_array *sv = gl_array_push1(L, GL_FLOAT64, p);
  gl_array *xo = gl_array_push1(L, GL_FLOAT64, p);
  double yo = 0;
  int rc = gl_ml_linreg_f64(n, p, (const double *)X->data, X->strides[0], X->strides[1],
                            (const double *)y->data, y->strides[0], fit_intercept,
                            (double *)coef->data, (double *)sv->data, &rank, (double *)xo->data, &yo);
  if (rc == GL_ERANGE)
    gl_error(L, fname, "X or y holds finite values too large for float64 arithmetic (their means or "
             "differences overflow, near 1e308); rescale the data first");
  if (rc) return gl_kernel_error(L, fname, rc);
  lua_pushinteger(L, rank);
  lua_replace(L, -4);
  lua_pushnumber(L, yo);
  return 5;
}

static const luaL_Reg funcs[] = {
  {"enet_cd", ml_enet_cd},
  {"linreg", ml_linreg},
  {NULL, NULL}
};

void gl_ml_open_linear (lua_State *L) { luaL_setfuncs(L, funcs, 0); }
