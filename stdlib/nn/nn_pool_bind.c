/* nn_pool_bind.c: geolab.nn_core's pooling (kernels/nn/pool.c) and batch
 * norm (kernels/nn/batchnorm.c) (docs/dev/nn-design.md). */
#include <string.h>
#include "gl_array.h"
#include "nn_bind.h"
#include "pool.h"
#include "batchnorm.h"

#define F32(a) ((float *)(a)->data)
#define F64(a) ((double *)(a)->data)
#define CF32(a) ((a) ? (const float *)(a)->data : NULL)
#define CF64(a) ((a) ? (const double *)(a)->data : NULL)

/* x at idx: (N, C, L) or (N, C, H, W); returns d. */
static int pool_input (lua_State *L, gl_array *x, nnb_call *c) {
  char s1[128];
  if (x->ndim != 3 && x->ndim != 4)
    gl_error(L, c->fname, "x must be (N, C, L) or (N, C, H, W), got shape %s", nnb_shape(s1, sizeof s1, x));
  return x->ndim - 2;
}

/* The geometry of a window pooling of x: kernel, stride (nil: the kernel),
 * padding (nil: 0), dilation (index 0: none, nil: 1), ceil_mode. */
static void pool_parse (lua_State *L, nnb_call *c, gl_array *x, gl_nn_pool_shape *s, int ik, int is, int ip,
                        int id, int ceil_mode) {
  int d = pool_input(L, x, c);
  int64_t k[2] = {1, 1}, st[2] = {1, 1}, pad[2] = {0, 0}, dil[2] = {1, 1}, in[2] = {1, 1}, out[2] = {1, 1};
  nnb_ints(L, ik, d, k, 1, c, "kernel");
  if (lua_isnoneornil(L, is)) memcpy(st, k, sizeof st);
  else nnb_ints(L, is, d, st, 1, c, "stride");
  if (!lua_isnoneornil(L, ip)) nnb_ints(L, ip, d, pad, 0, c, "padding");
  if (id && !lua_isnoneornil(L, id)) nnb_ints(L, id, d, dil, 1, c, "dilation");
  for (int i = 0; i < d; i++) {
    in[i] = x->shape[2 + i];
    if (pad[i] > k[i] / 2)
      gl_error(L, c->fname, "padding (%d) must be at most half of the kernel size (%d)", (int)pad[i], (int)k[i]);
    out[i] = gl_nn_pool_out_size(in[i], k[i], pad[i], st[i], dil[i], ceil_mode);
    if (out[i] < 1)
      gl_error(L, c->fname, "output size is too small: input size %d, kernel %d (dilation %d), padding %d",
               (int)in[i], (int)k[i], (int)dil[i], (int)pad[i]);
  }
  s->planes = x->shape[0] * x->shape[1];
  if (d == 1) {
    s->h = s->oh = s->kh = s->sh = s->dh = 1; s->ph = 0;
    s->w = in[0]; s->ow = out[0]; s->kw = k[0]; s->sw = st[0]; s->pw = pad[0]; s->dw = dil[0];
  }
  else {
    s->h = in[0]; s->w = in[1]; s->oh = out[0]; s->ow = out[1]; s->kh = k[0]; s->kw = k[1];
    s->sh = st[0]; s->sw = st[1]; s->ph = pad[0]; s->pw = pad[1]; s->dh = dil[0]; s->dw = dil[1];
  }
}

static int64_t *pool_out_shape (int64_t *shape, const gl_array *x, const gl_nn_pool_shape *s) {
  shape[0] = x->shape[0]; shape[1] = x->shape[1];
  if (x->ndim == 3) shape[2] = s->ow;
  else { shape[2] = s->oh; shape[3] = s->ow; }
  return shape;
}

static void check_shape (lua_State *L, const gl_array *a, const int64_t *want, int nd, const char *what,
                         nnb_call *c) {
  char s1[128], s2[128];
  if (a->ndim != nd || memcmp(a->shape, want, (size_t)nd * sizeof(int64_t)) != 0)
    gl_error(L, c->fname, "%s has shape %s, expected %s", what, nnb_shape(s1, sizeof s1, a),
             gl_shape_str(s2, sizeof s2, nd, want));
}

/* {===== max pooling ===== */

/* y, idx = max_pool_forward(x, kernel, stride, padding, dilation, ceil_mode) */
static int nn_max_pool_forward (lua_State *L) {
  nnb_call c = {"nn_core.max_pool_forward", -1, NULL};
  gl_nn_pool_shape s;
  int64_t shape[4];
  gl_array *x = nnb_float(L, 1, &c, "x");
  pool_parse(L, &c, x, &s, 2, 3, 4, 5, lua_toboolean(L, 6));
  gl_array *y = gl_array_push(L, x->dtype, x->ndim, pool_out_shape(shape, x, &s));
  gl_array *idx = gl_array_push(L, GL_INT64, x->ndim, shape);
  if (x->dtype == GL_FLOAT32) gl_nn_max_pool_f32(&s, F32(x), F32(y), (int64_t *)idx->data);
  else gl_nn_max_pool_f64(&s, F64(x), F64(y), (int64_t *)idx->data);
  return 2;
}

/* gx = max_pool_backward(gy, idx, x) */
static int nn_max_pool_backward (lua_State *L) {
  nnb_call c = {"nn_core.max_pool_backward", -1, NULL};
  gl_array *gy = nnb_float(L, 1, &c, "gy");
  gl_array *idx = gl_array_test(L, 2);
  gl_array *x = nnb_float(L, 3, &c, "x");
  gl_nn_pool_shape s;
  int d = pool_input(L, x, &c);
  if (idx == NULL || idx->dtype != GL_INT64)
    gl_error(L, c.fname, "idx must be the int64 array max_pool_forward returned");
  idx = gl_array_arg_contig(L, 2, GL_INT64, c.fname);
  if (gy->ndim != x->ndim || gy->shape[0] != x->shape[0] || gy->shape[1] != x->shape[1]) {
    char s1[128], s2[128];
    gl_error(L, c.fname, "gy has shape %s, which does not match x %s", nnb_shape(s1, sizeof s1, gy),
             nnb_shape(s2, sizeof s2, x));
  }
  check_shape(L, idx, gy->shape, gy->ndim, "idx", &c);
  memset(&s, 0, sizeof s);
  s.planes = x->shape[0] * x->shape[1];
  s.h = d == 1 ? 1 : x->shape[2]; s.w = x->shape[x->ndim - 1];
  s.oh = d == 1 ? 1 : gy->shape[2]; s.ow = gy->shape[gy->ndim - 1];
  gl_array *gx = gl_array_push(L, x->dtype, x->ndim, x->shape);
  if (x->dtype == GL_FLOAT32) gl_nn_max_pool_backward_f32(&s, F32(gy), (const int64_t *)idx->data, F32(gx));
  else gl_nn_max_pool_backward_f64(&s, F64(gy), (const int64_t *)idx->data, F64(gx));
  return 1;
}

/* } */

/* {===== average pooling ===== */

static int64_t avg_divisor (lua_State *L, int idx, nnb_call *c) {
  int isint;
  lua_Integer v;
  if (lua_isnoneornil(L, idx)) return 0;
  v = lua_tointegerx(L, idx, &isint);
  if (!isint || v == 0) gl_error(L, c->fname, "divisor must be a non-zero integer");
  if (v < 0) gl_error(L, c->fname, "divisor must be positive, got %d", (int)v);
  return (int64_t)v;
}

/* y = avg_pool_forward(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor|nil) */
static int nn_avg_pool_forward (lua_State *L) {
  nnb_call c = {"nn_core.avg_pool_forward", -1, NULL};
  gl_nn_pool_shape s;
  int64_t shape[4];
  gl_array *x = nnb_float(L, 1, &c, "x");
  pool_parse(L, &c, x, &s, 2, 3, 4, 0, lua_toboolean(L, 5));
  int cip = lua_isnoneornil(L, 6) ? 1 : lua_toboolean(L, 6);
  int64_t div = avg_divisor(L, 7, &c);
  gl_array *y = gl_array_push(L, x->dtype, x->ndim, pool_out_shape(shape, x, &s));
  if (x->dtype == GL_FLOAT32) gl_nn_avg_pool_f32(&s, F32(x), F32(y), cip, div);
  else gl_nn_avg_pool_f64(&s, F64(x), F64(y), cip, div);
  return 1;
}

/* gx = avg_pool_backward(gy, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor|nil) */
static int nn_avg_pool_backward (lua_State *L) {
  nnb_call c = {"nn_core.avg_pool_backward", -1, NULL};
  gl_nn_pool_shape s;
  int64_t shape[4];
  gl_array *gy = nnb_float(L, 1, &c, "gy");
  gl_array *x = nnb_float(L, 2, &c, "x");
  pool_parse(L, &c, x, &s, 3, 4, 5, 0, lua_toboolean(L, 6));
  int cip = lua_isnoneornil(L, 7) ? 1 : lua_toboolean(L, 7);
  int64_t div = avg_divisor(L, 8, &c);
  check_shape(L, gy, pool_out_shape(shape, x, &s), x->ndim, "gy", &c);
  gl_array *gx = gl_array_push(L, x->dtype, x->ndim, x->shape);
  if (x->dtype == GL_FLOAT32) gl_nn_avg_pool_backward_f32(&s, F32(gy), F32(gx), cip, div);
  else gl_nn_avg_pool_backward_f64(&s, F64(gy), F64(gx), cip, div);
  return 1;
}

/* y = adaptive_avg_pool_forward(x, output_size) */
static int nn_adaptive_avg_pool_forward (lua_State *L) {
  nnb_call c = {"nn_core.adaptive_avg_pool_forward", -1, NULL};
  gl_nn_pool_shape s;
  int64_t out[2] = {1, 1}, shape[4];
  gl_array *x = nnb_float(L, 1, &c, "x");
  int d = pool_input(L, x, &c);
  nnb_ints(L, 2, d, out, 1, &c, "output_size");
  memset(&s, 0, sizeof s);
  s.planes = x->shape[0] * x->shape[1];
  s.h = d == 1 ? 1 : x->shape[2]; s.w = x->shape[x->ndim - 1];
  s.oh = d == 1 ? 1 : out[0]; s.ow = out[d - 1];
  if (s.h == 0 || s.w == 0) gl_error(L, &c.fname[0], "input spatial size must not be empty");
  gl_array *y = gl_array_push(L, x->dtype, x->ndim, pool_out_shape(shape, x, &s));
  if (x->dtype == GL_FLOAT32) gl_nn_adaptive_avg_pool_f32(&s, F32(x), F32(y));
  else gl_nn_adaptive_avg_pool_f64(&s, F64(x), F64(y));
  return 1;
}

/* gx = adaptive_avg_pool_backward(gy, x) */
static int nn_adaptive_avg_pool_backward (lua_State *L) {
  nnb_call c = {"nn_core.adaptive_avg_pool_backward", -1, NULL};
  gl_nn_pool_shape s;
  char s1[128], s2[128];
  gl_array *gy = nnb_float(L, 1, &c, "gy");
  gl_array *x = nnb_float(L, 2, &c, "x");
  int d = pool_input(L, x, &c);
  if (gy->ndim != x->ndim || gy->shape[0] != x->shape[0] || gy->shape[1] != x->shape[1])
    gl_error(L, c.fname, "gy has shape %s, which does not match x %s", nnb_shape(s1, sizeof s1, gy),
             nnb_shape(s2, sizeof s2, x));
  memset(&s, 0, sizeof s);
  s.planes = x->shape[0] * x->shape[1];
  s.h = d == 1 ? 1 : x->shape[2]; s.w = x->shape[x->ndim - 1];
  s.oh = d == 1 ? 1 : gy->shape[2]; s.ow = gy->shape[gy->ndim - 1];
  gl_array *gx = gl_array_push(L, x->dtype, x->ndim, x->shape);
  if (x->dtype == GL_FLOAT32) gl_nn_adaptive_avg_pool_backward_f32(&s, F32(gy), F32(gx));
  else gl_nn_adaptive_avg_pool_backward_f64(&s, F64(gy), F64(gx));
  return 1;
}

/* } */

/* {===== batch norm ===== */

/* x (N, C, ...): n, c, p. */
static void bn_dims (lua_State *L, gl_array *x, nnb_call *c, int64_t *n, int64_t *ch, int64_t *p) {
  char s1[128];
  if (x->ndim < 2)
    gl_error(L, c->fname, "x must be (N, C), (N, C, L) or (N, C, H, W), got shape %s", nnb_shape(s1, sizeof s1, x));
  *n = x->shape[0]; *ch = x->shape[1]; *p = 1;
  for (int i = 2; i < x->ndim; i++) *p *= x->shape[i];
}

static void per_channel (lua_State *L, gl_array *a, int64_t ch, const char *what, nnb_call *c) {
  char s1[128];
  if (a && (a->ndim != 1 || a->shape[0] != ch))
    gl_error(L, c->fname, "%s must have one value per channel (%d), got shape %s", what, (int)ch,
             nnb_shape(s1, sizeof s1, a));
}

/* A running statistic, updated in place: it must be contiguous (no copy). */
static gl_array *running (lua_State *L, int idx, nnb_call *c, const char *what) {
  gl_array *a = gl_array_test(L, idx);
  if (a && !gl_array_is_contiguous(a))
    gl_error(L, c->fname, "%s must be contiguous (it is updated in place)", what);
  return nnb_optfloat(L, idx, c, what);
}

/* y, mean, invstd = batch_norm_forward(x, weight|nil, bias|nil, running_mean|nil,
 *                                      running_var|nil, training, momentum, eps) */
static int nn_batch_norm_forward (lua_State *L) {
  nnb_call c = {"nn_core.batch_norm_forward", -1, NULL};
  int64_t n, ch, p;
  char s1[128];
  gl_array *x = nnb_float(L, 1, &c, "x");
  gl_array *w = nnb_optfloat(L, 2, &c, "weight"), *b = nnb_optfloat(L, 3, &c, "bias");
  gl_array *rm = running(L, 4, &c, "running_mean"), *rv = running(L, 5, &c, "running_var");
  int training = lua_toboolean(L, 6);
  double momentum = luaL_optnumber(L, 7, 0.1), eps = luaL_optnumber(L, 8, 1e-5);
  bn_dims(L, x, &c, &n, &ch, &p);
  per_channel(L, w, ch, "weight", &c);
  per_channel(L, b, ch, "bias", &c);
  per_channel(L, rm, ch, "running_mean", &c);
  per_channel(L, rv, ch, "running_var", &c);
  if (!training && (!rm || !rv))
    gl_error(L, c.fname, "running_mean and running_var are needed when not training");
  if (training && n * p <= 1)
    gl_error(L, c.fname, "expected more than 1 value per channel when training, got input shape %s",
             nnb_shape(s1, sizeof s1, x));
  if (!(eps >= 0)) gl_error(L, c.fname, "eps must be >= 0");
  gl_array *y = gl_array_push(L, x->dtype, x->ndim, x->shape);
  gl_array *mean = gl_array_push1(L, x->dtype, ch), *invstd = gl_array_push1(L, x->dtype, ch);
  if (x->dtype == GL_FLOAT32)
    gl_nn_batch_norm_f32(n, ch, p, F32(x), CF32(w), CF32(b), rm ? F32(rm) : NULL, rv ? F32(rv) : NULL,
                         training, momentum, eps, F32(y), F32(mean), F32(invstd));
  else
    gl_nn_batch_norm_f64(n, ch, p, F64(x), CF64(w), CF64(b), rm ? F64(rm) : NULL, rv ? F64(rv) : NULL,
                         training, momentum, eps, F64(y), F64(mean), F64(invstd));
  return 3;
}

/* gx, gw, gb = batch_norm_backward(x, gy, weight|nil, mean, invstd, training) */
static int nn_batch_norm_backward (lua_State *L) {
  nnb_call c = {"nn_core.batch_norm_backward", -1, NULL};
  int64_t n, ch, p;
  gl_array *x = nnb_float(L, 1, &c, "x"), *gy = nnb_float(L, 2, &c, "gy");
  gl_array *w = nnb_optfloat(L, 3, &c, "weight");
  gl_array *mean = nnb_float(L, 4, &c, "mean"), *invstd = nnb_float(L, 5, &c, "invstd");
  int training = lua_toboolean(L, 6);
  bn_dims(L, x, &c, &n, &ch, &p);
  check_shape(L, gy, x->shape, x->ndim, "gy", &c);
  per_channel(L, w, ch, "weight", &c);
  per_channel(L, mean, ch, "mean", &c);
  per_channel(L, invstd, ch, "invstd", &c);
  gl_array *gx = gl_array_push(L, x->dtype, x->ndim, x->shape);
  gl_array *gw = gl_array_push1(L, x->dtype, ch), *gb = gl_array_push1(L, x->dtype, ch);
  if (x->dtype == GL_FLOAT32)
    gl_nn_batch_norm_backward_f32(n, ch, p, F32(x), F32(gy), CF32(w), F32(mean), F32(invstd), training,
                                  F32(gx), F32(gw), F32(gb));
  else
    gl_nn_batch_norm_backward_f64(n, ch, p, F64(x), F64(gy), CF64(w), F64(mean), F64(invstd), training,
                                  F64(gx), F64(gw), F64(gb));
  return 3;
}

/* } */

static const luaL_Reg pool_funcs[] = {
  {"adaptive_avg_pool_backward", nn_adaptive_avg_pool_backward},
  {"adaptive_avg_pool_forward", nn_adaptive_avg_pool_forward},
  {"avg_pool_backward", nn_avg_pool_backward},
  {"avg_pool_forward", nn_avg_pool_forward},
  {"batch_norm_backward", nn_batch_norm_backward},
  {"batch_norm_forward", nn_batch_norm_forward},
  {"max_pool_backward", nn_max_pool_backward},
  {"max_pool_forward", nn_max_pool_forward},
  {NULL, NULL}
};

void gl_nn_open_pool (lua_State *L) {
  luaL_setfuncs(L, pool_funcs, 0);
}
