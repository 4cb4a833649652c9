/* subcmd.c: geolab's subcommands, `geolab report|convert|run|verify ...`
 * (issue 16). Only the first argument names a subcommand (a script called
 * "report" runs as `geolab ./report`). The work is done in Lua
 * (stdlib/report/report.lua); the host gives it its protected call, so that
 * a cell's error reads as a script's would and Ctrl-C stops the cell. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lualib.h>

#include "host.h"
#include "gl_alloc.h"
#include "gl_modules.h"

static const char *const subcommands[] = {"report", "convert", "run", "verify", "grade", "check", "sweep", "tiles", NULL};

int vm_subcommand_name (const char *arg) {
  for (int i = 0; subcommands[i]; i++)
    if (strcmp(arg, subcommands[i]) == 0) return 1;
  return 0;
}

/* chdir(path) -> true, or nil, message: a sweep task runs in the folder
 * the sweep was started from, wherever its process was started */
static int sc_chdir (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  if (chdir(path) != 0) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int pmain_subcommand (lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  lua_settop(L, 0);
  luaL_checkversion(L);
  lua_gc(L, LUA_GCSTOP);
  gl_open_libs(L);
  lua_gc(L, LUA_GCRESTART);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "geolab.report");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "main");
  lua_pushstring(L, argv[1]);
  lua_createtable(L, argc - 2, 0);
  for (int i = 2; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_createtable(L, 0, 12);
  lua_pushcfunction(L, vm_lua_docall);
  lua_setfield(L, -2, "docall");
  vm_grade_funcs(L);
  vm_proc_funcs(L);
  lua_pushcfunction(L, sc_chdir);
  lua_setfield(L, -2, "chdir");
  lua_pushliteral(L, GEOLAB_VERSION);
  lua_setfield(L, -2, "version");
  lua_call(L, 3, 1);
  return 1;
}

int vm_subcommand (int argc, char **argv) {
  lua_State *L = gl_newstate();
  if (L == NULL) {
    fprintf(stderr, "geolab: cannot create state: not enough memory\n");
    return EXIT_FAILURE;
  }
  lua_pushcfunction(L, pmain_subcommand);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  int status = vm_docall(L, 2, 1);
  int code = status == LUA_OK ? (int)lua_tointeger(L, -1) : EXIT_FAILURE;
  vm_report(L, status, "geolab");
  gl_closestate(L);
  return code;
}
