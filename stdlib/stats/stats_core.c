/* stats_core.c: luaopen_geolab_stats_core, the C half of the stats module
 * (stdlib/stats/stats.lua is the front): the special functions of
 * kernels/stats/special.c applied elementwise. The front broadcasts its
 * arguments first, so every array argument here has the same size. */
#include <math.h>
#include "gl_array.h"
#include "special.h"

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
typedef double (*fn3)(double, double, double);

/* Calls f (arity 1..3) on numbers, or on float64 arrays of equal size; the
 * result has the shape of the first array argument. */
static int apply (lua_State *L, int arity, void (*f)(void), const char *fname) {
  const double *in[3] = {NULL, NULL, NULL};
  double num[3] = {0, 0, 0};
  int first = 0;
  int64_t n = 1;
  for (int i = 1; i <= arity; i++) {
    if (lua_type(L, i) == LUA_TNUMBER) { num[i - 1] = lua_tonumber(L, i); continue; }
    gl_array *a = gl_array_arg_contig(L, i, GL_FLOAT64, fname);
    if (first && a->size != n) return gl_error(L, fname, "arguments have different sizes");
    if (!first) { first = i; n = a->size; }
    in[i - 1] = (const double *)a->data;
  }
  double *out;
  if (!first) { out = &num[2]; n = 1; }  /* scalar result, written below */
  else {
    gl_array *a = gl_array_check(L, first);
    out = (double *)gl_array_push(L, GL_FLOAT64, a->ndim, a->shape)->data;
  }
  double r = 0;
  for (int64_t k = 0; k < n; k++) {
    double x[3];
    for (int i = 0; i < arity; i++) x[i] = in[i] ? in[i][k] : num[i];
    switch (arity) {
      case 1: r = ((fn1)f)(x[0]); break;
      case 2: r = ((fn2)f)(x[0], x[1]); break;
      default: r = ((fn3)f)(x[0], x[1], x[2]); break;
    }
    if (first) out[k] = r;
  }
  if (!first) lua_pushnumber(L, r);
  return 1;
}

static int st_ndtr (lua_State *L) { return apply(L, 1, (void (*)(void))gl_ndtr, "stats.norm.cdf"); }
static int st_ndtri (lua_State *L) { return apply(L, 1, (void (*)(void))gl_ndtri, "stats.norm.ppf"); }
static int st_betainc (lua_State *L) { return apply(L, 3, (void (*)(void))gl_betainc, "stats.betainc"); }
static int st_gammaln (lua_State *L) { return apply(L, 1, (void (*)(void))gl_gammaln, "stats.gammaln"); }
static int st_stdtr (lua_State *L) { return apply(L, 2, (void (*)(void))gl_stdtr, "stats.t.cdf"); }

static const luaL_Reg funcs[] = {
  {"betainc", st_betainc}, {"gammaln", st_gammaln}, {"ndtr", st_ndtr}, {"ndtri", st_ndtri}, {"stdtr", st_stdtr},
  {NULL, NULL}
};

int luaopen_geolab_stats_core (lua_State *L) {
  luaL_newlib(L, funcs);
  return 1;
}
