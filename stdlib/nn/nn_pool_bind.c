/* nn_pool_bind.c: geolab.nn_core's pooling and batch norm (being written). */
#include "nn_bind.h"

void gl_nn_open_pool (lua_State *L) { (void)L; }
