/* elementwise.c: instantiates the elementwise loops once per dtype. Each loop
 * has a contiguous fast path (and one for a scalar operand) that the compiler
 * vectorises, and a strided fallback. */
#include "gl_complex.h"
#include <math.h>
#include "elementwise.h"

/* Unsigned instantiations compare against zero on purpose (one body for all). */
#pragma GCC diagnostic ignored "-Wtype-limits"

/* The loop bodies are elementwise_loops.inc, included once per dtype: inline
 * drivers that take the operation as a function and are specialised by the
 * compiler (always_inline with a constant function argument), so every loop
 * keeps its contiguous and scalar fast paths, and a debugger or sanitizer
 * points at the real lines. The per-operation functions are one line each. */
#define GL_INLINE static inline __attribute__((always_inline))

/* loop_<name> / uloop_<name>: a driver of elementwise_loops.inc applied to
 * op_<name> / u_<name>. The macros paste names only; no code passes through. */
#define GL_BINARY(drv, name) \
  static void GL_FN(loop_##name) (int64_t n, char *const *p, const int64_t *s, void *ctx) { \
    (void)ctx; GL_FN(drv)(n, p, s, GL_FN(op_##name)); }
#define GL_UNARY(drv, name) \
  static void GL_FN(uloop_##name) (int64_t n, char *const *p, const int64_t *s, void *ctx) { \
    (void)ctx; GL_FN(drv)(n, p, s, GL_FN(u_##name)); }

#define FLOAT_BINARY_LOOPS \
  GL_BINARY(bin, add) GL_BINARY(bin, sub) GL_BINARY(bin, mul) GL_BINARY(bin, div) GL_BINARY(bin, floordiv) \
  GL_BINARY(bin, mod) GL_BINARY(bin, pow) GL_BINARY(bin, maximum) GL_BINARY(bin, minimum) \
  GL_BINARY(bin, fmax) GL_BINARY(bin, fmin) GL_BINARY(bin, atan2) GL_BINARY(bin, hypot) GL_BINARY(bin, fmod)
#define FLOAT_COMPARE_LOOPS \
  GL_BINARY(cmp, lt) GL_BINARY(cmp, le) GL_BINARY(cmp, gt) GL_BINARY(cmp, ge) GL_BINARY(cmp, eq) GL_BINARY(cmp, ne)
#define FLOAT_UNARY_LOOPS \
  GL_UNARY(un, neg) GL_UNARY(un, abs) GL_UNARY(un, sign) GL_UNARY(un, square) GL_UNARY(un, sqrt) \
  GL_UNARY(un, exp) GL_UNARY(un, exp2) GL_UNARY(un, log) GL_UNARY(un, log10) GL_UNARY(un, log2) \
  GL_UNARY(un, log1p) GL_UNARY(un, expm1) GL_UNARY(un, sin) GL_UNARY(un, cos) GL_UNARY(un, tan) \
  GL_UNARY(un, arcsin) GL_UNARY(un, arccos) GL_UNARY(un, arctan) GL_UNARY(un, sinh) GL_UNARY(un, cosh) \
  GL_UNARY(un, tanh) GL_UNARY(un, floor) GL_UNARY(un, ceil) GL_UNARY(un, round) GL_UNARY(un, trunc) \
  GL_UNARY(un, deg2rad) GL_UNARY(un, rad2deg) GL_UNARY(un, reciprocal) GL_UNARY(un, cbrt)
#define FLOAT_PREDICATE_LOOPS GL_UNARY(pred, isnan) GL_UNARY(pred, isinf) GL_UNARY(pred, isfinite)
#define INT_BINARY_LOOPS \
  GL_BINARY(bin, add) GL_BINARY(bin, sub) GL_BINARY(bin, mul) GL_BINARY(bin, floordiv) GL_BINARY(bin, mod) \
  GL_BINARY(bin, pow) GL_BINARY(bin, maximum) GL_BINARY(bin, minimum) GL_BINARY(bin, and) \
  GL_BINARY(bin, or) GL_BINARY(bin, xor) GL_BINARY(bin, fmod)
#define INT_COMPARE_LOOPS \
  GL_BINARY(cmp, lt) GL_BINARY(cmp, le) GL_BINARY(cmp, gt) GL_BINARY(cmp, ge) GL_BINARY(cmp, eq) GL_BINARY(cmp, ne)
#define INT_UNARY_LOOPS \
  GL_UNARY(un, neg) GL_UNARY(un, abs) GL_UNARY(un, sign) GL_UNARY(un, square) GL_UNARY(un, not)

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

#define GL_T gl_c128
#define GL_R double
#define GL_FN(x) x##_c128
#define GL_M(f) f
#define GL_MR(f) f
#include "elementwise_complex.inc"
#undef GL_T
#undef GL_R
#undef GL_FN
#undef GL_M
#undef GL_MR

#define GL_T gl_c64
#define GL_R float
#define GL_FN(x) x##_c64
#define GL_M(fn) fn##f
#define GL_MR(fn) fn##f
#include "elementwise_complex.inc"
#undef GL_T
#undef GL_R
#undef GL_FN
#undef GL_M
#undef GL_MR

gl_loop_fn gl_complex_part_loop (gl_cxpart which, gl_dtype t) {
  if (t == GL_COMPLEX128) return part_table_c128[which];
  if (t == GL_COMPLEX64) return part_table_c64[which];
  return NULL;
}

int gl_binop_is_compare (gl_binop op) { return op >= GL_OP_LT && op <= GL_OP_NE; }
int gl_unop_is_predicate (gl_unop op) { return op >= GL_OP_ISNAN && op <= GL_OP_ISFINITE; }

gl_loop_fn gl_binary_loop (gl_binop op, gl_dtype t) {
  switch (t) {
    case GL_COMPLEX128: return binary_table_c128[op];
    case GL_COMPLEX64: return binary_table_c64[op];
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
    case GL_COMPLEX128: return unary_table_c128[op];
    case GL_COMPLEX64: return unary_table_c64[op];
    case GL_FLOAT64: return unary_table_f64[op];
    case GL_FLOAT32: return unary_table_f32[op];
    case GL_INT64: return unary_table_i64[op];
    case GL_INT32: return unary_table_i32[op];
    case GL_UINT8: case GL_BOOL: return unary_table_u8[op];
    default: return NULL;
  }
}

/* where(cond, x, y): values are moved as bytes of their width. */
#define GL_T uint8_t
#define GL_FN(x) x##_1
#include "elementwise_where.inc"
#undef GL_T
#undef GL_FN
#define GL_T uint32_t
#define GL_FN(x) x##_4
#include "elementwise_where.inc"
#undef GL_T
#undef GL_FN
#define GL_T uint64_t
#define GL_FN(x) x##_8
#include "elementwise_where.inc"
#undef GL_T
#undef GL_FN

#define GL_T gl_c128
#define GL_FN(x) x##_16
#include "elementwise_where.inc"
#undef GL_T
#undef GL_FN

gl_loop_fn gl_where_loop (size_t itemsize) {
  return itemsize == 1 ? where_1 : itemsize == 4 ? where_4 : itemsize == 8 ? where_8 : where_16;
}
