/* luarun.c: a build-time Lua interpreter (host tool, not installed). It runs
 * cmake/helpgen.lua, which turns the manual pages (docs, .md) into help()'s table of entries; a
 * failing script (a broken manual page) fails the build. */
#include <stdio.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: luarun script.lua [args...]\n");
    return 2;
  }
  lua_State *L = luaL_newstate();
  if (L == NULL) return 1;
  luaL_openlibs(L);
  lua_createtable(L, argc, 0);  /* arg[0] = script, arg[1..] = its arguments, as lua.c */
  for (int i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  int rc = 0;
  if (luaL_dofile(L, argv[1]) != LUA_OK) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    rc = 1;
  }
  lua_close(L);
  return rc;
}
