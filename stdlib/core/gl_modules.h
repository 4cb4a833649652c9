/* gl_modules.h: opening geolab's modules in a lua_State (stdlib/core/geolab.c). */
#ifndef GL_MODULES_H
#define GL_MODULES_H
#include <lua.h>

/* Opens the standard Lua libraries, preloads every geolab module
 * (package.preload["geolab.NAME"]) and sets the globals np/array, pd/frame,
 * plt/plot, ml, spatial, stats and signal (loaded on first use). */
void gl_open_libs(lua_State *L);

/* error(msg[, level]) of the modules' Lua parts: the position is the
 * user's line, never module code (gl_moderror.c). */
int gl_module_error(lua_State *L);

/* Is this lua_Debug source (ar.source) one of geolab's embedded Lua chunks,
 * "=[geolab.NAME]"? Such frames are never the position shown to a user. */
int gl_module_source(const char *source);

#endif
