/* test_elementwise.c: the elementwise loops (through gl_binary_loop,
 * gl_unary_loop and the iterator, so the test does not depend on how the
 * loops are generated) against NumPy 1.24's ufuncs, from
 * tests/fixtures/kernels/gen_kernels.py: f64 and f32, contiguous, strided and
 * broadcast operands, NaN rules, integer floor division and modulo. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "elementwise.h"
#include "testhelp.h"
#include "../../fixtures/kernels/expected.h"

#define N(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

/* got matches want: both NaN, or within rtol (relative); exact also compares
 * the sign of zero (np.round(-0.5) is -0.0). */
static int same (double got, double want, double rtol) {
  if (isnan(want)) return isnan(got);
  if (rtol == 0) return got == want && signbit(got) == signbit(want);
  if (isinf(want)) return got == want;
  return fabs(got - want) <= rtol * fabs(want);
}

static int failures_before;
#define EXPECT_ALL(n, got, want, rtol, what) do { \
    failures_before = th_failed; \
    for (int64_t i_ = 0; i_ < (n); i_++) \
      if (!same((double)(got)[i_], (double)(want)[i_], rtol)) { \
        th_failed++; \
        fprintf(stderr, "%s:%d: %s[%lld] = %.17g, expected %.17g\n", __FILE__, __LINE__, what, \
                (long long)i_, (double)(got)[i_], (double)(want)[i_]); \
      } \
    if (th_failed == failures_before) th_passed++; \
  } while (0)

/* Runs loop on n contiguous elements. */
static void run2 (gl_loop_fn f, int64_t n, void *out, const void *a, const void *b, size_t osz, size_t isz) {
  char *p[3] = {out, (char *)a, (char *)b};
  int64_t s[3] = {(int64_t)osz, (int64_t)isz, (int64_t)isz};
  f(n, p, s, NULL);
}

static const struct { gl_binop op; const double *f64; const float *f32; const char *name; double rtol64, rtol32; } BIN[] = {
  /* +-x/ are correctly rounded in IEEE arithmetic: exact. pow, atan2 and hypot
   * come from the C library in both: exact in f64; in f32 NumPy may evaluate
   * through its own routines, so one or two ulps are allowed. */
  {GL_OP_ADD, EW_F64_ADD, EW_F32_ADD, "add", 0, 0},
  {GL_OP_SUB, EW_F64_SUB, EW_F32_SUB, "sub", 0, 0},
  {GL_OP_MUL, EW_F64_MUL, EW_F32_MUL, "mul", 0, 0},
  {GL_OP_DIV, EW_F64_DIV, EW_F32_DIV, "div", 0, 0},
  {GL_OP_FLOORDIV, EW_F64_FLOORDIV, EW_F32_FLOORDIV, "floordiv", 0, 0},
  {GL_OP_MOD, EW_F64_MOD, EW_F32_MOD, "mod", 0, 0},
  {GL_OP_POW, EW_F64_POW, EW_F32_POW, "pow", 1e-15, 3e-7},
  {GL_OP_MAXIMUM, EW_F64_MAXIMUM, EW_F32_MAXIMUM, "maximum", 0, 0},
  {GL_OP_MINIMUM, EW_F64_MINIMUM, EW_F32_MINIMUM, "minimum", 0, 0},
  {GL_OP_ATAN2, EW_F64_ATAN2, EW_F32_ATAN2, "atan2", 1e-15, 3e-7},
  {GL_OP_HYPOT, EW_F64_HYPOT, EW_F32_HYPOT, "hypot", 1e-15, 3e-7},
};

static void test_binary (void) {
  int64_t n = N(EW_A);
  float a32[N(EW_A)], b32[N(EW_B)], o32[N(EW_A)];
  double o64[N(EW_A)];
  for (int64_t i = 0; i < n; i++) { a32[i] = (float)EW_A[i]; b32[i] = (float)EW_B[i]; }
  for (size_t k = 0; k < sizeof BIN / sizeof BIN[0]; k++) {
    gl_loop_fn f = gl_binary_loop(BIN[k].op, GL_FLOAT64);
    CHECK(f != NULL);
    run2(f, n, o64, EW_A, EW_B, 8, 8);
    EXPECT_ALL(n, o64, BIN[k].f64, BIN[k].rtol64, BIN[k].name);
    f = gl_binary_loop(BIN[k].op, GL_FLOAT32);
    CHECK(f != NULL);
    run2(f, n, o32, a32, b32, 4, 4);
    EXPECT_ALL(n, o32, BIN[k].f32, BIN[k].rtol32, BIN[k].name);
  }
  /* strided: every other element of a and of the output, b read backwards */
  double sa[2 * N(EW_A)], so[2 * N(EW_A)], rb[N(EW_B)];
  for (int64_t i = 0; i < n; i++) { sa[2 * i] = EW_A[i]; sa[2 * i + 1] = 1e300; rb[i] = EW_B[n - 1 - i]; }
  memset(so, 0, sizeof so);
  char *p[3] = {(char *)so, (char *)sa, (char *)(rb + n - 1)};
  int64_t s[3] = {16, 16, -8};
  gl_binary_loop(GL_OP_MOD, GL_FLOAT64)(n, p, s, NULL);
  double got[N(EW_A)];
  for (int64_t i = 0; i < n; i++) { got[i] = so[2 * i]; CHECK(so[2 * i + 1] == 0); }
  EXPECT_ALL(n, got, EW_F64_MOD, 0, "strided mod");
  float sa32[2 * N(EW_A)], so32[2 * N(EW_A)];
  for (int64_t i = 0; i < n; i++) { sa32[2 * i] = a32[i]; sa32[2 * i + 1] = 0; }
  char *q[3] = {(char *)so32, (char *)sa32, (char *)b32};
  int64_t t[3] = {8, 8, 4};
  gl_binary_loop(GL_OP_FLOORDIV, GL_FLOAT32)(n, q, t, NULL);
  float got32[N(EW_A)];
  for (int64_t i = 0; i < n; i++) got32[i] = so32[2 * i];
  EXPECT_ALL(n, got32, EW_F32_FLOORDIV, 0, "strided f32 floordiv");
  /* a scalar operand (stride 0) */
  double two = 2.0, o2[N(EW_A)], want[N(EW_A)];
  char *r[3] = {(char *)o2, (char *)EW_A, (char *)&two};
  int64_t rs[3] = {8, 8, 0};
  gl_binary_loop(GL_OP_MUL, GL_FLOAT64)(n, r, rs, NULL);
  for (int64_t i = 0; i < n; i++) want[i] = EW_A[i] * 2;
  EXPECT_ALL(n, o2, want, 0, "scalar mul");
}

/* npy_divmod's edge cases: 1 // 0.1 = 9, signed zeros, inf, division by zero. */
static void test_divmod (void) {
  int64_t n = N(EW_DA);
  double o[N(EW_DA)];
  run2(gl_binary_loop(GL_OP_FLOORDIV, GL_FLOAT64), n, o, EW_DA, EW_DB, 8, 8);
  EXPECT_ALL(n, o, EW_F64_DM_FLOORDIV, 0, "floordiv edge cases");
  run2(gl_binary_loop(GL_OP_MOD, GL_FLOAT64), n, o, EW_DA, EW_DB, 8, 8);
  EXPECT_ALL(n, o, EW_F64_DM_MOD, 0, "mod edge cases");
  float a[N(EW_DA)], b[N(EW_DB)], o32[N(EW_DA)];
  for (int64_t i = 0; i < n; i++) { a[i] = (float)EW_DA[i]; b[i] = (float)EW_DB[i]; }
  run2(gl_binary_loop(GL_OP_FLOORDIV, GL_FLOAT32), n, o32, a, b, 4, 4);
  EXPECT_ALL(n, o32, EW_F32_DM_FLOORDIV, 0, "f32 floordiv edge cases");
  run2(gl_binary_loop(GL_OP_MOD, GL_FLOAT32), n, o32, a, b, 4, 4);
  EXPECT_ALL(n, o32, EW_F32_DM_MOD, 0, "f32 mod edge cases");
}

static void test_compare_and_nan (void) {
  int64_t n = N(EW_A);
  gl_bool o[N(EW_A)];
  run2(gl_binary_loop(GL_OP_LT, GL_FLOAT64), n, o, EW_A, EW_B, 1, 8);
  EXPECT_ALL(n, o, EW_CMP_LT, 0, "lt");
  run2(gl_binary_loop(GL_OP_EQ, GL_FLOAT64), n, o, EW_A, EW_B, 1, 8);
  EXPECT_ALL(n, o, EW_CMP_EQ, 0, "eq");
  float a32[N(EW_A)], b32[N(EW_B)];
  for (int64_t i = 0; i < n; i++) { a32[i] = (float)EW_A[i]; b32[i] = (float)EW_B[i]; }
  run2(gl_binary_loop(GL_OP_GE, GL_FLOAT32), n, o, a32, b32, 1, 4);
  EXPECT_ALL(n, o, EW_CMP_GE, 0, "f32 ge");
  CHECK(gl_binop_is_compare(GL_OP_NE) && !gl_binop_is_compare(GL_OP_ADD));
  int64_t m = N(EW_NA);
  double r[N(EW_NA)];
  run2(gl_binary_loop(GL_OP_MAXIMUM, GL_FLOAT64), m, r, EW_NA, EW_NB, 8, 8);
  EXPECT_ALL(m, r, EW_NAN_MAXIMUM, 0, "maximum propagates NaN");
  run2(gl_binary_loop(GL_OP_FMAX, GL_FLOAT64), m, r, EW_NA, EW_NB, 8, 8);
  EXPECT_ALL(m, r, EW_NAN_FMAX, 0, "fmax skips NaN");
  gl_bool ne[N(EW_NA)];
  run2(gl_binary_loop(GL_OP_NE, GL_FLOAT64), m, ne, EW_NA, EW_NB, 1, 8);
  EXPECT_ALL(m, ne, EW_NAN_NE, 0, "NaN != NaN");
}

static const struct { gl_unop op; const double *f64; const float *f32; const char *name; double rtol64, rtol32; } UN[] = {
  /* exact where IEEE (or the definition) fixes the result; transcendental
   * functions may differ from NumPy's SIMD versions by an ulp in f64 and by a
   * few ulps in f32 (NumPy 1.24 has its own float32 exp/log/sin) */
  {GL_OP_NEG, EW_F64_U_NEG, EW_F32_U_NEG, "neg", 0, 0},
  {GL_OP_ABS, EW_F64_U_ABS, EW_F32_U_ABS, "abs", 0, 0},
  {GL_OP_SIGN, EW_F64_U_SIGN, EW_F32_U_SIGN, "sign", 0, 0},
  {GL_OP_SQUARE, EW_F64_U_SQUARE, EW_F32_U_SQUARE, "square", 0, 0},
  {GL_OP_SQRT, EW_F64_U_SQRT, EW_F32_U_SQRT, "sqrt", 0, 0},
  {GL_OP_EXP, EW_F64_U_EXP, EW_F32_U_EXP, "exp", 3e-16, 5e-7},
  {GL_OP_LOG, EW_F64_U_LOG, EW_F32_U_LOG, "log", 3e-16, 5e-7},
  {GL_OP_LOG1P, EW_F64_U_LOG1P, EW_F32_U_LOG1P, "log1p", 3e-16, 5e-7},
  {GL_OP_EXPM1, EW_F64_U_EXPM1, EW_F32_U_EXPM1, "expm1", 3e-16, 5e-7},
  {GL_OP_SIN, EW_F64_U_SIN, EW_F32_U_SIN, "sin", 3e-16, 5e-7},
  {GL_OP_ARCSIN, EW_F64_U_ARCSIN, EW_F32_U_ARCSIN, "arcsin", 3e-16, 5e-7},
  {GL_OP_TANH, EW_F64_U_TANH, EW_F32_U_TANH, "tanh", 3e-16, 5e-7},
  {GL_OP_FLOOR, EW_F64_U_FLOOR, EW_F32_U_FLOOR, "floor", 0, 0},
  {GL_OP_CEIL, EW_F64_U_CEIL, EW_F32_U_CEIL, "ceil", 0, 0},
  {GL_OP_ROUND, EW_F64_U_ROUND, EW_F32_U_ROUND, "round (half to even)", 0, 0},
  {GL_OP_TRUNC, EW_F64_U_TRUNC, EW_F32_U_TRUNC, "trunc", 0, 0},
  {GL_OP_RECIPROCAL, EW_F64_U_RECIPROCAL, EW_F32_U_RECIPROCAL, "reciprocal", 0, 0},
  {GL_OP_CBRT, EW_F64_U_CBRT, EW_F32_U_CBRT, "cbrt", 3e-16, 5e-7},
};

static void test_unary (void) {
  int64_t n = N(EW_U);
  double o[N(EW_U)];
  float u32[N(EW_U)], o32[N(EW_U)];
  for (int64_t i = 0; i < n; i++) u32[i] = (float)EW_U[i];
  for (size_t k = 0; k < sizeof UN / sizeof UN[0]; k++) {
    char *p[2] = {(char *)o, (char *)EW_U};
    int64_t s[2] = {8, 8};
    gl_loop_fn f = gl_unary_loop(UN[k].op, GL_FLOAT64);
    CHECK(f != NULL);
    if (!f) continue;
    f(n, p, s, NULL);
    EXPECT_ALL(n, o, UN[k].f64, UN[k].rtol64, UN[k].name);
    /* f32, output strided backwards */
    float ob[N(EW_U)];
    char *q[2] = {(char *)(ob + n - 1), (char *)u32};
    int64_t t[2] = {-4, 4};
    gl_unary_loop(UN[k].op, GL_FLOAT32)(n, q, t, NULL);
    for (int64_t i = 0; i < n; i++) o32[i] = ob[n - 1 - i];
    EXPECT_ALL(n, o32, UN[k].f32, UN[k].rtol32, UN[k].name);
  }
  gl_bool b[N(EW_U)];
  char *p[2] = {(char *)b, (char *)EW_U};
  int64_t s[2] = {1, 8};
  gl_unary_loop(GL_OP_ISNAN, GL_FLOAT64)(n, p, s, NULL);
  EXPECT_ALL(n, b, EW_U_ISNAN, 0, "isnan");
  char *q[2] = {(char *)b, (char *)u32};
  int64_t t[2] = {1, 4};
  gl_unary_loop(GL_OP_ISFINITE, GL_FLOAT32)(n, q, t, NULL);
  EXPECT_ALL(n, b, EW_U_ISFINITE, 0, "f32 isfinite");
  CHECK(gl_unop_is_predicate(GL_OP_ISNAN) && !gl_unop_is_predicate(GL_OP_SQRT));
  CHECK(gl_unary_loop(GL_OP_SQRT, GL_INT64) == NULL);   /* floats only: the binding casts first */
}

static void test_integers (void) {
  int64_t n = N(EW_IA), o[N(EW_IA)];
  run2(gl_binary_loop(GL_OP_FLOORDIV, GL_INT64), n, o, EW_IA, EW_IB, 8, 8);
  EXPECT_ALL(n, o, EW_I64_FLOORDIV, 0, "i64 floordiv");
  run2(gl_binary_loop(GL_OP_MOD, GL_INT64), n, o, EW_IA, EW_IB, 8, 8);
  EXPECT_ALL(n, o, EW_I64_MOD, 0, "i64 mod");
  int64_t aa[N(EW_IA)], bb[N(EW_IB)];
  for (int64_t i = 0; i < n; i++) { aa[i] = EW_IA[i] < 0 ? -EW_IA[i] : EW_IA[i]; bb[i] = (EW_IB[i] < 0 ? -EW_IB[i] : EW_IB[i]) % 4; }
  run2(gl_binary_loop(GL_OP_POW, GL_INT64), n, o, aa, bb, 8, 8);
  EXPECT_ALL(n, o, EW_I64_POW, 0, "i64 pow");
  int32_t a32[N(EW_IA)], b32[N(EW_IB)], o32[N(EW_IA)];
  for (int64_t i = 0; i < n; i++) { a32[i] = (int32_t)EW_IA[i]; b32[i] = (int32_t)EW_IB[i]; }
  run2(gl_binary_loop(GL_OP_FLOORDIV, GL_INT32), n, o32, a32, b32, 4, 4);
  EXPECT_ALL(n, o32, EW_I32_FLOORDIV, 0, "i32 floordiv");
  run2(gl_binary_loop(GL_OP_MOD, GL_INT32), n, o32, a32, b32, 4, 4);
  EXPECT_ALL(n, o32, EW_I32_MOD, 0, "i32 mod");
}

/* (3, 1) column, read with stride 2 from a larger buffer, times a (4,) row,
 * through the iterator: the broadcast shape is (3, 4). */
static void test_broadcast (void) {
  double colbuf[6] = {EW_COL[0], -1, EW_COL[1], -1, EW_COL[2], -1}, out[12];
  int64_t oshape[2] = {3, 4}, ostr[2] = {4, 1};
  int64_t cshape[2] = {3, 1}, cstr[2] = {2, 1};
  int64_t rshape[1] = {4}, rstr[1] = {1};
  int nd[3] = {2, 2, 1};
  const int64_t *sh[3] = {oshape, cshape, rshape}, *st[3] = {ostr, cstr, rstr};
  size_t isz[3] = {8, 8, 8};
  gl_iter it;
  CHECK(gl_iter_init(&it, 2, oshape, 3, nd, sh, st, isz) == GL_OK);
  char *base[3] = {(char *)out, (char *)colbuf, (char *)EW_ROW};
  gl_iter_run(&it, base, gl_binary_loop(GL_OP_MUL, GL_FLOAT64), NULL, 0);
  EXPECT_ALL(12, out, EW_BCAST_MUL, 0, "broadcast mul");
  float c32[6], r32[4], o32[12], want32[12];
  for (int i = 0; i < 6; i++) c32[i] = (float)colbuf[i];
  for (int i = 0; i < 4; i++) r32[i] = (float)EW_ROW[i];
  for (int i = 0; i < 12; i++) want32[i] = (float)EW_COL[i / 4] * (float)EW_ROW[i % 4];
  size_t isz32[3] = {4, 4, 4};
  CHECK(gl_iter_init(&it, 2, oshape, 3, nd, sh, st, isz32) == GL_OK);
  char *b32[3] = {(char *)o32, (char *)c32, (char *)r32};
  gl_iter_run(&it, b32, gl_binary_loop(GL_OP_MUL, GL_FLOAT32), NULL, 0);
  EXPECT_ALL(12, o32, want32, 0, "f32 broadcast mul");
}

static void test_where (void) {
  gl_bool c[4] = {1, 0, 0, 1};
  double x[4] = {1, 2, 3, 4}, y = -1, o[4], want[4] = {1, -1, -1, 4};
  char *p[4] = {(char *)o, (char *)c, (char *)x, (char *)&y};
  int64_t s[4] = {8, 1, 8, 0};
  gl_where_loop(8)(4, p, s, NULL);
  EXPECT_ALL(4, o, want, 0, "where f64");
  float xf[4] = {1, 2, 3, 4}, yf = -1, of[4];
  char *q[4] = {(char *)of, (char *)c, (char *)xf, (char *)&yf};
  int64_t t[4] = {4, 1, 4, 0};
  gl_where_loop(4)(4, q, t, NULL);
  EXPECT_ALL(4, of, want, 0, "where f32");
}

int main (void) {
  test_binary();
  test_divmod();
  test_compare_and_nan();
  test_unary();
  test_integers();
  test_broadcast();
  test_where();
  return TEST_REPORT();
}
