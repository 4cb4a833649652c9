/* array_linalg_decomp.c: the np.linalg table (solve, inv, det, eig, svd, ...,
 * norm); bindings of kernels/linalg.c. See array_linalg.c for the rules on
 * working type, private copies, stacks and non-finite input. */
#include <float.h>
#include <math.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "iter.h"
#include "linalg.h"

void gl_linalg_open_decomp(lua_State *L);

/* {=====  dtype dispatch  ===== */

/* The kernels of one float type; a binding takes the table of its working
 * type once (ops_of) and calls through it. */
enum { SQ_INV, SQ_CHOLESKY };   /* in-place kernels of one square matrix */
typedef int (*square_fn)(int64_t n, void *a);
typedef struct {
  int (*all_finite)(int64_t n, const void *x, int64_t inc);
  int (*solve)(int64_t n, int64_t nrhs, void *a, void *b);
  square_fn square[2];
  int (*slogdet)(int64_t n, void *a, void *sign, void *logdet, int64_t i, int want_det);
  int (*eigh)(int64_t n, void *a, void *w, char uplo, int vectors);
  int (*svd)(int64_t m, int64_t n, void *a, void *s, void *u, void *vt, int full, int uv);
  int (*qr)(int64_t m, int64_t n, const void *a, void *q, void *r, int complete);
  int (*lstsq)(int64_t m, int64_t n, int64_t nrhs, void *a, void *b, void *s, double rcond, int64_t *rank);
  int (*pinv)(int64_t m, int64_t n, void *a, void *out, double rcond);
  double (*vnorm)(int64_t n, const void *x, int64_t inc, double ord);
  int (*mnorm)(int64_t m, int64_t n, const void *a, int64_t rs, int64_t cs, int ord, double *out);
  double (*round)(double v);
  double eps;                  /* machine epsilon of the type */
} lin_ops;

#define GL_T float
#define GL_FN(x) x##_f32
#define GL_EXP expf
#define GL_EPS FLT_EPSILON
#include "array_linalg_ops.inc"
#undef GL_T
#undef GL_FN
#undef GL_EXP
#undef GL_EPS

#define GL_T double
#define GL_FN(x) x##_f64
#define GL_EXP exp
#define GL_EPS DBL_EPSILON
#include "array_linalg_ops.inc"
#undef GL_T
#undef GL_FN
#undef GL_EXP
#undef GL_EPS

/* The working type of a dtype: float32 stays, everything else is float64. */
static gl_dtype work_type (gl_dtype t) { return t == GL_FLOAT32 ? GL_FLOAT32 : GL_FLOAT64; }

/* The kernels of a working type, and of a float array. */
static const lin_ops *ops_for (gl_dtype t) { return t == GL_FLOAT32 ? &lin_ops_f32 : &lin_ops_f64; }
static const lin_ops *ops_of (const gl_array *a) { return ops_for(a->dtype); }
/* } */

/* {=====  helpers  ===== */

static int all_finite (const gl_array *c) { return ops_of(c)->all_finite(c->size, c->data, 1); }

/* Pushes a private C-contiguous copy of argument idx in the working type,
 * after checking it is a (stack of) matrices, square if asked, and finite.
 * *nb receives the number of matrices in the stack. */
static gl_array *lin_copy (lua_State *L, int idx, const char *fname, int square, int64_t *nb) {
  gl_array *a = gl_array_arg(L, idx, -1, fname), *c;
  gl_dtype t = work_type(a->dtype);
  char s[128];
  /* a real copy would drop the imaginary parts: refuse until the complex
   * LAPACK routines (zgetrf, zheevd...) are bound */
  if (gl_dtype_is_complex(a->dtype)) gl_error(L, fname, "complex matrices are not supported yet");
  if (a->ndim < 2)
    gl_error(L, fname, "%d-dimensional array given; array must be at least two-dimensional", a->ndim);
  if (square && a->shape[a->ndim - 1] != a->shape[a->ndim - 2])
    gl_error(L, fname, "last 2 dimensions of the array must be square, got shape %s",
             gl_shape_str(s, sizeof s, a->ndim, a->shape));
  c = gl_array_push_copy(L, a, t);
  if (!all_finite(c)) gl_error(L, fname, "array must not contain infs or NaNs");
  *nb = gl_shape_size(c->ndim - 2, c->shape);
  return c;
}

/* Pointer to item i of a contiguous array of matrices of `len` elements each. */
static char *mat (const gl_array *a, int64_t i, int64_t len) {
  return a->data + i * len * (int64_t)gl_dtype_size(a->dtype);
}

/* Pushes an array of dtype t shaped batch(a) + tail (ntail axes). */
static gl_array *push_batch (lua_State *L, gl_dtype t, const gl_array *a, int ntail, int64_t d0, int64_t d1) {
  int64_t shape[GL_MAXDIMS];
  int nd = a->ndim - 2;
  memcpy(shape, a->shape, sizeof(int64_t) * (size_t)nd);
  if (ntail > 0) shape[nd++] = d0;
  if (ntail > 1) shape[nd++] = d1;
  return gl_array_push(L, t, nd, shape);
}

/* Raises the message for a failed kernel: `numeric` for GL_ESINGULAR. */
static void lin_check (lua_State *L, const char *fname, int rc, const char *numeric) {
  if (rc == GL_OK) return;
  if (rc == GL_ESINGULAR) gl_error(L, fname, "%s", numeric);
  gl_kernel_error(L, fname, rc);
}

/* Leaves out on top, as a Lua value when it is 0-d. */
static int result_or_number (lua_State *L, gl_array *out) {
  if (out->ndim == 0) gl_array_push_elem(L, out, 0);
  return 1;
}

/* An options table at idx (or nothing): checks its keys. */
static int opt_table (lua_State *L, int idx, const char *fname, const char *const *allowed) {
  if (lua_isnoneornil(L, idx)) return 0;
  luaL_checktype(L, idx, LUA_TTABLE);
  gl_check_options(L, idx, fname, allowed);
  return 1;
}
/* } */

/* {=====  solve, inv, det  ===== */

/* b is a vector (or stack of vectors) when it has one axis less than a, as
 * in NumPy 1.24. */
static int la_solve (lua_State *L) {
  const char *fname = "np.linalg.solve";
  int64_t nb, n, nrhs, bshape[GL_MAXDIMS], xshape[GL_MAXDIMS];
  int vec, bbd, bnd, rc = GL_OK;
  gl_array *a, *b, *x, *af;
  lua_settop(L, 2);
  a = lin_copy(L, 1, fname, 1, &nb);                       /* 3 */
  b = gl_array_arg(L, 2, -1, fname);
  n = a->shape[a->ndim - 1];
  if (b->ndim == 0) gl_error(L, fname, "b must be at least one-dimensional");
  vec = b->ndim == a->ndim - 1;
  if (!vec && b->ndim < 2)
    gl_error(L, fname, "b must have one axis less than a (a vector) or as many (a matrix), got %d and %d axes",
             b->ndim, a->ndim);
  bbd = b->ndim - (vec ? 1 : 2);
  nrhs = vec ? 1 : b->shape[b->ndim - 1];
  if (b->shape[bbd] != n) {
    char s1[128], s2[128];
    gl_error(L, fname, "shapes %s and %s do not align", gl_shape_str(s1, sizeof s1, a->ndim, a->shape),
             gl_shape_str(s2, sizeof s2, b->ndim, b->shape));
  }
  {
    int nds[2] = {a->ndim - 2, bbd};
    const int64_t *shs[2] = {a->shape, b->shape};
    if (gl_broadcast_shapes(2, nds, shs, &bnd, bshape) != GL_OK) {
      char msg[512];
      gl_broadcast_error(msg, sizeof msg, 2, nds, shs);
      gl_error(L, fname, "%s", msg);
    }
  }
  memcpy(xshape, bshape, sizeof(int64_t) * (size_t)bnd);
  xshape[bnd] = n; xshape[bnd + 1] = nrhs;
  x = gl_array_push(L, a->dtype, bnd + (vec ? 1 : 2), xshape);          /* 4 */
  gl_array_assign(x, b);
  if (!all_finite(x)) gl_error(L, fname, "array must not contain infs or NaNs");
  af = a;
  if (bnd != a->ndim - 2 || gl_shape_size(bnd, bshape) != nb) {   /* broadcast a over b's stack */
    xshape[bnd] = n; xshape[bnd + 1] = n;
    af = gl_array_push(L, a->dtype, bnd + 2, xshape);                  /* 5 */
    gl_array_assign(af, a);
  }
  nb = gl_shape_size(bnd, bshape);
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = ops_of(a)->solve(n, nrhs, mat(af, i, n * n), mat(x, i, n * nrhs));
  lin_check(L, fname, rc, "singular matrix");
  lua_pushvalue(L, 4);
  return 1;
}

/* Runs the in-place kernel `which` on a copy of each matrix of the stack
 * at 1 (inv, cholesky) and returns the copy; `numeric` names GL_ESINGULAR. */
static int each_square (lua_State *L, const char *fname, int which, const char *numeric) {
  int64_t nb, n;
  int rc = GL_OK;
  gl_array *a;
  square_fn f;
  lua_settop(L, 1);
  a = lin_copy(L, 1, fname, 1, &nb);
  n = a->shape[a->ndim - 1];
  f = ops_of(a)->square[which];
  for (int64_t i = 0; i < nb && rc == GL_OK; i++) rc = f(n, mat(a, i, n * n));
  lin_check(L, fname, rc, numeric);
  return 1;
}

static int la_inv (lua_State *L) { return each_square(L, "np.linalg.inv", SQ_INV, "singular matrix"); }

/* det = sign * exp(logdet), as NumPy computes it. A single matrix gives Lua
 * numbers, a stack gives arrays. */
static int slogdet_core (lua_State *L, const char *fname, int want_det) {
  int64_t nb, n;
  int rc = GL_OK;
  gl_array *a, *sg, *ld;
  lua_settop(L, 1);
  a = lin_copy(L, 1, fname, 1, &nb);                   /* 2 */
  n = a->shape[a->ndim - 1];
  sg = push_batch(L, a->dtype, a, 0, 0, 0);           /* 3 */
  ld = push_batch(L, a->dtype, a, 0, 0, 0);           /* 4 */
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = ops_of(a)->slogdet(n, mat(a, i, n * n), sg->data, ld->data, i, want_det);
  lin_check(L, fname, rc, "singular matrix");
  if (sg->ndim == 0) {
    gl_array_push_elem(L, sg, 0);
    if (want_det) return 1;
    gl_array_push_elem(L, ld, 0);
    return 2;
  }
  if (want_det) { lua_settop(L, 3); return 1; }
  return 2;
}

static int la_det (lua_State *L) { return slogdet_core(L, "np.linalg.det", 1); }
static int la_slogdet (lua_State *L) { return slogdet_core(L, "np.linalg.slogdet", 0); }
/* } */

/* {=====  eigenvalues  ===== */

static char uplo_arg (lua_State *L, int idx, const char *fname) {
  static const char *const allowed[] = {"UPLO", NULL};
  const char *s = "L";
  if (lua_type(L, idx) == LUA_TSTRING) s = lua_tostring(L, idx);
  else if (opt_table(L, idx, fname, allowed)) s = gl_opt_string(L, idx, "UPLO", "L", fname);
  if (strcmp(s, "L") != 0 && strcmp(s, "U") != 0) gl_error(L, fname, "UPLO argument must be 'L' or 'U'");
  return s[0];
}

static int eigh_core (lua_State *L, const char *fname, int vectors) {
  int64_t nb, n;
  int rc = GL_OK;
  char uplo;
  gl_array *a, *w;
  lua_settop(L, 2);
  uplo = uplo_arg(L, 2, fname);
  a = lin_copy(L, 1, fname, 1, &nb);                  /* 3 */
  n = a->shape[a->ndim - 1];
  w = push_batch(L, a->dtype, a, 1, n, 0);            /* 4 */
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = ops_of(a)->eigh(n, mat(a, i, n * n), mat(w, i, n), uplo, vectors);
  lin_check(L, fname, rc, "eigenvalues did not converge");
  if (!vectors) return 1;
  lua_pushvalue(L, 3);
  return 2;
}

static int la_eigh (lua_State *L) { return eigh_core(L, "np.linalg.eigh", 1); }
static int la_eigvalsh (lua_State *L) { return eigh_core(L, "np.linalg.eigvalsh", 0); }

/* Unpacks LAPACK's real storage of complex eigenvector pairs of one n x n
 * matrix: for wi[j] > 0, columns j and j+1 of vr hold re and im of v_j, and
 * v_{j+1} is its conjugate. */
static void unpack_vectors (int64_t n, const double *wi, const double *vr, double *re, double *im) {
  for (int64_t j = 0; j < n; j++) {
    if (wi[j] != 0 && j + 1 < n) {
      for (int64_t r = 0; r < n; r++) {
        double x = vr[r * n + j], y = vr[r * n + j + 1];
        re[r * n + j] = x; im[r * n + j] = y;
        re[r * n + j + 1] = x; im[r * n + j + 1] = -y;
      }
      j++;
    } else
      for (int64_t r = 0; r < n; r++) { re[r * n + j] = vr[r * n + j]; im[r * n + j] = 0; }
  }
}

/* Pushes the complex array re + 1j*im (float64 parts) of dtype complex64
 * when t is float32, else complex128. */
static void push_complex (lua_State *L, const gl_array *re, const gl_array *im, gl_dtype t) {
  gl_array *z = gl_array_push(L, GL_COMPLEX128, re->ndim, re->shape);
  double *d = (double *)z->data;
  for (int64_t i = 0; i < re->size; i++) {
    d[2 * i] = ((const double *)re->data)[i];
    d[2 * i + 1] = ((const double *)im->data)[i];
  }
  if (t == GL_FLOAT32) { gl_array_push_copy(L, z, GL_COMPLEX64); lua_remove(L, -2); }
}

/* eig/eigvals compute in float64 (float32 results are cast back). With all
 * eigenvalues real they return real arrays, otherwise complex arrays (NumPy
 * returns complex only when some eigenvalue is complex, too). */
static int eig_core (lua_State *L, const char *fname, int vectors) {
  int64_t nb, n, any_complex = 0;
  int rc = GL_OK;
  gl_dtype t;
  gl_array *a, *wr, *wi, *vr = NULL;
  lua_settop(L, 1);
  t = work_type(gl_array_arg(L, 1, -1, fname)->dtype);
  gl_array_arg(L, 1, GL_FLOAT64, fname);
  a = lin_copy(L, 1, fname, 1, &nb);                  /* 2 */
  n = a->shape[a->ndim - 1];
  wr = push_batch(L, GL_FLOAT64, a, 1, n, 0);         /* 3 */
  wi = push_batch(L, GL_FLOAT64, a, 1, n, 0);         /* 4 */
  if (vectors) vr = push_batch(L, GL_FLOAT64, a, 2, n, n);   /* 5 */
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = gl_linalg_eig_f64(n, (double *)mat(a, i, n * n), (double *)mat(wr, i, n),
                           (double *)mat(wi, i, n), vr ? (double *)mat(vr, i, n * n) : NULL);
  lin_check(L, fname, rc, "eigenvalues did not converge");
  for (int64_t i = 0; i < wi->size; i++) any_complex |= ((double *)wi->data)[i] != 0;
  if (!any_complex) {
    lua_pushvalue(L, 3);
    if (t != GL_FLOAT64) { gl_array_push_copy(L, wr, t); lua_replace(L, -2); }
    if (!vectors) return 1;
    lua_pushvalue(L, 5);
    if (t != GL_FLOAT64) { gl_array_push_copy(L, vr, t); lua_replace(L, -2); }
    return 2;
  }
  /* complex eigenvalues: complex arrays, as NumPy (their .real and .imag
   * fields are what the {real=, imag=} tables of earlier versions held) */
  push_complex(L, wr, wi, t);
  if (!vectors) return 1;
  {
    gl_array *re = push_batch(L, GL_FLOAT64, a, 2, n, n), *im;
    im = push_batch(L, GL_FLOAT64, a, 2, n, n);
    for (int64_t i = 0; i < nb; i++)
      unpack_vectors(n, (double *)mat(wi, i, n), (double *)mat(vr, i, n * n),
                     (double *)mat(re, i, n * n), (double *)mat(im, i, n * n));
    push_complex(L, re, im, t);
    lua_replace(L, -3);
    lua_pop(L, 1);
  }
  return 2;
}

static int la_eig (lua_State *L) { return eig_core(L, "np.linalg.eig", 1); }
static int la_eigvals (lua_State *L) { return eig_core(L, "np.linalg.eigvals", 0); }
/* } */

/* {=====  svd, qr, cholesky, lstsq, pinv  ===== */

static int la_svd (lua_State *L) {
  static const char *const allowed[] = {"compute_uv", "full_matrices", NULL};
  const char *fname = "np.linalg.svd";
  int64_t nb, m, n, k, uc, vr;
  int rc = GL_OK, full, uv;
  gl_array *a, *u = NULL, *s, *vt = NULL;
  lua_settop(L, 2);
  opt_table(L, 2, fname, allowed);
  full = gl_opt_boolean(L, 2, "full_matrices", 1, fname);
  uv = gl_opt_boolean(L, 2, "compute_uv", 1, fname);
  a = lin_copy(L, 1, fname, 0, &nb);                  /* 3 */
  m = a->shape[a->ndim - 2]; n = a->shape[a->ndim - 1]; k = m < n ? m : n;
  uc = full ? m : k; vr = full ? n : k;
  s = push_batch(L, a->dtype, a, 1, k, 0);            /* 4 */
  if (uv) {
    u = push_batch(L, a->dtype, a, 2, m, uc);         /* 5 */
    vt = push_batch(L, a->dtype, a, 2, vr, n);        /* 6 */
  }
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = ops_of(a)->svd(m, n, mat(a, i, m * n), mat(s, i, k), uv ? mat(u, i, m * uc) : NULL,
                        uv ? mat(vt, i, vr * n) : NULL, full, uv);
  lin_check(L, fname, rc, "SVD did not converge");
  if (!uv) { lua_settop(L, 4); return 1; }
  lua_pushvalue(L, 5); lua_pushvalue(L, 4); lua_pushvalue(L, 6);
  return 3;
}

static int la_qr (lua_State *L) {
  static const char *const allowed[] = {"mode", NULL};
  const char *fname = "np.linalg.qr", *mode = "reduced";
  int64_t nb, m, n, k, kr;
  int rc = GL_OK, complete, want_q;
  gl_array *a, *q = NULL, *r;
  lua_settop(L, 2);
  if (lua_type(L, 2) == LUA_TSTRING) mode = lua_tostring(L, 2);
  else if (opt_table(L, 2, fname, allowed)) mode = gl_opt_string(L, 2, "mode", "reduced", fname);
  if (strcmp(mode, "reduced") != 0 && strcmp(mode, "complete") != 0 && strcmp(mode, "r") != 0)
    gl_error(L, fname, "unrecognized mode '%s' (expected 'reduced', 'complete' or 'r')", mode);
  complete = strcmp(mode, "complete") == 0;
  want_q = strcmp(mode, "r") != 0;
  a = lin_copy(L, 1, fname, 0, &nb);                  /* 3 */
  m = a->shape[a->ndim - 2]; n = a->shape[a->ndim - 1]; k = m < n ? m : n;
  kr = complete ? m : k;
  r = push_batch(L, a->dtype, a, 2, kr, n);           /* 4 */
  if (want_q) q = push_batch(L, a->dtype, a, 2, m, kr);   /* 5 */
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = ops_of(a)->qr(m, n, mat(a, i, m * n), q ? mat(q, i, m * kr) : NULL, mat(r, i, kr * n), complete);
  lin_check(L, fname, rc, "QR failed");
  if (!want_q) return 1;
  lua_pushvalue(L, 4);
  return 2;
}

static int la_cholesky (lua_State *L) {
  return each_square(L, "np.linalg.cholesky", SQ_CHOLESKY, "matrix is not positive definite");
}

/* rcond as a number argument or an option; def if absent. */
static double rcond_arg (lua_State *L, int idx, double def, const char *fname) {
  static const char *const allowed[] = {"rcond", NULL};
  if (lua_type(L, idx) == LUA_TNUMBER) return lua_tonumber(L, idx);
  if (opt_table(L, idx, fname, allowed)) return gl_opt_number(L, idx, "rcond", def, fname);
  return def;
}

/* Returns x, residuals, rank, s like NumPy (rcond default: eps * max(m, n)). */
static int la_lstsq (lua_State *L) {
  const char *fname = "np.linalg.lstsq";
  int64_t nb, m, n, k, nrhs, mx, rank = 0, xs[2];
  int rc, vec;
  double rcond;
  gl_array *a, *b, *xb, *s, *view, *res;
  lua_settop(L, 3);
  rcond = rcond_arg(L, 3, -1, fname);
  a = lin_copy(L, 1, fname, 0, &nb);                 /* 4 */
  if (a->ndim != 2) gl_error(L, fname, "a must be two-dimensional, got %d dimensions", a->ndim);
  b = gl_array_arg(L, 2, a->dtype, fname);
  m = a->shape[0]; n = a->shape[1]; k = m < n ? m : n; mx = m > n ? m : n;
  if (b->ndim < 1 || b->ndim > 2 || b->shape[0] != m) {
    char s1[128], s2[128];
    gl_error(L, fname, "shapes %s and %s do not align", gl_shape_str(s1, sizeof s1, a->ndim, a->shape),
             gl_shape_str(s2, sizeof s2, b->ndim, b->shape));
  }
  vec = b->ndim == 1;
  nrhs = vec ? 1 : b->shape[1];
  xb = gl_array_push_zeros(L, a->dtype, 2, (int64_t[2]){mx, nrhs});     /* 5 */
  {
    int64_t vst[2] = {nrhs, 1};
    view = gl_array_push_view(L, 5, a->dtype, b->ndim, b->shape, vst, xb->data);
    gl_array_assign(view, b);
    lua_pop(L, 1);
  }
  if (!all_finite(xb)) gl_error(L, fname, "array must not contain infs or NaNs");
  s = gl_array_push1(L, a->dtype, k);                                    /* 6 */
  rc = ops_of(a)->lstsq(m, n, nrhs, a->data, xb->data, s->data, rcond, &rank);
  lin_check(L, fname, rc, "SVD did not converge in linear least squares");
  xs[0] = n; xs[1] = nrhs;
  view = gl_array_push_view(L, 5, a->dtype, vec ? 1 : 2, xs, (int64_t[2]){nrhs, 1}, xb->data);
  gl_array_push_copy(L, view, a->dtype);                                /* 8: x */
  res = gl_array_push1(L, a->dtype, rank == n && m > n ? nrhs : 0);     /* 9 */
  for (int64_t j = 0; j < res->size; j++) {
    double acc = 0;
    for (int64_t i = n; i < m; i++) {
      double v = gl_array_getd(xb, i * nrhs + j);
      acc += v * v;
    }
    gl_array_setd(res, j, acc);
  }
  lua_pushinteger(L, rank);
  lua_pushvalue(L, 6);
  return 4;
}

static int la_pinv (lua_State *L) {
  const char *fname = "np.linalg.pinv";
  int64_t nb, m, n;
  int rc = GL_OK;
  double rcond;
  gl_array *a, *out;
  lua_settop(L, 2);
  rcond = rcond_arg(L, 2, 1e-15, fname);
  a = lin_copy(L, 1, fname, 0, &nb);                 /* 3 */
  m = a->shape[a->ndim - 2]; n = a->shape[a->ndim - 1];
  out = push_batch(L, a->dtype, a, 2, n, m);
  for (int64_t i = 0; i < nb && rc == GL_OK; i++)
    rc = ops_of(a)->pinv(m, n, mat(a, i, m * n), mat(out, i, n * m), rcond);
  lin_check(L, fname, rc, "SVD did not converge");
  return 1;
}
/* matrix_rank(a [, tol]): singular values above tol, by default
 * max(s) * max(m, n) * eps as NumPy. A 1-D array has rank 1 unless all zero. */
static int la_matrix_rank (lua_State *L) {
  const char *fname = "np.linalg.matrix_rank";
  int64_t nb, m, n, k;
  int rc = GL_OK, has_tol;
  double tol = 0, eps;
  gl_array *a, *s, *out;
  lua_settop(L, 2);
  has_tol = !lua_isnil(L, 2);
  if (has_tol) tol = luaL_checknumber(L, 2);
  a = gl_array_arg(L, 1, -1, fname);
  if (a->ndim < 2) {
    int nz = 0;
    for (int64_t i = 0; i < a->size && !nz; i++) nz = gl_array_getd(a, i) != 0;
    lua_pushinteger(L, nz);
    return 1;
  }
  a = lin_copy(L, 1, fname, 0, &nb);                 /* 3 */
  m = a->shape[a->ndim - 2]; n = a->shape[a->ndim - 1]; k = m < n ? m : n;
  s = push_batch(L, GL_FLOAT64, a, 1, k, 0);          /* 4 */
  out = push_batch(L, GL_INT64, a, 0, 0, 0);          /* 5 */
  eps = ops_of(a)->eps;                               /* of the working type, as NumPy */
  if (a->dtype == GL_FLOAT32) {                       /* the rank of the float32 values, in float64 */
    a = gl_array_push_copy(L, a, GL_FLOAT64);
    lua_replace(L, 3);
  }
  for (int64_t i = 0; i < nb && rc == GL_OK; i++) {
    double *sv = (double *)mat(s, i, k), t;
    int64_t r = 0;
    rc = gl_linalg_svd_f64(m, n, (double *)mat(a, i, m * n), sv, NULL, NULL, 0, 0);
    t = has_tol ? tol : (k > 0 ? sv[0] : 0) * (double)(m > n ? m : n) * eps;
    for (int64_t l = 0; l < k; l++) r += sv[l] > t;
    ((int64_t *)out->data)[i] = r;
  }
  lin_check(L, fname, rc, "SVD did not converge");
  return result_or_number(L, out);
}
/* } */

/* {=====  norm  ===== */

/* Offset (elements) of outer position `flat` of x, counting over the axes
 * not marked in skip (in C order). */
static int64_t outer_offset (const gl_array *x, const int *skip, int64_t flat) {
  int64_t off = 0;
  for (int d = x->ndim - 1; d >= 0; d--) {
    if (skip[d]) continue;
    off += (flat % x->shape[d]) * x->strides[d];
    flat /= x->shape[d];
  }
  return off;
}

/* ord: nil (default), a number, or "fro" / "nuc" / "inf" / "-inf". Returns
 * 0 for nil, 1 for a number (*p), 2 for "fro", 3 for "nuc". */
static int ord_arg (lua_State *L, int idx, double *p, const char *fname) {
  if (lua_isnoneornil(L, idx)) return 0;
  if (lua_type(L, idx) == LUA_TNUMBER) { *p = lua_tonumber(L, idx); return 1; }
  if (lua_type(L, idx) == LUA_TSTRING) {
    const char *s = lua_tostring(L, idx);
    if (strcmp(s, "fro") == 0) return 2;
    if (strcmp(s, "nuc") == 0) return 3;
    if (strcmp(s, "inf") == 0) { *p = INFINITY; return 1; }
    if (strcmp(s, "-inf") == 0) { *p = -INFINITY; return 1; }
    gl_error(L, fname, "invalid norm order '%s'", s);
  }
  return gl_error(L, fname, "ord must be a number or a string, got %s", luaL_typename(L, idx));
}

static int matrix_ord (lua_State *L, int kind, double p, const char *fname) {
  if (kind == 0 || kind == 2) return GL_NORM_FRO;
  if (kind == 3) return GL_NORM_NUC;
  if (p == 1) return GL_NORM_1;
  if (p == -1) return GL_NORM_M1;
  if (p == 2) return GL_NORM_2;
  if (p == -2) return GL_NORM_M2;
  if (p == INFINITY) return GL_NORM_INF;
  if (p == -INFINITY) return GL_NORM_MINF;
  return gl_error(L, fname, "invalid norm order %g for matrices", p);
}

/* norm(x [, ord [, axis [, keepdims]]]) or norm(x, {ord=, axis=, keepdims=}).
 * axis counts from 0 (NumPy): an integer (vector norms) or a pair {r, c} (matrix norms). */
static int la_norm (lua_State *L) {
  static const char *const allowed[] = {"axis", "keepdims", "ord", NULL};
  const char *fname = "np.linalg.norm";
  int kind, naxes = 0, axes[2] = {0, 0}, skip[GL_MAXDIMS] = {0}, keep, ond = 0, mcode = 0;
  double p = 2;
  int64_t oshape[GL_MAXDIMS], nout;
  gl_array *x, *out;
  gl_dtype t;
  const lin_ops *ops;
  lua_settop(L, 4);
  if (lua_istable(L, 2) && !gl_array_test(L, 2)) {     /* options form */
    opt_table(L, 2, fname, allowed);
    lua_getfield(L, 2, "ord");
    if (!gl_opt_field(L, 2, "axis")) lua_pushnil(L);   /* or dim= */
    lua_getfield(L, 2, "keepdims");
    lua_replace(L, 4); lua_replace(L, 3); lua_replace(L, 2);
  }
  kind = ord_arg(L, 2, &p, fname);
  keep = lua_toboolean(L, 4);
  x = gl_array_arg(L, 1, -1, fname);
  t = work_type(x->dtype);
  if (x->dtype != t) x = gl_array_arg(L, 1, t, fname);
  ops = ops_for(t);
  if (lua_isinteger(L, 3)) { naxes = 1; axes[0] = gl_check_axis(L, lua_tointeger(L, 3), x->ndim, fname); }
  else if (lua_istable(L, 3)) {
    naxes = (int)lua_rawlen(L, 3);
    if (naxes < 1 || naxes > 2) gl_error(L, fname, "axis must be an integer or a pair of integers");
    for (int i = 0; i < naxes; i++) {
      lua_rawgeti(L, 3, i + 1);
      if (!lua_isinteger(L, -1)) gl_error(L, fname, "axis must be an integer or a pair of integers");
      axes[i] = gl_check_axis(L, lua_tointeger(L, -1), x->ndim, fname);
      lua_pop(L, 1);
    }
    if (naxes == 2 && axes[0] == axes[1]) gl_error(L, fname, "duplicate axes given");
  }
  else if (!lua_isnil(L, 3)) gl_error(L, fname, "axis must be an integer or a pair of integers");
  else if (kind == 0) {               /* no ord, no axis: 2-norm of everything flattened */
    double v;
    x = gl_array_arg_contig(L, 1, t, fname);
    v = ops->vnorm(x->size, x->data, 1, 2);
    if (!keep) { lua_pushnumber(L, ops->round(v)); return 1; }
    for (int i = 0; i < x->ndim; i++) oshape[i] = 1;
    out = gl_array_push(L, t, x->ndim, oshape);
    gl_array_setd(out, 0, v);
    return 1;
  }
  else if (x->ndim == 1 || x->ndim == 2) { naxes = x->ndim; axes[0] = 0; axes[1] = 1; }
  else gl_error(L, fname, "improper number of dimensions to norm (give axis)");
  if (naxes == 1 && kind >= 2) gl_error(L, fname, "invalid norm order '%s' for vectors", kind == 2 ? "fro" : "nuc");
  if (naxes == 2) mcode = matrix_ord(L, kind, p, fname);
  for (int i = 0; i < naxes; i++) skip[axes[i]] = 1;
  for (int d = 0; d < x->ndim; d++) {
    if (!skip[d]) oshape[ond++] = x->shape[d];
    else if (keep) oshape[ond++] = 1;
  }
  out = gl_array_push(L, t, ond, oshape);
  nout = out->size;
  for (int64_t i = 0; i < nout; i++) {
    int64_t off = outer_offset(x, skip, i) * (int64_t)gl_dtype_size(t);
    double v = 0;
    if (naxes == 1) {
      int64_t len = x->shape[axes[0]], st = x->strides[axes[0]];
      v = ops->vnorm(len, x->data + off, st, p);
    } else {
      int64_t r = x->shape[axes[0]], c = x->shape[axes[1]], rs = x->strides[axes[0]], cs = x->strides[axes[1]];
      int rc;
      if ((mcode == GL_NORM_NUC || mcode == GL_NORM_2 || mcode == GL_NORM_M2)) {
        int fin = 1;
        for (int64_t a = 0; a < r && fin; a++)
          fin = ops->all_finite(c, x->data + off + a * rs * (int64_t)gl_dtype_size(t), cs);
        if (!fin) gl_error(L, fname, "array must not contain infs or NaNs");
      }
      rc = ops->mnorm(r, c, x->data + off, rs, cs, mcode, &v);
      if (rc == GL_EINVAL) gl_error(L, fname, "zero-size array to reduction operation which has no identity");
      lin_check(L, fname, rc, "SVD did not converge");
    }
    gl_array_setd(out, i, v);
  }
  if (out->ndim == 0) gl_array_push_elem(L, out, 0);
  return 1;
}
/* } */

static const luaL_Reg funcs[] = {
  {"cholesky", la_cholesky},
  {"det", la_det},
  {"eig", la_eig},
  {"eigh", la_eigh},
  {"eigvals", la_eigvals},
  {"eigvalsh", la_eigvalsh},
  {"inv", la_inv},
  {"lstsq", la_lstsq},
  {"matrix_rank", la_matrix_rank},
  {"norm", la_norm},
  {"pinv", la_pinv},
  {"qr", la_qr},
  {"slogdet", la_slogdet},
  {"solve", la_solve},
  {"svd", la_svd},
  {NULL, NULL}
};

/* Adds the np.linalg functions to the table on top of the stack. */
void gl_linalg_open_decomp (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
}
