/* gl_array.h: the array C API every binding uses (geolab.Array userdata).
 *
 * An array is a userdata "geolab.Array" holding dtype, shape, element strides
 * and a pointer to its first element. The memory belongs to a buffer userdata
 * kept as the array's first user value; views hold the same buffer, so the Lua
 * GC both frees it when the last view dies and counts its size (a loop that
 * allocates large arrays does not grow without bound). Kernels get raw pointers
 * for the duration of one call and never keep them. */
#ifndef GL_ARRAY_H
#define GL_ARRAY_H

#include <lua.h>
#include <lauxlib.h>
#include "gl_types.h"

#define GL_ARRAY_MT "geolab.Array"
#define GL_COMPLEX_MT "geolab.complex"

typedef struct gl_array {
  char *data;                    /* first element; NULL once closed */
  gl_dtype dtype;
  int ndim;                      /* 0 .. GL_MAXDIMS */
  int64_t size;                  /* product of shape */
  int64_t shape[GL_MAXDIMS];
  int64_t strides[GL_MAXDIMS];   /* in elements, may be 0 or negative */
} gl_array;

/* ---- checking ---- */
/* The array at idx, or an argument error ("array expected, got X"); raises
 * "attempt to use a closed array" for a closed one. */
gl_array *gl_array_check(lua_State *L, int idx);
/* The array at idx or NULL (no error). */
gl_array *gl_array_test(lua_State *L, int idx);

/* ---- creation (each pushes the new array on the stack) ---- */
/* Contiguous, uninitialised contents. shape may be NULL when ndim == 0. */
gl_array *gl_array_push(lua_State *L, gl_dtype t, int ndim, const int64_t *shape);
/* Same, zero-filled. */
gl_array *gl_array_push_zeros(lua_State *L, gl_dtype t, int ndim, const int64_t *shape);
/* A view on the buffer of the array at base: data must point into it. */
gl_array *gl_array_push_view(lua_State *L, int base, gl_dtype t, int ndim,
                             const int64_t *shape, const int64_t *strides, char *data);
/* 1-D and 2-D conveniences. */
gl_array *gl_array_push1(lua_State *L, gl_dtype t, int64_t n);
gl_array *gl_array_push2(lua_State *L, gl_dtype t, int64_t rows, int64_t cols);

/* ---- conversion of arguments ----
 * Converts the value at idx (array, number, boolean or nested table of them)
 * into an array and stores it back at idx. A complex array asked for a
 * non-complex dtype raises "<fname>: complex arrays are not supported" (NumPy
 * would drop the imaginary part). dtype < 0 keeps the value's own
 * dtype (arrays) or infers it (tables: float64 unless all integers -> int64,
 * all booleans -> bool); otherwise the result has that dtype (a cast copy if
 * needed). fname names the caller in error messages. */
gl_array *gl_array_arg(lua_State *L, int idx, int dtype, const char *fname);
/* Like gl_array_arg, and the result is also C-contiguous (copy if needed). */
gl_array *gl_array_arg_contig(lua_State *L, int idx, int dtype, const char *fname);
/* Pushes a C-contiguous copy of a with dtype t (always a new buffer). */
gl_array *gl_array_push_copy(lua_State *L, const gl_array *a, gl_dtype t);
/* Copies src into dst with broadcasting and casting; returns 0 or GL_ESHAPE. */
int gl_array_assign(gl_array *dst, const gl_array *src);
int gl_array_is_contiguous(const gl_array *a);

/* Element access by flat C-order position (slow path; for small things). */
double gl_array_getd(const gl_array *a, int64_t flat);
void gl_array_setd(gl_array *a, int64_t flat, double v);
/* Pushes element `flat` as a Lua value: integer for int dtypes, boolean for bool. */
void gl_array_push_elem(lua_State *L, const gl_array *a, int64_t flat);

/* Complex scalars (stdlib/array/array_complex.c): a userdata that prints as
 * (1+2j). gl_complex_test returns 1 and the parts if the value at idx is one. */
void gl_complex_push(lua_State *L, double re, double im);
int gl_complex_test(lua_State *L, int idx, double *re, double *im);

/* FFT plans (stdlib/array/array_fft.c): this lua_State's cache of
 * kernels/array/fft.h plans, shared by np.fft and the signal module. The plan
 * for (kind, n), made if missing (raises "<fname>: FFTW could not plan ...");
 * it stays valid until a later call for another (kind, n) evicts it, so a
 * caller holds at most two at once (fft.h). gl_fft_get_scratch: a buffer of
 * at least `bytes`, FFTW-aligned, owned by the cache and reused by the next
 * call (the Lua thread's scratch). */
typedef struct gl_fft_plan gl_fft_plan;
const gl_fft_plan *gl_fft_get_plan(lua_State *L, int kind, int64_t n, const char *fname);
void *gl_fft_get_scratch(lua_State *L, size_t bytes, const char *fname);

/* "(3,4)" into buf. */
const char *gl_shape_str(char *buf, size_t len, int ndim, const int64_t *shape);

/* ---- errors and options (stdlib/core/gl_util.c) ---- */
/* Raises "<fname>: <message>". */
int gl_error(lua_State *L, const char *fname, const char *fmt, ...);
/* Raises "<fname>: <what> (<gl_strerror(code)>)" for a failed kernel. */
int gl_kernel_error(lua_State *L, const char *fname, int code);
/* Checks that the table at idx (if any) has only keys from `allowed` (NULL
 * terminated); raises "<fname>: unknown option 'kernal' (did you mean 'kernel'?)". */
void gl_check_options(lua_State *L, int idx, const char *fname, const char *const *allowed);
/* Option getters: table at idx may be absent (none/nil); return def if unset,
 * raise "<fname>: option 'x' must be a number" on a wrong type. */
double gl_opt_number(lua_State *L, int idx, const char *key, double def, const char *fname);
lua_Integer gl_opt_integer(lua_State *L, int idx, const char *key, lua_Integer def, const char *fname);
int gl_opt_boolean(lua_State *L, int idx, const char *key, int def, const char *fname);
const char *gl_opt_string(lua_State *L, int idx, const char *key, const char *def, const char *fname);
/* Pushes the field if present and not nil and returns 1; else pushes nothing, returns 0. */
int gl_opt_field(lua_State *L, int idx, const char *key);
/* The closest of `names` to `word` by edit distance (NULL if none close). */
const char *gl_nearest_name(const char *word, const char *const *names);
/* Makes the table on top of the stack print as a tuple, (3, 4) (a.shape). */
void gl_set_tuple_meta(lua_State *L);
/* Makes the table on top of the stack print as util.repr shows it ({1, 2}). */
void gl_set_list_meta(lua_State *L);
/* Pushes the metatable `tname`, filling it only when new: __index = a table of
 * `methods` (if not NULL), __gc and __close = `gc` (if not NULL). */
void gl_newmetatable(lua_State *L, const char *tname, const luaL_Reg *methods, lua_CFunction gc);
/* Scratch memory owned by Lua: a userdata pushed on the stack, so that an
 * error raised while it is in use cannot leak it. Raises when memory runs
 * out (never returns NULL); the collector frees it. */
void *gl_scratch(lua_State *L, size_t bytes);
/* A box for memory that C mallocs or a kernel reallocs (output buffers):
 * pushes a userdata holding one pointer, NULL at first, freed when the box
 * is collected or closed. Store the pointer in *box before anything can
 * raise and keep it current after reallocs; gl_box_free frees it at once. */
void **gl_box(lua_State *L);
void gl_box_free(void **box);

/* ---- sizes (issue 12) ---- */
/* Element count of an array of dtype t and this shape, checked as NumPy does
 * (kernels/core/gl_size.h): raises "<fname>: negative dimensions are not
 * allowed", "<fname>: array of shape (...) is too big (more than 2^63
 * elements)" or "<fname>: array of N float64 elements (73.8 EB) is too big".
 * fname NULL: the public name of the running C function (gl_api_name), or
 * no name when it has none. */
int64_t gl_check_size(lua_State *L, const char *fname, gl_dtype t, int ndim, const int64_t *shape);
/* The public name of the C function running at level 0, for errors raised by
 * shared helpers that were not told it: "np.zeros" when it is a field of a
 * geolab module table, the bare name for a method ("reshape"), else NULL
 * (a local of a Lua wrapper, which names the public function itself). */
const char *gl_api_name(lua_State *L, char *buf, size_t len);
/* "80.0 GB": bytes in decimal units, into buf. */
const char *gl_format_bytes(char *buf, size_t len, double bytes);

/* ---- module registration ----
 * luaopen_geolab_array (stdlib/array/array.c) builds the module table, then each
 * part adds its functions to the table on top of the stack. */
void gl_array_open_ops(lua_State *L);      /* array_ops.c: arithmetic, math, comparisons */
void gl_array_open_shape(lua_State *L);    /* array_shape.c: reshape, concatenate, ... */
void gl_array_open_reduce(lua_State *L);   /* array_reduce.c: sum, mean, sort, unique, ... */
void gl_array_open_io(lua_State *L);       /* array_io.c: load/save/loadtxt/read_idx */
void gl_array_open_linalg(lua_State *L);   /* array_linalg.c: matmul, np.linalg.* */
void gl_array_open_random(lua_State *L);   /* array_random.c: np.random.* */
/* Adds methods to the Array method table (at index -1) — called by the parts
 * above through gl_array_methods(). */
void gl_array_add_methods(lua_State *L, const luaL_Reg *methods);

#endif
