/* cast.h: dtype conversion loops, driven by the iterator (operand 0 = dst, 1 = src). */
#ifndef GL_CAST_H
#define GL_CAST_H
#include "iter.h"

/* The inner loop converting src elements to dst elements. Float to integer
 * truncates toward zero and saturates (NaN gives INT64_MIN like NumPy on x86),
 * anything to bool is "!= 0" (NaN is true), complex to real keeps the real part. */
gl_loop_fn gl_cast_loop(gl_dtype dst, gl_dtype src);

/* Copies with broadcasting and casting: dst (ndim, shape, strides) from src. */
int gl_cast_copy(gl_dtype dst_t, int dst_ndim, const int64_t *dst_shape, const int64_t *dst_strides, char *dst,
                 gl_dtype src_t, int src_ndim, const int64_t *src_shape, const int64_t *src_strides, const char *src);
/* The same, polling gl_interrupted() between pieces of 65536 elements (the
 * whole-array copies behind astype, copy and contiguous): GL_EINTR on Ctrl-C,
 * with dst partly written. */
int gl_cast_copy_poll(gl_dtype dst_t, int dst_ndim, const int64_t *dst_shape, const int64_t *dst_strides,
                      char *dst, gl_dtype src_t, int src_ndim, const int64_t *src_shape,
                      const int64_t *src_strides, const char *src);

/* Reads element p of type t as double / writes double v into it. */
double gl_load_f64(gl_dtype t, const char *p);
void gl_store_f64(gl_dtype t, char *p, double v);
int64_t gl_load_i64(gl_dtype t, const char *p);
/* Complex element access (any dtype: a real one has imaginary part 0; storing
 * into a real dtype keeps the real part only, callers check first). */
void gl_load_c128(gl_dtype t, const char *p, double *re, double *im);
void gl_store_c128(gl_dtype t, char *p, double re, double im);

#endif
