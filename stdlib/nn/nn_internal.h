/* nn_internal.h: the parts of geolab.nn_core (stdlib/nn/). Each part adds its
 * functions to the module table on top of the stack. */
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H
#include <lua.h>

void gl_nn_open_layers(lua_State *L);      /* nn_layers_bind.c: conv, pool, norm, activations, losses */
void gl_nn_open_optim(lua_State *L);       /* nn_optim_bind.c: fused optimiser steps */
void gl_nn_open_checkpoint(lua_State *L);  /* nn_checkpoint.c: torch.save zip files, safe unpickler */

#endif
