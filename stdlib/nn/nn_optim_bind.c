/* nn_optim_bind.c: the training part of geolab.nn_core: the fused steps of
 * kernels/nn/optim.c for optim.lua, and the one host query of nn.fit (is
 * stdout a terminal: a live progress bar or plain lines). Internal: optim.lua has checked the
 * options and passes its public name first, for the error messages. Every
 * step updates its arrays in place (PyTorch's in-place contract: views and
 * state that refer to a parameter's array see the new values). */
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include "gl_array.h"
#include "optim.h"
#include "nn_internal.h"

/* An array updated in place: float32/float64, contiguous (a copy could not
 * be written back). NULL for nil when optional. */
static gl_array *inplace_arg (lua_State *L, int idx, const char *fname, const char *what,
                              const gl_array *like, int optional) {
  if (optional && lua_isnoneornil(L, idx)) return NULL;
  gl_array *a = gl_array_check(L, idx);
  if (a->dtype != GL_FLOAT32 && a->dtype != GL_FLOAT64)
    gl_error(L, fname, "%s must be float32 or float64, got %s", what, gl_dtype_name(a->dtype));
  if (!gl_array_is_contiguous(a)) gl_error(L, fname, "%s must be a contiguous array", what);
  if (like && (a->dtype != like->dtype || a->size != like->size))
    gl_error(L, fname, "%s (%s, %lld elements) does not match the parameter (%s, %lld elements)",
             what, gl_dtype_name(a->dtype), (long long)a->size, gl_dtype_name(like->dtype),
             (long long)like->size);
  return a;
}

/* The gradient at idx, same dtype and shape as p, made contiguous (a copy
 * replaces it on the stack if needed). */
static gl_array *grad_arg (lua_State *L, int idx, const char *fname, const gl_array *p) {
  gl_array *g = gl_array_check(L, idx);
  char s1[64], s2[64];
  if (g->dtype != p->dtype || g->ndim != p->ndim || g->size != p->size)
    gl_error(L, fname, "gradient %s %s does not match its parameter %s %s", gl_dtype_name(g->dtype),
             gl_shape_str(s1, sizeof s1, g->ndim, g->shape), gl_dtype_name(p->dtype),
             gl_shape_str(s2, sizeof s2, p->ndim, p->shape));
  for (int i = 0; i < g->ndim; i++)
    if (g->shape[i] != p->shape[i])
      gl_error(L, fname, "gradient shape %s does not match its parameter %s",
               gl_shape_str(s1, sizeof s1, g->ndim, g->shape), gl_shape_str(s2, sizeof s2, p->ndim, p->shape));
  if (!gl_array_is_contiguous(g)) {
    g = gl_array_push_copy(L, g, g->dtype);
    lua_replace(L, idx);
  }
  return g;
}

#define F32(a) ((float *)(a)->data)
#define F64(a) ((double *)(a)->data)
#define OPT32(a) ((a) ? F32(a) : NULL)
#define OPT64(a) ((a) ? F64(a) : NULL)

/* sgd_step(fname, p, g, buf|nil, lr, momentum, dampening, weight_decay,
 *          nesterov, maximize, first) */
static int nn_sgd_step (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *p = inplace_arg(L, 2, fname, "parameter", NULL, 0);
  gl_array *g = grad_arg(L, 3, fname, p);
  gl_array *buf = inplace_arg(L, 4, fname, "momentum buffer", p, 1);
  gl_nn_sgd_opts o = {luaL_checknumber(L, 5), luaL_checknumber(L, 6), luaL_checknumber(L, 7),
                      luaL_checknumber(L, 8), lua_toboolean(L, 9), lua_toboolean(L, 10),
                      lua_toboolean(L, 11)};
  int rc = p->dtype == GL_FLOAT32 ? gl_nn_sgd_step_f32(p->size, F32(p), F32(g), OPT32(buf), &o)
                                  : gl_nn_sgd_step_f64(p->size, F64(p), F64(g), OPT64(buf), &o);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 0;
}

/* adam_step(fname, p, g, m, v, vmax|nil, lr, beta1, beta2, eps, weight_decay,
 *           step_size, bc2_sqrt, amsgrad, maximize, decoupled) */
static int nn_adam_step (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *p = inplace_arg(L, 2, fname, "parameter", NULL, 0);
  gl_array *g = grad_arg(L, 3, fname, p);
  gl_array *m = inplace_arg(L, 4, fname, "exp_avg", p, 0);
  gl_array *v = inplace_arg(L, 5, fname, "exp_avg_sq", p, 0);
  gl_array *vmax = inplace_arg(L, 6, fname, "max_exp_avg_sq", p, 1);
  gl_nn_adam_opts o = {luaL_checknumber(L, 7), luaL_checknumber(L, 8), luaL_checknumber(L, 9),
                       luaL_checknumber(L, 10), luaL_checknumber(L, 11), luaL_checknumber(L, 12),
                       luaL_checknumber(L, 13), lua_toboolean(L, 14), lua_toboolean(L, 15),
                       lua_toboolean(L, 16)};
  int rc = p->dtype == GL_FLOAT32
    ? gl_nn_adam_step_f32(p->size, F32(p), F32(g), F32(m), F32(v), OPT32(vmax), &o)
    : gl_nn_adam_step_f64(p->size, F64(p), F64(g), F64(m), F64(v), OPT64(vmax), &o);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 0;
}

/* rmsprop_step(fname, p, g, square_avg, grad_avg|nil, buf|nil, lr, alpha, eps,
 *              weight_decay, momentum, centered, maximize) */
static int nn_rmsprop_step (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *p = inplace_arg(L, 2, fname, "parameter", NULL, 0);
  gl_array *g = grad_arg(L, 3, fname, p);
  gl_array *sq = inplace_arg(L, 4, fname, "square_avg", p, 0);
  gl_array *ga = inplace_arg(L, 5, fname, "grad_avg", p, 1);
  gl_array *buf = inplace_arg(L, 6, fname, "momentum buffer", p, 1);
  gl_nn_rmsprop_opts o = {luaL_checknumber(L, 7), luaL_checknumber(L, 8), luaL_checknumber(L, 9),
                          luaL_checknumber(L, 10), luaL_checknumber(L, 11), lua_toboolean(L, 12),
                          lua_toboolean(L, 13)};
  int rc = p->dtype == GL_FLOAT32
    ? gl_nn_rmsprop_step_f32(p->size, F32(p), F32(g), F32(sq), OPT32(ga), OPT32(buf), &o)
    : gl_nn_rmsprop_step_f64(p->size, F64(p), F64(g), F64(sq), OPT64(ga), OPT64(buf), &o);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 0;
}

/* norm(fname, x, norm_type) -> the norm as a number, rounded to x's dtype */
static int nn_norm (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = gl_array_check(L, 2);
  double q = luaL_checknumber(L, 3), out = 0;
  if (x->dtype != GL_FLOAT32 && x->dtype != GL_FLOAT64)
    return gl_error(L, fname, "gradients must be float32 or float64, got %s", gl_dtype_name(x->dtype));
  if (!gl_array_is_contiguous(x)) {
    x = gl_array_push_copy(L, x, x->dtype);
    lua_replace(L, 2);
  }
  int rc = x->dtype == GL_FLOAT32 ? gl_nn_norm_f32(x->size, F32(x), q, &out)
                                  : gl_nn_norm_f64(x->size, F64(x), q, &out);
  if (rc) return gl_kernel_error(L, fname, rc);
  lua_pushnumber(L, out);
  return 1;
}

/* scale_(fname, x, s): x *= s in place */
static int nn_scale (lua_State *L) {
  const char *fname = luaL_checkstring(L, 1);
  gl_array *x = inplace_arg(L, 2, fname, "gradient", NULL, 0);
  double s = luaL_checknumber(L, 3);
  int rc = x->dtype == GL_FLOAT32 ? gl_nn_scale_f32(x->size, F32(x), s)
                                  : gl_nn_scale_f64(x->size, F64(x), s);
  if (rc) return gl_kernel_error(L, fname, rc);
  return 0;
}

/* add_into(x, y) -> done: x += y in place when x is contiguous and y has
 * x's dtype and shape (the tape's gradient accumulation without a temporary:
 * the bits of x + y); false, x untouched, otherwise (the caller adds in np). */
static int nn_add_into (lua_State *L) {
  gl_array *x = gl_array_check(L, 1), *y = gl_array_check(L, 2);
  int ok = x->dtype == y->dtype && (x->dtype == GL_FLOAT32 || x->dtype == GL_FLOAT64) &&
           x->ndim == y->ndim && gl_array_is_contiguous(x) && gl_array_is_contiguous(y);
  for (int i = 0; ok && i < x->ndim; i++) ok = x->shape[i] == y->shape[i];
  if (ok && x->data != y->data) {   /* the kernel's simd loop wants no partial overlap */
    size_t nb = (size_t)x->size * gl_dtype_size(x->dtype);
    ok = x->data + nb <= y->data || y->data + nb <= x->data;
  }
  if (ok) {
    int rc = x->dtype == GL_FLOAT32 ? gl_nn_add_into_f32(x->size, F32(x), F32(y))
                                    : gl_nn_add_into_f64(x->size, F64(x), F64(y));
    if (rc) return gl_kernel_error(L, "nn_core.add_into", rc);
  }
  lua_pushboolean(L, ok);
  return 1;
}

/* stdout_isatty() -> boolean */
static int nn_stdout_isatty (lua_State *L) {
  lua_pushboolean(L, isatty(STDOUT_FILENO));
  return 1;
}

static const luaL_Reg optim_funcs[] = {
  {"adam_step", nn_adam_step},
  {"add_into", nn_add_into},
  {"norm", nn_norm},
  {"rmsprop_step", nn_rmsprop_step},
  {"scale_", nn_scale},
  {"sgd_step", nn_sgd_step},
  {"stdout_isatty", nn_stdout_isatty},
  {NULL, NULL}
};

void gl_nn_open_optim (lua_State *L) { luaL_setfuncs(L, optim_funcs, 0); }
