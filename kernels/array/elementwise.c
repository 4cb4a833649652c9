/* elementwise.c: instantiates the elementwise loops once per dtype. Each loop
 * has a contiguous fast path (and one for a scalar operand) that the compiler
 * vectorises, and a strided fallback. */
#include <math.h>
#include "elementwise.h"

/* Unsigned instantiations compare against zero on purpose (one body for all). */
#pragma GCC diagnostic ignored "-Wtype-limits"

/* Generates loop_<name>: out[i] = op_<name>(a[i], b[i]) over GL_T inputs and
 * GL_OUT outputs. Only a function name is pasted: the arithmetic itself lives
 * in real inline functions that debuggers and sanitizers can see. */
#define BINARY_LOOP(name) \
  static void GL_FN(loop_##name) (int64_t n, char *const *p, const int64_t *s, void *ctx) { \
    (void)ctx; \
    const int64_t es = (int64_t)sizeof(GL_T), os = (int64_t)sizeof(GL_OUT); \
    GL_OUT *restrict o = (GL_OUT *)p[0]; \
    const GL_T *a = (const GL_T *)p[1], *b = (const GL_T *)p[2]; \
    if (s[0] == os && s[1] == es && s[2] == es) { \
      for (int64_t i = 0; i < n; i++) o[i] = GL_FN(op_##name)(a[i], b[i]); \
    } else if (s[0] == os && s[1] == es && s[2] == 0) { \
      const GL_T y = b[0]; \
      for (int64_t i = 0; i < n; i++) o[i] = GL_FN(op_##name)(a[i], y); \
    } else if (s[0] == os && s[1] == 0 && s[2] == es) { \
      const GL_T x = a[0]; \
      for (int64_t i = 0; i < n; i++) o[i] = GL_FN(op_##name)(x, b[i]); \
    } else { \
      for (int64_t i = 0; i < n; i++) \
        *(GL_OUT *)(p[0] + i * s[0]) = GL_FN(op_##name)(*(const GL_T *)(p[1] + i * s[1]), \
                                                        *(const GL_T *)(p[2] + i * s[2])); \
    } \
  }

#define UNARY_LOOP(name) \
  static void GL_FN(uloop_##name) (int64_t n, char *const *p, const int64_t *s, void *ctx) { \
    (void)ctx; \
    GL_OUT *restrict o = (GL_OUT *)p[0]; \
    const GL_T *a = (const GL_T *)p[1]; \
    if (s[0] == (int64_t)sizeof(GL_OUT) && s[1] == (int64_t)sizeof(GL_T)) { \
      for (int64_t i = 0; i < n; i++) o[i] = GL_FN(u_##name)(a[i]); \
    } else { \
      for (int64_t i = 0; i < n; i++) \
        *(GL_OUT *)(p[0] + i * s[0]) = GL_FN(u_##name)(*(const GL_T *)(p[1] + i * s[1])); \
    } \
  }

#define FLOAT_BINARY_LOOPS \
  BINARY_LOOP(add) BINARY_LOOP(sub) BINARY_LOOP(mul) BINARY_LOOP(div) BINARY_LOOP(floordiv) \
  BINARY_LOOP(mod) BINARY_LOOP(pow) BINARY_LOOP(maximum) BINARY_LOOP(minimum) \
  BINARY_LOOP(fmax) BINARY_LOOP(fmin) BINARY_LOOP(atan2) BINARY_LOOP(hypot)
#define FLOAT_COMPARE_LOOPS \
  BINARY_LOOP(lt) BINARY_LOOP(le) BINARY_LOOP(gt) BINARY_LOOP(ge) BINARY_LOOP(eq) BINARY_LOOP(ne)
#define FLOAT_UNARY_LOOPS \
  UNARY_LOOP(neg) UNARY_LOOP(abs) UNARY_LOOP(sign) UNARY_LOOP(square) UNARY_LOOP(sqrt) \
  UNARY_LOOP(exp) UNARY_LOOP(exp2) UNARY_LOOP(log) UNARY_LOOP(log10) UNARY_LOOP(log2) \
  UNARY_LOOP(log1p) UNARY_LOOP(expm1) UNARY_LOOP(sin) UNARY_LOOP(cos) UNARY_LOOP(tan) \
  UNARY_LOOP(arcsin) UNARY_LOOP(arccos) UNARY_LOOP(arctan) UNARY_LOOP(sinh) UNARY_LOOP(cosh) \
  UNARY_LOOP(tanh) UNARY_LOOP(floor) UNARY_LOOP(ceil) UNARY_LOOP(round) UNARY_LOOP(trunc) \
  UNARY_LOOP(deg2rad) UNARY_LOOP(rad2deg) UNARY_LOOP(reciprocal) UNARY_LOOP(cbrt)
#define FLOAT_PREDICATE_LOOPS UNARY_LOOP(isnan) UNARY_LOOP(isinf) UNARY_LOOP(isfinite)
#define INT_BINARY_LOOPS \
  BINARY_LOOP(add) BINARY_LOOP(sub) BINARY_LOOP(mul) BINARY_LOOP(floordiv) BINARY_LOOP(mod) \
  BINARY_LOOP(pow) BINARY_LOOP(maximum) BINARY_LOOP(minimum) BINARY_LOOP(and) \
  BINARY_LOOP(or) BINARY_LOOP(xor)
#define INT_COMPARE_LOOPS \
  BINARY_LOOP(lt) BINARY_LOOP(le) BINARY_LOOP(gt) BINARY_LOOP(ge) BINARY_LOOP(eq) BINARY_LOOP(ne)
#define INT_UNARY_LOOPS \
  UNARY_LOOP(neg) UNARY_LOOP(abs) UNARY_LOOP(sign) UNARY_LOOP(square) UNARY_LOOP(not)

#define GL_T double
#define GL_FN(x) x##_f64
#define GL_M(f) f
#include "elementwise_float.inc"
#undef GL_T
#undef GL_FN
#undef GL_M

#define GL_T float
#define GL_FN(x) x##_f32
#define GL_M(fn) fn##f
#include "elementwise_float.inc"
#undef GL_T
#undef GL_FN
#undef GL_M

#define GL_T int64_t
#define GL_UT uint64_t
#define GL_FN(x) x##_i64
#include "elementwise_int.inc"
#undef GL_T
#undef GL_UT
#undef GL_FN

#define GL_T int32_t
#define GL_UT uint32_t
#define GL_FN(x) x##_i32
#include "elementwise_int.inc"
#undef GL_T
#undef GL_UT
#undef GL_FN

#define GL_T uint8_t
#define GL_UT uint8_t
#define GL_FN(x) x##_u8
#include "elementwise_int.inc"
#undef GL_T
#undef GL_UT
#undef GL_FN

int gl_binop_is_compare (gl_binop op) { return op >= GL_OP_LT && op <= GL_OP_NE; }
int gl_unop_is_predicate (gl_unop op) { return op >= GL_OP_ISNAN && op <= GL_OP_ISFINITE; }

gl_loop_fn gl_binary_loop (gl_binop op, gl_dtype t) {
  switch (t) {
    case GL_FLOAT64: return binary_table_f64[op];
    case GL_FLOAT32: return binary_table_f32[op];
    case GL_INT64: return binary_table_i64[op];
    case GL_INT32: return binary_table_i32[op];
    case GL_UINT8: case GL_BOOL: return binary_table_u8[op];  /* bools are bytes 0/1 */
    default: return NULL;
  }
}

gl_loop_fn gl_unary_loop (gl_unop op, gl_dtype t) {
  switch (t) {
    case GL_FLOAT64: return unary_table_f64[op];
    case GL_FLOAT32: return unary_table_f32[op];
    case GL_INT64: return unary_table_i64[op];
    case GL_INT32: return unary_table_i32[op];
    case GL_UINT8: case GL_BOOL: return unary_table_u8[op];
    default: return NULL;
  }
}

#define WHERE_LOOP(name, T) \
  static void name (int64_t n, char *const *p, const int64_t *s, void *ctx) { \
    (void)ctx; \
    for (int64_t i = 0; i < n; i++) \
      *(T *)(p[0] + i * s[0]) = *(const gl_bool *)(p[1] + i * s[1]) \
        ? *(const T *)(p[2] + i * s[2]) : *(const T *)(p[3] + i * s[3]); \
  }
WHERE_LOOP(where1, uint8_t)
WHERE_LOOP(where4, uint32_t)
WHERE_LOOP(where8, uint64_t)

gl_loop_fn gl_where_loop (size_t itemsize) {
  return itemsize == 1 ? where1 : itemsize == 4 ? where4 : where8;
}
