/* plot_data.c: geolab.plot_core, the C half of plt: data-side helpers (colormaps,
 * ticks, histograms, contours, 3-D projection, PNG reading) plus the canvas
 * from plot_canvas.c. The figure model itself lives in stdlib/plot.lua. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "gl_array.h"
#include "plot_core.h"

static double field_num (lua_State *L, int idx, int i, double def) {
  lua_geti(L, idx, i);
  double v = luaL_optnumber(L, -1, def);
  lua_pop(L, 1);
  return v;
}

void gl_plot_get_axmap (lua_State *L, int idx, gl_plot_axmap *m, const char *fname) {
  if (lua_type(L, idx) != LUA_TTABLE) luaL_error(L, "%s: axis map expected", fname);
  m->d0 = field_num(L, idx, 1, 0); m->d1 = field_num(L, idx, 2, 1);
  m->p0 = field_num(L, idx, 3, 0); m->p1 = field_num(L, idx, 4, 1);
  m->scale = (int)field_num(L, idx, 5, 0);
  m->linthresh = field_num(L, idx, 6, 1);
}

void gl_plot_get_rgba (lua_State *L, int idx, double c[4], const char *fname) {
  if (lua_type(L, idx) != LUA_TTABLE) luaL_error(L, "%s: colour {r, g, b, a} expected", fname);
  idx = lua_absindex(L, idx);
  for (int i = 0; i < 4; i++) c[i] = field_num(L, idx, i + 1, i == 3 ? 1 : 0);
}

static const gl_plot_cmap *check_cmap (lua_State *L, int idx) {
  const char *name = luaL_checkstring(L, idx);
  const gl_plot_cmap *cm = gl_plot_cmap_find(name);
  if (cm == NULL) luaL_error(L, "plt: unknown colormap '%s'", name);
  return cm;
}

/* core.cmap_apply(values, name, vmin, vmax, {reverse=, log=, under=, over=, bad=, alpha=})
 * -> float64 array of shape values.shape + (4,) */
static int core_cmap_apply (lua_State *L) {
  gl_array *v = gl_array_arg_contig(L, 1, GL_FLOAT64, "cmap");
  const gl_plot_cmap *cm = check_cmap(L, 2);
  double vmin = luaL_checknumber(L, 3), vmax = luaL_checknumber(L, 4);
  int reverse = 0, lognorm = 0;
  double under[4], over[4], bad[4], alpha = 1;
  int hu = 0, ho = 0, hb = 0;
  if (lua_type(L, 5) == LUA_TTABLE) {
    lua_getfield(L, 5, "reverse"); reverse = lua_toboolean(L, -1); lua_pop(L, 1);
    lua_getfield(L, 5, "log"); lognorm = lua_toboolean(L, -1); lua_pop(L, 1);
    lua_getfield(L, 5, "alpha"); alpha = luaL_optnumber(L, -1, 1); lua_pop(L, 1);
    if (lua_getfield(L, 5, "under") == LUA_TTABLE) { gl_plot_get_rgba(L, -1, under, "cmap"); hu = 1; }
    if (lua_getfield(L, 5, "over") == LUA_TTABLE) { gl_plot_get_rgba(L, -1, over, "cmap"); ho = 1; }
    if (lua_getfield(L, 5, "bad") == LUA_TTABLE) { gl_plot_get_rgba(L, -1, bad, "cmap"); hb = 1; }
    lua_pop(L, 3);
  }
  int bytes = 0;
  if (lua_type(L, 5) == LUA_TTABLE) { lua_getfield(L, 5, "bytes"); bytes = lua_toboolean(L, -1); lua_pop(L, 1); }
  int64_t shape[GL_MAXDIMS];
  if (v->ndim >= GL_MAXDIMS) return luaL_error(L, "cmap: too many dimensions");
  for (int i = 0; i < v->ndim; i++) shape[i] = v->shape[i];
  shape[v->ndim] = 4;
  /* bytes: an 8-bit RGBA image (rounded), a quarter of the memory of doubles,
   * converted in blocks so that large images never hold the doubles at once */
  gl_array *out = gl_array_push(L, bytes ? GL_UINT8 : GL_FLOAT64, v->ndim + 1, shape);
  double block[4 * 1024];
  for (int64_t i0 = 0; i0 < v->size; i0 += bytes ? 1024 : v->size) {
    int64_t m = bytes ? (v->size - i0 < 1024 ? v->size - i0 : 1024) : v->size;
    double *o = bytes ? block : (double *)out->data;
    int rc = gl_plot_cmap_apply_f64(m, 1, (const double *)v->data + i0, o, cm,
                                    vmin, vmax, reverse, lognorm, hu ? under : NULL,
                                    ho ? over : NULL, hb ? bad : NULL);
    if (rc != GL_OK) return gl_error(L, "cmap", "log normalisation needs positive vmin and vmax");
    for (int64_t i = 0; i < m; i++) o[4 * i + 3] *= alpha;
    if (bytes) {
      uint8_t *ob = (uint8_t *)out->data + 4 * i0;
      for (int64_t k = 0; k < 4 * m; k++) ob[k] = (uint8_t)(fmin(fmax(o[k], 0), 1) * 255 + 0.5);
    }
    if (m == 0) break;
  }
  return 1;
}

/* core.rgb_image(a) -> (h, w, 4) uint8 from (h, w, 3|4) data: floats in 0..1
 * (clipped, NaN transparent) or integers in 0..255, like matplotlib's imshow. */
static int core_rgb_image (lua_State *L) {
  gl_array *a = gl_array_arg_contig(L, 1, -1, "imshow");
  if (a->ndim != 3 || (a->shape[2] != 3 && a->shape[2] != 4))
    return gl_error(L, "imshow", "RGB(A) data must have shape (h, w, 3) or (h, w, 4)");
  int isint = a->dtype == GL_UINT8 || a->dtype == GL_INT32 || a->dtype == GL_INT64;
  if (a->dtype != GL_UINT8) a = gl_array_arg_contig(L, 1, GL_FLOAT64, "imshow");
  int64_t c = a->shape[2], npx = a->shape[0] * a->shape[1];
  int64_t shape[3] = {a->shape[0], a->shape[1], 4};
  gl_array *out = gl_array_push(L, GL_UINT8, 3, shape);
  uint8_t *o = (uint8_t *)out->data;
  for (int64_t i = 0; i < npx; i++) {
    for (int64_t k = 0; k < 4; k++) {
      double v;
      if (k == 3 && c == 3) v = isint ? 255 : 1;
      else if (a->dtype == GL_UINT8) v = ((const uint8_t *)a->data)[i * c + k];
      else v = ((const double *)a->data)[i * c + k];
      if (isint) v = fmin(fmax(v, 0), 255);
      else v = isnan(v) ? 0 : fmin(fmax(v, 0), 1) * 255;
      o[4 * i + k] = (uint8_t)(v + 0.5);
    }
    if (!isint && a->dtype != GL_UINT8) {   /* a NaN anywhere makes the pixel transparent */
      const double *p = (const double *)a->data + i * c;
      for (int64_t k = 0; k < c; k++) if (isnan(p[k])) { o[4 * i + 3] = 0; break; }
    }
  }
  return 1;
}

/* core.cmap_table(name) -> n, {{r,g,b}, ...} */
static int core_cmap_table (lua_State *L) {
  const gl_plot_cmap *cm = check_cmap(L, 1);
  lua_pushinteger(L, cm->n);
  lua_createtable(L, cm->n, 0);
  for (int i = 0; i < cm->n; i++) {
    lua_createtable(L, 3, 0);
    for (int k = 0; k < 3; k++) { lua_pushnumber(L, cm->rgb[3 * i + k]); lua_rawseti(L, -2, k + 1); }
    lua_rawseti(L, -2, i + 1);
  }
  return 2;
}

static int core_cmap_names (lua_State *L) {
  lua_newtable(L);
  int i = 1;
  for (const gl_plot_cmap *c = gl_plot_cmaps; c->name; c++) { lua_pushstring(L, c->name); lua_rawseti(L, -2, i++); }
  return 1;
}

/* core.ticks(vmin, vmax, nbins, min_n_ticks, integer[, steps]) -> {t1, t2, ...} */
static int core_ticks (lua_State *L) {
  double a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
  int nbins = (int)luaL_optinteger(L, 3, 9), minn = (int)luaL_optinteger(L, 4, 2);
  int integer = lua_toboolean(L, 5);
  double steps[16], out[256];
  int ns = 0;
  if (lua_type(L, 6) == LUA_TTABLE) {
    ns = (int)luaL_len(L, 6);
    if (ns > 16) ns = 16;
    for (int i = 0; i < ns; i++) steps[i] = field_num(L, 6, i + 1, 1);
  }
  int n = gl_plot_ticks_maxn(a, b, nbins, minn, ns ? steps : NULL, ns, integer, out, 256);
  if (n < 0) return gl_error(L, "ticks", "invalid tick request");
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) { lua_pushnumber(L, out[i]); lua_rawseti(L, -2, i + 1); }
  return 1;
}

static int core_nonsingular (lua_State *L) {
  double a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
  gl_plot_nonsingular(&a, &b, luaL_optnumber(L, 3, 0.001), luaL_optnumber(L, 4, 1e-15));
  lua_pushnumber(L, a); lua_pushnumber(L, b);
  return 2;
}

/* core.histogram(x, edges[, weights]) -> {counts} */
static int core_histogram (lua_State *L) {
  gl_array *x = gl_array_arg_contig(L, 1, GL_FLOAT64, "hist");
  gl_array *e = gl_array_arg_contig(L, 2, GL_FLOAT64, "hist");
  const double *w = NULL;
  if (!lua_isnoneornil(L, 3)) {
    gl_array *aw = gl_array_arg_contig(L, 3, GL_FLOAT64, "hist");
    if (aw->size != x->size) return gl_error(L, "hist", "weights must have the same length as x");
    w = (const double *)aw->data;
  }
  if (e->size < 2) return gl_error(L, "hist", "need at least 2 bin edges");
  int64_t nb = e->size - 1;
  gl_array *c = gl_array_push1(L, GL_FLOAT64, nb);
  int rc = gl_plot_histogram_f64(x->size, 1, (const double *)x->data, w, nb, (const double *)e->data, (double *)c->data);
  if (rc != GL_OK) return gl_kernel_error(L, "hist", rc);
  lua_createtable(L, (int)nb, 0);
  for (int64_t i = 0; i < nb; i++) { lua_pushnumber(L, ((double *)c->data)[i]); lua_rawseti(L, -2, (lua_Integer)i + 1); }
  return 1;
}

/* core.finite_range(x[, positive]) -> min, max, count of finite values (nil when none) */
static int core_finite_range (lua_State *L) {
  gl_array *x = gl_array_arg_contig(L, 1, GL_FLOAT64, "plot");
  int pos = lua_toboolean(L, 2);
  const double *d = (const double *)x->data;
  double lo = INFINITY, hi = -INFINITY;
  int64_t n = 0;
  for (int64_t i = 0; i < x->size; i++) {
    double v = d[i];
    if (!isfinite(v) || (pos && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    n++;
  }
  if (n == 0) { lua_pushnil(L); lua_pushnil(L); lua_pushinteger(L, 0); return 3; }
  lua_pushnumber(L, lo); lua_pushnumber(L, hi); lua_pushinteger(L, n);
  return 3;
}

/* core.info(x) -> size, {shape}, dtype name (converting tables like the array API) */
static int core_info (lua_State *L) {
  gl_array *a = gl_array_arg(L, 1, -1, "plot");
  lua_pushinteger(L, a->size);
  lua_createtable(L, a->ndim, 0);
  for (int i = 0; i < a->ndim; i++) { lua_pushinteger(L, a->shape[i]); lua_rawseti(L, -2, i + 1); }
  lua_pushstring(L, gl_dtype_name(a->dtype));
  return 3;
}

/* core.asarray(x) -> contiguous float64 array (same object when already one) */
static int core_asarray (lua_State *L) {
  gl_array_arg_contig(L, 1, GL_FLOAT64, lua_isnoneornil(L, 2) ? "plot" : lua_tostring(L, 2));
  lua_settop(L, 1);
  return 1;
}

/* core.tolist(x) -> flat Lua table of numbers, in C order */
static int core_tolist (lua_State *L) {
  gl_array *a = gl_array_arg_contig(L, 1, GL_FLOAT64, "plot");
  const double *d = (const double *)a->data;
  lua_createtable(L, (int)a->size, 0);
  for (int64_t i = 0; i < a->size; i++) { lua_pushnumber(L, d[i]); lua_rawseti(L, -2, (lua_Integer)i + 1); }
  return 1;
}

/* Runs a contour kernel's result out as two arrays. box[0] and box[1] own
 * p->x and p->y until then (pushing an array may raise). */
static int push_pts (lua_State *L, gl_plot_pts *p, void **box[2], int rc, const char *fname) {
  *box[0] = p->x; *box[1] = p->y;
  if (rc != GL_OK) return gl_kernel_error(L, fname, rc);
  gl_array *ax = gl_array_push1(L, GL_FLOAT64, p->n);
  if (p->n) memcpy(ax->data, p->x, sizeof(double) * (size_t)p->n);
  gl_array *ay = gl_array_push1(L, GL_FLOAT64, p->n);
  if (p->n) memcpy(ay->data, p->y, sizeof(double) * (size_t)p->n);
  gl_box_free(box[0]); gl_box_free(box[1]);
  return 2;
}

/* z is (ny, nx); x has nx values, y ny values. */
static void contour_args (lua_State *L, gl_array **x, gl_array **y, gl_array **z, const char *fname) {
  *x = gl_array_arg_contig(L, 1, GL_FLOAT64, fname);
  *y = gl_array_arg_contig(L, 2, GL_FLOAT64, fname);
  *z = gl_array_arg_contig(L, 3, GL_FLOAT64, fname);
  if ((*z)->ndim != 2) luaL_error(L, "%s: Z must be 2-D", fname);
  if ((*x)->size != (*z)->shape[1] || (*y)->size != (*z)->shape[0])
    luaL_error(L, "%s: Z has shape (%d,%d) but x has %d and y %d values", fname,
               (int)(*z)->shape[0], (int)(*z)->shape[1], (int)(*x)->size, (int)(*y)->size);
  if ((*z)->shape[0] < 2 || (*z)->shape[1] < 2) luaL_error(L, "%s: Z must be at least 2x2", fname);
}

/* core.contour_lines(x, y, z, level) -> xs, ys (NaN-separated polylines) */
static int core_contour_lines (lua_State *L) {
  gl_array *x, *y, *z;
  contour_args(L, &x, &y, &z, "contour");
  double level = luaL_checknumber(L, 4);
  gl_plot_pts p = {0};
  void **box[2] = {gl_box(L), gl_box(L)};
  int rc = gl_plot_contour_lines_f64(z->shape[0], z->shape[1], (double *)x->data, (double *)y->data,
                                     (double *)z->data, level, &p);
  return push_pts(L, &p, box, rc, "contour");
}

/* core.contour_band(x, y, z, lo, hi) -> xs, ys (NaN-separated polygons) */
static int core_contour_band (lua_State *L) {
  gl_array *x, *y, *z;
  contour_args(L, &x, &y, &z, "contourf");
  double lo = luaL_checknumber(L, 4), hi = luaL_checknumber(L, 5);
  gl_plot_pts p = {0};
  void **box[2] = {gl_box(L), gl_box(L)};
  int rc = gl_plot_contour_band_f64(z->shape[0], z->shape[1], (double *)x->data, (double *)y->data,
                                    (double *)z->data, lo, hi, &p);
  return push_pts(L, &p, box, rc, "contourf");
}

/* core.read_png(path) -> w, h, rgba bytes (string); nil, message on failure */
static int core_read_png (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int64_t w, h;
  unsigned char *rgba = NULL;
  void **box = gl_box(L);   /* owns rgba while lua_pushlstring may raise */
  int rc = gl_plot_png_read(path, &w, &h, &rgba);
  *box = rgba;
  if (rc != GL_OK) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, rc == GL_EFORMAT ? "not a valid PNG file" : "cannot open");
    return 2;
  }
  lua_pushinteger(L, w); lua_pushinteger(L, h);
  lua_pushlstring(L, (const char *)rgba, (size_t)(w * h * 4));
  gl_box_free(box);
  return 3;
}

static int scratch_gc (lua_State *L);

/* core.delaunay(x, y) -> int64 array (ntri, 3) of 1-based vertex numbers */
static int core_delaunay (lua_State *L) {
  gl_array *x = gl_array_arg_contig(L, 1, GL_FLOAT64, "plt.Triangulation");
  gl_array *y = gl_array_arg_contig(L, 2, GL_FLOAT64, "plt.Triangulation");
  if (x->size != y->size) return luaL_error(L, "plt.Triangulation: x and y must have the same length (%d and %d)", (int)x->size, (int)y->size);
  int64_t nt, *t;
  int rc = gl_plot_delaunay_f64(x->size, (const double *)x->data, (const double *)y->data, &nt, &t);
  if (rc == GL_EINVAL) return luaL_error(L, "plt.Triangulation: need at least 3 finite points that are not all equal");
  if (rc != GL_OK) return gl_kernel_error(L, "plt.Triangulation", rc);
  int64_t **box = lua_newuserdatauv(L, sizeof(int64_t *), 0);   /* t is freed even if the array cannot be made */
  *box = t;
  if (luaL_newmetatable(L, "geolab.PlotScratch")) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  gl_array *a = gl_array_push2(L, GL_INT64, nt, 3);
  for (int64_t i = 0; i < 3 * nt; i++) ((int64_t *)a->data)[i] = t[i] + 1;
  free(t);
  *box = NULL;
  return 1;
}

static int scratch_gc (lua_State *L) {
  void **box = lua_touserdata(L, 1);
  if (box && *box) { free(*box); *box = NULL; }
  return 0;
}

/* core.imread(path) -> float32 array (h, w) or (h, w, 3|4); nil, message on failure */
static int core_imread (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int64_t w, h;
  int nch;
  float *px;
  int rc = gl_plot_png_read_float(path, &w, &h, &nch, &px);
  if (rc != GL_OK) {
    lua_pushnil(L);
    lua_pushfstring(L, rc == GL_EFORMAT ? "'%s' is not a valid PNG file" : rc == GL_EIO ? "cannot open '%s'" : "out of memory reading '%s'", path);
    return 2;
  }
  int64_t shape[3] = {h, w, nch};
  /* px sits in a GC-owned box while the array is made, so an allocation error cannot leak it */
  float **box = lua_newuserdatauv(L, sizeof(float *), 0);
  *box = px;
  if (luaL_newmetatable(L, "geolab.PlotScratch")) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  gl_array *a = gl_array_push(L, GL_FLOAT32, nch == 1 ? 2 : 3, shape);
  memcpy(a->data, px, sizeof(float) * (size_t)(w * h * nch));
  free(px);
  *box = NULL;
  return 1;
}

/* core.sixel(path) -> sixel string of a PNG file; nil, message on failure */
static int core_sixel (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int64_t w, h;
  unsigned char *rgba = NULL;
  void **box = gl_box(L);   /* owns the malloc'd image, then the string, until they are copied out */
  if (gl_plot_png_read(path, &w, &h, &rgba) != GL_OK) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: cannot read PNG", path);
    return 2;
  }
  *box = rgba;
  char *s = NULL;
  size_t n;
  int rc = gl_plot_sixel_encode(w, h, rgba, &s, &n);
  gl_box_free(box);
  *box = s;
  if (rc != GL_OK) return gl_kernel_error(L, "plt.show", rc);
  lua_pushlstring(L, s, n);
  gl_box_free(box);
  return 1;
}

/* Does segment (a, b) meet the box? (Liang-Barsky) */
static int seg_hits_box (double ax, double ay, double bx, double by, const double box[4]) {
  double t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
  double p[4] = {-dx, dx, -dy, dy}, q[4] = {ax - box[0], box[2] - ax, ay - box[1], box[3] - ay};
  for (int i = 0; i < 4; i++) {
    if (p[i] == 0) { if (q[i] < 0) return 0; continue; }
    double r = q[i] / p[i];
    if (p[i] < 0) { if (r > t1) return 0; if (r > t0) t0 = r; }
    else { if (r < t0) return 0; if (r < t1) t1 = r; }
  }
  return 1;
}

/* core.count_in_box(x, y, mapx, mapy, {x0, y0, x1, y1}, lines) -> badness:
 * points inside the pixel box, plus segments crossing it when lines is set
 * (matplotlib's legend "best" counts both). Large inputs are sampled. */
static int core_count_in_box (lua_State *L) {
  gl_array *ax = gl_array_arg_contig(L, 1, GL_FLOAT64, "legend");
  gl_array *ay = gl_array_arg_contig(L, 2, GL_FLOAT64, "legend");
  gl_plot_axmap mx, my;
  gl_plot_get_axmap(L, 3, &mx, "legend");
  gl_plot_get_axmap(L, 4, &my, "legend");
  double box[4];
  for (int i = 0; i < 4; i++) box[i] = field_num(L, 5, i + 1, 0);
  int lines = lua_toboolean(L, 6);
  int64_t n = ax->size < ay->size ? ax->size : ay->size;
  int64_t step = n > 200000 ? n / 200000 : 1;
  const double *x = (const double *)ax->data, *y = (const double *)ay->data;
  double count = 0, lx = NAN, ly = NAN;
  for (int64_t i = 0; i < n; i += step) {
    double px = gl_plot_axmap_apply(&mx, x[i]), py = gl_plot_axmap_apply(&my, y[i]);
    if (isfinite(px) && isfinite(py)) {
      if (px >= box[0] && px <= box[2] && py >= box[1] && py <= box[3]) count += 1;
      if (lines && isfinite(lx) && isfinite(ly) && seg_hits_box(lx, ly, px, py, box)) count += 1;
    }
    lx = px; ly = py;
  }
  lua_pushnumber(L, count * (double)step);
  return 1;
}

/* core.axmap(map, v) -> pixel coordinate */
static int core_axmap (lua_State *L) {
  gl_plot_axmap m;
  gl_plot_get_axmap(L, 1, &m, "plot");
  lua_pushnumber(L, gl_plot_axmap_apply(&m, luaL_checknumber(L, 2)));
  return 1;
}

typedef struct dkey { double d; int64_t i; } dkey;
static int dkey_cmp (const void *a, const void *b) {
  const dkey *p = a, *q = b;
  if (p->d > q->d) return -1;   /* far (large depth) first */
  if (p->d < q->d) return 1;
  return p->i < q->i ? -1 : p->i > q->i;   /* stable: ties keep input order */
}

/* core.project3d(x, y, z, M) -> u, v, order: u = M[1..4].(x,y,z,1), v = M[5..8].(...),
 * depth = M[9..12].(...); order holds 0-based indices from far to near. */
static int core_project3d (lua_State *L) {
  gl_array *ax = gl_array_arg_contig(L, 1, GL_FLOAT64, "scatter3d");
  gl_array *ay = gl_array_arg_contig(L, 2, GL_FLOAT64, "scatter3d");
  gl_array *az = gl_array_arg_contig(L, 3, GL_FLOAT64, "scatter3d");
  luaL_checktype(L, 4, LUA_TTABLE);
  double M[12];
  for (int i = 0; i < 12; i++) M[i] = field_num(L, 4, i + 1, 0);
  int64_t n = ax->size;
  if (ay->size != n || az->size != n) return gl_error(L, "scatter3d", "x, y and z must have the same length");
  const double *x = (double *)ax->data, *y = (double *)ay->data, *z = (double *)az->data;
  gl_array *u = gl_array_push1(L, GL_FLOAT64, n);
  gl_array *v = gl_array_push1(L, GL_FLOAT64, n);
  gl_array *ord = gl_array_push1(L, GL_INT64, n);
  dkey *k = malloc(sizeof(dkey) * (size_t)(n ? n : 1));
  if (k == NULL) return luaL_error(L, "scatter3d: not enough memory");
  for (int64_t i = 0; i < n; i++) {
    ((double *)u->data)[i] = M[0] * x[i] + M[1] * y[i] + M[2] * z[i] + M[3];
    ((double *)v->data)[i] = M[4] * x[i] + M[5] * y[i] + M[6] * z[i] + M[7];
    double d = M[8] * x[i] + M[9] * y[i] + M[10] * z[i] + M[11];
    k[i].d = isnan(d) ? -INFINITY : d; k[i].i = i;
  }
  qsort(k, (size_t)n, sizeof(dkey), dkey_cmp);
  for (int64_t i = 0; i < n; i++) ((int64_t *)ord->data)[i] = k[i].i;
  free(k);
  return 3;
}

/* core.take(a, order[, width]) -> rows of a (flat, `width` values per row) in order (0-based) */
static int core_take (lua_State *L) {
  gl_array *a = gl_array_arg_contig(L, 1, GL_FLOAT64, "plot");
  gl_array *o = gl_array_arg_contig(L, 2, GL_INT64, "plot");
  int64_t w = luaL_optinteger(L, 3, 1);
  if (w < 1 || a->size % w != 0) return gl_error(L, "plot", "bad row width");
  int64_t rows = a->size / w;
  gl_array *r = w == 1 ? gl_array_push1(L, GL_FLOAT64, o->size) : gl_array_push2(L, GL_FLOAT64, o->size, w);
  const int64_t *ix = (const int64_t *)o->data;
  for (int64_t i = 0; i < o->size; i++) {
    if (ix[i] < 0 || ix[i] >= rows) return gl_error(L, "plot", "index out of range");
    memcpy((double *)r->data + i * w, (const double *)a->data + ix[i] * w, sizeof(double) * (size_t)w);
  }
  return 1;
}

static const luaL_Reg core_funcs[] = {
  {"asarray", core_asarray}, {"axmap", core_axmap}, {"cmap_apply", core_cmap_apply},
  {"cmap_names", core_cmap_names}, {"cmap_table", core_cmap_table},
  {"contour_band", core_contour_band}, {"contour_lines", core_contour_lines},
  {"count_in_box", core_count_in_box}, {"finite_range", core_finite_range},
  {"histogram", core_histogram}, {"info", core_info}, {"nonsingular", core_nonsingular},
  {"project3d", core_project3d}, {"delaunay", core_delaunay}, {"imread", core_imread}, {"read_png", core_read_png}, {"rgb_image", core_rgb_image}, {"sixel", core_sixel}, {"take", core_take},
  {"ticks", core_ticks}, {"tolist", core_tolist}, {NULL, NULL}
};

int luaopen_geolab_plot_core (lua_State *L) {
  luaL_newlib(L, core_funcs);
  gl_plot_open_canvas(L);
  return 1;
}
