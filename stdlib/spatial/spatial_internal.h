/* spatial_internal.h: shared between the parts of geolab.spatial_core. */
#ifndef GL_SPATIAL_INTERNAL_H
#define GL_SPATIAL_INTERNAL_H
#include "gl_array.h"
#include "kdtree.h"

#define GL_KDTREE_MT "geolab.KDTree"

gl_kdtree *gl_spatial_checktree(lua_State *L, int idx);
gl_kdtree *gl_spatial_newtree(lua_State *L, const gl_array *a, int64_t leafsize, const char *fname);
gl_array *gl_spatial_points(lua_State *L, int idx, int64_t d, const char *fname);

void gl_spatial_open_las(lua_State *L);       /* spatial_las.c */
void gl_spatial_open_cluster(lua_State *L);   /* spatial_cluster.c */

#endif
