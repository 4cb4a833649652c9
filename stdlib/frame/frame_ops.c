/* frame_ops.c: column helpers for frame.lua that would be slow in Lua: take
 * by positions with missing rows, masks, NaN tests, stable argsort,
 * factorizing, describe statistics, correlations, rolling windows, shift,
 * fills and concatenation. Columns are 1-D arrays; datetime columns are
 * int64 with NaT = INT64_MIN (the `dt` flag says so). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "frame_internal.h"
#include "datetime.h"
#include "resample.h"
#include "rolling.h"

/* take(arr, positions [, dt]) -> array: positions are 1-based, 0 = missing.
 * Missing gives NaN (float; ints and bools become float64) or NaT (dt). */
static int fo_take (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "take");
  gl_array *p = gl_frame_arg1(L, 2, GL_INT64, "take");
  int dt = lua_toboolean(L, 3);
  const int64_t *ix = (const int64_t *)p->data;
  int missing = 0;
  for (int64_t i = 0; i < p->size; i++) {
    if (ix[i] < 0 || ix[i] > a->size) return gl_error(L, "take", "position %lld out of range (1..%lld)",
                                                      (long long)ix[i], (long long)a->size);
    if (ix[i] == 0) missing = 1;
  }
  gl_dtype t = a->dtype;
  if (missing && !dt && !gl_dtype_is_float(t)) t = GL_FLOAT64;
  gl_array *o = gl_array_push1(L, t, p->size);
  size_t es = gl_dtype_size(t);
  if (t == a->dtype) {
    for (int64_t i = 0; i < p->size; i++) {
      if (ix[i] == 0) {
        if (t == GL_FLOAT64) ((double *)o->data)[i] = NAN;
        else if (t == GL_FLOAT32) ((float *)o->data)[i] = NAN;
        else ((int64_t *)o->data)[i] = GL_NAT;
      } else memcpy(o->data + (size_t)i * es, a->data + (size_t)(ix[i] - 1) * es, es);
    }
  } else {
    for (int64_t i = 0; i < p->size; i++)
      ((double *)o->data)[i] = ix[i] == 0 ? NAN : gl_array_getd(a, ix[i] - 1);
  }
  return 1;
}

/* compress(arr, mask) -> the rows where mask (bool array) is true */
static int fo_compress (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "compress");
  gl_array *m = gl_frame_arg1(L, 2, GL_BOOL, "compress");
  if (m->size != a->size) return gl_error(L, "selection", "boolean mask of length %lld for %lld rows",
                                          (long long)m->size, (long long)a->size);
  int64_t k = 0;
  for (int64_t i = 0; i < m->size; i++) k += m->data[i] != 0;
  gl_array *o = gl_array_push1(L, a->dtype, k);
  size_t es = gl_dtype_size(a->dtype);
  k = 0;
  for (int64_t i = 0; i < m->size; i++)
    if (m->data[i]) memcpy(o->data + (size_t)(k++) * es, a->data + (size_t)i * es, es);
  return 1;
}

/* positions(mask) -> int64 1-based positions where mask is true */
static int fo_positions (lua_State *L) {
  gl_array *m = gl_frame_arg1(L, 1, GL_BOOL, "positions");
  int64_t k = 0;
  for (int64_t i = 0; i < m->size; i++) k += m->data[i] != 0;
  gl_array *o = gl_array_push1(L, GL_INT64, k);
  k = 0;
  for (int64_t i = 0; i < m->size; i++) if (m->data[i]) ((int64_t *)o->data)[k++] = i + 1;
  return 1;
}

/* isna(arr [, dt]) -> bool array */
static int fo_isna (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "isna");
  int dt = lua_toboolean(L, 2);
  gl_array *o = gl_array_push1(L, GL_BOOL, a->size);
  for (int64_t i = 0; i < a->size; i++) {
    int na = 0;
    if (a->dtype == GL_FLOAT64) na = isnan(((double *)a->data)[i]);
    else if (a->dtype == GL_FLOAT32) na = isnan(((float *)a->data)[i]);
    else if (dt && a->dtype == GL_INT64) na = ((int64_t *)a->data)[i] == GL_NAT;
    o->data[i] = (char)na;
  }
  return 1;
}

/* argsort(arr [, descending]) -> int64 1-based stable order, NaN/NaT last */
static int fo_argsort (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "argsort");
  int desc = lua_toboolean(L, 2), dt = lua_toboolean(L, 3);
  int64_t n = a->size;
  int64_t *scratch = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(n + 1), 0);
  gl_array *o = gl_array_push1(L, GL_INT64, n);
  int64_t *ord = (int64_t *)o->data;
  if (a->dtype == GL_INT64 && !desc && !dt) {
    gl_argsort_i64(n, (const int64_t *)a->data, ord, scratch);
  } else {
    double *k = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(n + 1), 0);
    for (int64_t i = 0; i < n; i++) {
      if (dt && ((int64_t *)a->data)[i] == GL_NAT) k[i] = NAN;
      else k[i] = gl_array_getd(a, i);
    }
    if (a->dtype == GL_INT64 && !desc) {   /* exact for datetimes: integer sort, NaT moved last */
      gl_argsort_i64(n, (const int64_t *)a->data, ord, scratch);
      int64_t nn = 0;
      while (nn < n && ((int64_t *)a->data)[ord[nn]] == GL_NAT) nn++;
      if (nn) {
        memcpy(scratch, ord, sizeof(int64_t) * (size_t)nn);
        memmove(ord, ord + nn, sizeof(int64_t) * (size_t)(n - nn));
        memcpy(ord + n - nn, scratch, sizeof(int64_t) * (size_t)nn);
      }
    } else gl_argsort_f64(n, k, desc, ord, scratch);
    lua_pop(L, 1);
  }
  for (int64_t i = 0; i < n; i++) ord[i] += 1;
  return 1;
}

/* factorize(arr [, dt]) -> codes (int64, 1-based, 0 for missing), uniques
 * (sorted ascending, an array of the same dtype) */
static int fo_factorize (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "factorize");
  int dt = lua_toboolean(L, 2);
  int64_t n = a->size;
  int64_t *scratch = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(2 * n + 1), 0);
  int64_t *ord = scratch + n;
  double *k = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(n + 1), 0);
  int isint = a->dtype == GL_INT64;
  const int64_t *iv = (const int64_t *)a->data;
  if (isint) gl_argsort_i64(n, iv, ord, scratch);
  else {
    for (int64_t i = 0; i < n; i++) k[i] = gl_array_getd(a, i);
    gl_argsort_f64(n, k, 0, ord, scratch);
  }
  gl_array *codes = gl_array_push1(L, GL_INT64, n);
  int64_t *c = (int64_t *)codes->data, nu = 0;
  /* count uniques first */
  for (int64_t j = 0; j < n; j++) {
    int64_t i = ord[j];
    int na = isint ? (dt && iv[i] == GL_NAT) : isnan(k[i]);
    if (na) { c[i] = 0; continue; }
    int same = j > 0 && (isint ? iv[ord[j - 1]] == iv[i] : k[ord[j - 1]] == k[i]);
    if (!same) nu++;
    c[i] = nu;
  }
  gl_array *u = gl_array_push1(L, a->dtype, nu);
  size_t es = gl_dtype_size(a->dtype);
  for (int64_t i = 0; i < n; i++)
    if (c[i] > 0) memcpy(u->data + (size_t)(c[i] - 1) * es, a->data + (size_t)i * es, es);
  return 2;
}

/* stats(arr, percentiles) -> count, mean, std, min, {quantiles}, max (NaN skipped) */
static int fo_stats (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, GL_FLOAT64, "describe");
  luaL_checktype(L, 2, LUA_TTABLE);
  const double *x = (const double *)a->data;
  double *v = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(a->size + 1), 0);
  int64_t m = 0;
  for (int64_t i = 0; i < a->size; i++) if (!isnan(x[i])) v[m++] = x[i];
  double mean = NAN, sd = NAN;
  if (m > 0) {
    double s = 0, c = 0;
    for (int64_t i = 0; i < m; i++) {   /* Kahan, as pandas' nansum */
      double y = v[i] - c, t = s + y;
      c = (t - s) - y; s = t;
    }
    mean = s / (double)m;
    if (m > 1) {
      double ss = 0;
      for (int64_t i = 0; i < m; i++) ss += (v[i] - mean) * (v[i] - mean);
      sd = sqrt(ss / (double)(m - 1));
    }
  }
  /* sort for quantiles */
  int64_t *ord = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(2 * m + 1), 0);
  gl_argsort_f64(m, v, 0, ord, ord + m);
  double *sv = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(m + 1), 0);
  for (int64_t i = 0; i < m; i++) sv[i] = v[ord[i]];
  lua_pushinteger(L, m);
  lua_pushnumber(L, mean);
  lua_pushnumber(L, sd);
  lua_pushnumber(L, m ? sv[0] : NAN);
  int np = (int)luaL_len(L, 2);
  lua_createtable(L, np, 0);
  for (int k = 1; k <= np; k++) {
    lua_geti(L, 2, k);
    double q = lua_tonumber(L, -1);
    lua_pop(L, 1);
    double r = NAN;
    if (m > 0) {   /* numpy's linear interpolation */
      double pos = q * (double)(m - 1);
      int64_t lo = (int64_t)floor(pos);
      if (lo >= m - 1) r = sv[m - 1];
      else {
        double f = pos - (double)lo;
        r = sv[lo] + (sv[lo + 1] - sv[lo]) * f;
      }
    }
    lua_pushnumber(L, r);
    lua_rawseti(L, -2, k);
  }
  lua_pushnumber(L, m ? sv[m - 1] : NAN);
  return 6;
}

/* corr(list of float64 arrays, method ("pearson"|"spearman"|"cov"), min_periods) -> k x k array */
static int fo_corr (lua_State *L) {
  static const char *const methods[] = {"pearson", "spearman", "cov", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  int method = luaL_checkoption(L, 2, "pearson", methods);
  int64_t minp = luaL_optinteger(L, 3, 1);
  int k = (int)luaL_len(L, 1);
  int64_t n = -1;
  const double **cols = (const double **)lua_newuserdatauv(L, sizeof(double *) * (size_t)(k + 1), 0);
  int base = lua_gettop(L);
  for (int i = 1; i <= k; i++) {
    lua_geti(L, 1, i);
    gl_array *a = gl_frame_arg1(L, -1, GL_FLOAT64, "corr");
    if (n < 0) n = a->size;
    else if (a->size != n) return gl_error(L, "corr", "columns differ in length");
    cols[i - 1] = (const double *)a->data;
  }
  if (n < 0) n = 0;
  double *scratch = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(4 * n + 1), 0);
  int64_t *is = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(n + 1), 0);
  gl_array *o = gl_array_push2(L, GL_FLOAT64, k, k);
  int rc = gl_corr_f64(n, k, cols, method, minp, (double *)o->data, scratch, is);
  if (rc) return gl_kernel_error(L, "corr", rc);
  (void)base;
  return 1;
}

/* rolling(values, ts or nil, window, min_periods, how [, ddof]) -> float64 */
static int fo_rolling (lua_State *L) {
  static const char *const hows[] = {"mean", "sum", "std", "var", "min", "max", "median", "count", NULL};
  gl_array *x = gl_frame_arg1(L, 1, GL_FLOAT64, "rolling");
  gl_array *ts = lua_isnil(L, 2) ? NULL : gl_frame_arg1(L, 2, GL_INT64, "rolling");
  int64_t w = luaL_checkinteger(L, 3), minp = luaL_checkinteger(L, 4);
  int how = luaL_checkoption(L, 5, NULL, hows);
  int64_t ddof = luaL_optinteger(L, 6, 1);
  double *scratch = (double *)lua_newuserdatauv(L, sizeof(double) * (size_t)(2 * x->size + 1), 0);
  gl_array *o = gl_array_push1(L, GL_FLOAT64, x->size);
  int rc = gl_rolling_f64(x->size, (const double *)x->data, ts ? (const int64_t *)ts->data : NULL,
                          w, minp, how, ddof, (double *)o->data, scratch);
  if (rc == GL_EINVAL) return gl_error(L, "rolling", "window must be positive");
  if (rc) return gl_kernel_error(L, "rolling", rc);
  return 1;
}

/* shift(arr, n [, dt]) -> array moved by n rows; new rows missing */
static int fo_shift (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "shift");
  int64_t s = luaL_checkinteger(L, 2);
  int dt = lua_toboolean(L, 3);
  int64_t n = a->size;
  gl_dtype t = (dt || gl_dtype_is_float(a->dtype) || s == 0) ? a->dtype : GL_FLOAT64;
  gl_array *o = gl_array_push1(L, t, n);
  for (int64_t i = 0; i < n; i++) {
    int64_t j = i - s;
    if (j < 0 || j >= n) {
      if (t == GL_FLOAT64) ((double *)o->data)[i] = NAN;
      else if (t == GL_FLOAT32) ((float *)o->data)[i] = NAN;
      else ((int64_t *)o->data)[i] = GL_NAT;
    } else if (t == a->dtype) {
      size_t es = gl_dtype_size(t);
      memcpy(o->data + (size_t)i * es, a->data + (size_t)j * es, es);
    } else ((double *)o->data)[i] = gl_array_getd(a, j);
  }
  return 1;
}

/* fill(arr, "ffill"|"bfill", limit [, dt]) -> array with gaps filled from neighbours */
static int fo_fill (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "fillna");
  const char *how = luaL_checkstring(L, 2);
  int64_t limit = luaL_optinteger(L, 3, 0);
  int dt = lua_toboolean(L, 4);
  gl_array *o = gl_array_push_copy(L, a, a->dtype);
  int64_t n = o->size;
  size_t es = gl_dtype_size(o->dtype);
  int back = strcmp(how, "bfill") == 0;
#define ISNA(i) (o->dtype == GL_FLOAT64 ? isnan(((double *)o->data)[i]) : \
                 o->dtype == GL_FLOAT32 ? isnan(((float *)o->data)[i]) : \
                 (dt && o->dtype == GL_INT64 && ((int64_t *)o->data)[i] == GL_NAT))
  int64_t last = -1, run = 0;
  for (int64_t k = 0; k < n; k++) {
    int64_t i = back ? n - 1 - k : k;
    if (!ISNA(i)) { last = i; run = 0; continue; }
    if (last < 0) continue;
    run++;
    if (limit > 0 && run > limit) continue;
    memcpy(o->data + (size_t)i * es, o->data + (size_t)last * es, es);
  }
#undef ISNA
  return 1;
}

/* concat(list of 1-D arrays) -> one array of the promoted dtype */
static int fo_concat (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int k = (int)luaL_len(L, 1);
  int64_t n = 0;
  int t = -1;
  for (int i = 1; i <= k; i++) {
    lua_geti(L, 1, i);
    gl_array *a = gl_frame_arg1(L, -1, -1, "concat");
    n += a->size;
    t = t < 0 ? (int)a->dtype : (int)gl_dtype_promote((gl_dtype)t, a->dtype);
    lua_pop(L, 1);
  }
  if (t < 0) t = GL_FLOAT64;
  gl_array *o = gl_array_push1(L, (gl_dtype)t, n);
  int64_t off = 0;
  for (int i = 1; i <= k; i++) {
    lua_geti(L, 1, i);
    gl_array *a = gl_frame_arg1(L, -1, t, "concat");
    memcpy(o->data + (size_t)off * gl_dtype_size((gl_dtype)t), a->data,
           (size_t)a->size * gl_dtype_size((gl_dtype)t));
    off += a->size;
    lua_pop(L, 1);
  }
  return 1;
}

/* fmt_floats(arr, first, last, digits) -> strings formatted as pandas prints
 * a float column ("% .{digits}f" with common trailing zeros trimmed, or
 * "% .{digits}e" when small values would show as zero), width */
static int fo_fmt_floats (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, GL_FLOAT64, "format");
  luaL_checktype(L, 2, LUA_TTABLE);   /* 1-based rows to show */
  int digits = (int)luaL_optinteger(L, 3, 6);
  const double *x = (const double *)a->data;
  int nr = (int)luaL_len(L, 2);
  int64_t *rows = (int64_t *)lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(nr + 1), 0);
  for (int k = 0; k < nr; k++) { lua_geti(L, 2, k + 1); rows[k] = lua_tointeger(L, -1) - 1; lua_pop(L, 1); }
  char (*s)[64] = lua_newuserdatauv(L, 64 * (size_t)(nr + 1), 0);
  int small = 0, large = 0, maxlen = 0;
  double lim = pow(10, -digits);
  for (int k = 0; k < nr; k++) {
    double v = x[rows[k]], av = fabs(v);
    if (!isnan(v) && av < lim && av > 0) small = 1;
    if (!isnan(v) && av > 1e6 && !isinf(v)) large = 1;
  }
  for (int pass = 0; pass < 2; pass++) {
    int efmt = pass == 1;
    maxlen = 0;
    for (int k = 0; k < nr; k++) {
      double v = x[rows[k]];
      if (isnan(v)) strcpy(s[k], "NaN");
      else if (isinf(v)) strcpy(s[k], v > 0 ? "inf" : "-inf");
      else snprintf(s[k], 64, efmt ? "% .*e" : "% .*f", digits, v);
      int l = (int)strlen(s[k]);
      if (l > maxlen) maxlen = l;
    }
    if (!efmt) {
      /* trim trailing zeros common to all numbers, keep one digit after '.' */
      for (;;) {
        int any = 0, all0 = 1;
        for (int k = 0; k < nr; k++) {
          if (!strchr(s[k], '.') || strpbrk(s[k], "eIN") || strstr(s[k], "inf")) continue;
          any = 1;
          if (s[k][strlen(s[k]) - 1] != '0') { all0 = 0; break; }
        }
        if (!any || !all0) break;
        for (int k = 0; k < nr; k++)
          if (strchr(s[k], '.') && !strpbrk(s[k], "eIN") && !strstr(s[k], "inf")) s[k][strlen(s[k]) - 1] = 0;
      }
      for (int k = 0; k < nr; k++) {
        size_t l = strlen(s[k]);
        if (l && s[k][l - 1] == '.') { s[k][l] = '0'; s[k][l + 1] = 0; }
      }
      int too_long = maxlen > digits + 6;
      if (small || (too_long && large)) continue;
    }
    break;
  }
  lua_createtable(L, nr, 0);
  for (int k = 0; k < nr; k++) { lua_pushstring(L, s[k]); lua_rawseti(L, -2, k + 1); }
  return 1;
}


/* ---- small array helpers, so frame.lua depends only on the C API ---- */
static int dtype_arg (lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return -1;
  int t = gl_dtype_from_name(luaL_checkstring(L, idx));
  if (t < 0) return gl_error(L, "astype", "unknown dtype '%s'", lua_tostring(L, idx));
  return t;
}
/* asarray(x [, dtype]) -> contiguous 1-D-or-more array (a copy only if needed) */
static int fo_asarray (lua_State *L) {
  int t = dtype_arg(L, 2);
  lua_settop(L, 1);
  gl_array_arg_contig(L, 1, t, "frame");
  return 1;
}
/* astype(arr, dtype) -> new contiguous array */
static int fo_astype (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  gl_array_push_copy(L, a, (gl_dtype)dtype_arg(L, 2));
  return 1;
}
/* full(n, value, dtype) */
static int fo_full (lua_State *L) {
  int64_t n = luaL_checkinteger(L, 1);
  int t = dtype_arg(L, 3);
  gl_array *o = gl_array_push1(L, (gl_dtype)(t < 0 ? GL_FLOAT64 : t), n);
  if (o->dtype == GL_INT64) {
    lua_Integer v = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : (lua_Integer)lua_tonumber(L, 2);
    for (int64_t i = 0; i < n; i++) ((int64_t *)o->data)[i] = v;
  } else if (o->dtype == GL_FLOAT64) {
    double v = lua_isboolean(L, 2) ? lua_toboolean(L, 2) : luaL_checknumber(L, 2);
    for (int64_t i = 0; i < n; i++) ((double *)o->data)[i] = v;
  } else {
    double v = lua_isboolean(L, 2) ? lua_toboolean(L, 2) : luaL_checknumber(L, 2);
    for (int64_t i = 0; i < n; i++) gl_array_setd(o, i, v);
  }
  return 1;
}
/* range(first, n) -> int64 first, first+1, ... */
static int fo_range (lua_State *L) {
  int64_t a = luaL_checkinteger(L, 1), n = luaL_checkinteger(L, 2), step = luaL_optinteger(L, 3, 1);
  gl_array *o = gl_array_push1(L, GL_INT64, n);
  for (int64_t i = 0; i < n; i++) ((int64_t *)o->data)[i] = a + i * step;
  return 1;
}
/* info(arr) -> dtype name, size, ndim */
static int fo_info (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  lua_pushstring(L, gl_dtype_name(a->dtype));
  lua_pushinteger(L, a->size);
  lua_pushinteger(L, a->ndim);
  return 3;
}
/* get(arr, i) -> element i (1-based) as a Lua value; set(arr, i, v) */
static int fo_get (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int64_t i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && i <= a->size, 2, "position out of range");
  int64_t flat = i - 1;
  if (!gl_array_is_contiguous(a)) { gl_array_push_copy(L, a, a->dtype); a = gl_array_check(L, -1); }
  gl_array_push_elem(L, a, flat);
  return 1;
}
static int fo_set (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int64_t i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && i <= a->size && gl_array_is_contiguous(a), 2, "position out of range");
  if (a->dtype == GL_INT64) ((int64_t *)a->data)[i - 1] = lua_isinteger(L, 3) ? lua_tointeger(L, 3) : (int64_t)luaL_checknumber(L, 3);
  else gl_array_setd(a, i - 1, lua_isboolean(L, 3) ? lua_toboolean(L, 3) : luaL_checknumber(L, 3));
  return 0;
}
/* tolist(arr [, dt]) -> flat Lua list (NaN stays NaN; NaT -> false when dt) */
static int fo_tolist (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int dt = lua_toboolean(L, 2);
  if (!gl_array_is_contiguous(a)) { gl_array_push_copy(L, a, a->dtype); a = gl_array_check(L, -1); }
  lua_createtable(L, (int)a->size, 0);
  for (int64_t i = 0; i < a->size; i++) {
    if (dt && ((int64_t *)a->data)[i] == GL_NAT) lua_pushboolean(L, 0);
    else gl_array_push_elem(L, a, i);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}
/* column_stack(list of 1-D arrays, dtype) -> n x k array */
static int fo_column_stack (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int t = dtype_arg(L, 2);
  if (t < 0) t = GL_FLOAT64;
  int k = (int)luaL_len(L, 1);
  int64_t n = 0;
  if (k > 0) { lua_geti(L, 1, 1); n = gl_frame_arg1(L, -1, t, "to_array")->size; lua_pop(L, 1); }
  gl_array *o = gl_array_push2(L, (gl_dtype)t, n, k);
  size_t es = gl_dtype_size((gl_dtype)t);
  for (int j = 0; j < k; j++) {
    lua_geti(L, 1, j + 1);
    gl_array *c = gl_frame_arg1(L, -1, t, "to_array");
    if (c->size != n) return gl_error(L, "to_array", "columns differ in length");
    for (int64_t i = 0; i < n; i++) memcpy(o->data + ((size_t)i * (size_t)k + (size_t)j) * es, c->data + (size_t)i * es, es);
    lua_pop(L, 1);
  }
  return 1;
}
/* column(arr2d, j) -> contiguous copy of column j (1-based) of a 2-D array */
static int fo_column (lua_State *L) {
  gl_array *a = gl_array_check(L, 1);
  int64_t j = luaL_checkinteger(L, 2);
  luaL_argcheck(L, a->ndim == 2 && j >= 1 && j <= a->shape[1], 2, "column out of range");
  gl_array *o = gl_array_push1(L, a->dtype, a->shape[0]);
  size_t es = gl_dtype_size(a->dtype);
  for (int64_t i = 0; i < a->shape[0]; i++)
    memcpy(o->data + (size_t)i * es, a->data + (size_t)((i * a->strides[0] + (j - 1) * a->strides[1])) * es, es);
  return 1;
}
/* where_na(arr, mask, value) -> copy with value where mask is true */
static int fo_putmask (lua_State *L) {
  gl_array *a = gl_frame_arg1(L, 1, -1, "fillna");
  gl_array *m = gl_frame_arg1(L, 2, GL_BOOL, "fillna");
  gl_array *v = gl_frame_arg1(L, 3, -1, "fillna");
  gl_dtype t = gl_dtype_promote(a->dtype, v->dtype);
  if (lua_toboolean(L, 4)) t = a->dtype;   /* keep dtype (datetimes) */
  gl_array *o = gl_array_push1(L, t, a->size);
  for (int64_t i = 0; i < a->size; i++) {
    const gl_array *src = m->data[i] ? v : a;
    int64_t k = (m->data[i] && v->size == 1) ? 0 : i;
    if (t == GL_INT64 && src->dtype == GL_INT64) ((int64_t *)o->data)[i] = ((int64_t *)src->data)[k];
    else gl_array_setd(o, i, gl_array_getd(src, k));
  }
  return 1;
}

void gl_frame_open_ops (lua_State *L) {
  static const luaL_Reg fns[] = {
    {"argsort", fo_argsort},
    {"asarray", fo_asarray},
    {"astype", fo_astype},
    {"column", fo_column},
    {"column_stack", fo_column_stack},
    {"full", fo_full},
    {"get", fo_get},
    {"info", fo_info},
    {"putmask", fo_putmask},
    {"range", fo_range},
    {"set", fo_set},
    {"tolist", fo_tolist},
    {"compress", fo_compress},
    {"concat", fo_concat},
    {"corr", fo_corr},
    {"factorize", fo_factorize},
    {"fill", fo_fill},
    {"fmt_floats", fo_fmt_floats},
    {"isna", fo_isna},
    {"positions", fo_positions},
    {"rolling", fo_rolling},
    {"shift", fo_shift},
    {"stats", fo_stats},
    {"take", fo_take},
    {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
