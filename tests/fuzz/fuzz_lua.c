/* fuzz_lua.c: libFuzzer target over the Lua binding of one reader, the
 * function FUZZ_FN ("pd.read_csv", "np.load", ...) called in a lua_State
 * with every geolab module, as a script would call it. The input is
 *   byte 0: bits 0-2 the number k of options, bit 6 the reader's second
 *           form (fuzz_lua.lua says which), bit 7 gzip the file (name *.gz)
 *   2k bytes: the options, a (name, value) pair of indices into the tables
 *           of fuzz_lua.lua
 *   the rest: the file's bytes, written to a file named in FUZZ_EXT.
 * Any failure must be a Lua error whose message starts with the function's
 * name; anything else (a Lua runtime error such as "attempt to index", an
 * error value that is no string, a crash, a sanitizer report, a leak) aborts.
 * One lua_State serves every input (opening the modules costs ~20 ms); a full
 * collection after each input frees what the call made, so that libFuzzer's
 * leak check only runs when C memory outlived its Lua owner. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <zlib.h>
#include "gl_modules.h"
#include "fuzz_tmpfile.h"

#ifndef FUZZ_FN
#error "define FUZZ_FN, the reader's public name"
#endif
/* The entry of fuzz_lua.lua: FUZZ_FN, or "FN:variant" when one function
 * reads several formats (seis.read: miniSEED and SAC). */
#ifndef FUZZ_SPEC
#define FUZZ_SPEC FUZZ_FN
#endif
#ifndef FUZZ_EXT
#define FUZZ_EXT ".csv"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;

/* The checker of fuzz_lua.lua for FUZZ_FN, kept in the registry. */
static void init (void) {
  L = luaL_newstate();
  if (!L) abort();
  gl_open_libs(L);
  if (luaL_dofile(L, FUZZ_LUA_FILE) != LUA_OK) {
    fprintf(stderr, "fuzz_lua: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_pushliteral(L, FUZZ_SPEC);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    fprintf(stderr, "fuzz_lua: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_setfield(L, LUA_REGISTRYINDEX, "geolab.fuzz");
  lua_gc(L, LUA_GCCOLLECT);
}

/* gzip of buf (deflate level 1: speed matters more than size here). */
static unsigned char *gzip (const uint8_t *buf, size_t len, size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
  size_t cap = deflateBound(&z, (uLong)len) + 32;
  unsigned char *out = malloc(cap);
  if (out) {
    z.next_in = (Bytef *)buf; z.avail_in = (uInt)len;
    z.next_out = out; z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) { free(out); out = NULL; }
    else *out_len = z.total_out;
  }
  deflateEnd(&z);
  return out;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  if (!L) init();
  if (size < 1) return 0;
  size_t nopt = data[0] & 7, head = 1 + 2 * nopt;
  if (size < head) return 0;
  const uint8_t *body = data + head;
  size_t blen = size - head;
  const char *path;
  if (data[0] & 0x80) {
    size_t zl = 0;
    unsigned char *z = gzip(body, blen, &zl);
    if (!z) return 0;
    path = fuzz_write_tmp(FUZZ_EXT ".gz", z, zl);
    free(z);
  } else {
    path = fuzz_write_tmp(FUZZ_EXT, body, blen);
  }
  if (!path) return 0;
  lua_getfield(L, LUA_REGISTRYINDEX, "geolab.fuzz");
  lua_pushstring(L, path);
  lua_pushlstring(L, (const char *)data + 1, 2 * nopt);
  lua_pushboolean(L, data[0] & 0x40);
  if (lua_pcall(L, 3, 1, 0) != LUA_OK || !lua_isnil(L, -1)) {
    fprintf(stderr, "fuzz_lua: %s: %s\n", FUZZ_FN, luaL_tolstring(L, -1, NULL));
    abort();
  }
  lua_settop(L, 0);
  lua_gc(L, LUA_GCCOLLECT);
  return 0;
}
