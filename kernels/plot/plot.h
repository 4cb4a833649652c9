/* plot.h: pure drawing kernels behind the plot module (no Lua, no Cairo).
 *
 * Pixel buffers are Cairo's ARGB32 layout: one uint32_t per pixel,
 * premultiplied alpha, 0xAARRGGBB in native endianness, rows `stride` bytes
 * apart. Coordinates are in pixels, y down, pixel centres at +0.5. */
#ifndef GL_PLOT_H
#define GL_PLOT_H

#include <stdint.h>
#include "gl_types.h"

/* ---- PNG (plot_png.c) ----
 * Writes a w x h ARGB32 buffer as 8-bit RGBA (or RGB when every pixel is
 * opaque) with a pHYs chunk for dpi and nothing time- or host-dependent, so
 * the same pixels give the same bytes. The file replaces path only when
 * complete (afile.h), so a failure never leaves a truncated file or destroys
 * the old one. Returns 0, GL_ENOMEM, GL_EINTR or GL_EIO (errno tells why). */
int gl_plot_png_write(int64_t w, int64_t h, int64_t stride, const uint32_t *argb,
                      const char *path, double dpi);
/* Reads a PNG into a malloc'ed RGBA8 buffer (*rgba, 4*w*h bytes, caller frees).
 * Returns 0, GL_EIO (cannot open) or GL_EFORMAT (not a PNG / corrupt). */
int gl_plot_png_read(const char *path, int64_t *w, int64_t *h, unsigned char **rgba);
/* matplotlib's imread: float32 in [0, 1], nch 1 (grey), 3 (RGB) or 4; *out malloc'ed, the caller frees it */
int gl_plot_png_read_float(const char *path, int64_t *w, int64_t *h, int *nch, float **out);

/* ---- colormaps (plot_cmap.c, tables in plot_cmap_data.c) ---- */
typedef struct gl_plot_cmap {
  const char *name;
  int n;                 /* entries: 256, or 10/20 for the qualitative maps */
  const double *rgb;     /* n*3 values in [0,1], matplotlib's lookup table (exact) */
  const double *rgb_r;   /* the "_r" map's table when it is not exactly rgb reversed, or NULL */
} gl_plot_cmap;
extern const gl_plot_cmap gl_plot_cmaps[];   /* ends with a NULL name */
/* The map named `name` ("viridis"), NULL if unknown (no "_r" handling here). */
const gl_plot_cmap *gl_plot_cmap_find(const char *name);
/* Maps n values through cm like matplotlib's Colormap(Normalize(vmin, vmax)(v)):
 * index floor(t*N) clipped to [0, N-1] (t == 1 gives the last entry), values
 * below/above the range get under/over (RGBA, NULL = first/last entry), NaN
 * gets bad (NULL = transparent). lognorm maps log10(v) between log10 of the
 * limits (v <= 0 is bad). reverse flips the table. Output: n*4 doubles. */
int gl_plot_cmap_apply_f64(int64_t n, int64_t stride, const double *v, double *rgba,
                           const gl_plot_cmap *cm, double vmin, double vmax,
                           int reverse, int lognorm, const double *under,
                           const double *over, const double *bad);

/* ---- ticks (plot_ticks.c) ---- */
/* matplotlib's MaxNLocator._raw_ticks + tick_values: up to maxout ticks
 * covering [vmin, vmax] at a "nice" step from steps[0..nsteps-1] (increasing,
 * 1..10; NULL = {1, 2, 2.5, 5, 10}), at most nbins intervals, at least
 * min_n_ticks inside the range. integer != 0 keeps integer steps. Returns the
 * number of ticks (including the ones just outside the range) or GL_EINVAL. */
int gl_plot_ticks_maxn(double vmin, double vmax, int nbins, int min_n_ticks,
                       const double *steps, int nsteps, int integer,
                       double *out, int maxout);
/* matplotlib's transforms.nonsingular: widens a degenerate interval. */
void gl_plot_nonsingular(double *vmin, double *vmax, double expander, double tiny);

/* ---- paths (plot_path.c) ---- */
/* Axis scale for the data -> pixel transform. */
enum { GL_PLOT_LINEAR = 0, GL_PLOT_LOG = 1, GL_PLOT_SYMLOG = 2 };
typedef struct gl_plot_axmap {
  double d0, d1;     /* data limits, mapped to p0, p1 */
  double p0, p1;     /* pixel coordinates */
  int scale;         /* GL_PLOT_LINEAR / LOG / SYMLOG */
  double linthresh;  /* symlog: linear inside +-linthresh */
} gl_plot_axmap;
/* Forward transform of one value (NaN for log of v <= 0). */
double gl_plot_axmap_apply(const gl_plot_axmap *m, double v);
/* Transforms n points (strided inputs) to pixels, then drops the ones that do
 * not change the picture: consecutive points closer than `tol` pixels to the
 * line through the current run (matplotlib's path simplification, which keeps
 * the extreme excursions so that spikes survive). NaN/inf (or log of
 * non-positive) values break the line: the output holds segments separated
 * by a point with x = NaN. ox/oy must hold 2*n+2 doubles. Returns the number
 * of output points. tol <= 0 disables the simplification (every finite point
 * is kept). */
int64_t gl_plot_path_simplify_f64(int64_t n, int64_t sx, int64_t sy,
                                  const double *x, const double *y,
                                  double *ox, double *oy,
                                  const gl_plot_axmap *mx, const gl_plot_axmap *my,
                                  double tol);

/* ---- rasterising many markers (plot_raster.c) ---- */
/* A coverage stamp: a small w x h alpha mask (0..255) with its centre at
 * (cx, cy) in stamp pixels, for the marker fill and one for its edge. */
typedef struct gl_plot_stamp {
  int w, h;
  double cx, cy;
  const uint8_t *fill;   /* may be NULL */
  const uint8_t *edge;   /* may be NULL */
} gl_plot_stamp;
/* Composites a stamp at each of n pixel positions (px, py) with "over":
 * the fill in colour fill_rgba (n*4 doubles, or one colour when fill_n == 1),
 * the edge in edge_rgba (same). Positions are snapped to 1/4 pixel by
 * choosing one of the 16 subpixel stamps (stamps[16], index 4*qy+qx);
 * positions outside the clip rectangle [x0,x1)x[y0,y1) are skipped. The
 * result does not depend on thread count: points are drawn in order. */
int gl_plot_stamp_blit(int64_t w, int64_t h, int64_t stride, uint32_t *argb,
                       int64_t n, const double *px, const double *py,
                       const gl_plot_stamp *stamps,
                       const double *fill_rgba, int64_t fill_n,
                       const double *edge_rgba, int64_t edge_n,
                       const int64_t clip[4]);

/* ---- contours (plot_contour.c) ---- */
/* Growable output of contour kernels: points and a separator convention.
 * The caller owns it and frees x, y with free(). */
typedef struct gl_plot_pts {
  double *x, *y;
  int64_t n, cap;
} gl_plot_pts;
void gl_plot_pts_free(gl_plot_pts *p);
/* Iso-lines of z (ny x nx, row-major; x[nx], y[ny] coordinates) at `level`,
 * by marching squares, as segments joined into polylines: the output holds
 * polylines separated by a NaN point. NaN cells are skipped. */
int gl_plot_contour_lines_f64(int64_t ny, int64_t nx, const double *x, const double *y,
                              const double *z, double level, gl_plot_pts *out);
/* Filled band lo <= z < hi as small polygons (each grid cell split into two
 * triangles, clipped by the band), separated by NaN points, all counter-
 * clockwise so that a non-zero fill of the whole set has no seams. */
int gl_plot_contour_band_f64(int64_t ny, int64_t nx, const double *x, const double *y,
                             const double *z, double lo, double hi, gl_plot_pts *out);

/* ---- Delaunay triangulation (plot_delaunay.c) ----
 * Bowyer-Watson on n >= 3 finite points, not all equal: *tris receives ntri
 * counter-clockwise triangles as 3 vertex numbers (0-based), malloc'ed, the
 * caller frees it. Returns 0, GL_EINVAL (too few or non-finite points) or
 * GL_ENOMEM. Duplicate points are left out of every triangle. */
int gl_plot_delaunay_f64(int64_t n, const double *x, const double *y, int64_t *ntri, int64_t **tris);

/* ---- sixel (plot_sixel.c) ---- */
/* Encodes an RGBA8 image (w x h, alpha composited over white) as a DEC sixel
 * string for terminals that show images inline: a fixed 6x7x6 colour cube
 * (252 registers), nearest colour, no dithering, run-length coded. The result
 * is malloc'ed into *out (caller frees), its length in *len. */
int gl_plot_sixel_encode(int64_t w, int64_t h, const unsigned char *rgba,
                         char **out, size_t *len);

/* ---- histograms (plot_ticks.c) ---- */
/* Counts finite values of x into nb bins with edges e[0..nb] (increasing);
 * the last bin includes its right edge, as numpy.histogram. w may be NULL
 * (weights 1). */
int gl_plot_histogram_f64(int64_t n, int64_t sx, const double *x, const double *w,
                          int64_t nb, const double *e, double *counts);

#endif
