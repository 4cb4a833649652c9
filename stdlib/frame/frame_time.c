/* frame_time.c: datetime parsing/formatting/fields, resampling bins,
 * grouped reductions, interpolation and index matching for frame.lua.
 * Times are int64 arrays of ns since the epoch, NaT = INT64_MIN. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "frame_internal.h"
#include "datetime.h"
#include "resample.h"

/* dt_parse(s [, dayfirst]) -> ns, resolution, period_end | nil, message */
static int ft_dt_parse (lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  int64_t v;
  int res, rc = gl_dt_parse(s, n, lua_toboolean(L, 2), &v, &res);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, rc == GL_ERANGE ? "date out of range" : "unknown date format");
    return 2;
  }
  lua_pushinteger(L, v);
  lua_pushinteger(L, res);
  lua_pushinteger(L, gl_dt_period_end(v, res));
  return 3;
}

/* to_datetime(list [, dayfirst]) -> int64 array | nil, bad position (1-based), message.
 * The list holds strings, false (missing) or integers (ns). */
static int ft_to_datetime (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int dayfirst = lua_toboolean(L, 2);
  lua_Integer n = luaL_len(L, 1);
  gl_array *a = gl_array_push1(L, GL_INT64, n);
  int64_t *o = (int64_t *)a->data;
  for (lua_Integer i = 1; i <= n; i++) {
    int t = lua_geti(L, 1, i);
    if (t == LUA_TSTRING) {
      size_t len;
      const char *s = lua_tolstring(L, -1, &len);
      static const char *const nas[] = {"", "NaT", "nat", "NaN", "nan", "NA", "N/A", NULL};
      int isna = 0;
      for (int k = 0; nas[k]; k++) if (strlen(nas[k]) == len && !memcmp(nas[k], s, len)) isna = 1;
      int rc = isna ? 0 : gl_dt_parse(s, len, dayfirst, &o[i - 1], NULL);
      if (isna) o[i - 1] = GL_NAT;
      if (rc) {
        lua_pushnil(L);
        lua_pushinteger(L, i);
        lua_pushstring(L, rc == GL_ERANGE ? "out of range" : "unknown format");
        return 3;
      }
    } else if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
      o[i - 1] = lua_tointeger(L, -1);
    } else if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) ||
               (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1)))) {
      o[i - 1] = GL_NAT;
    } else {
      lua_pushnil(L);
      lua_pushinteger(L, i);
      lua_pushfstring(L, "%s is not a date", luaL_typename(L, -2));
      return 3;
    }
    lua_pop(L, 1);
  }
  return 1;
}

/* dt_format(arr [, digits [, first, last]]) -> list of strings (1-based rows) */
static int ft_dt_format (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, GL_INT64, "dt_format");
  const int64_t *v = (const int64_t *)a->data;
  int digits = lua_isnoneornil(L, 2) ? gl_dt_column_digits(a->size, v) : (int)luaL_checkinteger(L, 2);
  lua_Integer first = luaL_optinteger(L, 3, 1), last = luaL_optinteger(L, 4, a->size);
  char buf[48];
  lua_createtable(L, (int)(last - first + 1 > 0 ? last - first + 1 : 0), 0);
  for (lua_Integer i = first; i <= last; i++) {
    if (i < 1 || i > a->size) continue;
    int len = gl_dt_format(v[i - 1], digits, buf);
    lua_pushlstring(L, buf, (size_t)len);
    lua_rawseti(L, -2, i - first + 1);
  }
  return 1;
}

static int ft_dt_digits (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, GL_INT64, "dt_digits");
  lua_pushinteger(L, gl_dt_column_digits(a->size, (const int64_t *)a->data));
  return 1;
}

/* dt_field(arr, name) -> int64 array, or float64 with NaN when NaT present */
static int ft_dt_field (lua_State *L) {
  static const char *const names[] = {"year", "month", "day", "hour", "minute", "second",
    "dayofyear", "dayofweek", "nanosecond", "microsecond", "quarter", "days_in_month",
    "date", NULL};
  gl_array *a = gl_frame_arg1(L, 1, GL_INT64, "dt");
  int which = luaL_checkoption(L, 2, NULL, names);
  const int64_t *v = (const int64_t *)a->data;
  int hasnat = 0;
  for (int64_t i = 0; i < a->size && !hasnat; i++) hasnat = v[i] == GL_NAT;
  gl_array *o = gl_array_push1(L, which == 12 ? GL_INT64 : hasnat ? GL_FLOAT64 : GL_INT64, a->size);
  for (int64_t i = 0; i < a->size; i++) {
    gl_dtparts p;
    int64_t r = 0;
    if (v[i] == GL_NAT) {
      if (which == 12) ((int64_t *)o->data)[i] = GL_NAT;
      else ((double *)o->data)[i] = NAN;
      continue;
    }
    gl_dt_split(v[i], &p);
    switch (which) {
      case 0: r = p.year; break;
      case 1: r = p.month; break;
      case 2: r = p.day; break;
      case 3: r = p.hour; break;
      case 4: r = p.minute; break;
      case 5: r = p.second; break;
      case 6: r = p.doy; break;
      case 7: r = p.dow; break;
      case 8: r = p.nanos % 1000; break;
      case 9: r = p.nanos / 1000; break;
      case 10: r = (p.month - 1) / 3 + 1; break;
      case 11: r = gl_days_in_month(p.year, p.month); break;
      case 12: r = gl_floordiv(v[i], GL_NS_PER_DAY) * GL_NS_PER_DAY; break;
    }
    if (o->dtype == GL_FLOAT64) ((double *)o->data)[i] = (double)r;
    else ((int64_t *)o->data)[i] = r;
  }
  return 1;
}

/* resample_bins(ts, kind, mult, step_ns) -> codes (0-based int64), labels (int64) */
static int ft_resample_bins (lua_State *L) {
  gl_array *t = gl_frame_arg1(L, 1, GL_INT64, "resample");
  int kind = (int)luaL_checkinteger(L, 2);
  int64_t mult = luaL_checkinteger(L, 3), step = luaL_checkinteger(L, 4), nb;
  gl_array *c = gl_array_push1(L, GL_INT64, t->size);
  int rc = gl_resample_bins(t->size, (const int64_t *)t->data, kind, mult, step,
                            (int64_t *)c->data, NULL, &nb);
  if (rc) return gl_kernel_error(L, "resample", rc);
  if (nb > ((int64_t)1 << 31)) return gl_error(L, "resample", "too many bins (%lld)", (long long)nb);
  gl_array *lab = gl_array_push1(L, GL_INT64, nb);
  gl_resample_bins(t->size, (const int64_t *)t->data, kind, mult, step,
                   (int64_t *)c->data, (int64_t *)lab->data, &nb);
  return 2;
}

/* group_reduce(codes, ngroups, values, how [, ddof]) -> float64 array */
static int ft_group_reduce (lua_State *L) {
  static const char *const hows[] = {"mean", "sum", "min", "max", "first", "last", "count",
                                     "median", "std", "var", "size", "prod", NULL};
  gl_array *c = gl_frame_arg1(L, 1, GL_INT64, "groupby");
  int64_t ng = luaL_checkinteger(L, 2);
  gl_array *v = gl_frame_arg1(L, 3, GL_FLOAT64, "groupby");
  int how = luaL_checkoption(L, 4, NULL, hows);
  int64_t ddof = luaL_optinteger(L, 5, 1);
  luaL_argcheck(L, c->size == v->size, 3, "codes and values differ in length");
  luaL_argcheck(L, ng >= 0, 2, "negative number of groups");
  for (int64_t i = 0; i < c->size; i++) {
    int64_t g = ((const int64_t *)c->data)[i];
    if (g < -1 || g >= ng) return luaL_argerror(L, 1, "group code out of range");
  }
  int64_t *scratch = NULL;
  if (how == GL_AGG_MEDIAN)   /* stays on the stack below the result */
    scratch = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(c->size + 2 * ng + 2), 0);
  gl_array *o = gl_array_push1(L, GL_FLOAT64, ng);
  int rc = gl_group_reduce_f64(c->size, (const int64_t *)c->data, (const double *)v->data, ng,
                               how, ddof, (double *)o->data, scratch);
  if (rc) return gl_kernel_error(L, "groupby", rc);
  return 1;
}

/* interpolate(values, x or nil, method, limit) -> float64 array */
static int ft_interpolate (lua_State *L) {
  gl_array *y = gl_frame_arg1(L, 1, GL_FLOAT64, "interpolate");
  gl_array *x = lua_isnil(L, 2) ? NULL : gl_frame_arg1(L, 2, GL_FLOAT64, "interpolate");
  const char *m = luaL_checkstring(L, 3);
  int64_t limit = luaL_optinteger(L, 4, 0);
  if (x && x->size != y->size) return gl_error(L, "interpolate", "x and y differ in length");
  gl_array *o = gl_array_push1(L, GL_FLOAT64, y->size);
  gl_interpolate_f64(y->size, x ? (const double *)x->data : NULL, (const double *)y->data,
                     strcmp(m, "nearest") == 0, limit, (double *)o->data);
  return 1;
}

/* index_match(src, tgt, method, tol) -> int64 positions (1-based, 0 missing) */
static int ft_index_match (lua_State *L) {
  static const char *const methods[] = {"exact", "pad", "backfill", "nearest", NULL};
  gl_array *s = gl_frame_arg1(L, 1, GL_INT64, "reindex");
  gl_array *t = gl_frame_arg1(L, 2, GL_INT64, "reindex");
  int m = luaL_checkoption(L, 3, "exact", methods);
  int64_t tol = luaL_optinteger(L, 4, -1);
  gl_array *o = gl_array_push1(L, GL_INT64, t->size);
  int64_t *r = (int64_t *)o->data;
  int rc = gl_index_match_i64(s->size, (const int64_t *)s->data, t->size,
                              (const int64_t *)t->data, m, tol, r);
  if (rc == GL_EINVAL)
    return gl_error(L, "reindex", "index must be monotonic increasing for method '%s'", methods[m]);
  if (rc) return gl_kernel_error(L, "reindex", rc);
  for (int64_t i = 0; i < t->size; i++) r[i] += 1;
  return 1;
}

void gl_frame_open_time (lua_State *L) {
  static const luaL_Reg fns[] = {
    {"dt_digits", ft_dt_digits},
    {"dt_field", ft_dt_field},
    {"dt_format", ft_dt_format},
    {"dt_parse", ft_dt_parse},
    {"group_reduce", ft_group_reduce},
    {"index_match", ft_index_match},
    {"interpolate", ft_interpolate},
    {"resample_bins", ft_resample_bins},
    {"to_datetime", ft_to_datetime},
    {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
