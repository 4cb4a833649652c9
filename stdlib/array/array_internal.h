/* array_internal.h: what the array*.c files share among themselves; other
 * modules use gl_array.h only. */
#ifndef GL_ARRAY_INTERNAL_H
#define GL_ARRAY_INTERNAL_H
#include "gl_array.h"

int gl_arr_index(lua_State *L);      /* __index: fields, methods, indexing */
int gl_arr_newindex(lua_State *L);   /* __newindex: assignment through an index */
int gl_arr_tostring(lua_State *L);   /* __tostring: NumPy-style repr */

void gl_array_open_create(lua_State *L);  /* array_create.c */
void gl_array_open_npfun(lua_State *L);   /* array_npfun.c: interp, diag, then array_funcs.lua */

void gl_array_open_complex(lua_State *L);
void gl_array_open_fft(lua_State *L);     /* array_fft.c: np.fft (C part; array_fft.lua adds the rest) */ /* array_complex.c: np.complex, np.j, the scalar type */
/* Python's repr of a float / a complex into buf (array_complex.c). */
void gl_format_pyfloat(char *buf, size_t len, double x);
void gl_format_complex(char *buf, size_t len, double re, double im);
/* op(a, b) with broadcasting and promotion (array_ops.c); op is a gl_binop. */
int gl_array_binop(lua_State *L, int op, int ai, int bi, const char *fname);
/* Element `flat` of any array as complex parts (imag 0 for real dtypes). */
void gl_array_complex_at(const gl_array *a, int64_t flat, double *re, double *im);

/* Raises "index: cannot assign complex values to a float64 array ..." when v is
 * complex and dst is not (NumPy drops the imaginary part with a warning). */
void gl_check_complex_assign(lua_State *L, const gl_array *dst, const gl_array *v);

char *gl_array_elem_ptr(const gl_array *a, int64_t flat);
void gl_push_elem_ptr(lua_State *L, gl_dtype t, const char *p);
void gl_store_lua(lua_State *L, int idx, gl_dtype t, char *p, const char *fname);

/* Parses a dtype argument (string name or nil for def); raises on unknown names. */
gl_dtype gl_check_dtype(lua_State *L, int idx, gl_dtype def, const char *fname);
/* Reads a shape from the value at idx: an integer, or a table of integers
 * (an array of integers works too); returns ndim. */
int gl_check_shape(lua_State *L, int idx, int64_t *shape, const char *fname);
/* Checks an axis number, NumPy's (from 0, negative counts from the end), and
 * returns it in 0..ndim-1; out of range is NumPy's AxisError text. */
int gl_check_axis(lua_State *L, lua_Integer axis, int ndim, const char *fname);

#endif
