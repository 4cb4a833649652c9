/* sac.c: reads SAC binary files (see sac.h). Written here: no Debian library
 * reads SAC, and the format is a fixed 632-byte header before float32 data.
 * The byte order is found from the header version (NVHDR = 6), as SAC does. */
#include <string.h>
#include "sac.h"

static uint32_t load32 (const unsigned char *p, int swap) {
  uint32_t v;
  memcpy(&v, p, 4);
  return swap ? __builtin_bswap32(v) : v;
}

int64_t gl_days_from_civil_yday (int64_t y, int64_t yday) {
  /* days to Jan 1 of y (proleptic Gregorian), Howard Hinnant's algorithm */
  int64_t yy = y - 1;  /* March-based year of Jan 1 */
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = 306;    /* Jan 1 is day 306 of the March-based year */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + (yday - 1);
}

const char *gl_sac_parse (const unsigned char *buf, size_t len, gl_sac *s) {
  if (len < GL_SAC_HEADER) return "file shorter than the 632-byte SAC header";
  int swap = -1;
  for (int sw = 0; sw < 2 && swap < 0; sw++) {
    uint32_t v = load32(buf + 280 + 4 * GL_SAC_NVHDR, sw);
    if (v >= 1 && v <= 7) swap = sw;
  }
  if (swap < 0) return "not a binary SAC file (no header version in either byte order)";
  for (int j = 0; j < 70; j++) { uint32_t v = load32(buf + 4 * j, swap); memcpy(&s->f[j], &v, 4); }
  for (int j = 0; j < 40; j++) s->i[j] = (int32_t)load32(buf + 280 + 4 * j, swap);
  /* strings: kstnm (8), kevnm (16), then 22 of 8 bytes */
  for (int j = 0, off = 440; j < 24; j++) {
    int w = j == 1 ? 16 : 8;
    memcpy(s->k[j], buf + off, (size_t)w);
    s->k[j][w] = 0;
    off += w;
    size_t n = strlen(s->k[j]);           /* NUL-terminated K-strings end there */
    while (n > 0 && s->k[j][n - 1] == ' ') s->k[j][--n] = 0;
    if (strcmp(s->k[j], "-12345") == 0) s->k[j][0] = 0;   /* SAC's "undefined" */
    if (j == 1) j++;                     /* kevnm took two slots */
  }
  if (s->i[GL_SAC_NVHDR] != 6) return "unsupported SAC header version (only 6 is read)";
  int32_t npts = s->i[GL_SAC_NPTS];
  if (npts < 0) return "negative number of points (npts)";
  if (s->i[GL_SAC_LEVEN] != 1) return "unevenly sampled SAC files (leven = false) are not supported";
  if (s->i[GL_SAC_IFTYPE] != 1) return "only time series SAC files (iftype = ITIME) are supported";
  if (!(s->f[GL_SAC_DELTA] > 0)) return "sampling interval delta must be positive";
  if ((len - GL_SAC_HEADER) / 4 < (size_t)npts) return "file shorter than its header says (npts samples)";
  s->swapped = swap;
  s->data = buf + GL_SAC_HEADER;
  return NULL;
}

void gl_sac_samples (const gl_sac *s, float *dst) {
  for (int32_t j = 0; j < s->i[GL_SAC_NPTS]; j++) {
    uint32_t v = load32(s->data + 4 * (size_t)j, s->swapped);
    memcpy(&dst[j], &v, 4);
  }
}

void gl_sac_store (unsigned char *dst, const float *src, size_t n, int bigendian) {
  for (size_t j = 0; j < n; j++) {
    uint32_t v;
    memcpy(&v, &src[j], 4);
    unsigned char *p = dst + 4 * j;
    for (int b = 0; b < 4; b++) p[bigendian ? 3 - b : b] = (unsigned char)(v >> (8 * b));
  }
}
