/* plot_core.h: shared declarations of the plot module's C part (stdlib/plot/plot_*.c).
 * Only luaopen_geolab_plot_core is meant for the outside; the rest is private. */
#ifndef GL_PLOT_CORE_H
#define GL_PLOT_CORE_H

#include <cairo.h>
#include <lua.h>
#include "gzfile.h"   /* gl_ioerr, and afile.h */
#include "plot.h"

#define GL_CANVAS_MT "geolab.PlotCanvas"

enum { CV_IMAGE, CV_SVG, CV_PDF };

/* A canvas: a Cairo surface sized in pixels and its context. */
typedef struct gl_plot_canvas {
  cairo_surface_t *surf;
  cairo_t *cr;
  int kind;             /* CV_IMAGE, CV_SVG, CV_PDF */
  double w, h;          /* pixels */
  char *path;           /* vector output: the target, for messages */
  gl_afile af;          /* vector output: replaces path on finish (afile.h) */
  gl_ioerr err;         /* why a vector write failed */
  int wrc;              /* first failure of a vector write, GL_OK */
  /* between cv:raster_begin and cv:raster_end, cr draws into rsurf, an image
   * of the clip region at (rx, ry); vec_cr is the vector context put back */
  cairo_t *vec_cr;
  cairo_surface_t *rsurf;
  double rx, ry;
} gl_plot_canvas;

/* plot_canvas.c: the canvas type and its drawing methods; adds core.canvas
 * (and, through plot_text.c, core.text_size) to the module table on top of
 * the stack. */
void gl_plot_open_canvas(lua_State *L);
gl_plot_canvas *gl_plot_check_canvas(lua_State *L, int idx);
void gl_plot_set_rgba(cairo_t *cr, const double c[4]);
/* Fields of an options table at opts (absent table or field: default / 0). */
int gl_plot_opt_color(lua_State *L, int opts, const char *key, double c[4]);
double gl_plot_opt_num(lua_State *L, int opts, const char *key, double def);
const char *gl_plot_opt_str(lua_State *L, int opts, const char *key, const char *def);

/* plot_text.c: cv:text and core.text_size. */
int gl_plot_cv_text(lua_State *L);
void gl_plot_open_text(lua_State *L);
/* plot_data.c helpers used by the canvas. */
void gl_plot_get_axmap(lua_State *L, int idx, gl_plot_axmap *m, const char *fname);
/* Reads an RGBA colour table {r, g, b[, a]} (0..1) at idx into c. */
void gl_plot_get_rgba(lua_State *L, int idx, double c[4], const char *fname);

int luaopen_geolab_plot_core(lua_State *L);

#endif
