/* nn_layers_bind.c: (being written) */
#include <lua.h>
#include "nn_internal.h"

void gl_nn_open_layers (lua_State *L) { (void)L; }
