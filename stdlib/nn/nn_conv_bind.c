/* nn_conv_bind.c: geolab.nn_core's convolutions (kernels/nn/nn_conv.c):
 * conv_forward, conv_backward, conv_transpose_forward and
 * conv_transpose_backward, 1-D and 2-D (docs/dev/nn-design.md). */
#include <limits.h>
#include <string.h>
#include "gl_array.h"
#include "nn_bind.h"
#include "nn_conv.h"

/* A parsed call: the arrays, the spatial rank d and the kernel geometry. */
typedef struct conv_args {
  gl_array *x, *w;
  int d;
  int64_t out[2];             /* output spatial size (d values) */
  gl_nn_conv_shape s;
} conv_args;

static void fill_geometry (gl_nn_conv_shape *s, int d, const int64_t *img, const int64_t *col,
                           const int64_t *k, const int64_t *st, const int64_t *pad, const int64_t *dil) {
  if (d == 1) {
    s->h = s->oh = s->kh = s->sh = s->dh = 1; s->ph = 0;
    s->w = img[0]; s->ow = col[0]; s->kw = k[0]; s->sw = st[0]; s->pw = pad[0]; s->dw = dil[0];
  }
  else {
    s->h = img[0]; s->w = img[1]; s->oh = col[0]; s->ow = col[1]; s->kh = k[0]; s->kw = k[1];
    s->sh = st[0]; s->sw = st[1]; s->ph = pad[0]; s->pw = pad[2]; s->dh = dil[0]; s->dw = dil[1];
  }
}

/* Checks x (1), w (2) and the options from index `opt` on: stride, padding,
 * [output_padding,] dilation, groups. transposed: w is (cin, cout / groups, k...). */
static void conv_parse (lua_State *L, nnb_call *c, conv_args *a, int opt, int transposed) {
  char s1[128], s2[128];
  int64_t st[2] = {1, 1}, pad[4] = {0, 0, 0, 0}, opad[2] = {0, 0}, dil[2] = {1, 1};
  int64_t k[2] = {1, 1}, in[2] = {1, 1}, groups;
  gl_array *x = a->x = nnb_float(L, 1, c, "x");
  gl_array *w = a->w = nnb_float(L, 2, c, "w");
  if (x->ndim != 3 && x->ndim != 4)
    gl_error(L, c->fname, "x must be (N, C, L) or (N, C, H, W), got shape %s", nnb_shape(s1, sizeof s1, x));
  int d = a->d = x->ndim - 2;
  if (w->ndim != x->ndim)
    gl_error(L, c->fname, "w must be %s for a %d-D input, got shape %s",
             transposed ? (d == 1 ? "(Cin, Cout/groups, k)" : "(Cin, Cout/groups, kh, kw)")
                        : (d == 1 ? "(Cout, Cin/groups, k)" : "(Cout, Cin/groups, kh, kw)"),
             d, nnb_shape(s2, sizeof s2, w));
  nnb_ints(L, opt, d, st, 1, c, "stride");
  nnb_ints(L, opt + 1, 2 * d, pad, 0, c, "padding");
  if (transposed) nnb_ints(L, ++opt + 1, d, opad, 0, c, "output_padding");
  nnb_ints(L, opt + 2, d, dil, 1, c, "dilation");
  nnb_ints(L, opt + 3, 1, &groups, 1, c, "groups");
  int64_t cin = x->shape[1], n = x->shape[0];
  for (int i = 0; i < d; i++) { k[i] = w->shape[2 + i]; in[i] = x->shape[2 + i]; }
  if (cin % groups != 0)
    gl_error(L, c->fname, "input channels (%d) must be divisible by groups (%d)", (int)cin, (int)groups);
  a->s.n = n;
  a->s.groups = groups;
  if (!transposed) {
    int64_t cout = w->shape[0];
    if (w->shape[1] * groups != cin)
      gl_error(L, c->fname, "expected input with %d channels (w %s, groups %d), got %d channels (x %s)",
               (int)(w->shape[1] * groups), nnb_shape(s2, sizeof s2, w), (int)groups, (int)cin,
               nnb_shape(s1, sizeof s1, x));
    if (cout % groups != 0)
      gl_error(L, c->fname, "output channels (%d) must be divisible by groups (%d)", (int)cout, (int)groups);
    for (int i = 0; i < d; i++) {
      int64_t padded = in[i] + pad[2 * i] + pad[2 * i + 1], eff = dil[i] * (k[i] - 1) + 1;
      if (k[i] < 1 || eff > padded)
        gl_error(L, c->fname, "kernel size %d (dilated %d) is larger than the padded input size %d",
                 (int)k[i], (int)eff, (int)padded);
      a->out[i] = (padded - eff) / st[i] + 1;
    }
    a->s.ci = cin; a->s.co = cout;
    fill_geometry(&a->s, d, in, a->out, k, st, pad, dil);
  }
  else {
    if (w->shape[0] != cin)
      gl_error(L, c->fname, "expected input with %d channels (w %s), got %d channels (x %s)",
               (int)w->shape[0], nnb_shape(s2, sizeof s2, w), (int)cin, nnb_shape(s1, sizeof s1, x));
    for (int i = 0; i < d; i++) {
      if (opad[i] >= st[i] && opad[i] >= dil[i])
        gl_error(L, c->fname, "output_padding (%d) must be smaller than either stride (%d) or dilation (%d)",
                 (int)opad[i], (int)st[i], (int)dil[i]);
      a->out[i] = (in[i] - 1) * st[i] - pad[2 * i] - pad[2 * i + 1] + dil[i] * (k[i] - 1) + opad[i] + 1;
      if (k[i] < 1 || a->out[i] < 1)
        gl_error(L, c->fname, "output size %d is too small (input %d, kernel %d, padding %d+%d)",
                 (int)a->out[i], (int)in[i], (int)k[i], (int)pad[2 * i], (int)pad[2 * i + 1]);
    }
    a->s.ci = w->shape[1] * groups; a->s.co = cin;    /* image side: the output */
    fill_geometry(&a->s, d, a->out, in, k, st, pad, dil);
  }
  if (a->s.ci == 0 || a->s.co == 0) gl_error(L, c->fname, "channels must not be empty");
  int64_t rows = a->s.ci / groups * a->s.kh * a->s.kw, cols = a->s.oh * a->s.ow;
  if (rows > INT_MAX || cols > INT_MAX || a->s.co > INT_MAX)
    gl_error(L, c->fname, "sizes are too large for BLAS (int) indices");
}

static int64_t *out_shape (int64_t *shape, const conv_args *a, int64_t ch) {
  shape[0] = a->x->shape[0]; shape[1] = ch;
  for (int i = 0; i < a->d; i++) shape[2 + i] = a->out[i];
  return shape;
}

static void check_bias (lua_State *L, gl_array *b, int64_t ch, nnb_call *c) {
  char s1[128];
  if (b && (b->ndim != 1 || b->shape[0] != ch))
    gl_error(L, c->fname, "b must have one value per output channel (%d), got shape %s", (int)ch,
             nnb_shape(s1, sizeof s1, b));
}

static void check_gy (lua_State *L, gl_array *gy, const int64_t *want, int nd, nnb_call *c) {
  char s1[128], s2[128];
  if (gy->ndim != nd || memcmp(gy->shape, want, (size_t)nd * sizeof(int64_t)) != 0)
    gl_error(L, c->fname, "gy has shape %s but the output has shape %s", nnb_shape(s1, sizeof s1, gy),
             gl_shape_str(s2, sizeof s2, nd, want));
}

#define F32(a) ((float *)(a)->data)
#define F64(a) ((double *)(a)->data)
#define CF32(a) ((a) ? (const float *)(a)->data : NULL)
#define CF64(a) ((a) ? (const double *)(a)->data : NULL)

/* y = conv_forward(x, w, b|nil, stride, padding, dilation, groups) */
static int nn_conv_forward (lua_State *L) {
  nnb_call c = {"nn_core.conv_forward", -1, NULL};
  conv_args a;
  int64_t shape[4];
  gl_array *b = nnb_optfloat(L, 3, &c, "b");
  conv_parse(L, &c, &a, 4, 0);
  check_bias(L, b, a.s.co, &c);
  gl_array *y = gl_array_push(L, a.x->dtype, a.x->ndim, out_shape(shape, &a, a.s.co));
  int rc = a.x->dtype == GL_FLOAT32
    ? gl_nn_conv_forward_f32(&a.s, F32(a.x), F32(a.w), CF32(b), F32(y))
    : gl_nn_conv_forward_f64(&a.s, F64(a.x), F64(a.w), CF64(b), F64(y));
  nnb_check_rc(L, rc, &c);
  return 1;
}

/* gx, gw, gb = conv_backward(x, w, gy, stride, padding, dilation, groups, need) */
static int nn_conv_backward (lua_State *L) {
  nnb_call c = {"nn_core.conv_backward", -1, NULL};
  conv_args a;
  int64_t shape[4];
  int rc = GL_OK;
  gl_array *gy = nnb_float(L, 3, &c, "gy");
  conv_parse(L, &c, &a, 4, 0);
  int need = nnb_need(L, 8, &c);
  check_gy(L, gy, out_shape(shape, &a, a.s.co), a.x->ndim, &c);
  int f32 = a.x->dtype == GL_FLOAT32;
  if (need & 1) {
    gl_array *gx = gl_array_push(L, a.x->dtype, a.x->ndim, a.x->shape);
    rc = f32 ? gl_nn_conv_backward_data_f32(&a.s, F32(gy), F32(a.w), NULL, F32(gx))
             : gl_nn_conv_backward_data_f64(&a.s, F64(gy), F64(a.w), NULL, F64(gx));
    nnb_check_rc(L, rc, &c);
  }
  else lua_pushnil(L);
  if (need & 2) {
    gl_array *gw = gl_array_push(L, a.w->dtype, a.w->ndim, a.w->shape);
    rc = f32 ? gl_nn_conv_backward_weight_f32(&a.s, F32(a.x), F32(gy), F32(gw))
             : gl_nn_conv_backward_weight_f64(&a.s, F64(a.x), F64(gy), F64(gw));
    nnb_check_rc(L, rc, &c);
  }
  else lua_pushnil(L);
  if (need & 4) {
    gl_array *gb = gl_array_push1(L, a.x->dtype, a.s.co);
    rc = f32 ? gl_nn_channel_sum_f32(a.s.n, a.s.co, a.s.oh * a.s.ow, F32(gy), F32(gb))
             : gl_nn_channel_sum_f64(a.s.n, a.s.co, a.s.oh * a.s.ow, F64(gy), F64(gb));
    nnb_check_rc(L, rc, &c);
  }
  else lua_pushnil(L);
  return 3;
}

/* y = conv_transpose_forward(x, w, b|nil, stride, padding, output_padding, dilation, groups) */
static int nn_conv_transpose_forward (lua_State *L) {
  nnb_call c = {"nn_core.conv_transpose_forward", -1, NULL};
  conv_args a;
  int64_t shape[4];
  gl_array *b = nnb_optfloat(L, 3, &c, "b");
  conv_parse(L, &c, &a, 4, 1);
  check_bias(L, b, a.s.ci, &c);
  gl_array *y = gl_array_push(L, a.x->dtype, a.x->ndim, out_shape(shape, &a, a.s.ci));
  int rc = a.x->dtype == GL_FLOAT32
    ? gl_nn_conv_backward_data_f32(&a.s, F32(a.x), F32(a.w), CF32(b), F32(y))
    : gl_nn_conv_backward_data_f64(&a.s, F64(a.x), F64(a.w), CF64(b), F64(y));
  nnb_check_rc(L, rc, &c);
  return 1;
}

/* gx, gw, gb = conv_transpose_backward(x, w, gy, stride, padding, output_padding, dilation, groups, need) */
static int nn_conv_transpose_backward (lua_State *L) {
  nnb_call c = {"nn_core.conv_transpose_backward", -1, NULL};
  conv_args a;
  int64_t shape[4];
  int rc = GL_OK;
  gl_array *gy = nnb_float(L, 3, &c, "gy");
  conv_parse(L, &c, &a, 4, 1);
  int need = nnb_need(L, 9, &c);
  check_gy(L, gy, out_shape(shape, &a, a.s.ci), a.x->ndim, &c);
  int f32 = a.x->dtype == GL_FLOAT32;
  if (need & 1) {     /* the input gradient is the plain convolution of gy */
    gl_array *gx = gl_array_push(L, a.x->dtype, a.x->ndim, a.x->shape);
    rc = f32 ? gl_nn_conv_forward_f32(&a.s, F32(gy), F32(a.w), NULL, F32(gx))
             : gl_nn_conv_forward_f64(&a.s, F64(gy), F64(a.w), NULL, F64(gx));
    nnb_check_rc(L, rc, &c);
  }
  else lua_pushnil(L);
  if (need & 2) {
    gl_array *gw = gl_array_push(L, a.w->dtype, a.w->ndim, a.w->shape);
    rc = f32 ? gl_nn_conv_backward_weight_f32(&a.s, F32(gy), F32(a.x), F32(gw))
             : gl_nn_conv_backward_weight_f64(&a.s, F64(gy), F64(a.x), F64(gw));
    nnb_check_rc(L, rc, &c);
  }
  else lua_pushnil(L);
  if (need & 4) {
    gl_array *gb = gl_array_push1(L, a.x->dtype, a.s.ci);
    rc = f32 ? gl_nn_channel_sum_f32(a.s.n, a.s.ci, a.s.h * a.s.w, F32(gy), F32(gb))
             : gl_nn_channel_sum_f64(a.s.n, a.s.ci, a.s.h * a.s.w, F64(gy), F64(gb));
    nnb_check_rc(L, rc, &c);
  }
  else lua_pushnil(L);
  return 3;
}

static const luaL_Reg conv_funcs[] = {
  {"conv_backward", nn_conv_backward},
  {"conv_forward", nn_conv_forward},
  {"conv_transpose_backward", nn_conv_transpose_backward},
  {"conv_transpose_forward", nn_conv_transpose_forward},
  {NULL, NULL}
};

void gl_nn_open_conv (lua_State *L) {
  luaL_setfuncs(L, conv_funcs, 0);
}
