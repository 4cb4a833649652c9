/* plot_canvas.c: the Cairo canvas behind plt figures (geolab.PlotCanvas).
 *
 * A canvas is a Cairo surface sized in pixels (figsize * dpi) plus its
 * context. PNG figures draw into an ARGB32 image that gl_plot_png_write saves;
 * SVG/PDF figures draw into a vector surface scaled by 72/dpi, so the Lua side
 * always works in pixels. Every drawing call takes pixel coordinates, or data
 * arrays with the two axis maps ({d0, d1, p0, p1, scale, linthresh}) so that
 * large data never turns into Lua tables.
 * Text is in plot_text.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <lauxlib.h>
#include "gl_array.h"
#include "plot_core.h"

typedef gl_plot_canvas canvas;



canvas *gl_plot_check_canvas (lua_State *L, int idx) {
  canvas *c = luaL_checkudata(L, idx, GL_CANVAS_MT);
  if (c->cr == NULL) luaL_error(L, "attempt to use a closed canvas");
  return c;
}
#define check_canvas gl_plot_check_canvas

static void cv_release (canvas *c) {
  gl_afile_abort(&c->af);   /* first: an unfinished file never replaces its target */
  if (c->vec_cr) {   /* an error while rasterizing: drop the image context first */
    if (c->cr) cairo_destroy(c->cr);
    c->cr = c->vec_cr; c->vec_cr = NULL;
  }
  if (c->rsurf) { cairo_surface_destroy(c->rsurf); c->rsurf = NULL; }
  if (c->cr) { cairo_destroy(c->cr); c->cr = NULL; }
  if (c->surf) { cairo_surface_finish(c->surf); cairo_surface_destroy(c->surf); c->surf = NULL; }
  free(c->path); c->path = NULL;
}

/* Cairo's vector output goes through the canvas's afile; after a failure the
 * surface is in error and the rest is dropped. */
static cairo_status_t cv_stream (void *closure, const unsigned char *data, unsigned int len) {
  canvas *c = closure;
  if (c->wrc == GL_OK) c->wrc = gl_afile_write(&c->af, data, len, &c->err);
  return c->wrc == GL_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static int cv_gc (lua_State *L) {
  canvas *c = luaL_checkudata(L, 1, GL_CANVAS_MT);
  cv_release(c);
  return 0;
}

/* core.canvas(w, h, kind, path, dpi): kind "png" (image), "svg" or "pdf". */
static int cv_new (lua_State *L) {
  double w = luaL_checknumber(L, 1), h = luaL_checknumber(L, 2);
  static const char *const kinds[] = {"png", "svg", "pdf", NULL};
  int kind = luaL_checkoption(L, 3, "png", kinds);
  const char *path = luaL_optstring(L, 4, NULL);
  double dpi = luaL_optnumber(L, 5, 100);
  luaL_argcheck(L, w >= 1 && h >= 1 && w <= 32768 && h <= 32768, 1, "canvas size must be 1..32768 pixels");
  luaL_argcheck(L, kind == CV_IMAGE || path != NULL, 4, "vector canvas needs a path");
  canvas *c = lua_newuserdatauv(L, sizeof(canvas), 0);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, GL_CANVAS_MT);
  c->kind = kind; c->w = floor(w); c->h = floor(h);
  if (kind == CV_IMAGE) {
    c->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)c->w, (int)c->h);
  } else {
    size_t n = strlen(path);
    c->path = malloc(n + 1);
    if (c->path == NULL) return luaL_error(L, "not enough memory");
    memcpy(c->path, path, n + 1);
    if (gl_afile_open(&c->af, path, &c->err) != GL_OK) {
      cv_release(c);
      return luaL_error(L, "savefig: cannot write %s (%s)", path, c->err.msg);
    }
    double s = 72.0 / dpi;
    if (kind == CV_SVG) {
      c->surf = cairo_svg_surface_create_for_stream(cv_stream, c, c->w * s, c->h * s);
      cairo_svg_surface_restrict_to_version(c->surf, CAIRO_SVG_VERSION_1_1);
    } else {
      c->surf = cairo_pdf_surface_create_for_stream(cv_stream, c, c->w * s, c->h * s);
      /* fixed metadata: no creation date from the clock */
      cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_CREATOR, "geolab");
      cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00");
      cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00");
    }
  }
  if (cairo_surface_status(c->surf) != CAIRO_STATUS_SUCCESS) {
    const char *msg = cairo_status_to_string(cairo_surface_status(c->surf));
    cv_release(c);
    return luaL_error(L, "savefig: cannot create %s (%s)", path ? path : "image", msg);
  }
  c->cr = cairo_create(c->surf);
  if (kind != CV_IMAGE) cairo_scale(c->cr, 72.0 / dpi, 72.0 / dpi);
  return 1;
}

void gl_plot_set_rgba (cairo_t *cr, const double c[4]) {
  cairo_set_source_rgba(cr, c[0], c[1], c[2], c[3]);
}

/* Optional colour field: returns 1 and fills c when present. */
int gl_plot_opt_color (lua_State *L, int opts, const char *key, double c[4]) {
  if (lua_type(L, opts) != LUA_TTABLE) return 0;
  if (lua_getfield(L, opts, key) != LUA_TTABLE) { lua_pop(L, 1); return 0; }
  gl_plot_get_rgba(L, -1, c, "plot");
  lua_pop(L, 1);
  return 1;
}

double gl_plot_opt_num (lua_State *L, int opts, const char *key, double def) {
  if (lua_type(L, opts) != LUA_TTABLE) return def;
  lua_getfield(L, opts, key);
  double v = luaL_optnumber(L, -1, def);
  lua_pop(L, 1);
  return v;
}

const char *gl_plot_opt_str (lua_State *L, int opts, const char *key, const char *def) {
  if (lua_type(L, opts) != LUA_TTABLE) return def;
  lua_getfield(L, opts, key);
  const char *v = luaL_optstring(L, -1, def);   /* field values of opts stay alive */
  lua_pop(L, 1);
  return v;
}

#define set_rgba gl_plot_set_rgba
#define opt_color gl_plot_opt_color
#define opt_num gl_plot_opt_num
#define opt_str gl_plot_opt_str

/* Stroke style from opts: lw, dash {on, off, ...}, cap, join. */
static void set_stroke (lua_State *L, cairo_t *cr, int opts) {
  cairo_set_line_width(cr, opt_num(L, opts, "lw", 1));
  const char *cap = opt_str(L, opts, "cap", "butt");
  cairo_set_line_cap(cr, cap[0] == 'r' ? CAIRO_LINE_CAP_ROUND : cap[0] == 'p' || cap[0] == 's' ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT);
  const char *join = opt_str(L, opts, "join", "round");
  cairo_set_line_join(cr, join[0] == 'm' ? CAIRO_LINE_JOIN_MITER : join[0] == 'b' ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_ROUND);
  double dash[16];
  int nd = 0;
  if (lua_type(L, opts) == LUA_TTABLE && lua_getfield(L, opts, "dash") == LUA_TTABLE) {
    int n = (int)luaL_len(L, -1);
    for (int i = 1; i <= n && nd < 16; i++) {
      lua_geti(L, -1, i);
      dash[nd++] = luaL_checknumber(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  } else if (lua_type(L, opts) == LUA_TTABLE) lua_pop(L, 1);
  cairo_set_dash(cr, dash, nd, 0);
}

/* cv:clip(x, y, w, h) pushes a clip rectangle; cv:unclip() pops it. */
static int cv_clip (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  cairo_save(c->cr);
  cairo_rectangle(c->cr, luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                  luaL_checknumber(L, 4), luaL_checknumber(L, 5));
  cairo_clip(c->cr);
  return 0;
}

static int cv_unclip (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  cairo_restore(c->cr);
  return 0;
}

/* cv:rect(x, y, w, h, {fill=, stroke=, lw=, dash=}) */
static int cv_rect (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  double x = luaL_checknumber(L, 2), y = luaL_checknumber(L, 3);
  double w = luaL_checknumber(L, 4), h = luaL_checknumber(L, 5);
  double col[4];
  cairo_new_path(c->cr);
  cairo_rectangle(c->cr, x, y, w, h);
  if (opt_color(L, 6, "fill", col)) { set_rgba(c->cr, col); cairo_fill_preserve(c->cr); }
  if (opt_color(L, 6, "stroke", col)) {
    set_stroke(L, c->cr, 6);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_MITER);
    set_rgba(c->cr, col);
    cairo_stroke_preserve(c->cr);
  }
  cairo_new_path(c->cr);
  return 0;
}

/* Adds a path from x/y (Lua tables or arrays of pixels); NaN starts a new
 * subpath. closed closes every subpath. */
static void add_path (lua_State *L, cairo_t *cr, int ix, int iy, int closed) {
  gl_array *ax = gl_array_arg_contig(L, ix, GL_FLOAT64, "plot");
  gl_array *ay = gl_array_arg_contig(L, iy, GL_FLOAT64, "plot");
  if (ax->size != ay->size) luaL_error(L, "plot: x and y must have the same length (%d and %d)",
                                       (int)ax->size, (int)ay->size);
  const double *x = (const double *)ax->data, *y = (const double *)ay->data;
  int pen = 0;
  for (int64_t i = 0; i < ax->size; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      if (pen && closed) cairo_close_path(cr);
      pen = 0;
      continue;
    }
    if (pen) cairo_line_to(cr, x[i], y[i]);
    else { cairo_move_to(cr, x[i], y[i]); pen = 1; }
  }
  if (pen && closed) cairo_close_path(cr);
}

/* cv:path(xs, ys, {fill=, stroke=, lw=, dash=, closed=, cap=, join=, evenodd=}) in pixels. */
static int cv_path (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  int closed = 0;
  if (lua_type(L, 4) == LUA_TTABLE) { lua_getfield(L, 4, "closed"); closed = lua_toboolean(L, -1); lua_pop(L, 1); }
  cairo_new_path(c->cr);
  add_path(L, c->cr, 2, 3, closed);
  double col[4];
  if (opt_color(L, 4, "fill", col)) {
    lua_getfield(L, 4, "evenodd");
    cairo_set_fill_rule(c->cr, lua_toboolean(L, -1) ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
    lua_pop(L, 1);
    set_rgba(c->cr, col);
    cairo_fill_preserve(c->cr);
  }
  if (opt_color(L, 4, "stroke", col)) {
    set_stroke(L, c->cr, 4);
    set_rgba(c->cr, col);
    cairo_stroke_preserve(c->cr);
  }
  cairo_new_path(c->cr);
  return 0;
}

/* The data arguments of cv:lines and cv:polys: x and y (2, 3), contiguous
 * float64 of one length, and their axis maps (4, 5). */
static void data_args (lua_State *L, gl_array **ax, gl_array **ay, gl_plot_axmap *mx, gl_plot_axmap *my) {
  *ax = gl_array_arg_contig(L, 2, GL_FLOAT64, "plot");
  *ay = gl_array_arg_contig(L, 3, GL_FLOAT64, "plot");
  gl_plot_get_axmap(L, 4, mx, "plot");
  gl_plot_get_axmap(L, 5, my, "plot");
  if ((*ax)->size != (*ay)->size)
    luaL_error(L, "plot: x and y must have the same length (%d and %d)", (int)(*ax)->size, (int)(*ay)->size);
}

/* cv:lines(x, y, mapx, mapy, {color=, lw=, dash=, cap=, join=, simplify=,
 * fill=}): data arrays through the axis maps, NaN breaks, simplified. */
static int cv_lines (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  gl_array *ax, *ay;
  gl_plot_axmap mx, my;
  data_args(L, &ax, &ay, &mx, &my);
  int simplify = 1;
  if (lua_type(L, 6) == LUA_TTABLE) { lua_getfield(L, 6, "simplify"); simplify = lua_isnil(L, -1) || lua_toboolean(L, -1); lua_pop(L, 1); }
  int64_t n = ax->size;
  double *buf = (double *)gl_scratch(L, sizeof(double) * (size_t)(4 * n + 4));  /* options below may raise */
  double *ox = buf, *oy = buf + 2 * n + 2;
  int64_t k = gl_plot_path_simplify_f64(n, 1, 1, (const double *)ax->data, (const double *)ay->data,
                                        ox, oy, &mx, &my, simplify ? 1.0 / 9 : 0);
  cairo_t *cr = c->cr;
  double col[4], fcol[4];
  int has_fill = opt_color(L, 6, "fill", fcol), has_stroke = opt_color(L, 6, "color", col);
  int dashed = 0;
  if (lua_type(L, 6) == LUA_TTABLE) { lua_getfield(L, 6, "dash"); dashed = lua_istable(L, -1); lua_pop(L, 1); }
  if (has_stroke) { set_stroke(L, cr, 6); set_rgba(cr, col); }
  /* An opaque, solid, unfilled line is stroked in pieces of a few hundred
   * vertices: Cairo's stroker slows down badly on one long self-overlapping
   * path (a noisy signal), and opaque overlaps between pieces are invisible. */
  int64_t piece = (has_stroke && !has_fill && !dashed && col[3] >= 1.0) ? 128 : INT64_MAX;
  cairo_new_path(cr);
  int pen = 0;
  int64_t inpath = 0;
  double lx = 0, ly = 0;
  for (int64_t i = 0; i < k; i++) {
    if (isnan(ox[i])) { pen = 0; continue; }
    /* keep coordinates in a range Cairo's fixed point handles */
    double px = fmin(fmax(ox[i], -1e6), 1e6), py = fmin(fmax(oy[i], -1e6), 1e6);
    if (pen) cairo_line_to(cr, px, py);
    else { cairo_move_to(cr, px, py); pen = 1; }
    lx = px; ly = py;
    if (++inpath >= piece && pen) {
      cairo_stroke(cr);
      cairo_move_to(cr, lx, ly);
      inpath = 0;
    }
  }
  if (has_fill) {
    cairo_close_path(cr);
    set_rgba(cr, fcol);
    cairo_fill_preserve(cr);
    if (has_stroke) set_rgba(cr, col);
  }
  if (has_stroke) cairo_stroke_preserve(cr);
  cairo_new_path(cr);
  lua_pushinteger(L, k);
  return 1;
}

/* cv:polys(x, y, mapx, mapy, {fill=, stroke=, lw=}): NaN-separated polygons in
 * data coordinates, filled together (non-zero rule: no seams). */
static int cv_polys (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  gl_array *ax, *ay;
  gl_plot_axmap mx, my;
  data_args(L, &ax, &ay, &mx, &my);
  const double *x = (const double *)ax->data, *y = (const double *)ay->data;
  cairo_t *cr = c->cr;
  cairo_new_path(cr);
  int pen = 0;
  for (int64_t i = 0; i < ax->size; i++) {
    double px = gl_plot_axmap_apply(&mx, x[i]), py = gl_plot_axmap_apply(&my, y[i]);
    if (!isfinite(px) || !isfinite(py)) { if (pen) cairo_close_path(cr); pen = 0; continue; }
    if (pen) cairo_line_to(cr, px, py);
    else { cairo_move_to(cr, px, py); pen = 1; }
  }
  if (pen) cairo_close_path(cr);
  double col[4];
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  if (opt_color(L, 6, "fill", col)) { set_rgba(cr, col); cairo_fill_preserve(cr); }
  if (opt_color(L, 6, "stroke", col)) { set_stroke(L, cr, 6); set_rgba(cr, col); cairo_stroke_preserve(cr); }
  cairo_new_path(cr);
  return 0;
}

/* {===== markers */

/* Adds marker `m` centred at (x, y) with size d (pixels, matplotlib's
 * markersize). Returns 1 for markers that are only stroked (+, x, |, _). */
static int marker_path (cairo_t *cr, int m, double x, double y, double d) {
  double r = d / 2;
  switch (m) {
    case 'o': cairo_new_sub_path(cr); cairo_arc(cr, x, y, r, 0, 2 * M_PI); cairo_close_path(cr); return 0;
    case '.': cairo_new_sub_path(cr); cairo_arc(cr, x, y, r / 2, 0, 2 * M_PI); cairo_close_path(cr); return 0;
    case ',': cairo_rectangle(cr, x - 0.5, y - 0.5, 1, 1); return 0;
    case 's': cairo_rectangle(cr, x - r, y - r, d, d); return 0;
    case 'D': case 'd': {
      /* a unit square rotated 45 degrees; 'd' is squeezed to 0.6 of its width */
      double b = d * M_SQRT1_2, a = m == 'd' ? 0.6 * b : b;
      cairo_move_to(cr, x, y - b); cairo_line_to(cr, x + a, y); cairo_line_to(cr, x, y + b);
      cairo_line_to(cr, x - a, y); cairo_close_path(cr); return 0;
    }
    case '^': case 'v': case '<': case '>': {
      double px[3] = {0, -1, 1}, py[3] = {1, -1, -1};   /* pointing up in y-up units */
      for (int i = 0; i < 3; i++) {
        double u = px[i] * r, v = py[i] * r, X, Y;
        if (m == '^') { X = u; Y = -v; } else if (m == 'v') { X = u; Y = v; }
        else if (m == '<') { X = -v; Y = u; } else { X = v; Y = u; }
        if (i == 0) cairo_move_to(cr, x + X, y + Y); else cairo_line_to(cr, x + X, y + Y);
      }
      cairo_close_path(cr); return 0;
    }
    case '*': case 'p': case 'h': {
      int nv = m == '*' ? 10 : m == 'p' ? 5 : 6;
      for (int i = 0; i < nv; i++) {
        double ang = M_PI / 2 + 2 * M_PI * i / nv, rr = r;
        if (m == '*' && (i & 1)) rr = r * 0.381966;
        double X = x + rr * cos(ang), Y = y - rr * sin(ang);
        if (i == 0) cairo_move_to(cr, X, Y); else cairo_line_to(cr, X, Y);
      }
      cairo_close_path(cr); return 0;
    }
    case '+': cairo_move_to(cr, x - r, y); cairo_line_to(cr, x + r, y);
              cairo_move_to(cr, x, y - r); cairo_line_to(cr, x, y + r); return 1;
    case 'x': { double q = r;
              cairo_move_to(cr, x - q, y - q); cairo_line_to(cr, x + q, y + q);
              cairo_move_to(cr, x - q, y + q); cairo_line_to(cr, x + q, y - q); return 1; }
    case '|': cairo_move_to(cr, x, y - r); cairo_line_to(cr, x, y + r); return 1;
    case '_': cairo_move_to(cr, x - r, y); cairo_line_to(cr, x + r, y); return 1;
    default: cairo_new_sub_path(cr); cairo_arc(cr, x, y, r, 0, 2 * M_PI); cairo_close_path(cr); return 0;
  }
}

/* Colours: one table {r,g,b,a}, or an n x 4 array. Returns count (1 or n), 0 if absent. */
static int64_t get_colors (lua_State *L, int opts, const char *key, const double **out, double one[4], int64_t n) {
  if (lua_type(L, opts) != LUA_TTABLE) return 0;
  int t = lua_getfield(L, opts, key);
  if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) { lua_pop(L, 1); return 0; }
  if (t == LUA_TTABLE && lua_rawlen(L, -1) >= 3 && lua_geti(L, -1, 1) == LUA_TNUMBER) {
    lua_pop(L, 1);
    gl_plot_get_rgba(L, -1, one, "scatter");
    lua_pop(L, 1);
    *out = one;
    return 1;
  }
  if (t == LUA_TTABLE) lua_pop(L, 1);
  gl_array *a = gl_array_arg_contig(L, lua_gettop(L), GL_FLOAT64, "scatter");
  if (a->size != 4 * n) luaL_error(L, "scatter: '%s' must hold one RGBA colour per point", key);
  lua_setfield(L, opts, key);          /* keep the converted array alive in opts */
  lua_getfield(L, opts, key);
  a = gl_array_test(L, -1);
  lua_pop(L, 1);
  *out = (const double *)a->data;
  return n;
}

/* Renders the 16 subpixel coverage stamps of a marker: fill and edge masks. */
typedef struct stampset {
  gl_plot_stamp st[16];
  cairo_surface_t *surf[32];
} stampset;

static void stamps_free (stampset *s) {
  for (int i = 0; i < 32; i++) if (s->surf[i]) cairo_surface_destroy(s->surf[i]);
}

static int stamps_make (stampset *s, int m, double d, double lw, int want_fill, int want_edge, int merged) {
  memset(s, 0, sizeof *s);
  int w = (int)ceil(d + lw + 4);
  if (w > 256) return 0;
  int c = w / 2;
  int bx0 = w, by0 = w, bx1 = -1, by1 = -1;   /* tight box of non-zero coverage */
  for (int k = 0; k < 16; k++) {
    double cx = c + ((k % 4) + 0.5) / 4, cy = c + ((k / 4) + 0.5) / 4;
    for (int e = 0; e < 2; e++) {
      if ((e == 0 && !want_fill) || (e == 1 && !want_edge)) continue;
      if (merged && e == 1) continue;
      cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, w, w);
      cairo_t *cr = cairo_create(sf);
      cairo_set_source_rgba(cr, 0, 0, 0, 1);
      int line_only = marker_path(cr, m, cx, cy, d);
      cairo_set_line_width(cr, lw);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
      if (e == 0 && !line_only) {
        /* merged: fill and edge share a colour, so one mask holds their union */
        if (merged && want_edge && lw > 0) { cairo_fill_preserve(cr); cairo_stroke(cr); }
        else cairo_fill(cr);
      } else if (e == 1 || (merged && line_only)) cairo_stroke(cr);
      cairo_destroy(cr);
      cairo_surface_flush(sf);
      s->surf[2 * k + e] = sf;
      /* A8 rows are padded to 4 bytes: repack tightly */
      int stride = cairo_image_surface_get_stride(sf);
      unsigned char *data = cairo_image_surface_get_data(sf);
      if (stride != w) for (int j = 1; j < w; j++) memmove(data + j * w, data + j * stride, w);
      for (int j = 0; j < w; j++)
        for (int i = 0; i < w; i++)
          if (data[j * w + i]) {
            if (i < bx0) bx0 = i;
            if (i > bx1) bx1 = i;
            if (j < by0) by0 = j;
            if (j > by1) by1 = j;
          }
      if (e == 0) s->st[k].fill = data; else s->st[k].edge = data;
    }
  }
  if (bx1 < 0) { bx0 = by0 = 0; bx1 = by1 = 0; }
  int cw = bx1 - bx0 + 1, ch = by1 - by0 + 1;
  for (int k = 0; k < 16; k++) {   /* crop every mask to the common tight box */
    unsigned char *masks[2] = {(unsigned char *)s->st[k].fill, (unsigned char *)s->st[k].edge};
    for (int e = 0; e < 2; e++) {
      if (!masks[e]) continue;
      for (int j = 0; j < ch; j++) memmove(masks[e] + j * cw, masks[e] + (j + by0) * w + bx0, cw);
    }
    s->st[k].w = cw; s->st[k].h = ch;
    s->st[k].cx = c - bx0; s->st[k].cy = c - by0;
  }
  return 1;
}

/* cv:markers(x, y, mapx, mapy, {marker=, size=, sizes=, fill=, edge=, lw=})
 * fill/edge: {r,g,b,a} or n x 4 arrays; sizes: per-point sizes in pixels. */
static int cv_markers (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  gl_array *ax = gl_array_arg_contig(L, 2, GL_FLOAT64, "scatter");
  gl_array *ay = gl_array_arg_contig(L, 3, GL_FLOAT64, "scatter");
  gl_plot_axmap mx, my;
  gl_plot_get_axmap(L, 4, &mx, "scatter");
  gl_plot_get_axmap(L, 5, &my, "scatter");
  luaL_checktype(L, 6, LUA_TTABLE);
  if (ax->size != ay->size)
    return luaL_error(L, "scatter: x and y must have the same length (%d and %d)", (int)ax->size, (int)ay->size);
  int64_t n = ax->size;
  const char *ms = opt_str(L, 6, "marker", "o");
  int m = ms[0];
  double d = opt_num(L, 6, "size", 6), lw = opt_num(L, 6, "lw", 1);
  double fone[4], eone[4];
  const double *fill = NULL, *edge = NULL, *sizes = NULL;
  lua_getfield(L, 6, "fill");
  lua_getfield(L, 6, "edge");
  int merged = !lua_isnil(L, -1) && lua_rawequal(L, -1, -2);   /* edge is the face colour */
  lua_pop(L, 2);
  int64_t nf = get_colors(L, 6, "fill", &fill, fone, n);
  int64_t ne = get_colors(L, 6, "edge", &edge, eone, n);
  if (lua_getfield(L, 6, "sizes") != LUA_TNIL) {
    gl_array *as = gl_array_arg_contig(L, lua_gettop(L), GL_FLOAT64, "scatter");
    if (as->size != n && as->size != 1) return luaL_error(L, "scatter: s must be a scalar or have one size per point");
    lua_setfield(L, 6, "sizes");
    lua_getfield(L, 6, "sizes");
    as = gl_array_test(L, -1);
    sizes = (const double *)as->data;
    if (as->size == 1) { d = sizes[0]; sizes = NULL; }
  }
  lua_pop(L, 1);
  const double *x = (const double *)ax->data, *y = (const double *)ay->data;
  double *pxy = (double *)gl_scratch(L, sizeof(double) * (size_t)(2 * n + 2));  /* the clip option may raise */
  double *px = pxy, *py = pxy + n;
  for (int64_t i = 0; i < n; i++) { px[i] = gl_plot_axmap_apply(&mx, x[i]); py[i] = gl_plot_axmap_apply(&my, y[i]); }
  /* clip box from opts.clip = {x0, y0, x1, y1} */
  int64_t clip[4] = {0, 0, (int64_t)c->w, (int64_t)c->h};
  if (lua_getfield(L, 6, "clip") == LUA_TTABLE) {
    for (int i = 0; i < 4; i++) { lua_geti(L, -1, i + 1); clip[i] = (int64_t)floor(luaL_checknumber(L, -1) + (i < 2 ? 0 : 0.999)); lua_pop(L, 1); }
  }
  lua_pop(L, 1);
  stampset ss;
  int line_only = m == '+' || m == 'x' || m == '|' || m == '_';
  if (c->kind == CV_IMAGE && sizes == NULL && n > 64 &&
      stamps_make(&ss, m, d, lw, fill != NULL || (merged && line_only), edge != NULL && lw > 0, merged)) {
    uint32_t *data = (uint32_t *)cairo_image_surface_get_data(c->surf);
    cairo_surface_flush(c->surf);
    int rc = gl_plot_stamp_blit((int64_t)c->w, (int64_t)c->h, cairo_image_surface_get_stride(c->surf), data,
                                n, px, py, ss.st, fill ? fill : edge, fill ? nf : ne,
                                merged ? NULL : edge, ne, clip);
    cairo_surface_mark_dirty(c->surf);
    stamps_free(&ss);
    if (rc != GL_OK) return gl_kernel_error(L, "scatter", rc);
    return 0;
  }
  /* general path: one Cairo path per marker, in order */
  cairo_t *cr = c->cr;
  cairo_save(cr);
  cairo_rectangle(cr, (double)clip[0], (double)clip[1], (double)(clip[2] - clip[0]), (double)(clip[3] - clip[1]));
  cairo_clip(cr);
  cairo_set_line_width(cr, lw);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  for (int64_t i = 0; i < n; i++) {
    if (!isfinite(px[i]) || !isfinite(py[i]) || fabs(px[i]) > 1e6 || fabs(py[i]) > 1e6) continue;
    double di = sizes ? sizes[i] : d;
    if (!(di > 0)) continue;
    cairo_new_path(cr);
    int lo = marker_path(cr, m, px[i], py[i], di);
    if (fill && !lo) { set_rgba(cr, fill + (nf == 1 ? 0 : 4 * i)); cairo_fill_preserve(cr); }
    if (edge && lw > 0) { set_rgba(cr, edge + (ne == 1 ? 0 : 4 * i)); cairo_stroke_preserve(cr); }
  }
  cairo_new_path(cr);
  cairo_restore(cr);
  return 0;
}

/* =====} */

/* cv:image(rgba, x, y, w, h, {nearest=true, alpha=}) draws an h x w x 4 array
 * (float 0..1 or uint8) into the pixel rectangle; w or h < 0 flips. */
static int cv_image (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  gl_array *a = gl_array_arg_contig(L, 2, -1, "imshow");
  double x = luaL_checknumber(L, 3), y = luaL_checknumber(L, 4);
  double w = luaL_checknumber(L, 5), h = luaL_checknumber(L, 6);
  if (a->ndim != 3 || a->shape[2] != 4) return luaL_error(L, "imshow: internal image must be (h,w,4)");
  if (a->dtype != GL_UINT8 && a->dtype != GL_FLOAT64) a = gl_array_arg_contig(L, 2, GL_FLOAT64, "imshow");
  int ih = (int)a->shape[0], iw = (int)a->shape[1];
  if (ih < 1 || iw < 1) return luaL_error(L, "imshow: empty image");
  int nearest = 1;
  if (lua_type(L, 7) == LUA_TTABLE) { lua_getfield(L, 7, "nearest"); nearest = lua_isnil(L, -1) || lua_toboolean(L, -1); lua_pop(L, 1); }
  double alpha = opt_num(L, 7, "alpha", 1);
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, iw, ih);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) { cairo_surface_destroy(img); return luaL_error(L, "imshow: image too large"); }
  unsigned char *data = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  for (int i = 0; i < ih; i++) {
    uint32_t *row = (uint32_t *)(data + (size_t)i * stride);
    for (int j = 0; j < iw; j++) {
      double v[4];
      size_t o = ((size_t)i * iw + j) * 4;
      for (int k = 0; k < 4; k++) {
        if (a->dtype == GL_UINT8) v[k] = ((const uint8_t *)a->data)[o + k] / 255.0;
        else { double t = ((const double *)a->data)[o + k]; v[k] = isnan(t) ? 0 : fmin(fmax(t, 0), 1); }
      }
      double al = v[3] * alpha;
      uint32_t A = (uint32_t)(al * 255 + 0.5);
      uint32_t R = (uint32_t)(v[0] * al * 255 + 0.5), G = (uint32_t)(v[1] * al * 255 + 0.5), B = (uint32_t)(v[2] * al * 255 + 0.5);
      row[j] = (A << 24) | (R << 16) | (G << 8) | B;
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_t *cr = c->cr;
  cairo_save(cr);
  cairo_rectangle(cr, w >= 0 ? x : x + w, h >= 0 ? y : y + h, fabs(w), fabs(h));
  cairo_clip(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, w / iw, h / ih);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), nearest ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(img);
  return 0;
}


/* cv:fill(r, g, b, a) paints the whole canvas (a = 0 clears to transparent). */
static int cv_fill (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  double col[4] = {luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4), luaL_optnumber(L, 5, 1)};
  cairo_save(c->cr);
  cairo_set_operator(c->cr, CAIRO_OPERATOR_SOURCE);
  set_rgba(c->cr, col);
  cairo_paint(c->cr);
  cairo_restore(c->cr);
  return 0;
}

/* cv:pixel(x, y) -> r, g, b, a (0..255, unpremultiplied); x, y are 0-based. */
static int cv_pixel (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  int x = (int)luaL_checkinteger(L, 2), y = (int)luaL_checkinteger(L, 3);
  if (c->kind != CV_IMAGE || x < 0 || y < 0 || x >= c->w || y >= c->h) return 0;
  cairo_surface_flush(c->surf);
  const unsigned char *data = cairo_image_surface_get_data(c->surf);
  uint32_t p = ((const uint32_t *)(data + (size_t)y * cairo_image_surface_get_stride(c->surf)))[x];
  uint32_t a = p >> 24, ch[3] = {(p >> 16) & 255, (p >> 8) & 255, p & 255};
  for (int i = 0; i < 3; i++) lua_pushinteger(L, a ? (ch[i] * 255 + a / 2) / a : 0);
  lua_pushinteger(L, a);
  return 4;
}

/* cv:save_png(path, dpi) -> true, or raises "savefig: cannot write <path> (<why>)". */
static int cv_save_png (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  const char *path = luaL_checkstring(L, 2);
  double dpi = luaL_optnumber(L, 3, 100);
  if (c->kind != CV_IMAGE) return luaL_error(L, "savefig: not an image canvas");
  cairo_surface_flush(c->surf);
  int rc = gl_plot_png_write((int64_t)c->w, (int64_t)c->h, cairo_image_surface_get_stride(c->surf),
                             (const uint32_t *)cairo_image_surface_get_data(c->surf), path, dpi);
  if (rc != GL_OK) return luaL_error(L, "savefig: cannot write %s (%s)", path, rc == GL_EIO ? strerror(errno) : gl_strerror(rc));
  lua_pushboolean(L, 1);
  return 1;
}

/* cv:finish(): completes a vector file and renames it into place. */
static int cv_finish (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  if (c->kind == CV_IMAGE) return 0;
  cairo_destroy(c->cr); c->cr = NULL;
  cairo_surface_finish(c->surf);
  cairo_status_t st = cairo_surface_status(c->surf);
  cairo_surface_destroy(c->surf); c->surf = NULL;
  if (c->wrc != GL_OK || st != CAIRO_STATUS_SUCCESS) {
    gl_afile_abort(&c->af);
    if (c->wrc == GL_EINTR) return luaL_error(L, "interrupted!");
    return luaL_error(L, "savefig: cannot write %s (%s)", c->path,
                      c->wrc != GL_OK ? c->err.msg : cairo_status_to_string(st));
  }
  if (gl_afile_commit(&c->af, &c->err) != GL_OK)
    return luaL_error(L, "savefig: cannot write %s (%s)", c->path, c->err.msg);
  lua_pushboolean(L, 1);
  return 1;
}

/* cv:raster_begin() ... cv:raster_end(): matplotlib's rasterized=True. In an
 * SVG or PDF file, what is drawn between the two goes into an image at the
 * figure's dpi (one canvas pixel is one image pixel) covering the current
 * clip, which is then painted into the file as one picture: a scatter of 1e5
 * points stays a small file that viewers open fast. On a PNG canvas both do
 * nothing. Calls do not nest (an inner begin is ignored). */
static int cv_raster_begin (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  if (c->kind == CV_IMAGE || c->vec_cr != NULL) return 0;
  double x1, y1, x2, y2;
  cairo_clip_extents(c->cr, &x1, &y1, &x2, &y2);
  x1 = floor(fmax(x1, 0)); y1 = floor(fmax(y1, 0));
  x2 = ceil(fmin(x2, c->w)); y2 = ceil(fmin(y2, c->h));
  if (x2 - x1 < 1 || y2 - y1 < 1) { x1 = y1 = 0; x2 = y2 = 1; }   /* clipped away: a 1-pixel image */
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(x2 - x1), (int)(y2 - y1));
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    return luaL_error(L, "savefig: not enough memory to rasterize an artist");
  }
  cairo_t *icr = cairo_create(img);
  cairo_translate(icr, -x1, -y1);
  c->rsurf = img; c->rx = x1; c->ry = y1;
  c->vec_cr = c->cr; c->cr = icr;
  return 0;
}

static int cv_raster_end (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  if (c->vec_cr == NULL) return 0;
  cairo_destroy(c->cr);
  c->cr = c->vec_cr; c->vec_cr = NULL;
  cairo_surface_flush(c->rsurf);
  cairo_save(c->cr);
  cairo_set_source_surface(c->cr, c->rsurf, c->rx, c->ry);
  /* pixels stay pixels when a viewer zooms, as matplotlib's rasterized images */
  cairo_pattern_set_filter(cairo_get_source(c->cr), CAIRO_FILTER_NEAREST);
  cairo_paint(c->cr);
  cairo_restore(c->cr);
  cairo_surface_destroy(c->rsurf); c->rsurf = NULL;
  return 0;
}

static int cv_size (lua_State *L) {
  canvas *c = check_canvas(L, 1);
  lua_pushnumber(L, c->w); lua_pushnumber(L, c->h);
  return 2;
}

static const luaL_Reg cv_methods[] = {
  {"clip", cv_clip}, {"fill", cv_fill}, {"finish", cv_finish}, {"image", cv_image},
  {"lines", cv_lines}, {"markers", cv_markers}, {"path", cv_path}, {"pixel", cv_pixel},
  {"polys", cv_polys}, {"raster_begin", cv_raster_begin}, {"raster_end", cv_raster_end},
  {"rect", cv_rect}, {"save_png", cv_save_png}, {"size", cv_size},
  {"text", gl_plot_cv_text}, {"unclip", cv_unclip}, {NULL, NULL}
};

void gl_plot_open_canvas (lua_State *L) {
  gl_newmetatable(L, GL_CANVAS_MT, cv_methods, cv_gc);
  lua_pop(L, 1);
  lua_pushcfunction(L, cv_new);
  lua_setfield(L, -2, "canvas");
  gl_plot_open_text(L);
}
