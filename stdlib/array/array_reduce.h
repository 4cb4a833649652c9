/* array_reduce.h: what array_reduce.c and array_sort.c share: reading the
 * axis argument of a reduction and mapping (array, axes) onto the
 * outer x n x inner block the kernels in reduce.h and sort.h take. */
#ifndef GL_ARRAY_REDUCE_H
#define GL_ARRAY_REDUCE_H

#include "gl_array.h"
#include "reduce.h"

typedef struct gl_rplan {
  gl_lines g;                    /* the block the kernel reads */
  gl_array *a;                   /* the array it reads: the argument or a copy */
  int ndim;                      /* the result's shape (keepdims applied) */
  int64_t shape[GL_MAXDIMS];
  int scalar;                    /* every axis reduced, no keepdims: a Lua value */
} gl_rplan;

/* Reads the axes at idx: none/nil means every axis, else an axis number as
 * NumPy's (from 0, negative from the end) or a table of them; sets
 * red[0..ndim) to 0/1. Raises "<fname>: axis 2 is out of bounds for array of
 * dimension 2". */
void gl_reduce_axes(lua_State *L, int idx, int ndim, int *red, const char *fname);

/* Maps the array at aidx and the reduced axes red[] onto p->g. When the
 * layout does not merge into one block, replaces the array at aidx by a
 * contiguous copy (axes in order when the reduced axes are one run, else
 * the kept axes first), so p->g then reads the copy. */
void gl_reduce_plan(lua_State *L, int aidx, const int *red, int keepdims, gl_rplan *p);

/* The arguments of f(a, [axis], [options]) from index `first` on:
 * f(a), f(a, 1), f(a, {0, 1}), f(a, {axis=1, keepdims=true}), f(a, 1, {...}).
 * Checks the options against `allowed` (NULL terminated) and returns the
 * stack index of the axis spec (a nil pushed when absent); *opts receives
 * the options' index (a nil pushed when absent). */
int gl_reduce_args(lua_State *L, int first, const char *fname, const char *const *allowed, int *opts);

#endif
