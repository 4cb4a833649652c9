/* nn_bind.h: argument helpers shared by the bindings of the nn kernels
 * (nn_layers_bind.c, nn_conv_bind.c, nn_pool_bind.c), and their parts'
 * registration functions. Every error names the nn_core function. */
#ifndef NN_BIND_H
#define NN_BIND_H
#include "gl_array.h"

/* One call's float arguments: they must all share one dtype (the first
 * float argument's). */
typedef struct nnb_call {
  const char *fname;     /* "nn_core.conv_forward" */
  int dtype;             /* -1 until the first float argument is seen */
  const char *first;     /* that argument's name */
} nnb_call;

/* The float array at idx, made C-contiguous in place on the stack; raises
 * naming `what` if it is not an array, not float32/float64, or not of the
 * call's dtype. */
gl_array *nnb_float(lua_State *L, int idx, nnb_call *c, const char *what);
/* Same, or NULL when the argument is nil or absent. */
gl_array *nnb_optfloat(lua_State *L, int idx, nnb_call *c, const char *what);
/* Exactly n integers >= min from a list (or a number when n == 1) into out. */
void nnb_ints(lua_State *L, int idx, int n, int64_t *out, int64_t min, nnb_call *c, const char *what);
/* "(3,4)" */
const char *nnb_shape(char *buf, size_t len, const gl_array *a);
/* Raises "<fname>: <kernel error>" when rc < 0. */
void nnb_check_rc(lua_State *L, int rc, nnb_call *c);
/* The index of the string at idx in names (NULL-terminated), def when nil
 * (def NULL: required); raises "unknown <what> 'x' (did you mean 'y'?)". */
int nnb_option(lua_State *L, int idx, const char *def, const char *const *names, nnb_call *c,
               const char *what);
/* The need = {gx=, gw=, gb=} table at idx: bits 1, 2, 4 (all when absent). */
int nnb_need(lua_State *L, int idx, nnb_call *c);

void gl_nn_open_conv(lua_State *L);   /* nn_conv_bind.c: conv, conv transpose */
void gl_nn_open_pool(lua_State *L);   /* nn_pool_bind.c: pooling, batch norm */

#endif
