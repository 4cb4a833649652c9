/* elementwise.h: typed inner loops for elementwise arithmetic, comparisons and
 * math, run by the iterator (operand 0 = output, 1.. = inputs). The binding
 * picks the computation dtype; a NULL loop means "not defined for that dtype". */
#ifndef GL_ELEMENTWISE_H
#define GL_ELEMENTWISE_H
#include "iter.h"

typedef enum gl_binop {
  GL_OP_ADD, GL_OP_SUB, GL_OP_MUL, GL_OP_DIV, GL_OP_FLOORDIV, GL_OP_MOD, GL_OP_POW,
  GL_OP_MAXIMUM, GL_OP_MINIMUM, GL_OP_FMAX, GL_OP_FMIN, GL_OP_ATAN2, GL_OP_HYPOT,
  GL_OP_LT, GL_OP_LE, GL_OP_GT, GL_OP_GE, GL_OP_EQ, GL_OP_NE,   /* bool output */
  GL_OP_AND, GL_OP_OR, GL_OP_XOR,                              /* bitwise (logical on bool) */
  GL_OP_FMOD,                                                  /* C fmod: sign of the dividend */
  GL_NBINOP
} gl_binop;

typedef enum gl_unop {
  GL_OP_NEG, GL_OP_ABS, GL_OP_SIGN, GL_OP_SQUARE,               /* ints and floats */
  GL_OP_SQRT, GL_OP_EXP, GL_OP_EXP2, GL_OP_LOG, GL_OP_LOG10, GL_OP_LOG2, GL_OP_LOG1P,
  GL_OP_EXPM1, GL_OP_SIN, GL_OP_COS, GL_OP_TAN, GL_OP_ARCSIN, GL_OP_ARCCOS,
  GL_OP_ARCTAN, GL_OP_SINH, GL_OP_COSH, GL_OP_TANH, GL_OP_FLOOR, GL_OP_CEIL,
  GL_OP_ROUND, GL_OP_TRUNC, GL_OP_DEG2RAD, GL_OP_RAD2DEG, GL_OP_RECIPROCAL,
  GL_OP_CBRT,                                                   /* floats only */
  GL_OP_ISNAN, GL_OP_ISINF, GL_OP_ISFINITE,                     /* bool output, floats */
  GL_OP_NOT,                                                    /* bool/uint8 */
  GL_OP_CONJ,                                                   /* complex only */
  GL_NUNOP
} gl_unop;

/* 1 for ops whose output is bool. */
int gl_binop_is_compare(gl_binop op);
int gl_unop_is_predicate(gl_unop op);

/* Loops over (out, a, b) of computation dtype t; compare ops write gl_bool. */
gl_loop_fn gl_binary_loop(gl_binop op, gl_dtype t);
/* Loops over (out, a) of dtype t; predicates write gl_bool. */
gl_loop_fn gl_unary_loop(gl_unop op, gl_dtype t);
/* complex -> real loops (operands out, in): abs (hypot), angle (radians), parts. */
typedef enum gl_cxpart { GL_CX_ABS, GL_CX_ANGLE, GL_CX_REAL, GL_CX_IMAG, GL_NCXPART } gl_cxpart;
gl_loop_fn gl_complex_part_loop(gl_cxpart which, gl_dtype t);

/* where(cond, x, y) for elements of `itemsize` bytes: operands (out, cond, x, y). */
gl_loop_fn gl_where_loop(size_t itemsize);   /* 1, 4, 8 or 16 */

#endif
