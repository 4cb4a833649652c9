/* plot_sixel.c: DEC sixel encoding, for plt.show() in terminals such as
 * foot, mlterm, WezTerm or xterm -ti vt340 that draw images inline.
 *
 * Pixels map to a fixed 6x7x6 RGB cube (252 colour registers), so no
 * palette search is needed and the output depends only on the pixels. Each
 * band of six rows is written once per colour present in it: '#n' selects
 * the register, each column is one character 63 + (bit mask of the rows in
 * that colour), '!count' repeats a run, '$' returns to the band's start and
 * '-' moves to the next band. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"

typedef struct buf { char *p; size_t n, cap; int oom; } buf;

static void put (buf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (b->n + n + 1 > cap) cap *= 2;
    char *q = realloc(b->p, cap);
    if (q == NULL) { b->oom = 1; return; }
    b->p = q; b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static void putf (buf *b, const char *fmt, int a, int c, int d, int e) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, fmt, a, c, d, e);
  put(b, tmp, (size_t)n);
}

static void run (buf *b, int ch, int count) {
  if (count <= 0) return;
  if (count > 3) putf(b, "!%d%c", count, ch, 0, 0);
  else { char t[3] = {(char)ch, (char)ch, (char)ch}; put(b, t, (size_t)count); }
}

int gl_plot_sixel_encode (int64_t w, int64_t h, const unsigned char *rgba, char **out, size_t *len) {
  *out = NULL; *len = 0;
  if (w <= 0 || h <= 0 || w > 10000 || h > 10000) return GL_EINVAL;
  unsigned char *idx = malloc((size_t)(w * h));
  if (idx == NULL) return GL_ENOMEM;
  for (int64_t i = 0; i < w * h; i++) {
    const unsigned char *p = rgba + 4 * i;
    int a = p[3], c[3];
    for (int k = 0; k < 3; k++) c[k] = (p[k] * a + 255 * (255 - a) + 127) / 255;   /* over white */
    int r = (c[0] * 5 + 127) / 255, g = (c[1] * 6 + 127) / 255, bl = (c[2] * 5 + 127) / 255;
    idx[i] = (unsigned char)((r * 7 + g) * 6 + bl);
  }
  buf b = {0};
  putf(&b, "\033Pq\"1;1;%d;%d", (int)w, (int)h, 0, 0);
  for (int r = 0; r < 6; r++)
    for (int g = 0; g < 7; g++)
      for (int bl = 0; bl < 6; bl++)
        putf(&b, "#%d;2;%d;%d;%d", (r * 7 + g) * 6 + bl, r * 20, g * 100 / 6, bl * 20);
  for (int64_t y0 = 0; y0 < h; y0 += 6) {
    unsigned char used[252] = {0};
    for (int64_t y = y0; y < y0 + 6 && y < h; y++)
      for (int64_t x = 0; x < w; x++) used[idx[y * w + x]] = 1;
    int first = 1;
    for (int c = 0; c < 252; c++) {
      if (!used[c]) continue;
      if (!first) put(&b, "$", 1);
      first = 0;
      putf(&b, "#%d", c, 0, 0, 0);
      int prev = -1, count = 0;
      for (int64_t x = 0; x < w; x++) {
        int bits = 0;
        for (int k = 0; k < 6 && y0 + k < h; k++)
          if (idx[(y0 + k) * w + x] == c) bits |= 1 << k;
        int ch = 63 + bits;
        if (ch == prev) count++;
        else { run(&b, prev, count); prev = ch; count = 1; }
      }
      run(&b, prev, count);
    }
    put(&b, "-", 1);
  }
  put(&b, "\033\\", 2);
  free(idx);
  if (b.oom) { free(b.p); return GL_ENOMEM; }
  *out = b.p; *len = b.n;
  return GL_OK;
}
