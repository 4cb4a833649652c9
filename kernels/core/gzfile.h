/* gzfile.h: whole-file reading and writing for the file readers, with gzip
 * handled transparently (by magic bytes on reading, by a flag on writing), a
 * growable byte buffer the caller owns, and the error record every reader
 * fills in. No Lua here. */
#ifndef GL_GZFILE_H
#define GL_GZFILE_H

#include <stddef.h>
#include <stdint.h>
#include "afile.h"

/* A growable buffer. The caller owns it: zero-initialise, pass to readers, and
 * release with gl_bytes_free. After a successful reader call data[len] == 0, so
 * text parsers may rely on a terminating NUL (it is not part of len). */
typedef struct gl_bytes {
  char *data;
  size_t len;
  size_t cap;
} gl_bytes;

/* Error detail from a reader: what went wrong and, for text, where. */
typedef struct gl_ioerr {
  int64_t line;     /* 1-based physical line, 0 when it does not apply */
  int64_t column;   /* 1-based field number, 0 when it does not apply */
  char msg[200];
} gl_ioerr;

void gl_ioerr_clear(gl_ioerr *e);
/* Sets e->msg (printf-style) and returns code, so callers can `return gl_ioerr_set(...)`. */
int gl_ioerr_set(gl_ioerr *e, int code, const char *fmt, ...)
#ifdef __GNUC__
  __attribute__((format(printf, 3, 4)))
#endif
  ;

/* Makes room for `extra` more bytes (plus the NUL); GL_ENOMEM on failure or
 * overflow. Invalidates earlier b->data pointers. */
int gl_bytes_reserve(gl_bytes *b, size_t extra);
int gl_bytes_append(gl_bytes *b, const void *p, size_t n);
void gl_bytes_free(gl_bytes *b);   /* back to the empty state */

/* 1 if buf starts with the gzip magic 1f 8b. */
int gl_is_gzip(const char *buf, size_t len);

/* Reads the whole file at path into out (replacing its contents), inflating it
 * when it is gzip (several members are concatenated, as gzip -d does). At most
 * max_bytes of (decompressed) data are accepted, larger files fail with
 * GL_ERANGE. GL_EIO for an unopenable/unreadable file (err->msg has strerror),
 * GL_EFORMAT for a corrupt or truncated gzip stream, GL_EINTR on Ctrl-C
 * (polled every 16 MiB read or inflated). */
int gl_file_read(const char *path, size_t max_bytes, gl_bytes *out, gl_ioerr *err);

/* The file's bytes as they are on disk (no inflating); codes as gl_file_read. */
int gl_file_read_raw(const char *path, size_t max_bytes, gl_bytes *out, gl_ioerr *err);

/* Reads bytes [offset, offset + n) of the plain file at path into dst,
 * which the caller owns (np.load reads an array's data straight into the
 * array this way). *size gets the file's size. GL_EFORMAT when the file is
 * not a regular file of exactly offset + n bytes (nothing is read then), so
 * the caller can fall back to reading it whole and saying what is wrong. */
int gl_file_read_into(const char *path, size_t offset, void *dst, size_t n, gl_ioerr *err);
/* The first bytes of the regular file at path: up to cap of them into buf,
 * *got of them read; returns the file's size, or -1 (missing, not regular,
 * unreadable). No path check: callers check (gl_path_denied) first. Lets a
 * reader look at a header without the stdio calls in the binding. */
long long gl_file_head(const char *path, void *buf, size_t cap, size_t *got);

/* Inflates the gzip data buf[0..len) into out (replacing its contents), at
 * most max_bytes. Codes as gl_file_read. On GL_ERANGE, out holds the first
 * max_bytes + 1 bytes (never more), so a caller can read a header from a
 * prefix and then inflate exactly what the header declares. */
int gl_gunzip(const char *buf, size_t len, size_t max_bytes, gl_bytes *out, gl_ioerr *err);

/* A file being written, gzip-compressed when opened with gz (the gzip header
 * carries no timestamp, so output is reproducible), that replaces its target
 * only when committed (afile.h): open, write..., then commit or abort. A
 * failed write or commit has aborted w already (the old file is intact, no
 * temporary is left). Codes: GL_EIO with err->msg, GL_EINTR (Ctrl-C),
 * GL_ENOMEM. An opened w must be committed or aborted. */
typedef struct gl_wfile {
  gl_afile af;
  void *zs;   /* the deflate stream (z_stream *) when gz, else NULL */
} gl_wfile;
int gl_wfile_open(gl_wfile *w, const char *path, int gz, gl_ioerr *err);
int gl_wfile_write(gl_wfile *w, const void *buf, size_t len, gl_ioerr *err);
int gl_wfile_commit(gl_wfile *w, gl_ioerr *err);
void gl_wfile_abort(gl_wfile *w);

/* Writes buf[0..len) to path, gzip-compressed when gz is non-zero (the gzip
 * header carries no timestamp, so output is reproducible). The file is
 * replaced only when complete (afile.h): on failure the old one is intact.
 * GL_EIO with err->msg, GL_EINTR (Ctrl-C), GL_ENOMEM. */
int gl_file_write(const char *path, const char *buf, size_t len, int gz, gl_ioerr *err);

/* The 1-based line holding the first NUL byte of buf[0..len), 0 if none. Text
 * readers refuse such files: C string handling would cut a field at the NUL
 * and parse the rest silently wrong. */
int64_t gl_nul_line(const char *buf, size_t len);

/* 1 if the path ends with suffix (ASCII case-insensitive). */
int gl_path_endswith(const char *path, const char *suffix);

#endif
