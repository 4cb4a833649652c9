/* plot_png.c: deterministic PNG writing and reading for the plot module (libpng).
 *
 * Writing: unpremultiplies Cairo's ARGB32, writes RGB when every pixel is
 * opaque and RGBA otherwise, with a fixed zlib level and filter heuristic, a
 * pHYs chunk for the dpi and no tIME/tEXt chunks: the bytes depend only on the
 * pixels. The file replaces its target only when complete (afile.h). */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gl_path.h"
#include <unistd.h>
#include "gzfile.h"   /* gl_ioerr, and afile.h */
#include "plot.h"

/* Unpremultiplied 8-bit channel, rounded. */
static unsigned char unpremul (uint32_t c, uint32_t a) {
  return (unsigned char)((c * 255 + a / 2) / a);
}

/* libpng's output goes through an afile; a failed write stops libpng with
 * png_error, and the afile (already aborted) keeps the code. */
typedef struct png_sink {
  gl_afile af;
  gl_ioerr err;
  int rc;
} png_sink;

static void sink_write (png_structp png, png_bytep data, size_t n) {
  png_sink *s = png_get_io_ptr(png);
  if (s->rc == GL_OK) s->rc = gl_afile_write(&s->af, data, n, &s->err);
  if (s->rc != GL_OK) png_error(png, "write failed");
}

static void sink_flush (png_structp png) { (void)png; }

/* libpng's default handlers print to stderr; a failure is reported once, by
 * the caller's error (GL_EFORMAT on reading, the write's own code on writing). */
static void quiet_error (png_structp png, png_const_charp msg) { (void)msg; png_longjmp(png, 1); }
static void quiet_warning (png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static int write_rows (png_sink *sink, int64_t w, int64_t h, int64_t stride,
                       const uint32_t *argb, int opaque, double dpi,
                       unsigned char *row) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
  if (png == NULL) return GL_ENOMEM;
  png_infop info = png_create_info_struct(png);
  if (info == NULL) { png_destroy_write_struct(&png, NULL); return GL_ENOMEM; }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return sink->rc != GL_OK ? sink->rc : GL_EIO;
  }
  png_set_write_fn(png, sink, sink_write, sink_flush);
  png_set_compression_level(png, 6);
  png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
               opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (dpi > 0) {
    png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  }
  png_write_info(png, info);
  for (int64_t i = 0; i < h; i++) {
    const uint32_t *src = (const uint32_t *)((const char *)argb + i * stride);
    unsigned char *d = row;
    for (int64_t j = 0; j < w; j++) {
      uint32_t p = src[j], a = p >> 24;
      uint32_t r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
      if (a != 0 && a != 255) { r = unpremul(r, a); g = unpremul(g, a); b = unpremul(b, a); }
      *d++ = (unsigned char)r; *d++ = (unsigned char)g; *d++ = (unsigned char)b;
      if (!opaque) *d++ = (unsigned char)a;
    }
    png_write_row(png, row);
  }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  return GL_OK;
}

int gl_plot_png_write (int64_t w, int64_t h, int64_t stride, const uint32_t *argb,
                       const char *path, double dpi) {
  if (w <= 0 || h <= 0 || w > 0x7fffffff || h > 0x7fffffff) return GL_EINVAL;
  int opaque = 1;
  for (int64_t i = 0; i < h && opaque; i++) {
    const uint32_t *src = (const uint32_t *)((const char *)argb + i * stride);
    for (int64_t j = 0; j < w; j++)
      if ((src[j] >> 24) != 255) { opaque = 0; break; }
  }
  unsigned char *row = malloc((size_t)w * 4);
  png_sink *sink = malloc(sizeof *sink);
  if (row == NULL || sink == NULL) { free(row); free(sink); return GL_ENOMEM; }
  sink->rc = GL_OK;
  int rc = gl_afile_open(&sink->af, path, &sink->err);
  if (rc == GL_OK) rc = write_rows(sink, w, h, stride, argb, opaque, dpi, row);
  int saved = errno;
  if (rc == GL_OK) { rc = gl_afile_commit(&sink->af, &sink->err); saved = errno; }
  else gl_afile_abort(&sink->af);   /* no-op when the afile gave up itself */
  free(sink);
  free(row);
  errno = saved;
  return rc;
}


/* Refuses (png_error) a header that claims more image data than the file can
 * hold: deflate expands at most 1032 times (zlib's limit), so a 100-byte file
 * claiming 1,000,000 x 1,000,000 pixels is corrupt or hostile, and is refused
 * before gigabytes are allocated for it. */
static void check_claimed_size (png_structp png, png_infop info, FILE *f) {
  struct stat st;
  if (fstat(fileno(f), &st) != 0) return;
  uint64_t raw = (uint64_t)png_get_image_height(png, info) * (uint64_t)png_get_rowbytes(png, info);
  if (raw > 1032 * (uint64_t)st.st_size + 65536) png_error(png, "image larger than its file can hold");
}

int gl_plot_png_read (const char *path, int64_t *w, int64_t *h, unsigned char **rgba) {
  *rgba = NULL;
  if (gl_path_denied(path, GL_PATH_READ) != NULL) return GL_EIO;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return GL_EIO;
  unsigned char sig[8];
  if (fread(sig, 1, 8, f) != 8 || png_sig_cmp(sig, 0, 8) != 0) { fclose(f); return GL_EFORMAT; }
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (info == NULL) { png_destroy_read_struct(&png, NULL, NULL); fclose(f); return GL_ENOMEM; }
  unsigned char *volatile buf = NULL;
  png_bytep *volatile rows = NULL;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    free(buf); free(rows); fclose(f);
    return GL_EFORMAT;
  }
  png_init_io(png, f);
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  check_claimed_size(png, info, f);
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  png_uint_32 pw = png_get_image_width(png, info), ph = png_get_image_height(png, info);
  buf = malloc((size_t)pw * ph * 4);
  rows = malloc(sizeof(png_bytep) * ph);
  if (buf == NULL || rows == NULL) png_error(png, "out of memory");
  for (png_uint_32 i = 0; i < ph; i++) rows[i] = buf + (size_t)i * pw * 4;
  png_read_image(png, rows);
  png_read_end(png, NULL);
  png_destroy_read_struct(&png, &info, NULL);
  free(rows);
  fclose(f);
  *w = pw; *h = ph; *rgba = buf;
  return GL_OK;
}

/* PNG to float32 in [0, 1] with matplotlib's imread shapes: grey stays one
 * channel (16-bit grey keeps its precision), RGB three, RGBA four; palette
 * and grey+alpha images become RGBA; other 16-bit images are cut to 8 bits
 * first, as Pillow does for matplotlib. *out is malloc'ed: the caller frees it. */
int gl_plot_png_read_float (const char *path, int64_t *w, int64_t *h, int *nch, float **out) {
  *out = NULL;
  if (gl_path_denied(path, GL_PATH_READ) != NULL) return GL_EIO;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return GL_EIO;
  unsigned char sig[8];
  if (fread(sig, 1, 8, f) != 8 || png_sig_cmp(sig, 0, 8) != 0) { fclose(f); return GL_EFORMAT; }
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, quiet_error, quiet_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (info == NULL) { png_destroy_read_struct(&png, NULL, NULL); fclose(f); return GL_ENOMEM; }
  unsigned char *volatile buf = NULL;
  png_bytep *volatile rows = NULL;
  float *volatile res = NULL;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    free(buf); free(rows); free(res); fclose(f);
    return GL_EFORMAT;
  }
  png_init_io(png, f);
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  check_claimed_size(png, info, f);
  int ct = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
  int c = 4, wide = 0;
  if (ct == PNG_COLOR_TYPE_PALETTE) {
    png_set_palette_to_rgb(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    else png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
  } else if (ct == PNG_COLOR_TYPE_GRAY) {
    c = 1;
    if (depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) wide = 1;
  } else if (ct == PNG_COLOR_TYPE_GRAY_ALPHA) {
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
  } else if (ct == PNG_COLOR_TYPE_RGB) {
    c = 3;
    png_set_strip_16(png);
  } else png_set_strip_16(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  png_uint_32 pw = png_get_image_width(png, info), ph = png_get_image_height(png, info);
  size_t bpp = (size_t)c * (wide ? 2 : 1), n = (size_t)pw * ph * c;
  if (png_get_rowbytes(png, info) != pw * bpp) png_error(png, "unexpected row size");
  buf = malloc((size_t)pw * ph * bpp);
  rows = malloc(sizeof(png_bytep) * ph);
  res = malloc(sizeof(float) * (n ? n : 1));
  if (buf == NULL || rows == NULL || res == NULL) png_error(png, "out of memory");
  for (png_uint_32 i = 0; i < ph; i++) rows[i] = buf + (size_t)i * pw * bpp;
  png_read_image(png, rows);
  png_read_end(png, NULL);
  png_destroy_read_struct(&png, &info, NULL);
  /* PNG's 16-bit samples are big-endian */
  if (wide) for (size_t i = 0; i < n; i++) res[i] = (float)((buf[2 * i] << 8) | buf[2 * i + 1]) / 65535.0f;
  else for (size_t i = 0; i < n; i++) res[i] = (float)buf[i] / 255.0f;
  free(buf); free(rows);
  fclose(f);
  *w = pw; *h = ph; *nch = c; *out = res;
  return GL_OK;
}
