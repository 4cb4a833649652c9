/* nn_checkpoint.c: (being written) */
#include <lua.h>
#include "nn_internal.h"

void gl_nn_open_checkpoint (lua_State *L) { (void)L; }
