/* nn_optim_bind.c: (being written) */
#include <lua.h>
#include "nn_internal.h"

void gl_nn_open_optim (lua_State *L) { (void)L; }
