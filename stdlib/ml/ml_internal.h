/* ml_internal.h: shared helpers of the ml C core (stdlib/ml/ml_*.c). */
#ifndef GL_ML_INTERNAL_H
#define GL_ML_INTERNAL_H
#include "gl_array.h"

/* Scratch memory owned by a userdata pushed on the stack (freed by the GC,
 * so an error raised later leaks nothing). */
void *gl_ml_scratch(lua_State *L, size_t bytes);

/* Each part adds its functions to the module table on top of the stack. */
void gl_ml_open_tree(lua_State *L);
void gl_ml_open_svm(lua_State *L);
void gl_ml_open_linear(lua_State *L);
void gl_ml_open_neighbors(lua_State *L);

#endif
