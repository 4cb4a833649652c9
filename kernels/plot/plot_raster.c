/* plot_raster.c: drawing many identical markers by compositing coverage stamps.
 *
 * Cairo fills a path per marker, which for a million points costs seconds. A
 * marker's coverage mask at 16 subpixel offsets is computed once (by the
 * caller, with Cairo, so it matches the vector rendering) and each point then
 * costs w*h integer "over" operations. Points are composited in input order,
 * so overlapping translucent markers look as they would in Cairo. */
#include <math.h>
#include <stdlib.h>
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
  int j0 = y0 < clip[1] ? (int)(clip[1] - y0) : 0, j1 = y0 + h > clip[3] ? (int)(clip[3] - y0) : h;
  int i0 = x0 < clip[0] ? (int)(clip[0] - x0) : 0, i1 = x0 + w > clip[2] ? (int)(clip[2] - x0) : w;
  for (int j = j0; j < j1; j++) {
    uint32_t *row = (uint32_t *)((char *)argb + (y0 + j) * stride) + x0;
    const uint8_t *m = mask + (size_t)j * w;
    for (int i = i0; i < i1; i++) {
      uint32_t cov = m[i];
      if (cov == 0) continue;
      uint32_t sa = cov == 255 ? c.a : div255(c.a * cov);
      if (sa == 0) continue;
      uint32_t sr, sg, sb;
      if (cov == 255) { sr = c.r; sg = c.g; sb = c.b; }
      else { sr = div255(c.r * cov); sg = div255(c.g * cov); sb = div255(c.b * cov); }
      uint32_t d = row[i], inv = 255 - sa;
      if (inv == 0) { row[i] = (sa << 24) | (sr << 16) | (sg << 8) | sb; continue; }
      uint32_t da = d >> 24, dr = (d >> 16) & 255, dg = (d >> 8) & 255, db = d & 255;
      da = sa + div255(da * inv); dr = sr + div255(dr * inv);
      dg = sg + div255(dg * inv); db = sb + div255(db * inv);
      row[i] = (da << 24) | (dr << 16) | (dg << 8) | db;
    }
  }
}

/* The stamp of a marker centred at pixel position (x, y), chosen by its
 * quarter-pixel phase, and the pixel of its top-left corner; NULL when the
 * position is not finite, far outside, or the stamp misses the clip box. */
static const gl_plot_stamp *place (const gl_plot_stamp *stamps, double x, double y, const int64_t clip[4],
                                   int64_t *x0, int64_t *y0) {
  if (!isfinite(x) || !isfinite(y)) return NULL;
  double fx = floor(x), fy = floor(y);
  if (fx < -1e9 || fx > 1e9 || fy < -1e9 || fy > 1e9) return NULL;
  int qx = (int)((x - fx) * 4), qy = (int)((y - fy) * 4);
  if (qx > 3) qx = 3;
  if (qy > 3) qy = 3;
  const gl_plot_stamp *s = &stamps[4 * qy + qx];
  *x0 = (int64_t)fx - (int64_t)s->cx; *y0 = (int64_t)fy - (int64_t)s->cy;
  if (*x0 + s->w <= clip[0] || *x0 >= clip[2] || *y0 + s->h <= clip[1] || *y0 >= clip[3]) return NULL;
  return s;
}

/* One colour for every point: "over" with a single colour commutes, so the
 * transmittance prod(1 - alpha_i) is accumulated per pixel in float (one
 * multiply per covered pixel) and the colour composited once at the end. The
 * product runs in input order, so the result is the same on every run. */
static int blit_single (int64_t w, int64_t h, int64_t stride, uint32_t *argb,
                        int64_t n, const double *px, const double *py,
                        const gl_plot_stamp *stamps, const double *rgba, const int64_t clip[4]) {
  float *tr = malloc(sizeof(float) * (size_t)w * (size_t)h);
  if (tr == NULL) return GL_ENOMEM;
  for (int64_t i = 0; i < w * h; i++) tr[i] = 1.0f;
  double a = rgba[3] < 0 ? 0 : rgba[3] > 1 ? 1 : rgba[3];
  float lut[256];   /* 1 - a * cov / 255 */
  for (int c = 0; c < 256; c++) lut[c] = (float)(1.0 - a * c / 255.0);
  for (int64_t p = 0; p < n; p++) {
    if ((p & 0xffff) == 0 && gl_interrupted()) { free(tr); return GL_EINTR; }
    double x = px[p], y = py[p];
    int64_t x0, y0;
    const gl_plot_stamp *s = place(stamps, x, y, clip, &x0, &y0);
    if (s == NULL) continue;
    int j0 = y0 < clip[1] ? (int)(clip[1] - y0) : 0, j1 = y0 + s->h > clip[3] ? (int)(clip[3] - y0) : s->h;
    int i0 = x0 < clip[0] ? (int)(clip[0] - x0) : 0, i1 = x0 + s->w > clip[2] ? (int)(clip[2] - x0) : s->w;
    for (int j = j0; j < j1; j++) {
      float *row = tr + (y0 + j) * w + x0;
      const uint8_t *m = s->fill + (size_t)j * s->w;
      for (int i = i0; i < i1; i++) row[i] *= lut[m[i]];
    }
  }
  pcol c = premul(rgba);
  for (int64_t y = clip[1]; y < clip[3]; y++) {
    uint32_t *row = (uint32_t *)((char *)argb + y * stride);
    for (int64_t x = clip[0]; x < clip[2]; x++) {
      float t = tr[y * w + x];
      if (t >= 1.0f) continue;
      uint32_t sa = (uint32_t)((1.0f - t) * 255.0f + 0.5f);
      if (sa == 0) continue;
      /* premultiplied source = colour * (1 - t); the colour's own alpha is in t */
      double k = a > 0 ? (1.0 - t) / a : 0;
      uint32_t sr = (uint32_t)(c.r * k + 0.5), sg = (uint32_t)(c.g * k + 0.5), sb = (uint32_t)(c.b * k + 0.5);
      if (sr > sa) sr = sa;
      if (sg > sa) sg = sa;
      if (sb > sa) sb = sa;
      uint32_t d = row[x], inv = 255 - sa;
      uint32_t da = d >> 24, dr = (d >> 16) & 255, dg = (d >> 8) & 255, db = d & 255;
      da = sa + div255(da * inv); dr = sr + div255(dr * inv);
      dg = sg + div255(dg * inv); db = sb + div255(db * inv);
      row[x] = (da << 24) | (dr << 16) | (dg << 8) | db;
    }
  }
  free(tr);
  return GL_OK;
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
  if (fill_rgba && fill_n == 1 && edge_rgba == NULL && n > 1000 && stamps[0].fill)
    return blit_single(w, h, stride, argb, n, px, py, stamps, fill_rgba, clip);
  pcol fc = {0, 0, 0, 0}, ec = {0, 0, 0, 0};
  if (fill_rgba && fill_n == 1) fc = premul(fill_rgba);
  if (edge_rgba && edge_n == 1) ec = premul(edge_rgba);
  for (int64_t i = 0; i < n; i++) {
    if (gl_interrupted()) return GL_EINTR;
    double x = px[i], y = py[i];
    int64_t x0, y0;
    const gl_plot_stamp *s = place(stamps, x, y, clip, &x0, &y0);
    if (s == NULL) continue;
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
