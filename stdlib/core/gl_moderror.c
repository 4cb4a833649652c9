/* gl_moderror.c: the error() that the Lua parts of geolab's modules see.
 * Their chunks are named "=[geolab.NAME]", so a plain error("np.x: ...")
 * used to say "[geolab.frame]:55: np.x: ..." and error(msg, 2) pointed at
 * whichever module helper called the raising one. A user wants the line of
 * their own script, as Python's traceback ends there, so the position is
 * taken from the first frame, counting from the level asked for, that is not
 * module code. A C frame stops the walk without a position: module code that
 * calls pcall sees the bare message it may reword, and so does a user who
 * pcalls a module function directly. Level 0 and non-string errors pass as
 * they are, as with Lua's error. */
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "gl_modules.h"

int gl_module_source (const char *source) {
  return source != NULL && strncmp(source, "=[geolab.", 9) == 0;
}

int gl_module_error (lua_State *L) {
  int level = (int)luaL_optinteger(L, 2, 1);
  lua_settop(L, 1);
  if (lua_type(L, 1) == LUA_TSTRING && level > 0) {
    lua_Debug ar;
    /* a C frame below the level asked for (a pcall in module code that the
     * level overshoots) also means no position: its catcher gets the bare
     * message, as util.raise does */
    for (int i = 1; i < level && level > 0; i++) {
      if (!lua_getstack(L, i, &ar)) { level = 0; break; }
      lua_getinfo(L, "S", &ar);
      if (strcmp(ar.what, "C") == 0) level = 0;
    }
    for (; level > 0; level++) {
      if (!lua_getstack(L, level, &ar)) { level = 0; break; }
      lua_getinfo(L, "S", &ar);
      if (strcmp(ar.what, "C") == 0) { level = 0; break; }
      if (!gl_module_source(ar.source)) break;
    }
    if (level > 0) {
      luaL_where(L, level);
      lua_pushvalue(L, 1);
      lua_concat(L, 2);
    }
  }
  return lua_error(L);
}
