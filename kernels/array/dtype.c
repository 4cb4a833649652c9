/* dtype.c: dtype sizes, names, promotion; the interrupt flag and thread count. */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include "gl_types.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static const size_t sizes[GL_NDTYPES] = {1, 1, 4, 8, 4, 8, 8, 16};
static const char *const names[GL_NDTYPES] = {
  "bool", "uint8", "int32", "int64", "float32", "float64", "complex64", "complex128"};

size_t gl_dtype_size (gl_dtype t) { return sizes[t]; }
const char *gl_dtype_name (gl_dtype t) { return names[t]; }
int gl_dtype_is_float (gl_dtype t) { return t == GL_FLOAT32 || t == GL_FLOAT64; }
int gl_dtype_is_int (gl_dtype t) { return t == GL_UINT8 || t == GL_INT32 || t == GL_INT64; }
int gl_dtype_is_complex (gl_dtype t) { return t == GL_COMPLEX64 || t == GL_COMPLEX128; }
gl_dtype gl_dtype_real (gl_dtype t) {
  return t == GL_COMPLEX64 ? GL_FLOAT32 : t == GL_COMPLEX128 ? GL_FLOAT64 : t;
}
gl_dtype gl_dtype_to_complex (gl_dtype t) {
  return (t == GL_FLOAT32 || t == GL_COMPLEX64) ? GL_COMPLEX64 : GL_COMPLEX128;
}

int gl_dtype_from_name (const char *name) {
  static const struct { const char *alias; gl_dtype t; } aliases[] = {
    {"float64", GL_FLOAT64}, {"double", GL_FLOAT64}, {"f8", GL_FLOAT64}, {"float", GL_FLOAT64},
    {"float32", GL_FLOAT32}, {"single", GL_FLOAT32}, {"f4", GL_FLOAT32},
    {"int64", GL_INT64}, {"i8", GL_INT64}, {"int", GL_INT64}, {"long", GL_INT64},
    {"int32", GL_INT32}, {"i4", GL_INT32},
    {"uint8", GL_UINT8}, {"u1", GL_UINT8}, {"byte", GL_UINT8},
    {"bool", GL_BOOL}, {"boolean", GL_BOOL}, {"?", GL_BOOL},
    {"complex128", GL_COMPLEX128}, {"complex", GL_COMPLEX128}, {"c16", GL_COMPLEX128},
    {"cdouble", GL_COMPLEX128}, {"complex64", GL_COMPLEX64}, {"c8", GL_COMPLEX64},
    {"csingle", GL_COMPLEX64}};
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp(name, aliases[i].alias) == 0) return (int)aliases[i].t;
  return -1;
}

/* NumPy's promote_types restricted to our dtypes: an integer with float32 needs
 * float64 unless it fits exactly (uint8); likewise complex64 widens to
 * complex128 with float64, int32 and int64 (their values need double parts). */
gl_dtype gl_dtype_promote (gl_dtype a, gl_dtype b) {
  if (a == b) return a;
  if (a > b) { gl_dtype t = a; a = b; b = t; }
  if (b == GL_FLOAT32 && (a == GL_INT32 || a == GL_INT64)) return GL_FLOAT64;
  if (b == GL_COMPLEX64 && (a == GL_INT32 || a == GL_INT64 || a == GL_FLOAT64)) return GL_COMPLEX128;
  return b;
}

const char *gl_strerror (int code) {
  switch (code) {
    case GL_OK: return "no error";
    case GL_ENOMEM: return "not enough memory";
    case GL_EINVAL: return "invalid argument";
    case GL_ESHAPE: return "shape mismatch";
    case GL_EINTR: return "interrupted";
    case GL_EIO: return "input/output error";
    case GL_EFORMAT: return "malformed data";
    case GL_ESINGULAR: return "singular matrix or no convergence";
    case GL_ERANGE: return "value out of range";
    default: return "unknown error";
  }
}

/* Set by the SIGINT handler, read by every OpenMP thread of a kernel: a
 * lock-free C11 atomic is safe in both roles (volatile sig_atomic_t is only
 * safe for the handler; ThreadSanitizer reported the threads' reads). */
static atomic_int interrupt_flag = 0;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the interrupt flag must be lock-free to be set from a signal handler");
int gl_interrupted (void) { return atomic_load_explicit(&interrupt_flag, memory_order_relaxed) != 0; }
void gl_interrupt_set (int on) { atomic_store_explicit(&interrupt_flag, on ? 1 : 0, memory_order_relaxed); }

/* The thread count is process-wide because OpenMP's is; every kernel's result
 * is independent of it, so it cannot make two lua_States disagree. */
static int nthreads = 0;
int gl_threads (void) {
#ifdef _OPENMP
  return nthreads > 0 ? nthreads : omp_get_max_threads();
#else
  return 1;
#endif
}
void gl_set_threads (int n) {
  nthreads = n;
#ifdef _OPENMP
  if (n > 0) omp_set_num_threads(n);
#endif
}
