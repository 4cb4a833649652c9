/* array_npfun.c: np.interp and np.diag, and the loading of the Lua-written
 * array functions (stdlib/array/array_funcs.lua: meshgrid, polyfit, cov, ...). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "interp.h"

/* {====================================================================
 * interp
 * ===================================================================== */

typedef struct { double x, f; int64_t k; } xf_pair;

/* xp values that are equal after the modulo keep their input order. */
static int pair_cmp (const void *pa, const void *pb) {
  const xf_pair *a = pa, *b = pb;
  if (a->x != b->x) return a->x < b->x ? -1 : 1;
  return a->k < b->k ? -1 : a->k > b->k;
}

/* Python's float %: the result takes the sign of the (positive) period. */
static double pymod (double a, double p) {
  double m = fmod(a, p);
  if (m != 0 && m < 0) m += p;
  else if (m == 0) m = 0.0;
  return m;
}

/* An argument that can become an array: a number, a table or an array. */
static void check_values (lua_State *L, int idx, const char *fname, const char *what) {
  int t = lua_type(L, idx);
  if (t == LUA_TNUMBER || t == LUA_TTABLE || gl_array_test(L, idx)) return;
  gl_error(L, fname, "%s must be an array, a table or a number, got %s", what, luaL_typename(L, idx));
}

/* interp(x, xp, fp, [left, [right, [period]]], [{left=, right=, period=}]) */
static int np_interp (lua_State *L) {
  static const char *const allowed[] = {"left", "period", "right", NULL};
  const char *fname = "np.interp";
  int top = lua_gettop(L), opts = 0;
  if (top >= 4 && lua_istable(L, top) && !gl_array_test(L, top)) opts = top--;
  if (top < 3) return gl_error(L, fname, "expected (x, xp, fp), got %d arguments", top);
  if (top > 6) return gl_error(L, fname, "too many arguments (x, xp, fp, left, right, period)");
  lua_settop(L, opts ? opts : top);
  static const char *const argnames[3] = {"x", "xp", "fp"};
  for (int i = 1; i <= 3; i++) check_values(L, i, fname, argnames[i - 1]);
  int scalar_x = lua_type(L, 1) == LUA_TNUMBER;
  gl_array *x = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  gl_array *xp = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  gl_array *fp = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  if (xp->ndim != 1 || fp->ndim != 1) return gl_error(L, fname, "xp and fp must be 1-D sequences");
  if (xp->size != fp->size) return gl_error(L, fname, "fp and xp are not of the same length (%lld and %lld)",
                                            (long long)fp->size, (long long)xp->size);
  if (xp->size == 0) return gl_error(L, fname, "array of sample points is empty");
  /* positional left/right/period at 4..6, overridden by the options */
  double val[3];
  int given[3];
  static const char *const names[3] = {"left", "right", "period"};
  for (int i = 0; i < 3; i++) {
    int idx = 4 + i;
    given[i] = idx <= top && !lua_isnil(L, idx);
    if (given[i]) {
      if (!lua_isnumber(L, idx)) return gl_error(L, fname, "%s must be a number, got %s", names[i], luaL_typename(L, idx));
      val[i] = lua_tonumber(L, idx);
    }
    if (opts && gl_opt_field(L, opts, names[i])) {
      if (given[i]) return gl_error(L, fname, "%s given both as argument %d and as an option", names[i], idx);
      if (!lua_isnumber(L, -1)) return gl_error(L, fname, "option '%s' must be a number, got %s", names[i], luaL_typename(L, -1));
      val[i] = lua_tonumber(L, -1);
      given[i] = 1;
      lua_pop(L, 1);
    }
  }
  if (opts) gl_check_options(L, opts, fname, allowed);
  const double *xv = (const double *)x->data, *xpv = (const double *)xp->data, *fpv = (const double *)fp->data;
  int64_t n = xp->size;
  gl_array *out;
  if (given[2]) {   /* period: both axes wrap, left and right are unused */
    double period = fabs(val[2]);
    if (period == 0 || !isfinite(period)) return gl_error(L, fname, "period must be a non-zero finite value");
    xf_pair *pr = lua_newuserdatauv(L, sizeof(xf_pair) * (size_t)n, 0);
    for (int64_t k = 0; k < n; k++) { pr[k].x = pymod(xpv[k], period); pr[k].f = fpv[k]; pr[k].k = k; }
    qsort(pr, (size_t)n, sizeof *pr, pair_cmp);
    gl_array *xw = gl_array_push1(L, GL_FLOAT64, n + 2), *fw = gl_array_push1(L, GL_FLOAT64, n + 2);
    double *xs = (double *)xw->data, *fs = (double *)fw->data;
    for (int64_t k = 0; k < n; k++) { xs[k + 1] = pr[k].x; fs[k + 1] = pr[k].f; }
    xs[0] = pr[n - 1].x - period; fs[0] = pr[n - 1].f;
    xs[n + 1] = pr[0].x + period; fs[n + 1] = pr[0].f;
    gl_array *xm = gl_array_push(L, GL_FLOAT64, x->ndim, x->shape);
    for (int64_t i = 0; i < x->size; i++) ((double *)xm->data)[i] = pymod(xv[i], period);
    out = gl_array_push(L, GL_FLOAT64, x->ndim, x->shape);
    int rc = gl_interp_f64(x->size, (const double *)xm->data, n + 2, xs, fs, fs[0], fs[n + 1], (double *)out->data);
    if (rc) return gl_kernel_error(L, fname, rc);
  } else {
    for (int64_t k = 0; k + 1 < n; k++)
      if (!(xpv[k] <= xpv[k + 1]))
        return gl_error(L, fname, "xp must be increasing (xp[%lld] = %g, xp[%lld] = %g)",
                        (long long)k + 1, xpv[k], (long long)k + 2, xpv[k + 1]);
    double left = given[0] ? val[0] : fpv[0], right = given[1] ? val[1] : fpv[n - 1];
    out = gl_array_push(L, GL_FLOAT64, x->ndim, x->shape);
    int rc = gl_interp_f64(x->size, xv, n, xpv, fpv, left, right, (double *)out->data);
    if (rc) return gl_kernel_error(L, fname, rc);
  }
  if (scalar_x) lua_pushnumber(L, ((double *)out->data)[0]);
  return 1;
}

/* }==================================================================== */

/* {====================================================================
 * diag
 * ===================================================================== */

/* diag(v, [k] | {k=}): a 1-D v gives the square matrix with v on diagonal k
 * (above the main one for k > 0); a 2-D v gives a copy of its diagonal k
 * (NumPy gives a read-only view: a copy cannot be written through by mistake). */
static int np_diag (lua_State *L) {
  static const char *const allowed[] = {"k", NULL};
  const char *fname = "np.diag";
  check_values(L, 1, fname, "v");
  lua_Integer k = 0;
  if (lua_istable(L, 2) && !gl_array_test(L, 2)) {
    gl_check_options(L, 2, fname, allowed);
    k = gl_opt_integer(L, 2, "k", 0, fname);
  } else if (!lua_isnoneornil(L, 2)) {
    int isint;
    k = lua_tointegerx(L, 2, &isint);
    if (!isint) return gl_error(L, fname, "k must be an integer, got %s",
                                lua_isnumber(L, 2) ? "a non-integral number" : luaL_typename(L, 2));
  }
  gl_array *v = gl_array_arg(L, 1, -1, fname);
  size_t isz = gl_dtype_size(v->dtype);
  if (v->ndim == 1) {
    int64_t n = v->size + (k < 0 ? -k : k);
    gl_array *r = gl_array_push2(L, v->dtype, n, n);
    memset(r->data, 0, (size_t)(n * n) * isz);
    int64_t r0 = k < 0 ? -k : 0, c0 = k > 0 ? k : 0;
    for (int64_t i = 0; i < v->size; i++)
      memcpy(r->data + ((r0 + i) * n + c0 + i) * (int64_t)isz, v->data + i * v->strides[0] * (int64_t)isz, isz);
    return 1;
  }
  if (v->ndim != 2) return gl_error(L, fname, "input must be 1-D or 2-D, got %d dimensions", v->ndim);
  int64_t r0 = k < 0 ? -k : 0, c0 = k > 0 ? k : 0, len = 0;
  if (r0 < v->shape[0] && c0 < v->shape[1]) {
    int64_t a = v->shape[0] - r0, b = v->shape[1] - c0;
    len = a < b ? a : b;
  }
  gl_array *r = gl_array_push1(L, v->dtype, len);
  for (int64_t i = 0; i < len; i++)
    memcpy(r->data + i * (int64_t)isz,
           v->data + ((r0 + i) * v->strides[0] + (c0 + i) * v->strides[1]) * (int64_t)isz, isz);
  return 1;
}

/* }==================================================================== */

static const luaL_Reg funcs[] = {
  {"diag", np_diag},
  {"interp", np_interp},
  {NULL, NULL}
};

/* Adds the functions above to the module table on top of the stack, then runs
 * the Lua-written part (geolab.array_funcs), which reads the table back
 * with require "geolab.array": the table is put in package.loaded first. */
void gl_array_open_npfun (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "geolab.array");
  lua_pop(L, 1);
  /* the preload loader itself, not the global require, which a sandbox may hide */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  if (lua_getfield(L, -1, "geolab.array_funcs") != LUA_TFUNCTION) {
    lua_pop(L, 2);
    return;   /* a stock lua5.4 that did not preload the embedded sources */
  }
  lua_remove(L, -2);
  lua_pushliteral(L, "geolab.array_funcs");
  lua_call(L, 1, 0);
}
