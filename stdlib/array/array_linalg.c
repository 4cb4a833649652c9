/* array_linalg.c: np.matmul, np.dot, np.inner, np.outer and the np.linalg
 * table (bindings of kernels/array/linalg.c).
 *
 * Products follow NumPy: 1-D operands are promoted to a row (left) or a column
 * (right) and the added axis is dropped from the result; leading axes are
 * batch axes and broadcast. Float operands go to BLAS in their own type
 * (mixed types promote first); integer and bool operands are multiplied
 * exactly in int64 and the result cast back to the promoted type.
 *
 * np.linalg works on a private C-contiguous copy in the working type
 * (float32 stays float32, anything else becomes float64), one matrix of a
 * stack at a time. Every LAPACK-based function first checks that the input is
 * finite and raises "array must not contain infs or NaNs" (LAPACK may loop
 * or return garbage on them).
 *
 * Results never depend on the thread count: kernels/array/linalg.c keeps OpenBLAS
 * on one thread and splits big products into row blocks fixed by the shape. */
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "iter.h"
#include "linalg.h"

void gl_linalg_open_decomp(lua_State *L);   /* array_linalg_decomp.c */

/* {=====  helpers  ===== */

/* Offset (elements) of batch position `flat` of a broadcast batch shape
 * (bnd, bshape) in an operand whose first `ond` axes are its batch axes. */
static int64_t batch_offset (int64_t flat, int bnd, const int64_t *bshape,
                             int ond, const int64_t *shape, const int64_t *strides) {
  int64_t off = 0;
  for (int d = bnd - 1; d >= 0; d--) {
    int64_t i = flat % bshape[d];
    int j = d - (bnd - ond);
    flat /= bshape[d];
    if (j >= 0 && shape[j] != 1) off += i * strides[j];
  }
  return off;
}

static void align_error (lua_State *L, const char *fname, const gl_array *a, const gl_array *b) {
  char s1[128], s2[128];
  gl_error(L, fname, "shapes %s and %s do not align", gl_shape_str(s1, sizeof s1, a->ndim, a->shape),
           gl_shape_str(s2, sizeof s2, b->ndim, b->shape));
}

/* One product C = A @ B through the kernel of dtype t (float32, float64 or
 * int64); pointers and strides in elements. */
static int product (gl_dtype t, int64_t m, int64_t n, int64_t k,
                    const char *a, int64_t ars, int64_t acs, const char *b, int64_t brs, int64_t bcs,
                    char *c, int64_t ldc) {
  switch (t) {
    case GL_COMPLEX64:
      return gl_linalg_matmul_c64(m, n, k, (const gl_c64 *)a, ars, acs, (const gl_c64 *)b, brs, bcs,
                                  (gl_c64 *)c, ldc);
    case GL_COMPLEX128:
      return gl_linalg_matmul_c128(m, n, k, (const gl_c128 *)a, ars, acs, (const gl_c128 *)b, brs, bcs,
                                   (gl_c128 *)c, ldc);
    case GL_FLOAT32:
      return gl_linalg_matmul_f32(m, n, k, (const float *)a, ars, acs, (const float *)b, brs, bcs,
                                  (float *)c, ldc);
    case GL_FLOAT64:
      return gl_linalg_matmul_f64(m, n, k, (const double *)a, ars, acs, (const double *)b, brs, bcs,
                                  (double *)c, ldc);
    default:
      return gl_linalg_matmul_i64(m, n, k, (const int64_t *)a, ars, acs, (const int64_t *)b, brs, bcs,
                                  (int64_t *)c, ldc);
  }
}

/* Converts arguments 1 and 2 to arrays of the computing type (promoted float
 * type, or int64 for integers and bools); returns the result type. */
static gl_dtype product_args (lua_State *L, const char *fname, gl_array **a, gl_array **b, gl_dtype *ct) {
  gl_dtype rt;
  *a = gl_array_arg(L, 1, -1, fname);
  *b = gl_array_arg(L, 2, -1, fname);
  rt = gl_dtype_promote((*a)->dtype, (*b)->dtype);
  *ct = gl_dtype_is_float(rt) || gl_dtype_is_complex(rt) ? rt : GL_INT64;
  if ((*a)->dtype != *ct) *a = gl_array_arg(L, 1, *ct, fname);
  if ((*b)->dtype != *ct) *b = gl_array_arg(L, 2, *ct, fname);
  return rt;
}

/* a * b for a number or 0-d operand (np.dot, np.inner): a Lua number when
 * both are scalars. */
static int scalar_product (lua_State *L) {
  gl_array *r;
  lua_arith(L, LUA_OPMUL);
  r = gl_array_test(L, -1);
  if (r && r->ndim == 0) gl_array_push_elem(L, r, 0);
  return 1;
}

/* Turns the int64 product on top of the stack into the result type (and a
 * 0-d result into a Lua value); leaves one value on top. */
static int product_result (lua_State *L, gl_array *c, gl_dtype rt) {
  if (c->dtype != rt) c = gl_array_push_copy(L, c, rt);
  if (c->ndim == 0) gl_array_push_elem(L, c, 0);
  return 1;
}

static int check_kernel (lua_State *L, const char *fname, int rc) {
  if (rc != GL_OK) gl_kernel_error(L, fname, rc);
  return rc;
}
/* } */

/* {=====  products  ===== */

static int matmul_core (lua_State *L, const char *fname) {
  gl_array *a, *b, *c;
  gl_dtype ct, rt;
  int64_t m, k, k2, n, ars, acs, brs, bcs, bshape[GL_MAXDIMS], oshape[GL_MAXDIMS], nb;
  int abd, bbd, bnd, ond, rc = GL_OK;
  size_t sz;
  lua_settop(L, 2);
  rt = product_args(L, fname, &a, &b, &ct);
  if (a->ndim == 0 || b->ndim == 0)
    gl_error(L, fname, "input operand %d does not have enough dimensions (use * to multiply by a scalar)",
             a->ndim == 0 ? 1 : 2);
  if (a->ndim == 1) { m = 1; k = a->shape[0]; ars = 0; acs = a->strides[0]; abd = 0; }
  else {
    abd = a->ndim - 2;
    m = a->shape[abd]; k = a->shape[abd + 1]; ars = a->strides[abd]; acs = a->strides[abd + 1];
  }
  if (b->ndim == 1) { k2 = b->shape[0]; n = 1; brs = b->strides[0]; bcs = 0; bbd = 0; }
  else {
    bbd = b->ndim - 2;
    k2 = b->shape[bbd]; n = b->shape[bbd + 1]; brs = b->strides[bbd]; bcs = b->strides[bbd + 1];
  }
  if (k != k2) align_error(L, fname, a, b);
  {
    int nds[2] = {abd, bbd};
    const int64_t *shs[2] = {a->shape, b->shape};
    if (gl_broadcast_shapes(2, nds, shs, &bnd, bshape) != GL_OK) {
      char msg[512];
      gl_broadcast_error(msg, sizeof msg, 2, nds, shs);
      gl_error(L, fname, "%s (batch axes)", msg);
    }
  }
  memcpy(oshape, bshape, sizeof(int64_t) * (size_t)bnd);
  ond = bnd;
  if (a->ndim > 1) oshape[ond++] = m;
  if (b->ndim > 1) oshape[ond++] = n;
  c = gl_array_push(L, ct, ond, oshape);
  nb = gl_shape_size(bnd, bshape);
  sz = gl_dtype_size(ct);
  for (int64_t i = 0; i < nb && rc == GL_OK; i++) {
    int64_t oa = batch_offset(i, bnd, bshape, abd, a->shape, a->strides);
    int64_t ob = batch_offset(i, bnd, bshape, bbd, b->shape, b->strides);
    rc = product(ct, m, n, k, a->data + oa * (int64_t)sz, ars, acs, b->data + ob * (int64_t)sz, brs, bcs,
                 c->data + i * m * n * (int64_t)sz, n);
  }
  check_kernel(L, fname, rc);
  return product_result(L, c, rt);
}

static int np_matmul (lua_State *L) { return matmul_core(L, "np.matmul"); }
static int m_matmul (lua_State *L) { return matmul_core(L, "matmul"); }

/* np.dot: a scalar operand multiplies; when b has more than two axes and a
 * at least two, dot(a, b)[i.., j.., n] = sum_k a[i.., k] * b[j.., k, n]
 * (the result's axes are a's leading axes, then b's); everything else is
 * exactly matmul. */
static int dot_core (lua_State *L, const char *fname) {
  gl_array *a, *b, *c;
  gl_dtype ct, rt;
  int64_t rows, k, n, nbb, oshape[GL_MAXDIMS];
  int ond = 0, rc = GL_OK;
  size_t sz;
  lua_settop(L, 2);
  a = gl_array_arg(L, 1, -1, fname);
  b = gl_array_arg(L, 2, -1, fname);
  if (a->ndim == 0 || b->ndim == 0) return scalar_product(L);
  if (b->ndim <= 2 || a->ndim == 1) return matmul_core(L, fname);
  if (a->ndim - 1 + b->ndim - 1 > GL_MAXDIMS) gl_error(L, fname, "too many dimensions in the result");
  rt = product_args(L, fname, &a, &b, &ct);
  a = gl_array_arg_contig(L, 1, ct, fname);
  k = a->shape[a->ndim - 1];
  if (k != b->shape[b->ndim - 2]) align_error(L, fname, a, b);
  n = b->shape[b->ndim - 1];
  rows = gl_shape_size(a->ndim - 1, a->shape);
  nbb = gl_shape_size(b->ndim - 2, b->shape);
  for (int i = 0; i < a->ndim - 1; i++) oshape[ond++] = a->shape[i];
  for (int i = 0; i < b->ndim - 2; i++) oshape[ond++] = b->shape[i];
  oshape[ond++] = n;
  c = gl_array_push(L, ct, ond, oshape);
  sz = gl_dtype_size(ct);
  for (int64_t j = 0; j < nbb && rc == GL_OK; j++) {
    int64_t ob = batch_offset(j, b->ndim - 2, b->shape, b->ndim - 2, b->shape, b->strides);
    rc = product(ct, rows, n, k, a->data, k, 1, b->data + ob * (int64_t)sz,
                 b->strides[b->ndim - 2], b->strides[b->ndim - 1],
                 c->data + j * n * (int64_t)sz, nbb * n);
  }
  check_kernel(L, fname, rc);
  return product_result(L, c, rt);
}

static int np_dot (lua_State *L) { return dot_core(L, "np.dot"); }
static int m_dot (lua_State *L) { return dot_core(L, "dot"); }

/* np.inner: sum over the last axes, inner(a, b)[i.., j..] = sum_k a[i.., k] b[j.., k]. */
static int np_inner (lua_State *L) {
  const char *fname = "np.inner";
  gl_array *a, *b, *c;
  gl_dtype ct, rt;
  int64_t ra, rb, k, oshape[GL_MAXDIMS];
  int ond = 0;
  lua_settop(L, 2);
  a = gl_array_arg(L, 1, -1, fname);
  b = gl_array_arg(L, 2, -1, fname);
  if (a->ndim == 0 || b->ndim == 0) return scalar_product(L);
  if (a->ndim + b->ndim - 2 > GL_MAXDIMS) gl_error(L, fname, "too many dimensions in the result");
  rt = product_args(L, fname, &a, &b, &ct);
  a = gl_array_arg_contig(L, 1, ct, fname);
  b = gl_array_arg_contig(L, 2, ct, fname);
  k = a->shape[a->ndim - 1];
  if (k != b->shape[b->ndim - 1]) align_error(L, fname, a, b);
  ra = gl_shape_size(a->ndim - 1, a->shape);
  rb = gl_shape_size(b->ndim - 1, b->shape);
  for (int i = 0; i < a->ndim - 1; i++) oshape[ond++] = a->shape[i];
  for (int i = 0; i < b->ndim - 1; i++) oshape[ond++] = b->shape[i];
  c = gl_array_push(L, ct, ond, oshape);
  check_kernel(L, fname, product(ct, ra, rb, k, a->data, k, 1, b->data, 1, k, c->data, rb));
  return product_result(L, c, rt);
}

/* np.outer: both operands flattened, out[i, j] = a[i] * b[j]. */
static int np_outer (lua_State *L) {
  const char *fname = "np.outer";
  gl_array *a, *b, *c;
  gl_dtype ct, rt;
  lua_settop(L, 2);
  rt = product_args(L, fname, &a, &b, &ct);
  a = gl_array_arg_contig(L, 1, ct, fname);
  b = gl_array_arg_contig(L, 2, ct, fname);
  c = gl_array_push2(L, ct, a->size, b->size);
  check_kernel(L, fname, product(ct, a->size, b->size, 1, a->data, 1, 1, b->data, 1, 1, c->data, b->size));
  if (c->dtype != rt) gl_array_push_copy(L, c, rt);
  return 1;
}
/* } */

/* {=====  registration  ===== */

static const luaL_Reg funcs[] = {
  {"dot", np_dot},
  {"inner", np_inner},
  {"matmul", np_matmul},
  {"outer", np_outer},
  {NULL, NULL}
};

static const luaL_Reg methods[] = {
  {"dot", m_dot},
  {"matmul", m_matmul},
  {NULL, NULL}
};

void gl_array_open_linalg (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  gl_array_add_methods(L, methods);
  lua_newtable(L);
  gl_linalg_open_decomp(L);
  lua_setfield(L, -2, "linalg");
}
/* } */
