/* textio.h: delimited numeric text (np.loadtxt / np.savetxt): fast, locale-free
 * number parsing into a caller-owned growable buffer, and printf-style
 * formatting of rows with formats validated first. No Lua. */
#ifndef GL_TEXTIO_H
#define GL_TEXTIO_H

#include "gl_types.h"
#include "gzfile.h"

#define GL_TEXT_MAXCOMMENTS 8

typedef struct gl_text_opts {
  char delimiter;               /* 0: fields are separated by runs of spaces/tabs */
  int ncomments;                /* comment markers: the rest of a line after one is ignored */
  const char *comments[GL_TEXT_MAXCOMMENTS];
  int64_t skiprows;             /* physical lines skipped first (comments included, like NumPy) */
  int64_t max_rows;             /* data rows to read (blank/comment lines do not count); < 0: all */
  const int64_t *usecols;       /* 0-based field numbers, negative counts from the end; NULL: all */
  int nusecols;
  gl_dtype dtype;               /* element type written to out */
  /* np.genfromtxt: an empty field, one equal to a missing[] marker or one
   * that does not parse takes the value `filling` instead of being an error */
  int fill;
  double filling;
  int nmissing;
  const char *missing[GL_TEXT_MAXCOMMENTS];
} gl_text_opts;

/* Parses buf[0..len) (buf[len] must be readable and NUL, as gl_bytes
 * guarantees) into out: *nrows rows of *ncols elements of o->dtype, appended
 * in row order (out is reset first). Blank lines and comment-only lines are
 * skipped. Numbers are parsed as C locale decimals (also inf/nan), correctly
 * rounded. Errors: GL_EFORMAT with err->line/column and a message like
 * "could not convert 'abc' to float at line 12, column 2" or "wrong number of
 * columns at line 5 (expected 3, got 2)"; GL_ERANGE for an integer out of the
 * dtype's range; GL_ENOMEM; GL_EINTR when interrupted. The caller frees out. */
int gl_text_parse(const char *buf, size_t len, const gl_text_opts *o, gl_bytes *out,
                  int64_t *nrows, int64_t *ncols, gl_ioerr *err);

/* Parses one number from s[0..n) exactly as gl_text_parse does (surrounding
 * spaces allowed); 0 on success, -1 if it is not a number. */
int gl_text_parse_double(const char *s, size_t n, double *out);

/* Formats nrows x ncols elements of dtype t (C-contiguous data) as text rows
 * appended to out. fmt is either one format for every column (joined with
 * delimiter), ncols formats separated by nothing but given as nfmt strings,
 * or one string holding ncols conversions (the whole line; delimiter unused).
 * A conversion is %[-+ #0][width][.prec] followed by one of e E f F g G
 * (the value as a double) or d i (the value truncated to an integer); "%%" is
 * a literal percent. Output does not depend on the locale. GL_EINVAL with
 * err->msg for an invalid format or a NaN/inf given to %d. */
int gl_text_format(int64_t nrows, int64_t ncols, gl_dtype t, const void *data,
                   const char *const *fmt, int nfmt, const char *delimiter,
                   const char *newline, gl_bytes *out, gl_ioerr *err);

#endif
