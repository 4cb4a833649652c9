/* plot_text.c: text for the plot canvas: DejaVu Sans through FreeType and
 * Cairo, runs of sizes and baselines for simple math ($x^2$, $\\sigma_x$).
 *
 * The font is loaded from GEOLAB_FONT_DIR (Debian's fonts-dejavu-core) with
 * hinting off and grey antialiasing, so glyph positions do not depend on the
 * host's fontconfig setup. The FreeType entry points are looked up at run time
 * in the libfreetype that libcairo already loads (the build links cairo only);
 * without them the text falls back to fontconfig's "DejaVu Sans". */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cairo.h>
#include <cairo-ft.h>
#include <lauxlib.h>
#include "plot_core.h"

#ifndef GEOLAB_FONT_DIR
#define GEOLAB_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

/* {===== fonts */

/* Font faces are read-only once made and shared by every canvas; they are kept
 * in the registry (one set per Lua state), never in C statics. */
#define FONTS_KEY "geolab.plot.fonts"
enum { F_REGULAR, F_BOLD, F_OBLIQUE, F_NFONTS };
typedef struct fontset { cairo_font_face_t *face[F_NFONTS]; } fontset;

typedef int (*ft_init_fn)(void **);
typedef int (*ft_newface_fn)(void *, const char *, long, void **);
typedef int (*ft_doneface_fn)(void *);

static void ft_face_done (void *face) {
  ft_doneface_fn done = (ft_doneface_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "FT_Done_Face");
  if (done) done(face);
}

static cairo_font_face_t *load_face (void *ftlib, const char *file, int weight, int slant) {
  static const cairo_user_data_key_t key;
  ft_newface_fn newface = (ft_newface_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "FT_New_Face");
  char path[512];
  snprintf(path, sizeof path, "%s/%s", GEOLAB_FONT_DIR, file);
  void *face = NULL;
  if (ftlib && newface && newface(ftlib, path, 0, &face) == 0) {
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(face, 0);
    if (cairo_font_face_set_user_data(cf, &key, face, ft_face_done) == CAIRO_STATUS_SUCCESS)
      return cf;
    cairo_font_face_destroy(cf);
    ft_face_done(face);
  }
  /* fallback: fontconfig's idea of DejaVu Sans */
  return cairo_toy_font_face_create("DejaVu Sans", slant ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL,
                                    weight ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
}

static int fonts_gc (lua_State *L) {
  fontset *fs = luaL_checkudata(L, 1, "geolab.PlotFonts");
  for (int i = 0; i < F_NFONTS; i++)
    if (fs->face[i]) { cairo_font_face_destroy(fs->face[i]); fs->face[i] = NULL; }
  return 0;
}

static fontset *get_fonts (lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, FONTS_KEY) == LUA_TUSERDATA) {
    fontset *fs = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return fs;
  }
  lua_pop(L, 1);
  fontset *fs = lua_newuserdatauv(L, sizeof(fontset), 0);
  memset(fs, 0, sizeof *fs);
  if (luaL_newmetatable(L, "geolab.PlotFonts")) {
    lua_pushcfunction(L, fonts_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  void *ftlib = NULL;
  ft_init_fn init = (ft_init_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "FT_Init_FreeType");
  if (init == NULL || init(&ftlib) != 0) ftlib = NULL;   /* the library is never freed: faces may outlive it */
  fs->face[F_REGULAR] = load_face(ftlib, "DejaVuSans.ttf", 0, 0);
  fs->face[F_BOLD] = load_face(ftlib, "DejaVuSans-Bold.ttf", 1, 0);
  fs->face[F_OBLIQUE] = load_face(ftlib, "DejaVuSans-Oblique.ttf", 0, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, FONTS_KEY);
  return fs;
}

static void set_font (cairo_t *cr, fontset *fs, int which, double size) {
  cairo_set_font_face(cr, fs->face[which]);
  cairo_set_font_size(cr, size);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

/* A text is a string or a table of runs {text, scale, rise, font, dx}: scale
 * of the base size, rise in units of the base size (superscripts > 0), font 0
 * regular, 1 bold, 2 oblique, dx a horizontal shift before the run in units
 * of the base size (negative to stack a superscript over a subscript). */
typedef struct run { const char *s; double scale, rise, dx; int font; } run;

static int get_runs (lua_State *L, int idx, run *r, int max, int bold) {
  if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER) {
    r[0].s = lua_tostring(L, idx); r[0].scale = 1; r[0].rise = 0; r[0].dx = 0; r[0].font = bold ? F_BOLD : F_REGULAR;
    return 1;
  }
  luaL_checktype(L, idx, LUA_TTABLE);
  int n = (int)luaL_len(L, idx);
  if (n > max) n = max;
  for (int i = 0; i < n; i++) {
    lua_geti(L, idx, i + 1);
    int t = lua_gettop(L);
    lua_getfield(L, t, "text"); r[i].s = luaL_optstring(L, -1, "");
    lua_getfield(L, t, "scale"); r[i].scale = luaL_optnumber(L, -1, 1);
    lua_getfield(L, t, "rise"); r[i].rise = luaL_optnumber(L, -1, 0);
    lua_getfield(L, t, "font"); r[i].font = (int)luaL_optinteger(L, -1, bold ? F_BOLD : F_REGULAR);
    if (r[i].font < 0 || r[i].font >= F_NFONTS) r[i].font = 0;
    lua_getfield(L, t, "dx"); r[i].dx = luaL_optnumber(L, -1, 0);   /* shift before the run, in em */
    lua_pop(L, 5);
    /* the strings stay alive: they are referenced by the run table at t */
    lua_settop(L, t - 1);
  }
  return n;
}

/* Width, ascent and descent of runs at base size. */
static void runs_extent (cairo_t *cr, fontset *fs, const run *r, int n, double size,
                         double *w, double *asc, double *desc) {
  double x = 0, a = 0, d = 0;
  for (int i = 0; i < n; i++) {
    double sz = size * r[i].scale;
    set_font(cr, fs, r[i].font, sz);
    cairo_font_extents_t fe;
    cairo_text_extents_t te;
    cairo_font_extents(cr, &fe);
    cairo_text_extents(cr, r[i].s, &te);
    x += r[i].dx * size + te.x_advance;
    double rise = r[i].rise * size;
    /* DejaVu's ascent includes room for accents; 0.76 em is cap height + a bit */
    a = fmax(a, 0.76 * sz + rise);
    d = fmax(d, 0.24 * sz - rise);
    (void)fe;
  }
  *w = x; *asc = a; *desc = d;
}

/* =====} */

/* {===== text */

/* cv:text(runs, x, y, {size=, color=, rotation=, ha=, va=, bold=}) */
int gl_plot_cv_text (lua_State *L) {
  gl_plot_canvas *c = gl_plot_check_canvas(L, 1);
  double x = luaL_checknumber(L, 3), y = luaL_checknumber(L, 4);
  int bold = 0;
  if (lua_type(L, 5) == LUA_TTABLE) { lua_getfield(L, 5, "bold"); bold = lua_toboolean(L, -1); lua_pop(L, 1); }
  run r[64];
  int n = get_runs(L, 2, r, 64, bold);
  double size = gl_plot_opt_num(L, 5, "size", 10), rot = gl_plot_opt_num(L, 5, "rotation", 0);
  const char *ha = gl_plot_opt_str(L, 5, "ha", "left"), *va = gl_plot_opt_str(L, 5, "va", "baseline");
  double col[4] = {0, 0, 0, 1};
  gl_plot_opt_color(L, 5, "color", col);
  fontset *fs = get_fonts(L);
  cairo_t *cr = c->cr;
  double w, asc, desc;
  runs_extent(cr, fs, r, n, size, &w, &asc, &desc);
  double dx = ha[0] == 'c' ? -w / 2 : ha[0] == 'r' ? -w : 0;
  double dy = va[0] == 't' ? asc : va[0] == 'b' && va[1] == 'o' ? -desc
            : va[0] == 'c' ? (asc - desc) / 2 : 0;
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -rot * M_PI / 180);
  gl_plot_set_rgba(cr, col);
  double cx = dx;
  for (int i = 0; i < n; i++) {
    set_font(cr, fs, r[i].font, size * r[i].scale);
    cx += r[i].dx * size;
    cairo_move_to(cr, cx, dy - r[i].rise * size);
    cairo_show_text(cr, r[i].s);
    cairo_text_extents_t te;
    cairo_text_extents(cr, r[i].s, &te);
    cx += te.x_advance;
  }
  cairo_restore(cr);
  return 0;
}

/* core.text_size(runs, size, bold) -> width, ascent, descent (pixels) */
static int core_text_size (lua_State *L) {
  run r[64];
  int n = get_runs(L, 1, r, 64, lua_toboolean(L, 3));
  double size = luaL_optnumber(L, 2, 10);
  fontset *fs = get_fonts(L);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create(s);
  double w, a, d;
  runs_extent(cr, fs, r, n, size, &w, &a, &d);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  lua_pushnumber(L, w); lua_pushnumber(L, a); lua_pushnumber(L, d);
  return 3;
}

/* =====} */

void gl_plot_open_text (lua_State *L) {
  lua_pushcfunction(L, core_text_size);
  lua_setfield(L, -2, "text_size");
}
