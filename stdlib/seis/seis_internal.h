/* seis_internal.h: the parts of geolab.seis_core (stdlib/seis/seis_*.c).
 * Private to the seis bindings. */
#ifndef GL_SEIS_INTERNAL_H
#define GL_SEIS_INTERNAL_H

#include <lua.h>
#include <lauxlib.h>

int gl_seis_read_mseed(lua_State *L);    /* seis_mseed.c */
int gl_seis_write_mseed(lua_State *L);   /* seis_mseed.c */
const char *gl_seis_encoding_name(int encoding);
/* Pushes a userdata holding an empty gl_bytes that its __gc frees; returns
 * the gl_bytes (valid while the userdata is on the stack). */
struct gl_bytes;
struct gl_bytes *gl_seis_bytes_box(lua_State *L);

#endif
