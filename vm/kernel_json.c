/* kernel_json.c: Lua values to and from jansson's JSON values, for the
 * messages the Lua side of the kernel reads and writes. Lua has one table
 * type where JSON has two: a table is an array when its keys are exactly
 * 1..n (n > 0) or when it carries the array metatable (an empty list:
 * `matches = []`); every other table is an object. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "kernel.h"

#define ARRAY_MT "geolab.kernel.jsonarray"
#define MAX_DEPTH 64

void kjson_array_mt (lua_State *L) {
  if (luaL_newmetatable(L, ARRAY_MT)) {
    lua_pushliteral(L, "json array");
    lua_setfield(L, -2, "__name");
  }
}

/* A JSON string from s, with invalid UTF-8 bytes replaced by U+FFFD. */
static json_t *utf8_string (const char *s, size_t len) {
  json_t *j = json_stringn(s, len);
  if (j != NULL) return j;
  size_t cap = 3 * len + 1, o = 0;
  char *buf = malloc(cap);
  if (buf == NULL) return json_string("");
  for (size_t i = 0; i < len; ) {
    unsigned char c = (unsigned char)s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    int ok = n > 0 && i + n <= len;
    for (size_t k = 1; ok && k < n; k++) ok = ((unsigned char)s[i + k] >> 6) == 2;
    if (ok && n > 1) {   /* json_stringn is the judge of overlong forms and surrogates */
      json_t *t = json_stringn(s + i, n);
      ok = t != NULL;
      json_decref(t);
    }
    if (ok) { memcpy(buf + o, s + i, n); o += n; i += n; }
    else { memcpy(buf + o, "\xEF\xBF\xBD", 3); o += 3; i++; }
  }
  j = json_stringn(buf, o);
  free(buf);
  return j ? j : json_string("");
}

static int is_array (lua_State *L, int idx) {
  if (luaL_getmetafield(L, idx, "__name") == LUA_TSTRING) {
    int a = strcmp(lua_tostring(L, -1), "json array") == 0;
    lua_pop(L, 1);
    if (a) return 1;
  }
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
  if (n == 0) return 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1)) { lua_pop(L, 1); return 0; }
    count++;
  }
  return count == n;
}

static json_t *from_lua (lua_State *L, int idx, int depth) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) return json_integer((json_int_t)lua_tointeger(L, idx));
      else {
        double x = lua_tonumber(L, idx);
        return isfinite(x) ? json_real(x) : json_null();
      }
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      return utf8_string(s, len);
    }
    case LUA_TTABLE: {
      if (depth > MAX_DEPTH || !lua_checkstack(L, 4)) return json_null();
      if (is_array(L, idx)) {
        json_t *a = json_array();
        lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
          lua_rawgeti(L, idx, i);
          json_array_append_new(a, from_lua(L, -1, depth + 1));
          lua_pop(L, 1);
        }
        return a;
      }
      json_t *o = json_object();
      lua_pushnil(L);
      while (lua_next(L, idx)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
          size_t kl;
          const char *k = lua_tolstring(L, -2, &kl);
          json_object_setn_new(o, k, kl, from_lua(L, -1, depth + 1));
        } else if (lua_type(L, -2) == LUA_TNUMBER) {   /* stringified, as Python's json does */
          lua_pushvalue(L, -2);
          const char *k = lua_tostring(L, -1);
          json_object_set_new(o, k, from_lua(L, -2, depth + 1));
          lua_pop(L, 1);
        }
        lua_pop(L, 1);
      }
      return o;
    }
    default: return json_null();
  }
}

json_t *kjson_from_lua (lua_State *L, int idx) {
  json_t *j = from_lua(L, idx, 0);
  return j ? j : json_null();
}

void kjson_push (lua_State *L, const json_t *j) {
  luaL_checkstack(L, 4, "JSON nested too deeply");
  switch (json_typeof(j)) {
    case JSON_OBJECT: {
      const char *k;
      json_t *v;
      lua_createtable(L, 0, (int)json_object_size(j));
      json_object_foreach((json_t *)j, k, v) {
        kjson_push(L, v);
        lua_setfield(L, -2, k);
      }
      break;
    }
    case JSON_ARRAY: {
      size_t i;
      json_t *v;
      lua_createtable(L, (int)json_array_size(j), 0);
      json_array_foreach(j, i, v) {
        kjson_push(L, v);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
      }
      kjson_array_mt(L);
      lua_setmetatable(L, -2);
      break;
    }
    case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); break;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
  }
}
