/* plot_raster.c: drawing many identical markers by compositing coverage stamps.
 *
 * Cairo fills a path per marker, which for a million points costs seconds. A
 * marker's coverage mask at 16 subpixel offsets is computed once (by the
 * caller, with Cairo, so it matches the vector rendering) and each point then
 * costs w*h integer "over" operations. Points are composited in input order,
 * so overlapping translucent markers look as they would in Cairo. */
#include <math.h>
#include "plot.h"

typedef struct pcol { uint32_t r, g, b, a; } pcol;   /* premultiplied, 0..255 */

static pcol premul (const double *c) {
  double a = c[3] < 0 ? 0 : c[3] > 1 ? 1 : c[3];
  pcol p;
  p.a = (uint32_t)(a * 255 + 0.5);
  p.r = (uint32_t)(fmin(fmax(c[0], 0), 1) * a * 255 + 0.5);
  p.g = (uint32_t)(fmin(fmax(c[1], 0), 1) * a * 255 + 0.5);
  p.b = (uint32_t)(fmin(fmax(c[2], 0), 1) * a * 255 + 0.5);
  return p;
}

static inline uint32_t div255 (uint32_t v) { return (v + 128 + ((v + 128) >> 8)) >> 8; }

static void blit (uint32_t *argb, int64_t stride, const uint8_t *mask, int w, int h,
                  int64_t x0, int64_t y0, pcol c, const int64_t clip[4]) {
  for (int j = 0; j < h; j++) {
    int64_t yy = y0 + j;
    if (yy < clip[1] || yy >= clip[3]) continue;
    uint32_t *row = (uint32_t *)((char *)argb + yy * stride);
    const uint8_t *m = mask + (size_t)j * w;
    for (int i = 0; i < w; i++) {
      uint32_t cov = m[i];
      int64_t xx = x0 + i;
      if (cov == 0 || xx < clip[0] || xx >= clip[2]) continue;
      uint32_t sa = div255(c.a * cov);
      if (sa == 0) continue;
      uint32_t sr = div255(c.r * cov), sg = div255(c.g * cov), sb = div255(c.b * cov);
      uint32_t d = row[xx], inv = 255 - sa;
      uint32_t da = d >> 24, dr = (d >> 16) & 255, dg = (d >> 8) & 255, db = d & 255;
      da = sa + div255(da * inv); dr = sr + div255(dr * inv);
      dg = sg + div255(dg * inv); db = sb + div255(db * inv);
      row[xx] = (da << 24) | (dr << 16) | (dg << 8) | db;
    }
  }
}

int gl_plot_stamp_blit (int64_t w, int64_t h, int64_t stride, uint32_t *argb,
                        int64_t n, const double *px, const double *py,
                        const gl_plot_stamp *stamps,
                        const double *fill_rgba, int64_t fill_n,
                        const double *edge_rgba, int64_t edge_n,
                        const int64_t clip_in[4]) {
  int64_t clip[4] = {0, 0, w, h};
  if (clip_in) {
    clip[0] = clip_in[0] > 0 ? clip_in[0] : 0; clip[1] = clip_in[1] > 0 ? clip_in[1] : 0;
    clip[2] = clip_in[2] < w ? clip_in[2] : w; clip[3] = clip_in[3] < h ? clip_in[3] : h;
  }
  pcol fc = {0, 0, 0, 0}, ec = {0, 0, 0, 0};
  if (fill_rgba && fill_n == 1) fc = premul(fill_rgba);
  if (edge_rgba && edge_n == 1) ec = premul(edge_rgba);
  for (int64_t i = 0; i < n; i++) {
    if (gl_interrupted()) return GL_EINTR;
    double x = px[i], y = py[i];
    if (!isfinite(x) || !isfinite(y)) continue;
    double fx = floor(x), fy = floor(y);
    if (fx < -1e9 || fx > 1e9 || fy < -1e9 || fy > 1e9) continue;
    int qx = (int)((x - fx) * 4), qy = (int)((y - fy) * 4);
    if (qx > 3) qx = 3;
    if (qy > 3) qy = 3;
    const gl_plot_stamp *s = &stamps[4 * qy + qx];
    int64_t x0 = (int64_t)fx - (int64_t)s->cx, y0 = (int64_t)fy - (int64_t)s->cy;
    if (x0 + s->w <= clip[0] || x0 >= clip[2] || y0 + s->h <= clip[1] || y0 >= clip[3]) continue;
    if (s->fill && fill_rgba) {
      pcol c = fill_n == 1 ? fc : premul(fill_rgba + 4 * i);
      if (c.a) blit(argb, stride, s->fill, s->w, s->h, x0, y0, c, clip);
    }
    if (s->edge && edge_rgba) {
      pcol c = edge_n == 1 ? ec : premul(edge_rgba + 4 * i);
      if (c.a) blit(argb, stride, s->edge, s->w, s->h, x0, y0, c, clip);
    }
  }
  return GL_OK;
}
