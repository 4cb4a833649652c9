/* plot_core.h: shared declarations of the plot module's C part (stdlib/plot_*.c).
 * Only luaopen_geolab_plot_core is meant for the outside; the rest is private. */
#ifndef GL_PLOT_CORE_H
#define GL_PLOT_CORE_H

#include <lua.h>
#include "plot.h"

#define GL_CANVAS_MT "geolab.PlotCanvas"

/* plot_canvas.c: the canvas type and its drawing methods; adds core.canvas
 * and core.text_size to the module table on top of the stack. */
void gl_plot_open_canvas(lua_State *L);
/* plot_data.c helpers used by the canvas. */
void gl_plot_get_axmap(lua_State *L, int idx, gl_plot_axmap *m, const char *fname);
/* Reads an RGBA colour table {r, g, b[, a]} (0..1) at idx into c. */
void gl_plot_get_rgba(lua_State *L, int idx, double c[4], const char *fname);

int luaopen_geolab_plot_core(lua_State *L);

#endif
