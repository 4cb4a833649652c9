/* gl_util.c: error messages, option tables, "did you mean" suggestions and
 * userdata metatables, shared by every binding. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "gl_size.h"

int gl_error (lua_State *L, const char *fname, const char *fmt, ...) {
  va_list ap;
  luaL_Buffer b;
  char msg[512];
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, fname);
  luaL_addstring(&b, ": ");
  luaL_addstring(&b, msg);
  luaL_pushresult(&b);
  return lua_error(L);
}

int gl_kernel_error (lua_State *L, const char *fname, int code) {
  if (code == GL_EINTR) return luaL_error(L, "interrupted!");
  return gl_error(L, fname, "%s", gl_strerror(code));
}

/* Levenshtein distance, capped: names are short. */
static int edit_distance (const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return 99;
  int d[64][64];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
      d[i][j] = c;
    }
  return d[la][lb];
}

const char *gl_nearest_name (const char *word, const char *const *names) {
  const char *best = NULL;
  int bestd = 99;
  int limit = (int)strlen(word) / 3 + 1;  /* about one typo per three letters */
  for (int i = 0; names[i]; i++) {
    int d = edit_distance(word, names[i]);
    if (d < bestd) { bestd = d; best = names[i]; }
  }
  return bestd <= limit ? best : NULL;
}

void gl_check_options (lua_State *L, int idx, const char *fname, const char *const *allowed) {
  if (lua_isnoneornil(L, idx)) return;
  if (!lua_istable(L, idx))
    gl_error(L, fname, "options must be a table, got %s", luaL_typename(L, idx));
  idx = lua_absindex(L, idx);
  /* dim= is PyTorch's name for axis= (same 0-based number): accepted wherever
   * axis= is, read through gl_opt_field; both at once is ambiguous */
  int has_axis = 0;
  for (int i = 0; allowed[i]; i++) if (strcmp(allowed[i], "axis") == 0) has_axis = 1;
  if (has_axis) {
    int a = lua_getfield(L, idx, "axis") != LUA_TNIL, d = lua_getfield(L, idx, "dim") != LUA_TNIL;
    lua_pop(L, 2);
    if (a && d) gl_error(L, fname, "give axis= or dim= (the same dimension number), not both");
  }
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      gl_error(L, fname, "option names must be strings, got %s", luaL_typename(L, -1));
    }
    const char *k = lua_tostring(L, -1);
    int found = has_axis && strcmp(k, "dim") == 0;
    for (int i = 0; allowed[i]; i++) if (strcmp(k, allowed[i]) == 0) { found = 1; break; }
    if (!found) {
      static const char *const dim_name[] = {"dim", NULL};
      const char *near = gl_nearest_name(k, allowed);
      if (!near && has_axis) near = gl_nearest_name(k, dim_name);
      if (near) gl_error(L, fname, "unknown option '%s' (did you mean '%s'?)", k, near);
      gl_error(L, fname, "unknown option '%s'", k);
    }
  }
}

int gl_opt_field (lua_State *L, int idx, const char *key) {
  if (!lua_istable(L, idx)) return 0;
  if (lua_getfield(L, idx, key) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  if (strcmp(key, "axis") == 0) {  /* axis= also answers to dim= (gl_check_options) */
    if (lua_getfield(L, idx, "dim") != LUA_TNIL) return 1;
    lua_pop(L, 1);
  }
  return 0;
}

double gl_opt_number (lua_State *L, int idx, const char *key, double def, const char *fname) {
  if (!gl_opt_field(L, idx, key)) return def;
  if (!lua_isnumber(L, -1)) gl_error(L, fname, "option '%s' must be a number, got %s", key, luaL_typename(L, -1));
  double v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

lua_Integer gl_opt_integer (lua_State *L, int idx, const char *key, lua_Integer def, const char *fname) {
  if (!gl_opt_field(L, idx, key)) return def;
  int isint;
  lua_Integer v = lua_tointegerx(L, -1, &isint);
  if (!isint) gl_error(L, fname, "option '%s' must be an integer, got %s", key,
                       lua_isnumber(L, -1) ? "a non-integral number" : luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

int gl_opt_boolean (lua_State *L, int idx, const char *key, int def, const char *fname) {
  if (!gl_opt_field(L, idx, key)) return def;
  if (!lua_isboolean(L, -1)) gl_error(L, fname, "option '%s' must be a boolean, got %s", key, luaL_typename(L, -1));
  int v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

/* The returned string stays valid while the options table holds it. */
const char *gl_opt_string (lua_State *L, int idx, const char *key, const char *def, const char *fname) {
  if (!gl_opt_field(L, idx, key)) return def;
  if (lua_type(L, -1) != LUA_TSTRING) gl_error(L, fname, "option '%s' must be a string, got %s", key, luaL_typename(L, -1));
  size_t len;
  const char *v = lua_tolstring(L, -1, &len);
  /* C would silently stop at the NUL */
  if (strlen(v) != len) gl_error(L, fname, "option '%s' contains a NUL byte", key);
  lua_pop(L, 1);
  return v;
}

const char *gl_shape_str (char *buf, size_t len, int ndim, const int64_t *shape) {
  size_t n = (size_t)snprintf(buf, len, "(");
  for (int i = 0; i < ndim && n < len; i++)
    n += (size_t)snprintf(buf + n, len - n, "%s%lld", i ? "," : "", (long long)shape[i]);
  if (n < len) snprintf(buf + n, len - n, ndim == 1 ? ",)" : ")");
  return buf;
}

/* One function for __gc and __close, as liolib's createmeta does. */
void gl_newmetatable (lua_State *L, const char *tname, const luaL_Reg *methods, lua_CFunction gc) {
  if (!luaL_newmetatable(L, tname)) return;
  if (methods) {
    int n = 0;
    while (methods[n].name) n++;
    lua_createtable(L, 0, n);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
  }
  if (gc) {
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__close");
  }
}

/* {=====  memory that an error must not leak (STYLE 2.9, lauxlib's UBox)  ===== */

void *gl_scratch (lua_State *L, size_t bytes) {
  return lua_newuserdatauv(L, bytes ? bytes : 1, 0);
}

#define GL_BOX_MT "geolab.Box"

static int box_gc (lua_State *L) {
  void **box = (void **)luaL_checkudata(L, 1, GL_BOX_MT);
  free(*box);
  *box = NULL;
  return 0;
}

void **gl_box (lua_State *L) {
  void **box = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
  *box = NULL;
  gl_newmetatable(L, GL_BOX_MT, NULL, box_gc);
  lua_setmetatable(L, -2);
  return box;
}

void gl_box_free (void **box) {
  free(*box);
  *box = NULL;
}
/* } */

/* __tostring of a shape or strides table: NumPy's tuple, (3, 4) or (3,). */
static int tuple_tostring (lua_State *L) {
  luaL_Buffer b;
  lua_Integer n = luaL_len(L, 1);
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '(');
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, 1, i);
    luaL_addvalue(&b);
    if (i < n || n == 1) luaL_addchar(&b, ',');
    if (i < n) luaL_addchar(&b, ' ');
  }
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  return 1;
}

void gl_set_tuple_meta (lua_State *L) {
  if (luaL_newmetatable(L, "geolab.tuple")) {
    lua_pushcfunction(L, tuple_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 1);   /* a data table: util.bare accepts it */
    lua_setfield(L, -2, "__plain");
  }
  lua_setmetatable(L, -2);
}

/* __tostring of a list or record returned from C: util.repr's text, so C and
 * Lua results print alike ({1, 2}, {x = array(...)}). */
static int list_tostring (lua_State *L) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.util");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "repr");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  return 1;
}

void gl_set_list_meta (lua_State *L) {
  if (luaL_newmetatable(L, "geolab.list")) {
    lua_pushcfunction(L, list_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "__plain");
  }
  lua_setmetatable(L, -2);
}

/* {====================================================================
 * Sizes
 * ===================================================================== */

const char *gl_format_bytes (char *buf, size_t len, double bytes) {
  static const char *const unit[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  int u = 0;
  while (bytes >= 1000 && u < 6) { bytes /= 1000; u++; }
  if (u == 0) snprintf(buf, len, "%.0f bytes", bytes);
  else snprintf(buf, len, "%.1f %s", bytes, unit[u]);
  return buf;
}

/* Module tables searched by gl_api_name, with the alias users write. */
static const char *const api_modules[][2] = {
  {"geolab.array", "np"}, {"geolab.frame", "pd"}, {"geolab.plot", "plt"},
  {"geolab.ml", "ml"}, {"geolab.spatial", "spatial"}, {NULL, NULL}
};

const char *gl_api_name (lua_State *L, char *buf, size_t len) {
  lua_Debug ar;
  if (!lua_getstack(L, 0, &ar) || !lua_getinfo(L, "nf", &ar)) return NULL;
  if (ar.name == NULL) { lua_pop(L, 1); return NULL; }
  if (ar.namewhat != NULL && strcmp(ar.namewhat, "method") == 0) {
    lua_pop(L, 1);
    snprintf(buf, len, "%s", ar.name);
    return buf;
  }
  const char *r = NULL;   /* a local of a Lua wrapper ("f"): not a public name */
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  for (int i = 0; api_modules[i][0] && r == NULL; i++) {
    if (lua_getfield(L, -1, api_modules[i][0]) == LUA_TTABLE) {
      lua_pushstring(L, ar.name);
      if (lua_rawget(L, -2) != LUA_TNIL && lua_rawequal(L, -1, -4)) {
        snprintf(buf, len, "%s.%s", api_modules[i][1], ar.name);
        r = buf;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 2);   /* loaded table, function */
  return r;
}

/* gl_error with fname, or with no name when it is NULL: then the Lua
 * wrapper that called us (array_funcs.lua `named`) adds the public one. */
static int size_error (lua_State *L, const char *fname, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (fname) return gl_error(L, fname, "%s", msg);
  lua_pushstring(L, msg);
  return lua_error(L);
}

int64_t gl_check_size (lua_State *L, const char *fname, gl_dtype t, int ndim, const int64_t *shape) {
  char name[64], sz[32], sh[256];
  int64_t n = 0, esz = (int64_t)gl_dtype_size(t);
  int neg = 0;
  for (int i = 0; i < ndim; i++) neg |= shape[i] < 0;
  int rc = neg ? 1 : gl_shape_bytes(ndim, shape, esz, &n, NULL);
  if (rc == 0) return n;
  if (fname == NULL) fname = gl_api_name(L, name, sizeof name);
  if (neg) size_error(L, fname, "negative dimensions are not allowed");
  if (rc == -1)
    size_error(L, fname, "array of shape %s is too big (more than 2^63 elements)",
               gl_shape_str(sh, sizeof sh, ndim, shape));
  int64_t c = 1;   /* of the non-zero dimensions, as NumPy counts; fits */
  for (int i = 0; i < ndim; i++) if (shape[i] > 0) c *= shape[i];
  size_error(L, fname, "array of %lld %s elements (%s) is too big", (long long)c,
             gl_dtype_name(t), gl_format_bytes(sz, sizeof sz, (double)c * (double)esz));
  return 0;
}

/* }==================================================================== */
