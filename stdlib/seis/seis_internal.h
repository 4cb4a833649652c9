/* seis_internal.h: the parts of geolab.seis_core (stdlib/seis/seis_*.c).
 * Private to the seis bindings. */
#ifndef GL_SEIS_INTERNAL_H
#define GL_SEIS_INTERNAL_H

#include <lua.h>
#include <lauxlib.h>

int gl_seis_read_mseed(lua_State *L);    /* seis_mseed.c */
int gl_seis_write_mseed(lua_State *L);   /* seis_mseed.c */
const char *gl_seis_encoding_name(int encoding);

#endif
