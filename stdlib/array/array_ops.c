/* array_ops.c: elementwise arithmetic, comparisons and math with NumPy
 * broadcasting and type promotion; the operator metamethods. Lua numbers are
 * "weak" scalars (NEP 50): an integer keeps an integer array's dtype, a float
 * keeps a float array's dtype. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "elementwise.h"
#include "iter.h"
#include "cast.h"

/* Elements below which threads cost more than they save. Cheap ops (add,
 * compare, abs...) are bound by memory bandwidth, which a second thread on
 * the same socket does not add to (measured: a*b+c on 10^7 doubles is no
 * faster with 2 threads), so they run serially; transcendental ops scale. */
#define GRAIN (1 << 15)
#define SERIAL 0

/* The dtype an operand contributes to promotion. */
static int operand_dtype (lua_State *L, int idx, int *weak) {
  gl_array *a = gl_array_test(L, idx);
  *weak = 0;
  if (a) return a->dtype;
  if (lua_type(L, idx) == LUA_TNUMBER) { *weak = 1; return lua_isinteger(L, idx) ? GL_INT64 : GL_FLOAT64; }
  if (lua_isboolean(L, idx)) { *weak = 1; return GL_BOOL; }
  if (luaL_testudata(L, idx, GL_COMPLEX_MT)) { *weak = 1; return GL_COMPLEX128; }
  return -1;  /* a table or other value: converted with inferred dtype */
}

/* A weak scalar of dtype w (int64, float64, complex128 or bool) with an array
 * of dtype t: only the scalar's kind matters, as NumPy 1.24 decides for
 * Python scalars (a complex scalar makes float32 complex64, other real
 * dtypes complex128). */
static gl_dtype weak_promote (gl_dtype w, gl_dtype t) {
  if (gl_dtype_is_complex(t)) return t;
  if (gl_dtype_is_complex(w)) return gl_dtype_to_complex(t);
  if (gl_dtype_is_float(w) && !gl_dtype_is_float(t)) return GL_FLOAT64;
  if (w == GL_INT64 && t == GL_BOOL) return GL_INT64;
  return t;
}

static gl_dtype result_dtype (lua_State *L, int ai, int bi, const char *fname) {
  int wa, wb;
  int ta = operand_dtype(L, ai, &wa), tb = operand_dtype(L, bi, &wb);
  if (ta < 0) ta = gl_array_arg(L, ai, -1, fname)->dtype;
  if (tb < 0) tb = gl_array_arg(L, bi, -1, fname)->dtype;
  if (wa && !wb) return weak_promote((gl_dtype)ta, (gl_dtype)tb);
  if (wb && !wa) return weak_promote((gl_dtype)tb, (gl_dtype)ta);
  return gl_dtype_promote((gl_dtype)ta, (gl_dtype)tb);
}

static void shape_error (lua_State *L, const char *fname, int nop, gl_array **ops) {
  char buf[512];
  int nd[4];
  const int64_t *sh[4];
  for (int k = 0; k < nop; k++) { nd[k] = ops[k]->ndim; sh[k] = ops[k]->shape; }
  gl_broadcast_error(buf, sizeof buf, nop, nd, sh);
  gl_error(L, fname, "%s", buf);
}

/* The byte range [lo, hi) an array's elements span. */
static void span (const gl_array *a, const char **lo, const char **hi) {
  int64_t mn = 0, mx = 0;
  size_t isz = gl_dtype_size(a->dtype);
  for (int d = 0; d < a->ndim; d++) {
    if (a->shape[d] == 0) { *lo = *hi = a->data; return; }
    int64_t e = (a->shape[d] - 1) * a->strides[d];
    if (e < 0) mn += e; else mx += e;
  }
  *lo = a->data + mn * (int64_t)isz;
  *hi = a->data + (mx + 1) * (int64_t)isz;
}

/* Can the result (dtype t, shape ndim/shape) be written straight into dst
 * (NumPy's out=)? Its dtype and shape must be the result's, and every input
 * must either not overlap it or be exactly it (an elementwise loop reads each
 * element before writing it), so that np.divide(a, 255, {out = a}) works in
 * place without a temporary as large as a. */
static int direct_out (const gl_array *dst, gl_dtype t, int ndim, const int64_t *shape, int nin,
                       gl_array **in) {
  if (dst == NULL || dst->dtype != t || dst->ndim != ndim) return 0;
  for (int d = 0; d < ndim; d++) if (dst->shape[d] != shape[d]) return 0;
  const char *dlo, *dhi;
  span(dst, &dlo, &dhi);
  for (int k = 0; k < nin; k++) {
    const char *lo, *hi;
    span(in[k], &lo, &hi);
    if (hi <= dlo || lo >= dhi) continue;
    if (in[k]->data != dst->data || in[k]->ndim != ndim) return 0;
    for (int d = 0; d < ndim; d++)
      if (in[k]->shape[d] != shape[d] || in[k]->strides[d] != dst->strides[d]) return 0;
  }
  return 1;
}

/* Runs loop over nin inputs (already of their computation dtype, at stack
 * indices in[]) into a new array of dtype out_t, or into the array at stack
 * index outi when it can take the result directly (outi 0: none); pushes
 * the result. */
static gl_array *run_loop_into (lua_State *L, const char *fname, gl_loop_fn loop, gl_dtype out_t,
                                int nin, gl_array **in, int64_t grain, int outi) {
  int nd[GL_ITER_MAXOP], ndim;
  const int64_t *sh[GL_ITER_MAXOP], *st[GL_ITER_MAXOP];
  size_t isz[GL_ITER_MAXOP];
  int64_t shape[GL_MAXDIMS];
  for (int k = 0; k < nin; k++) nd[k] = in[k]->ndim, sh[k] = in[k]->shape;
  if (gl_broadcast_shapes(nin, nd, sh, &ndim, shape)) shape_error(L, fname, nin, in);
  gl_array *out, *dst = outi ? gl_array_test(L, outi) : NULL;
  if (direct_out(dst, out_t, ndim, shape, nin, in)) { lua_pushvalue(L, outi); out = dst; }
  else out = gl_array_push(L, out_t, ndim, shape);
  nd[0] = out->ndim; sh[0] = out->shape; st[0] = out->strides; isz[0] = gl_dtype_size(out_t);
  char *base[GL_ITER_MAXOP];
  base[0] = out->data;
  for (int k = 0; k < nin; k++) {
    nd[k + 1] = in[k]->ndim; sh[k + 1] = in[k]->shape; st[k + 1] = in[k]->strides;
    isz[k + 1] = gl_dtype_size(in[k]->dtype);
    base[k + 1] = in[k]->data;
  }
  gl_iter it;
  if (gl_iter_init(&it, ndim, shape, nin + 1, nd, sh, st, isz)) shape_error(L, fname, nin, in);
  int rc = gl_iter_run(&it, base, loop, NULL, grain);
  if (rc) gl_kernel_error(L, fname, rc);
  return out;
}

static gl_array *run_loop (lua_State *L, const char *fname, gl_loop_fn loop, gl_dtype out_t,
                           int nin, gl_array **in, int64_t grain) {
  return run_loop_into(L, fname, loop, out_t, nin, in, grain, 0);
}

/* Computes op(a, b) for the values at stack indices ai, bi; pushes the
 * result: the array at outi when it can take it directly (0: a new array). */
static int binop_into (lua_State *L, gl_binop op, int ai, int bi, const char *fname, int outi) {
  ai = lua_absindex(L, ai); bi = lua_absindex(L, bi);
  luaL_checkany(L, ai); luaL_checkany(L, bi);
  gl_dtype ct = result_dtype(L, ai, bi, fname);
  int is_float_op = op == GL_OP_DIV || op == GL_OP_ATAN2 || op == GL_OP_HYPOT ||
                    op == GL_OP_FMAX || op == GL_OP_FMIN;
  if (ct == GL_BOOL && !gl_binop_is_compare(op) && op != GL_OP_AND && op != GL_OP_OR &&
      op != GL_OP_XOR && op != GL_OP_MAXIMUM && op != GL_OP_MINIMUM) ct = GL_INT64;
  if (is_float_op && !gl_dtype_is_float(ct) && !gl_dtype_is_complex(ct)) ct = GL_FLOAT64;
  if (op == GL_OP_POW && (ct == GL_FLOAT64 || ct == GL_FLOAT32) && lua_type(L, bi) == LUA_TNUMBER &&
      lua_tonumber(L, bi) == 2.0 && gl_array_test(L, ai)) {
    /* NumPy's fast_scalar_power: a float array to the scalar 2 is np.square,
     * x * x (pow(x, 2) may round differently in the last bit, and is slower) */
    gl_array *in[1];
    lua_pushvalue(L, ai);
    in[0] = gl_array_arg(L, -1, ct, fname);
    run_loop(L, fname, gl_unary_loop(GL_OP_SQUARE, ct), ct, 1, in, SERIAL);
    return 1;
  }
  gl_loop_fn loop = gl_binary_loop(op, ct);
  if (!loop && gl_dtype_is_complex(ct) && op >= GL_OP_LT && op <= GL_OP_GE)
    return gl_error(L, fname, "complex numbers are not ordered (compare np.abs(a) or np.real(a))");
  if (!loop && gl_dtype_is_complex(ct))
    return gl_error(L, fname, "not supported for complex arrays");
  if (!loop) return gl_error(L, fname, "not supported for dtype %s", gl_dtype_name(ct));
  gl_array *in[2];
  lua_pushvalue(L, ai);
  in[0] = gl_array_arg(L, -1, ct, fname);
  lua_pushvalue(L, bi);
  in[1] = gl_array_arg(L, -1, ct, fname);
  if (op == GL_OP_POW && gl_dtype_is_int(ct) && ct != GL_UINT8)  /* NumPy raises, not 0 */
    for (int64_t i = 0; i < in[1]->size; i++)
      if (gl_load_i64(ct, gl_array_elem_ptr(in[1], i)) < 0)
        return gl_error(L, fname, "integers to negative integer powers are not allowed "
                        "(use a float base: np.power(a:astype(\"float64\"), b) or a ^ -1.0)");
  int costly = op == GL_OP_POW || op == GL_OP_MOD || op == GL_OP_FMOD || op == GL_OP_FLOORDIV || op == GL_OP_ATAN2 ||
               op == GL_OP_HYPOT;
  run_loop_into(L, fname, loop, gl_binop_is_compare(op) ? GL_BOOL : ct, 2, in, costly ? GRAIN : SERIAL, outi);
  return 1;
}

static int binop (lua_State *L, gl_binop op, int ai, int bi, const char *fname) {
  return binop_into(L, op, ai, bi, fname, 0);
}

int gl_array_binop (lua_State *L, int op, int ai, int bi, const char *fname) {
  return binop(L, (gl_binop)op, ai, bi, fname);
}

/* A complex -> real loop (abs, angle, real, imag) over the array at ai. */
static int part (lua_State *L, gl_cxpart which, int ai, const char *fname) {
  gl_array *in[1];
  in[0] = gl_array_arg(L, ai, -1, fname);
  run_loop(L, fname, gl_complex_part_loop(which, in[0]->dtype), gl_dtype_real(in[0]->dtype), 1, in, SERIAL);
  return 1;
}

/* Computes op(a) for the value at ai; ints go to float64 for float-only ops. */
static int unop (lua_State *L, gl_unop op, int ai, const char *fname) {
  luaL_checkany(L, ai);
  gl_array *a = gl_array_arg(L, ai, -1, fname);
  gl_dtype ct = a->dtype;
  if (gl_dtype_is_complex(ct)) {
    if (op == GL_OP_ABS) return part(L, GL_CX_ABS, ai, fname);
    if (!gl_unary_loop(op, ct)) return gl_error(L, fname, "not supported for complex arrays");
  } else if (op == GL_OP_CONJ) {   /* the conjugate of a real array is a copy of it */
    gl_array_push_copy(L, a, a->dtype);
    return 1;
  }
  if (op == GL_OP_NOT) ct = GL_BOOL;
  else if (!gl_unary_loop(op, ct) || (ct == GL_BOOL && op != GL_OP_NOT)) {
    if (gl_unop_is_predicate(op)) {
      /* integers are never NaN or infinite */
      gl_array *r = gl_array_push(L, GL_BOOL, a->ndim, a->shape);
      memset(r->data, op == GL_OP_ISFINITE, (size_t)r->size);
      return 1;
    }
    ct = (op <= GL_OP_SQUARE) ? GL_INT64 : GL_FLOAT64;
  }
  gl_array *in[1];
  lua_pushvalue(L, ai);
  in[0] = gl_array_arg(L, -1, ct, fname);
  int costly = op >= GL_OP_SQRT && op <= GL_OP_TANH;
  run_loop(L, fname, gl_unary_loop(op, ct), gl_unop_is_predicate(op) || op == GL_OP_NOT ? GL_BOOL : ct, 1, in,
           costly ? GRAIN : SERIAL);
  return 1;
}

/* {=====================================================================
 * Functions and methods
 * ====================================================================== */

static int kind (gl_dtype t) {
  return t == GL_BOOL ? 0 : t == GL_UINT8 ? 1 : gl_dtype_is_complex(t) ? 4 : gl_dtype_is_float(t) ? 3 : 2;
}

/* The ufunc options after the operands (NumPy's out=): the result on top of
 * the stack is written into out (broadcast to its shape, cast under NumPy's
 * 'same_kind' rule) and out is returned, so that np.add(a, b, {out=a})
 * updates a as in NumPy instead of being ignored. */
static const char *const ufunc_out_allowed[] = {"out", NULL};
static int ufunc_out (lua_State *L, int optidx, const char *fname) {
  static const char *const *const allowed = ufunc_out_allowed;
  if (!lua_istable(L, optidx))
    return gl_error(L, fname, "argument %d must be an options table such as {out=array}, got %s",
                    optidx, luaL_typename(L, optidx));
  gl_check_options(L, optidx, fname, allowed);
  lua_getfield(L, optidx, "out");
  if (lua_isnil(L, -1)) { lua_pop(L, 1); return 1; }
  gl_array *out = gl_array_test(L, -1);
  if (!out) return gl_error(L, fname, "out must be an array, got %s", luaL_typename(L, -1));
  gl_array *r = gl_array_arg(L, -2, -1, fname);
  if (kind(r->dtype) > kind(out->dtype))
    return gl_error(L, fname, "cannot cast the %s result to the %s out array (casting rule 'same_kind', as NumPy)",
                    gl_dtype_name(r->dtype), gl_dtype_name(out->dtype));
  if (gl_array_assign(out, r)) {
    char s1[128], s2[128];
    return gl_error(L, fname, "result of shape %s does not fit out of shape %s",
                    gl_shape_str(s1, sizeof s1, r->ndim, r->shape), gl_shape_str(s2, sizeof s2, out->ndim, out->shape));
  }
  return 1;
}

/* given(L, i): an argument at i was passed (the operations push temporaries
 * above the arguments, so test before computing). */
#define given(L, i) (lua_gettop(L) >= (i) && !lua_isnil(L, (i)))
/* The out= array's stack index (pushed), or 0 when there is none. */
static int out_index (lua_State *L, int optidx) {
  if (!lua_istable(L, optidx)) return 0;
  lua_getfield(L, optidx, "out");
  if (gl_array_test(L, -1)) return lua_gettop(L);
  lua_pop(L, 1);
  return 0;
}
#define BIN(fn, op, name) static int fn (lua_State *L) { \
    int opts = given(L, 3), outi = opts ? out_index(L, 3) : 0; \
    binop_into(L, op, 1, 2, name, outi); \
    if (outi && lua_rawequal(L, -1, outi)) { gl_check_options(L, 3, name, ufunc_out_allowed); return 1; } \
    return opts ? ufunc_out(L, 3, name) : 1; }
BIN(f_add, GL_OP_ADD, "np.add")
BIN(f_sub, GL_OP_SUB, "np.subtract")
BIN(f_mul, GL_OP_MUL, "np.multiply")
BIN(f_div, GL_OP_DIV, "np.divide")
BIN(f_floordiv, GL_OP_FLOORDIV, "np.floor_divide")
BIN(f_mod, GL_OP_MOD, "np.mod")
BIN(f_fmod, GL_OP_FMOD, "np.fmod")
BIN(f_pow, GL_OP_POW, "np.power")
BIN(f_maximum, GL_OP_MAXIMUM, "np.maximum")
BIN(f_minimum, GL_OP_MINIMUM, "np.minimum")
BIN(f_fmax, GL_OP_FMAX, "np.fmax")
BIN(f_fmin, GL_OP_FMIN, "np.fmin")
BIN(f_atan2, GL_OP_ATAN2, "np.arctan2")
BIN(f_hypot, GL_OP_HYPOT, "np.hypot")
BIN(f_lt, GL_OP_LT, "lt")
BIN(f_le, GL_OP_LE, "le")
BIN(f_gt, GL_OP_GT, "gt")
BIN(f_ge, GL_OP_GE, "ge")
BIN(f_eq, GL_OP_EQ, "eq")
BIN(f_ne, GL_OP_NE, "ne")
BIN(f_band, GL_OP_AND, "np.bitwise_and")
BIN(f_bor, GL_OP_OR, "np.bitwise_or")
BIN(f_bxor, GL_OP_XOR, "np.bitwise_xor")
#undef BIN

#define UN(fn, op, name) static int fn (lua_State *L) { \
    int opts = given(L, 2); unop(L, op, 1, name); return opts ? ufunc_out(L, 2, name) : 1; }
UN(f_neg, GL_OP_NEG, "np.negative")
UN(f_abs, GL_OP_ABS, "np.abs")
UN(f_sign, GL_OP_SIGN, "np.sign")
UN(f_square, GL_OP_SQUARE, "np.square")
UN(f_sqrt, GL_OP_SQRT, "np.sqrt")
UN(f_exp, GL_OP_EXP, "np.exp")
UN(f_exp2, GL_OP_EXP2, "np.exp2")
UN(f_log, GL_OP_LOG, "np.log")
UN(f_log10, GL_OP_LOG10, "np.log10")
UN(f_log2, GL_OP_LOG2, "np.log2")
UN(f_log1p, GL_OP_LOG1P, "np.log1p")
UN(f_expm1, GL_OP_EXPM1, "np.expm1")
UN(f_sin, GL_OP_SIN, "np.sin")
UN(f_cos, GL_OP_COS, "np.cos")
UN(f_tan, GL_OP_TAN, "np.tan")
UN(f_arcsin, GL_OP_ARCSIN, "np.arcsin")
UN(f_arccos, GL_OP_ARCCOS, "np.arccos")
UN(f_arctan, GL_OP_ARCTAN, "np.arctan")
UN(f_sinh, GL_OP_SINH, "np.sinh")
UN(f_cosh, GL_OP_COSH, "np.cosh")
UN(f_tanh, GL_OP_TANH, "np.tanh")
UN(f_floor, GL_OP_FLOOR, "np.floor")
UN(f_ceil, GL_OP_CEIL, "np.ceil")
UN(f_trunc, GL_OP_TRUNC, "np.trunc")
UN(f_deg2rad, GL_OP_DEG2RAD, "np.deg2rad")
UN(f_rad2deg, GL_OP_RAD2DEG, "np.rad2deg")
UN(f_reciprocal, GL_OP_RECIPROCAL, "np.reciprocal")
UN(f_cbrt, GL_OP_CBRT, "np.cbrt")
UN(f_isnan, GL_OP_ISNAN, "np.isnan")
UN(f_isinf, GL_OP_ISINF, "np.isinf")
UN(f_isfinite, GL_OP_ISFINITE, "np.isfinite")
UN(f_not, GL_OP_NOT, "np.logical_not")
UN(f_conj, GL_OP_CONJ, "np.conj")
#undef UN

/* real(a), imag(a): for complex arrays new arrays of the parts (the
 * .real/.imag fields are the views); for real arrays a copy and zeros. */
static int f_real (lua_State *L) {
  luaL_checkany(L, 1);
  gl_array *a = gl_array_arg(L, 1, -1, "np.real");
  if (gl_dtype_is_complex(a->dtype)) return part(L, GL_CX_REAL, 1, "np.real");
  gl_array_push_copy(L, a, a->dtype);
  return 1;
}

static int f_imag (lua_State *L) {
  luaL_checkany(L, 1);
  gl_array *a = gl_array_arg(L, 1, -1, "np.imag");
  if (gl_dtype_is_complex(a->dtype)) return part(L, GL_CX_IMAG, 1, "np.imag");
  gl_array_push_zeros(L, a->dtype, a->ndim, a->shape);
  return 1;
}

/* angle(z[, deg]) or angle(z, {deg=true}): atan2(imag, real), float64 for
 * real input as NumPy. */
static int f_angle (lua_State *L) {
  static const char *const allowed[] = {"deg", NULL};
  luaL_checkany(L, 1);
  int deg = 0;
  if (lua_istable(L, 2)) {
    gl_check_options(L, 2, "np.angle", allowed);
    deg = gl_opt_boolean(L, 2, "deg", 0, "np.angle");
  } else if (!lua_isnoneornil(L, 2)) {
    if (!lua_isboolean(L, 2)) return gl_error(L, "np.angle", "deg must be a boolean, got %s", luaL_typename(L, 2));
    deg = lua_toboolean(L, 2);
  }
  lua_settop(L, 1);
  gl_array *a = gl_array_arg(L, 1, -1, "np.angle");
  if (!gl_dtype_is_complex(a->dtype)) gl_array_arg(L, 1, gl_dtype_to_complex(a->dtype == GL_FLOAT32 ? GL_FLOAT32 : GL_FLOAT64), "np.angle");
  part(L, GL_CX_ANGLE, 1, "np.angle");
  if (deg) unop(L, GL_OP_RAD2DEG, 2, "np.angle");
  return 1;
}

/* Pushes exactly one value, op(stack[ai], stack[bi] or the integer k when
 * bi is 0), whatever binop left on the stack meanwhile. */
static void round_step (lua_State *L, gl_binop op, int ai, int bi, lua_Integer k) {
  int top = lua_gettop(L);
  if (!bi) { lua_pushinteger(L, k); bi = top + 1; }
  binop(L, op, ai, bi, "np.round");
  lua_replace(L, top + 1);
  lua_settop(L, top + 1);
}

/* round(a, decimals): half to even like NumPy, scaled by 10^decimals.
 * Integers keep their dtype: unchanged (a copy) for decimals >= 0, and for
 * decimals < 0 rounded half to even to a multiple of 10^-decimals in exact
 * integer arithmetic (NumPy goes through float64, which agrees below 2^53).
 * Bools round as float64, as in NumPy. */
static int f_round (lua_State *L) {
  lua_Integer dec = luaL_optinteger(L, 2, 0);
  gl_array *a = gl_array_arg(L, 1, -1, "np.round");
  if (gl_dtype_is_complex(a->dtype)) return gl_error(L, "np.round", "not supported for complex arrays");
  if (a->dtype == GL_BOOL) a = gl_array_arg(L, 1, GL_FLOAT64, "np.round");
  lua_settop(L, 1);  /* gl_array_arg left the converted array at 1 */
  if (gl_dtype_is_float(a->dtype)) {
    if (dec == 0) return unop(L, GL_OP_ROUND, 1, "np.round");
    double scale = pow(10.0, (double)dec);
    lua_pushnumber(L, scale);
    binop(L, GL_OP_MUL, 1, -1, "np.round");
    unop(L, GL_OP_ROUND, lua_gettop(L), "np.round");
    lua_pushnumber(L, scale);
    return binop(L, GL_OP_DIV, -2, -1, "np.round");
  }
  if (dec >= 0) { lua_pushinteger(L, 0); return binop(L, GL_OP_ADD, 1, 2, "np.round"); }
  int maxk = a->dtype == GL_UINT8 ? 2 : a->dtype == GL_INT32 ? 9 : 18;
  lua_Integer p = 1;
  if (-dec > maxk) p = 0;  /* every |x| < 10^k / 2: all zeros */
  else for (lua_Integer k = 0; k < -dec; k++) p *= 10;
  if (p == 0) { lua_pushinteger(L, 0); return binop(L, GL_OP_MUL, 1, 2, "np.round"); }
  /* q = a // p, r = a % p (0 <= r < p); q + 1 when r > p/2, or r == p/2 and q odd */
  round_step(L, GL_OP_FLOORDIV, 1, 0, p);    /* 2: q */
  round_step(L, GL_OP_MOD, 1, 0, p);         /* 3: r */
  round_step(L, GL_OP_GT, 3, 0, p / 2);      /* 4: r > p/2 */
  round_step(L, GL_OP_EQ, 3, 0, p / 2);      /* 5: r == p/2 */
  round_step(L, GL_OP_MOD, 2, 0, 2);         /* 6: q % 2 */
  round_step(L, GL_OP_EQ, 6, 0, 1);          /* 7: q odd */
  round_step(L, GL_OP_AND, 5, 7, 0);         /* 8: a tie with q odd */
  round_step(L, GL_OP_OR, 4, 8, 0);          /* 9: round up */
  round_step(L, GL_OP_ADD, 2, 9, 0);         /* 10: q + up */
  round_step(L, GL_OP_MUL, 10, 0, p);        /* 11 */
  return 1;
}

static int logical (lua_State *L, gl_binop op, const char *fname) {
  gl_array *a = gl_array_arg(L, 1, GL_BOOL, fname);
  gl_array *b = gl_array_arg(L, 2, GL_BOOL, fname);
  gl_array *in[2] = {a, b};
  run_loop(L, fname, gl_binary_loop(op, GL_BOOL), GL_BOOL, 2, in, SERIAL);
  return 1;
}
static int f_land (lua_State *L) { return logical(L, GL_OP_AND, "np.logical_and"); }
static int f_lor (lua_State *L) { return logical(L, GL_OP_OR, "np.logical_or"); }
static int f_lxor (lua_State *L) { return logical(L, GL_OP_XOR, "np.logical_xor"); }

/* where(cond, x, y) chooses elementwise; where(cond) is nonzero (array_reduce). */
static int f_where (lua_State *L) {
  if (lua_gettop(L) == 1) {  /* the one-argument form is nonzero */
    gl_array_arg(L, 1, GL_BOOL, "np.where");
    luaL_getmetatable(L, GL_ARRAY_MT);
    lua_getfield(L, -1, "__methods");
    if (lua_getfield(L, -1, "nonzero") == LUA_TNIL) return gl_error(L, "np.where", "nonzero is not available");
    lua_pushvalue(L, 1);
    lua_call(L, 1, LUA_MULTRET);
    return lua_gettop(L) - 3;
  }
  luaL_checkany(L, 3);
  gl_dtype t = result_dtype(L, 2, 3, "np.where");
  gl_array *in[3];
  in[0] = gl_array_arg(L, 1, GL_BOOL, "np.where");
  in[1] = gl_array_arg(L, 2, t, "np.where");
  in[2] = gl_array_arg(L, 3, t, "np.where");
  run_loop(L, "np.where", gl_where_loop(gl_dtype_size(t)), t, 3, in, SERIAL);
  return 1;
}

/* clip(a, lo, hi): either bound may be nil. */
static int f_clip (lua_State *L) {
  luaL_checkany(L, 1);
  lua_settop(L, 3);
  if (lua_isnil(L, 2) && lua_isnil(L, 3)) return gl_error(L, "np.clip", "one of a_min and a_max must be given");
  lua_pushvalue(L, 1);  /* 4: the running result */
  if (!lua_isnil(L, 2)) { binop(L, GL_OP_MAXIMUM, 4, 2, "np.clip"); lua_replace(L, 4); }
  if (!lua_isnil(L, 3)) { binop(L, GL_OP_MINIMUM, 4, 3, "np.clip"); lua_replace(L, 4); }
  lua_settop(L, 4);
  return 1;
}

/* isclose of complex values, NumPy's formula with the complex modulus:
 * |a - b| <= atol + rtol * |b|; NaN in either part is NaN, inf compares equal
 * only to the same inf. Arguments at 1, 2 are arrays already. */
static gl_array *isclose_complex (lua_State *L, const char *fname, double rtol, double atol, int equal_nan) {
  gl_array *a = gl_array_arg(L, 1, GL_COMPLEX128, fname);
  gl_array *b = gl_array_arg(L, 2, GL_COMPLEX128, fname);
  int nd[2] = {a->ndim, b->ndim}, ndim;
  const int64_t *sh[2] = {a->shape, b->shape};
  int64_t shape[GL_MAXDIMS];
  gl_array *ops[2] = {a, b};
  if (gl_broadcast_shapes(2, nd, sh, &ndim, shape)) shape_error(L, fname, 2, ops);
  gl_array *r = gl_array_push(L, GL_BOOL, ndim, shape);
  int64_t idx[GL_MAXDIMS] = {0};
  for (int64_t k = 0; k < r->size; k++) {
    int64_t oa = 0, ob = 0;
    for (int i = 0; i < ndim; i++) {
      int ja = i - (ndim - a->ndim), jb = i - (ndim - b->ndim);
      if (ja >= 0 && a->shape[ja] != 1) oa += idx[i] * a->strides[ja];
      if (jb >= 0 && b->shape[jb] != 1) ob += idx[i] * b->strides[jb];
    }
    const double *x = (const double *)a->data + 2 * oa, *y = (const double *)b->data + 2 * ob;
    int xn = isnan(x[0]) || isnan(x[1]), yn = isnan(y[0]) || isnan(y[1]), c;
    if (xn || yn) c = equal_nan && xn && yn;
    else if (!isfinite(x[0]) || !isfinite(x[1]) || !isfinite(y[0]) || !isfinite(y[1]))
      c = x[0] == y[0] && x[1] == y[1];
    else c = hypot(x[0] - y[0], x[1] - y[1]) <= atol + rtol * hypot(y[0], y[1]);
    ((gl_bool *)r->data)[k] = (gl_bool)c;
    for (int i = ndim - 1; i >= 0; i--) { if (++idx[i] < shape[i]) break; idx[i] = 0; }
  }
  return r;
}

/* isclose(a, b, {rtol=1e-5, atol=1e-8, equal_nan=false}) as NumPy. */
static gl_array *isclose (lua_State *L, const char *fname) {
  static const char *const allowed[] = {"rtol", "atol", "equal_nan", NULL};
  gl_check_options(L, 3, fname, allowed);
  double rtol = gl_opt_number(L, 3, "rtol", 1e-5, fname);
  double atol = gl_opt_number(L, 3, "atol", 1e-8, fname);
  int equal_nan = gl_opt_boolean(L, 3, "equal_nan", 0, fname);
  luaL_checkany(L, 1); luaL_checkany(L, 2);
  gl_array *a = gl_array_arg(L, 1, -1, fname);
  gl_array *b = gl_array_arg(L, 2, -1, fname);
  if (gl_dtype_is_complex(a->dtype) || gl_dtype_is_complex(b->dtype)) return isclose_complex(L, fname, rtol, atol, equal_nan);
  a = gl_array_arg(L, 1, GL_FLOAT64, fname);
  b = gl_array_arg(L, 2, GL_FLOAT64, fname);
  int nd[2] = {a->ndim, b->ndim}, ndim;
  const int64_t *sh[2] = {a->shape, b->shape};
  int64_t shape[GL_MAXDIMS];
  gl_array *ops[2] = {a, b};
  if (gl_broadcast_shapes(2, nd, sh, &ndim, shape)) shape_error(L, fname, 2, ops);
  gl_array *r = gl_array_push(L, GL_BOOL, ndim, shape);
  /* Small helper loop: broadcast both to the result shape and compare. */
  gl_array *bx = a, *by = b;
  int64_t idx[GL_MAXDIMS] = {0};
  for (int64_t k = 0; k < r->size; k++) {
    int64_t oa = 0, ob = 0;
    for (int i = 0; i < ndim; i++) {
      int ja = i - (ndim - bx->ndim), jb = i - (ndim - by->ndim);
      if (ja >= 0 && bx->shape[ja] != 1) oa += idx[i] * bx->strides[ja];
      if (jb >= 0 && by->shape[jb] != 1) ob += idx[i] * by->strides[jb];
    }
    double x = ((double *)bx->data)[oa], y = ((double *)by->data)[ob];
    int c;
    if (isnan(x) || isnan(y)) c = equal_nan && isnan(x) && isnan(y);
    else if (isinf(x) || isinf(y)) c = x == y;
    else c = fabs(x - y) <= atol + rtol * fabs(y);
    ((gl_bool *)r->data)[k] = (gl_bool)c;
    for (int i = ndim - 1; i >= 0; i--) { if (++idx[i] < shape[i]) break; idx[i] = 0; }
  }
  return r;
}

static int f_isclose (lua_State *L) { isclose(L, "np.isclose"); return 1; }

static int f_allclose (lua_State *L) {
  gl_array *r = isclose(L, "np.allclose");
  int all = 1;
  for (int64_t i = 0; i < r->size; i++) if (!((gl_bool *)r->data)[i]) { all = 0; break; }
  lua_pushboolean(L, all);
  return 1;
}

/* array_equal: same shape and equal elements; NaN equal to NaN only with
 * equal_nan (NumPy's default false). */
static int array_equal (lua_State *L, int ai, int bi, int equal_nan) {
  gl_array *a = gl_array_arg(L, ai, -1, "np.array_equal");
  gl_array *b = gl_array_arg(L, bi, -1, "np.array_equal");
  int floats = gl_dtype_is_float(a->dtype) || gl_dtype_is_float(b->dtype);
  int cplx = gl_dtype_is_complex(a->dtype) || gl_dtype_is_complex(b->dtype);
  if (a->ndim != b->ndim) return 0;
  for (int i = 0; i < a->ndim; i++) if (a->shape[i] != b->shape[i]) return 0;
  for (int64_t i = 0; cplx && i < a->size; i++) {
    double ar, ai, br, bi;
    gl_array_complex_at(a, i, &ar, &ai);
    gl_array_complex_at(b, i, &br, &bi);
    if (ar == br && ai == bi) continue;
    if (!(equal_nan && (isnan(ar) || isnan(ai)) && (isnan(br) || isnan(bi)))) return 0;
  }
  for (int64_t i = 0; !cplx && i < a->size; i++) {
    const char *pa = gl_array_elem_ptr(a, i), *pb = gl_array_elem_ptr(b, i);
    if (!floats) {
      if (gl_load_i64(a->dtype, pa) != gl_load_i64(b->dtype, pb)) return 0;
      continue;
    }
    double x = gl_load_f64(a->dtype, pa), y = gl_load_f64(b->dtype, pb);
    if (x != y && !(equal_nan && isnan(x) && isnan(y))) return 0;
  }
  return 1;
}

static int f_array_equal (lua_State *L) {
  static const char *const allowed[] = {"equal_nan", NULL};
  luaL_checkany(L, 1); luaL_checkany(L, 2);
  gl_check_options(L, 3, "np.array_equal", allowed);
  lua_pushboolean(L, array_equal(L, 1, 2, gl_opt_boolean(L, 3, "equal_nan", 0, "np.array_equal")));
  return 1;
}

/* {=====================================================================
 * Metamethods
 * ====================================================================== */

static int m_eq (lua_State *L) { lua_pushboolean(L, array_equal(L, 1, 2, 0)); return 1; }
/* Lua passes the operand twice to __unm and __bnot: no options there. */
static int m_unm (lua_State *L) { return unop(L, GL_OP_NEG, 1, "np.negative"); }
static int m_bnot (lua_State *L) { return unop(L, GL_OP_NOT, 1, "np.logical_not"); }
static int m_lt (lua_State *L) {
  return luaL_error(L, "arrays cannot be compared with '<' or '<='; use a:lt(b), a:le(b) (elementwise) or (a - b):max() < 0");
}

static const luaL_Reg metamethods[] = {
  {"__add", f_add}, {"__band", f_band}, {"__bnot", m_bnot}, {"__bor", f_bor},
  {"__bxor", f_bxor}, {"__div", f_div}, {"__eq", m_eq}, {"__idiv", f_floordiv},
  {"__le", m_lt}, {"__lt", m_lt}, {"__mod", f_mod}, {"__mul", f_mul}, {"__pow", f_pow},
  {"__sub", f_sub}, {"__unm", m_unm},
  {NULL, NULL}
};

static const luaL_Reg funcs[] = {
  {"abs", f_abs}, {"absolute", f_abs}, {"add", f_add}, {"allclose", f_allclose}, {"angle", f_angle},
  {"arccos", f_arccos}, {"arcsin", f_arcsin}, {"arctan", f_arctan}, {"arctan2", f_atan2},
  {"around", f_round}, {"array_equal", f_array_equal},
  {"bitwise_and", f_band}, {"bitwise_or", f_bor}, {"bitwise_xor", f_bxor},
  {"cbrt", f_cbrt}, {"ceil", f_ceil}, {"clip", f_clip}, {"conj", f_conj}, {"conjugate", f_conj},
  {"cos", f_cos}, {"cosh", f_cosh},
  {"deg2rad", f_deg2rad}, {"divide", f_div}, {"eq", f_eq}, {"equal", f_eq},
  {"exp", f_exp}, {"exp2", f_exp2}, {"expm1", f_expm1}, {"floor", f_floor},
  {"floor_divide", f_floordiv}, {"fmax", f_fmax}, {"fmin", f_fmin}, {"fix", f_trunc}, {"fmod", f_fmod},
  {"ge", f_ge}, {"greater", f_gt}, {"greater_equal", f_ge}, {"gt", f_gt},
  {"hypot", f_hypot}, {"isclose", f_isclose}, {"isfinite", f_isfinite}, {"isinf", f_isinf},
  {"isnan", f_isnan}, {"le", f_le}, {"less", f_lt}, {"less_equal", f_le},
  {"log", f_log}, {"log10", f_log10}, {"log1p", f_log1p}, {"log2", f_log2},
  {"logical_and", f_land}, {"logical_not", f_not}, {"logical_or", f_lor},
  {"logical_xor", f_lxor}, {"lt", f_lt}, {"maximum", f_maximum}, {"minimum", f_minimum},
  {"mod", f_mod}, {"multiply", f_mul}, {"ne", f_ne}, {"negative", f_neg},
  {"not_equal", f_ne}, {"power", f_pow}, {"rad2deg", f_rad2deg}, {"reciprocal", f_reciprocal},
  {"remainder", f_mod}, {"round", f_round}, {"sign", f_sign}, {"sin", f_sin},
  {"sinh", f_sinh}, {"sqrt", f_sqrt}, {"square", f_square}, {"subtract", f_sub},
  {"tan", f_tan}, {"tanh", f_tanh}, {"true_divide", f_div}, {"trunc", f_trunc},
  {"where", f_where},
  {NULL, NULL}
};

/* Functions only: a.real and a.imag are fields (views), not methods. */
static const luaL_Reg funcs_only[] = {
  {"imag", f_imag}, {"real", f_real},
  {NULL, NULL}
};

void gl_array_open_ops (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  luaL_setfuncs(L, funcs_only, 0);
  gl_array_add_methods(L, funcs);
  luaL_getmetatable(L, GL_ARRAY_MT);
  luaL_setfuncs(L, metamethods, 0);
  lua_pop(L, 1);
}
