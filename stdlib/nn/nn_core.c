/* nn_core.c: geolab.nn_core, the C half of nn and optim (layers' kernels,
 * optimiser steps, PyTorch checkpoint files). The Lua half (nn.lua, optim.lua
 * and their parts) is the public module; this table is internal. */
#include <lua.h>
#include <lauxlib.h>
#include "nn_internal.h"

int luaopen_geolab_nn_core (lua_State *L) {
  lua_newtable(L);
  gl_nn_open_layers(L);
  gl_nn_open_optim(L);
  gl_nn_open_checkpoint(L);
  return 1;
}
