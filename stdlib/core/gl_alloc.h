/* gl_alloc.h: the Lua allocator of the geolab program (stdlib/core/gl_alloc.c). */
#ifndef GL_ALLOC_H
#define GL_ALLOC_H
#include <lua.h>

/* A new lua_State whose allocator keeps a few recently freed large blocks
 * for reuse. Close it with gl_closestate (which also frees that cache). */
lua_State *gl_newstate(void);
void gl_closestate(lua_State *L);
/* After a LUA_ERRMEM: the size of the refused request into *bytes and the
 * Lua frames that were running ("\n  file:line: in ..." lines, maybe ""),
 * or NULL when the allocator refused nothing (or is not ours). Clears it. */
const char *gl_alloc_failure(lua_State *L, size_t *bytes);

#endif
