/* nn_conv_bind.c: geolab.nn_core's convolutions (being written). */
#include "nn_bind.h"

void gl_nn_open_conv (lua_State *L) { (void)L; }
