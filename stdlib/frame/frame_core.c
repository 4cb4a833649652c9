/* frame_core.c: luaopen_geolab_frame_core, the C half of the frame module
 * (stdlib/frame/frame.lua is the other). The parts live in frame_csv.c,
 * frame_time.c and frame_ops.c. */
#include "frame_internal.h"

gl_array *gl_frame_arg1 (lua_State *L, int idx, int t, const char *fname) {
  gl_array *a = gl_array_arg_contig(L, idx, t, fname);
  if (a->ndim != 1) {
    char buf[64];
    gl_error(L, fname, "expected a 1-D array, got shape %s", gl_shape_str(buf, sizeof buf, a->ndim, a->shape));
  }
  return a;
}

int luaopen_geolab_frame_core (lua_State *L) {
  lua_newtable(L);
  gl_frame_open_csv(L);
  gl_frame_open_time(L);
  gl_frame_open_ops(L);
  return 1;
}
