/* array_complex.c: the complex scalar (userdata "geolab.complex"), what Python's
 * `complex` is to NumPy: np.complex(re, im) and the constant np.j build one
 * (`3 + 4*np.j`), complex array elements read as one, and it prints as Python
 * and NumPy print it, (1+2j). Arithmetic with numbers and other complex
 * scalars is computed here with NumPy's formulas; with an array it is the
 * array operation (np.add...). Like a Lua number it is a "weak" scalar: it
 * does not widen a complex64 array. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "elementwise.h"

typedef struct cx { double re, im; } cx;

void gl_complex_push (lua_State *L, double re, double im) {
  cx *z = (cx *)lua_newuserdatauv(L, sizeof(cx), 0);
  z->re = re;
  z->im = im;
  luaL_setmetatable(L, GL_COMPLEX_MT);
}

int gl_complex_test (lua_State *L, int idx, double *re, double *im) {
  cx *z = (cx *)luaL_testudata(L, idx, GL_COMPLEX_MT);
  if (!z) return 0;
  *re = z->re;
  *im = z->im;
  return 1;
}

/* A number or complex scalar at idx as (re, im); 0 if it is neither. */
static int to_cx (lua_State *L, int idx, cx *out) {
  if (gl_complex_test(L, idx, &out->re, &out->im)) return 1;
  if (lua_type(L, idx) == LUA_TNUMBER) { out->re = lua_tonumber(L, idx); out->im = 0; return 1; }
  return 0;
}

/* Python's repr of a float (shortest digits that read back, fixed notation
 * for exponents -4..15), without the ".0" of integral values since complex
 * parts print as (1+2j). */
void gl_format_pyfloat (char *buf, size_t len, double x) {
  if (isnan(x)) { snprintf(buf, len, "nan"); return; }
  if (isinf(x)) { snprintf(buf, len, x < 0 ? "-inf" : "inf"); return; }
  char tmp[40];
  int p;
  for (p = 1; p <= 17; p++) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
    if (strtod(tmp, NULL) == x) break;
  }
  /* tmp: [-]d[.ddd]e[+-]xx */
  char digits[24];
  int nd = 0, neg = tmp[0] == '-';
  const char *c = tmp + neg;
  for (; *c && *c != 'e'; c++) if (*c != '.') digits[nd++] = *c;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  digits[nd] = 0;
  int e = atoi(c + 1);
  char out[64];
  int k = 0;
  if (neg) out[k++] = '-';
  if (e >= -4 && e < 16) {
    if (e < 0) {
      out[k++] = '0'; out[k++] = '.';
      for (int i = 0; i < -e - 1; i++) out[k++] = '0';
      for (int i = 0; i < nd; i++) out[k++] = digits[i];
    } else {
      for (int i = 0; i <= e; i++) out[k++] = i < nd ? digits[i] : '0';
      if (nd > e + 1) {
        out[k++] = '.';
        for (int i = e + 1; i < nd; i++) out[k++] = digits[i];
      }
    }
    out[k] = 0;
  } else {
    out[k++] = digits[0];
    if (nd > 1) { out[k++] = '.'; for (int i = 1; i < nd; i++) out[k++] = digits[i]; }
    snprintf(out + k, sizeof out - (size_t)k, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
  }
  snprintf(buf, len, "%s", out);
}

/* Python's complex repr: 2j when the real part is +0, else (1+2j). */
void gl_format_complex (char *buf, size_t len, double re, double im) {
  char r[40], i[40];
  gl_format_pyfloat(i, sizeof i, im);
  if (re == 0 && !signbit(re)) { snprintf(buf, len, "%sj", i); return; }
  gl_format_pyfloat(r, sizeof r, re);
  int sign = !(im < 0 || (im == 0 && signbit(im)) || i[0] == '-');
  snprintf(buf, len, "(%s%s%sj)", r, sign ? "+" : "", i);
}

/* {=====================================================================
 * Arithmetic (NumPy's formulas: elementwise_complex.inc)
 * ====================================================================== */

static cx cmul (cx a, cx b) { cx r = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; return r; }
static cx cdiv (cx a, cx b) {
  double abr = fabs(b.re), abi = fabs(b.im);
  cx r;
  if (abr >= abi) {
    if (abr == 0 && abi == 0) { r.re = a.re / abr; r.im = a.im / abr; return r; }
    double rat = b.im / b.re, scl = 1.0 / (b.re + b.im * rat);
    r.re = (a.re + a.im * rat) * scl; r.im = (a.im - a.re * rat) * scl;
    return r;
  }
  double rat = b.re / b.im, scl = 1.0 / (b.im + b.re * rat);
  r.re = (a.re * rat + a.im) * scl; r.im = (a.im * rat - a.re) * scl;
  return r;
}

static const char *const opnames[] = {"np.add", "np.subtract", "np.multiply", "np.divide", "np.power"};
static const gl_binop opcodes[] = {GL_OP_ADD, GL_OP_SUB, GL_OP_MUL, GL_OP_DIV, GL_OP_POW};

static int arith (lua_State *L, int op) {
  cx a, b, r;
  if (!to_cx(L, 1, &a) || !to_cx(L, 2, &b)) {
    if (gl_array_test(L, 1) || gl_array_test(L, 2) || lua_istable(L, 1) || lua_istable(L, 2))
      return gl_array_binop(L, opcodes[op], 1, 2, opnames[op]);
    return gl_error(L, opnames[op], "cannot combine a complex number with a %s",
                    luaL_typename(L, to_cx(L, 1, &a) ? 2 : 1));
  }
  switch (op) {
    case 0: r.re = a.re + b.re; r.im = a.im + b.im; break;
    case 1: r.re = a.re - b.re; r.im = a.im - b.im; break;
    case 2: r = cmul(a, b); break;
    case 3: r = cdiv(a, b); break;
    default: {   /* through the array loop, so scalars and arrays agree */
      lua_settop(L, 2);
      gl_array_binop(L, GL_OP_POW, 1, 2, "np.power");
      double re, im;
      gl_array *z = gl_array_check(L, -1);
      gl_array_complex_at(z, 0, &re, &im);
      r.re = re; r.im = im;
    }
  }
  gl_complex_push(L, r.re, r.im);
  return 1;
}

static int c_add (lua_State *L) { return arith(L, 0); }
static int c_sub (lua_State *L) { return arith(L, 1); }
static int c_mul (lua_State *L) { return arith(L, 2); }
static int c_div (lua_State *L) { return arith(L, 3); }
static int c_pow (lua_State *L) { return arith(L, 4); }

static int c_unm (lua_State *L) {
  cx a;
  to_cx(L, 1, &a);
  gl_complex_push(L, -a.re, -a.im);
  return 1;
}

/* == is Lua's: only two complex scalars reach it (1 == np.complex(1, 0) is
 * false in Lua whatever the metamethod, so compare with z.real, z.imag). */
static int c_eq (lua_State *L) {
  cx a, b;
  lua_pushboolean(L, to_cx(L, 1, &a) && to_cx(L, 2, &b) && a.re == b.re && a.im == b.im);
  return 1;
}

static int c_lt (lua_State *L) {
  return luaL_error(L, "complex numbers are not ordered: compare np.abs(z) or z.real");
}

static int c_tostring (lua_State *L) {
  cx a;
  char buf[96];
  to_cx(L, 1, &a);
  gl_format_complex(buf, sizeof buf, a.re, a.im);
  lua_pushstring(L, buf);
  return 1;
}

static int c_conj (lua_State *L) {
  cx a;
  if (!to_cx(L, 1, &a)) return gl_error(L, "conj", "complex number expected, got %s", luaL_typename(L, 1));
  gl_complex_push(L, a.re, -a.im);
  return 1;
}

static int c_abs (lua_State *L) {
  cx a;
  if (!to_cx(L, 1, &a)) return gl_error(L, "abs", "complex number expected, got %s", luaL_typename(L, 1));
  lua_pushnumber(L, hypot(a.re, a.im));
  return 1;
}

static int c_index (lua_State *L) {
  cx *z = (cx *)luaL_checkudata(L, 1, GL_COMPLEX_MT);
  const char *k = lua_tostring(L, 2);
  if (k && strcmp(k, "real") == 0) { lua_pushnumber(L, z->re); return 1; }
  if (k && strcmp(k, "imag") == 0) { lua_pushnumber(L, z->im); return 1; }
  if (k && (strcmp(k, "conj") == 0 || strcmp(k, "conjugate") == 0)) { lua_pushcfunction(L, c_conj); return 1; }
  if (k && strcmp(k, "abs") == 0) { lua_pushcfunction(L, c_abs); return 1; }
  return luaL_error(L, "complex number has no field '%s' (fields: real, imag; methods: conj, abs)",
                    k ? k : luaL_typename(L, 2));
}

static int c_newindex (lua_State *L) {
  return luaL_error(L, "complex numbers are immutable: build a new one with np.complex(re, im)");
}

static const luaL_Reg meta[] = {
  {"__add", c_add}, {"__div", c_div}, {"__eq", c_eq}, {"__index", c_index}, {"__le", c_lt},
  {"__lt", c_lt}, {"__mul", c_mul}, {"__newindex", c_newindex}, {"__pow", c_pow}, {"__sub", c_sub},
  {"__tostring", c_tostring}, {"__unm", c_unm},
  {NULL, NULL}
};

/* np.complex(re[, im]): also takes a complex scalar (returned as is). */
static int np_complex (lua_State *L) {
  cx a;
  if (gl_complex_test(L, 1, &a.re, &a.im) && lua_isnoneornil(L, 2)) { lua_settop(L, 1); return 1; }
  if (lua_type(L, 1) != LUA_TNUMBER)
    return gl_error(L, "np.complex", "real part must be a number, got %s", luaL_typename(L, 1));
  if (!lua_isnoneornil(L, 2) && lua_type(L, 2) != LUA_TNUMBER)
    return gl_error(L, "np.complex", "imaginary part must be a number, got %s", luaL_typename(L, 2));
  gl_complex_push(L, lua_tonumber(L, 1), luaL_optnumber(L, 2, 0));
  return 1;
}

/* np.iscomplexobj(x): a complex array, or a complex scalar. */
static int np_iscomplexobj (lua_State *L) {
  cx a;
  gl_array *arr = gl_array_test(L, 1);
  lua_pushboolean(L, (arr && gl_dtype_is_complex(arr->dtype)) || gl_complex_test(L, 1, &a.re, &a.im));
  return 1;
}

/* np.isrealobj(x): not iscomplexobj, as NumPy. */
static int np_isrealobj (lua_State *L) {
  np_iscomplexobj(L);
  lua_pushboolean(L, !lua_toboolean(L, -1));
  return 1;
}

void gl_array_open_complex (lua_State *L) {
  if (luaL_newmetatable(L, GL_COMPLEX_MT)) {
    luaL_setfuncs(L, meta, 0);
    lua_pushliteral(L, "complex");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, np_complex); lua_setfield(L, -2, "complex");
  lua_pushcfunction(L, np_iscomplexobj); lua_setfield(L, -2, "iscomplexobj");
  lua_pushcfunction(L, np_isrealobj); lua_setfield(L, -2, "isrealobj");
  gl_complex_push(L, 0, 1); lua_setfield(L, -2, "j");
}
