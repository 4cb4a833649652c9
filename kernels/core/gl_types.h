/* gl_types.h: dtypes, error codes and size conventions shared by every kernel.
 * Kernels include this, libc, <math.h>, BLAS/LAPACKE and a guarded omp.h; never lua.h. */
#ifndef GL_TYPES_H
#define GL_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* Ordered so that promotion can compare kinds: bool < unsigned < signed < float
 * < complex. A complex element is two floats of its precision, real first
 * (C11 float complex / double complex, NumPy's layout). */
typedef enum gl_dtype {
  GL_BOOL = 0,
  GL_UINT8,
  GL_INT32,
  GL_INT64,
  GL_FLOAT32,
  GL_FLOAT64,
  GL_COMPLEX64,
  GL_COMPLEX128,
  GL_NDTYPES
} gl_dtype;

/* Kernel return codes: 0 on success, a negative GL_E* on failure. */
enum {
  GL_OK = 0,
  GL_ENOMEM = -1,   /* scratch allocation failed */
  GL_EINVAL = -2,   /* invalid argument value */
  GL_ESHAPE = -3,   /* shapes do not match */
  GL_EINTR = -4,    /* interrupted by the user (Ctrl-C) */
  GL_EIO = -5,      /* read/write failure */
  GL_EFORMAT = -6,  /* malformed file contents */
  GL_ESINGULAR = -7,/* numerical failure: singular matrix, no convergence */
  GL_ERANGE = -8    /* index or value out of range */
};

#define GL_MAXDIMS 16

typedef unsigned char gl_bool;  /* storage of a bool element: 0 or 1 */
typedef float _Complex gl_c64;   /* storage of complex64 / complex128 elements */
typedef double _Complex gl_c128;

size_t gl_dtype_size(gl_dtype t);
const char *gl_dtype_name(gl_dtype t);
int gl_dtype_from_name(const char *name);   /* -1 if unknown; accepts numpy aliases */
int gl_dtype_is_float(gl_dtype t);
int gl_dtype_is_int(gl_dtype t);            /* uint8, int32, int64 (not bool) */
int gl_dtype_is_complex(gl_dtype t);
gl_dtype gl_dtype_real(gl_dtype t);         /* complex64 -> float32, complex128 -> float64, else t */
gl_dtype gl_dtype_to_complex(gl_dtype t);   /* float32/complex64 -> complex64, else complex128 */
gl_dtype gl_dtype_promote(gl_dtype a, gl_dtype b);  /* NumPy's promote_types */
const char *gl_strerror(int code);

/* Interrupt flag set by the host's SIGINT handler. Long kernels poll it between
 * blocks and return GL_EINTR; this is the one process-wide flag (like lua.c's). */
int gl_interrupted(void);
void gl_interrupt_set(int on);

/* Thread count for OpenMP kernels: set once by the host (--threads). */
int gl_threads(void);
void gl_set_threads(int n);

#endif
