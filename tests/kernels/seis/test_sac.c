/* test_sac.c: kernels/seis/sac.c on headers built here byte by byte (SAC's
 * layout: 70 floats, 40 ints, 8-byte strings), both byte orders, and the
 * header checks. Real files are tested in tests/seis/seis_read.lua. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sac.h"
#include "testhelp.h"

static void put32 (unsigned char *p, uint32_t v, int big) {
  for (int b = 0; b < 4; b++) p[big ? 3 - b : b] = (unsigned char)(v >> (8 * b));
}
static void putf (unsigned char *p, float f, int big) { uint32_t v; memcpy(&v, &f, 4); put32(p, v, big); }

/* A SAC file of n samples 0.5, 1.5, ...: delta 0.01, b 2.5, 2001 day 100,
 * station "ABC", network "XY" NUL-terminated with garbage after it. */
static unsigned char *make (int n, int big, size_t *len) {
  *len = GL_SAC_HEADER + 4 * (size_t)n;
  unsigned char *b = calloc(1, *len);
  for (int j = 0; j < 70; j++) putf(b + 4 * j, -12345.0f, big);
  for (int j = 0; j < 40; j++) put32(b + 280 + 4 * j, (uint32_t)-12345, big);
  memset(b + 440, ' ', 192);
  putf(b, 0.01f, big);
  putf(b + 4 * 5, 2.5f, big);
  int32_t ints[] = {2001, 100, 12, 30, 15, 250};
  for (int j = 0; j < 6; j++) put32(b + 280 + 4 * j, (uint32_t)ints[j], big);
  put32(b + 280 + 4 * 6, 6, big);     /* nvhdr */
  put32(b + 280 + 4 * 9, (uint32_t)n, big);
  put32(b + 280 + 4 * 15, 1, big);    /* iftype ITIME */
  put32(b + 280 + 4 * 35, 1, big);    /* leven */
  memcpy(b + 440, "ABC", 3);
  memcpy(b + 464 + 8 * 18, "XY\0junk", 7);   /* knetwk: NUL then garbage */
  memcpy(b + 464 + 8 * 17, "-12345  ", 8);  /* kcmpnm undefined */
  for (int j = 0; j < n; j++) putf(b + GL_SAC_HEADER + 4 * j, 0.5f + (float)j, big);
  return b;
}

int main (void) {
  for (int big = 0; big < 2; big++) {
    size_t len;
    unsigned char *b = make(5, big, &len);
    gl_sac s;
    CHECK(gl_sac_parse(b, len, &s) == NULL);
    CHECK(s.swapped == big);   /* on a little-endian host (x86), big-endian files are swapped */
    CLOSE(s.f[GL_SAC_DELTA], 0.01f, 0);
    CLOSE(s.f[GL_SAC_B], 2.5, 0);
    CHECK(s.i[GL_SAC_NPTS] == 5 && s.i[GL_SAC_NZYEAR] == 2001 && s.i[GL_SAC_NZJDAY] == 100);
    CHECK(strcmp(s.k[GL_SAC_KSTNM], "ABC") == 0);
    CHECK(strcmp(s.k[GL_SAC_KNETWK], "XY") == 0);
    CHECK(strcmp(s.k[GL_SAC_KCMPNM], "") == 0);
    float x[5];
    gl_sac_samples(&s, x);
    CLOSE(x[0], 0.5, 0);
    CLOSE(x[4], 4.5, 0);
    /* stored back in either order */
    unsigned char out[20];
    gl_sac_store(out, x, 5, big);
    CHECK(memcmp(out, b + GL_SAC_HEADER, 20) == 0);
    /* the checks */
    CHECK(gl_sac_parse(b, 600, &s) != NULL);                      /* header cut */
    CHECK(strstr(gl_sac_parse(b, len - 4, &s), "npts") != NULL);  /* data cut */
    put32(b + 280 + 4 * 35, 0, big);
    CHECK(strstr(gl_sac_parse(b, len, &s), "leven") != NULL);
    put32(b + 280 + 4 * 35, 1, big);
    put32(b + 280 + 4 * 15, 2, big);
    CHECK(strstr(gl_sac_parse(b, len, &s), "ITIME") != NULL);
    put32(b + 280 + 4 * 15, 1, big);
    putf(b, -1.0f, big);
    CHECK(strstr(gl_sac_parse(b, len, &s), "delta") != NULL);
    putf(b, 0.01f, big);
    put32(b + 280 + 4 * 9, (uint32_t)-3, big);
    CHECK(strstr(gl_sac_parse(b, len, &s), "negative") != NULL);
    put32(b + 280 + 4 * 6, 0, big);
    CHECK(strstr(gl_sac_parse(b, len, &s), "not a binary SAC") != NULL);
    free(b);
  }
  /* days since 1970 of (year, day of year) */
  CHECK(gl_days_from_civil_yday(1970, 1) == 0);
  CHECK(gl_days_from_civil_yday(2000, 60) == 11016);    /* 2000-02-29 */
  CHECK(gl_days_from_civil_yday(2010, 58) == 14667);    /* 2010-02-27 */
  CHECK(gl_days_from_civil_yday(1969, 365) == -1);
  CHECK(gl_days_from_civil_yday(1900, 1) == -25567);
  return TEST_REPORT();
}
