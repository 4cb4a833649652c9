/* plot_text.c: text for the plot canvas: DejaVu Sans through FreeType and
 * Cairo, runs of sizes and baselines for simple math ($x^2$, $\\sigma_x$).
 *
 * The font files are found through fontconfig (Debian's fonts-dejavu-core)
 * and opened with FreeType, then drawn with hinting off and grey
 * antialiasing, so glyph positions do not depend on the host's fontconfig
 * rendering settings. Without DejaVu Sans the text falls back to Cairo's
 * "toy" face of that name (whatever fontconfig substitutes): figures still
 * draw, though not with the reference images' bytes. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <cairo.h>
#include <cairo-ft.h>
#include <lauxlib.h>
#include "plot_core.h"

/* {===== fonts */

/* Font faces are read-only once made and shared by every canvas; they are kept
 * in the registry (one set per Lua state), never in C statics. */
#define FONTS_KEY "geolab.plot.fonts"
enum { F_REGULAR, F_BOLD, F_OBLIQUE, F_NFONTS };
typedef struct fontset { cairo_font_face_t *face[F_NFONTS]; } fontset;

static void ft_face_done (void *face) { FT_Done_Face((FT_Face)face); }

/* The file (and face index) of DejaVu Sans in this weight and slant, as
 * fontconfig resolves it, into path; 0 if fontconfig offers another family. */
static int find_font (int weight, int slant, char *path, size_t len, int *index) {
  FcPattern *p = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, "DejaVu Sans",
                                FC_WEIGHT, FcTypeInteger, weight ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR,
                                FC_SLANT, FcTypeInteger, slant ? FC_SLANT_OBLIQUE : FC_SLANT_ROMAN, (char *)0);
  if (!p) return 0;
  FcConfigSubstitute(NULL, p, FcMatchPattern);
  FcDefaultSubstitute(p);
  FcResult res;
  FcPattern *m = FcFontMatch(NULL, p, &res);
  FcPatternDestroy(p);
  FcChar8 *family = NULL, *file = NULL;
  int ok = m && FcPatternGetString(m, FC_FAMILY, 0, &family) == FcResultMatch &&
           strcmp((const char *)family, "DejaVu Sans") == 0 &&
           FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
           (size_t)snprintf(path, len, "%s", (const char *)file) < len;
  if (ok && FcPatternGetInteger(m, FC_INDEX, 0, index) != FcResultMatch) *index = 0;
  if (m) FcPatternDestroy(m);
  return ok;
}

static cairo_font_face_t *load_face (FT_Library ftlib, int weight, int slant) {
  static const cairo_user_data_key_t key;
  char path[1024];
  int index = 0;
  FT_Face face = NULL;
  if (ftlib && find_font(weight, slant, path, sizeof path, &index) &&
      FT_New_Face(ftlib, path, index, &face) == 0) {
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(face, 0);
    if (cairo_font_face_set_user_data(cf, &key, face, ft_face_done) == CAIRO_STATUS_SUCCESS)
      return cf;
    cairo_font_face_destroy(cf);
    FT_Done_Face(face);
  }
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
  FT_Library ftlib = NULL;
  if (FT_Init_FreeType(&ftlib) != 0) ftlib = NULL;   /* never freed: Cairo may keep faces past this state */
  fs->face[F_REGULAR] = load_face(ftlib, 0, 0);
  fs->face[F_BOLD] = load_face(ftlib, 1, 0);
  fs->face[F_OBLIQUE] = load_face(ftlib, 0, 1);
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
    cairo_text_extents_t te;
    cairo_text_extents(cr, r[i].s, &te);
    x += r[i].dx * size + te.x_advance;
    double rise = r[i].rise * size;
    /* DejaVu's ascent includes room for accents; 0.76 em is cap height + a bit */
    a = fmax(a, 0.76 * sz + rise);
    d = fmax(d, 0.24 * sz - rise);
  }
  *w = x; *asc = a; *desc = d;
}

/* Multi-line text: the runs are cut at each newline into lines of runs whose
 * strings are copied into one pool (cairo wants NUL-terminated text). As in
 * matplotlib, lines are 1.2 font sizes apart and "baseline" alignment uses
 * the baseline of the last line, so a title ending in "\n" moves up a line. */
#define MAXSEG 96
#define MAXLINES 32
typedef struct lines {
  run seg[MAXSEG];
  int first[MAXLINES + 1], nlines;
  char pool[4096];
} lines;

static void split_lines (const run *r, int n, lines *L) {
  size_t used = 0;
  int ns = 0;
  L->nlines = 1; L->first[0] = 0;
  for (int i = 0; i < n; i++) {
    const char *p = r[i].s;
    int first_piece = 1;
    for (;;) {
      const char *nl = strchr(p, '\n');
      size_t len = nl ? (size_t)(nl - p) : strlen(p);
      if (ns < MAXSEG && used + len + 1 <= sizeof L->pool) {
        memcpy(L->pool + used, p, len); L->pool[used + len] = 0;
        L->seg[ns] = r[i];
        L->seg[ns].s = L->pool + used;
        if (!first_piece) L->seg[ns].dx = 0;
        used += len + 1; ns++;
      }
      if (!nl) break;
      if (L->nlines < MAXLINES) L->first[L->nlines++] = ns;
      p = nl + 1; first_piece = 0;
    }
  }
  L->first[L->nlines] = ns;
}

static int has_newline (const run *r, int n) {
  for (int i = 0; i < n; i++) if (strchr(r[i].s, '\n')) return 1;
  return 0;
}

/* Extent of a text block: width of its widest line, ascent above the last
 * baseline, descent below it; lw[k] receives line k's width. */
static void block_extent (cairo_t *cr, fontset *fs, const lines *L, double size,
                          double *w, double *asc, double *desc, double *lw) {
  double step = 1.2 * size, wmax = 0, a0 = 0, dl = 0;
  for (int k = 0; k < L->nlines; k++) {
    double wk, ak, dk;
    runs_extent(cr, fs, L->seg + L->first[k], L->first[k + 1] - L->first[k], size, &wk, &ak, &dk);
    if (ak == 0 && dk == 0) { ak = 0.76 * size; dk = 0.24 * size; }   /* an empty line keeps its height */
    lw[k] = wk;
    wmax = fmax(wmax, wk);
    if (k == 0) a0 = ak;
    dl = dk;
  }
  *w = wmax; *asc = a0 + (L->nlines - 1) * step; *desc = dl;
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
  lines *ln = NULL;
  double w, asc, desc, lwid[MAXLINES];
  const run *segs = r;
  int nl = 1, first[2] = {0, n};
  const int *firsts = first;
  if (has_newline(r, n)) {
    ln = lua_newuserdatauv(L, sizeof(lines), 0);   /* GC-owned scratch: an error cannot leak it */
    split_lines(r, n, ln);
    block_extent(cr, fs, ln, size, &w, &asc, &desc, lwid);
    segs = ln->seg; nl = ln->nlines; firsts = ln->first;
  } else {
    runs_extent(cr, fs, r, n, size, &w, &asc, &desc);
    lwid[0] = w;
  }
  double dy = va[0] == 't' ? asc : va[0] == 'b' && va[1] == 'o' ? -desc
            : va[0] == 'c' ? (asc - desc) / 2 : 0;
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -rot * M_PI / 180);
  gl_plot_set_rgba(cr, col);
  for (int k = 0; k < nl; k++) {
    double cx = ha[0] == 'c' ? -lwid[k] / 2 : ha[0] == 'r' ? -lwid[k] : 0;
    double by = dy - (nl - 1 - k) * 1.2 * size;
    for (int i = firsts[k]; i < firsts[k + 1]; i++) {
      set_font(cr, fs, segs[i].font, size * segs[i].scale);
      cx += segs[i].dx * size;
      cairo_move_to(cr, cx, by - segs[i].rise * size);
      cairo_show_text(cr, segs[i].s);
      cairo_text_extents_t te;
      cairo_text_extents(cr, segs[i].s, &te);
      cx += te.x_advance;
    }
  }
  cairo_restore(cr);
  (void)w;
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
  double w, a, d, lw[MAXLINES];
  if (has_newline(r, n)) {
    lines *ln = lua_newuserdatauv(L, sizeof(lines), 0);
    split_lines(r, n, ln);
    block_extent(cr, fs, ln, size, &w, &a, &d, lw);
  } else runs_extent(cr, fs, r, n, size, &w, &a, &d);
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
