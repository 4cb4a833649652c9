/* frame_internal.h: the parts of geolab.frame_core (stdlib/frame/frame_*.c) and
 * the helpers they share. Private to the frame bindings. */
#ifndef GL_FRAME_INTERNAL_H
#define GL_FRAME_INTERNAL_H

#include <lua.h>
#include <lauxlib.h>
#include "gl_array.h"

void gl_frame_open_csv(lua_State *L);    /* frame_csv.c: read_csv, write_csv */
void gl_frame_open_time(lua_State *L);   /* frame_time.c: datetimes, resample, reindex */
void gl_frame_open_ops(lua_State *L);    /* frame_ops.c: take, sort, stats, groups */

/* A contiguous 1-D array argument of dtype t (a converted copy if needed). */
gl_array *gl_frame_arg1(lua_State *L, int idx, int t, const char *fname);

#endif
