/* sac.h: the SAC binary format (header version 6, evenly sampled time
 * series), either byte order. Pure C, no Lua. */
#ifndef GL_SAC_H
#define GL_SAC_H
#include <stddef.h>
#include <stdint.h>

#define GL_SAC_HEADER 632   /* 70 floats, 40 ints, 24 strings of 8 bytes */

typedef struct gl_sac {
  float f[70];          /* float header: delta, depmin, depmax, scale, odelta, b, e, ... */
  int32_t i[40];        /* integer/logical header: nzyear ... npts ... leven */
  char k[24][17];       /* string header, trailing blanks removed, NUL-cut */
  int swapped;          /* 1 when the file is big-endian (data swapped on read) */
  const unsigned char *data;  /* npts float32 samples in the file's byte order */
} gl_sac;

/* Header float and int positions used by the reader (SAC's own numbering). */
enum { GL_SAC_DELTA = 0, GL_SAC_B = 5, GL_SAC_E = 6 };
enum { GL_SAC_NZYEAR = 0, GL_SAC_NZJDAY, GL_SAC_NZHOUR, GL_SAC_NZMIN, GL_SAC_NZSEC, GL_SAC_NZMSEC,
       GL_SAC_NVHDR, GL_SAC_NPTS = 9, GL_SAC_IFTYPE = 15, GL_SAC_LEVEN = 35 };
enum { GL_SAC_KSTNM = 0, GL_SAC_KEVNM = 1, GL_SAC_KHOLE = 3, GL_SAC_KCMPNM = 20, GL_SAC_KNETWK = 21 };

/* Parses buf (a whole file of len bytes). Returns NULL on success, else a
 * message saying what is wrong ("not a SAC file: header version 0", ...). */
const char *gl_sac_parse(const unsigned char *buf, size_t len, gl_sac *out);
/* Copies the npts samples to dst as float32 in host order. */
void gl_sac_samples(const gl_sac *s, float *dst);
/* Stores n float32 samples at dst, little-endian or big-endian. */
void gl_sac_store(unsigned char *dst, const float *src, size_t n, int bigendian);
/* Days since 1970-01-01 of (year, day of year). */
int64_t gl_days_from_civil_yday(int64_t year, int64_t yday);

#endif
