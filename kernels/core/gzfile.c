/* gzfile.c: whole-file reads with transparent gzip, reproducible writes, and
 * the growable buffer every reader fills. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "afile.h"
#include "gl_types.h"
#include "gzfile.h"
#include "gl_path.h"

void gl_ioerr_clear (gl_ioerr *e) {
  e->line = e->column = 0;
  e->msg[0] = '\0';
}

int gl_ioerr_set (gl_ioerr *e, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  return code;
}

int gl_bytes_reserve (gl_bytes *b, size_t extra) {
  size_t need;
  if (extra > SIZE_MAX - 1 - b->len) return GL_ENOMEM;
  need = b->len + extra + 1;
  if (need <= b->cap) return GL_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p) return GL_ENOMEM;
  b->data = p;
  b->cap = cap;
  return GL_OK;
}

int gl_bytes_append (gl_bytes *b, const void *p, size_t n) {
  int rc = gl_bytes_reserve(b, n);
  if (rc) return rc;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return GL_OK;
}

void gl_bytes_free (gl_bytes *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int gl_is_gzip (const char *buf, size_t len) {
  return len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b;
}

int gl_path_endswith (const char *path, const char *suffix) {
  size_t n = strlen(path), m = strlen(suffix);
  if (m > n) return 0;
  for (size_t i = 0; i < m; i++) {
    char a = path[n - m + i], b = suffix[i];
    if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
    if (a != b) return 0;
  }
  return 1;
}

int64_t gl_nul_line (const char *buf, size_t len) {
  const char *z = memchr(buf, '\0', len);
  if (z == NULL) return 0;
  int64_t line = 1;
  for (const char *p = buf; (p = memchr(p, '\n', (size_t)(z - p))) != NULL; p++) line++;
  return line;
}

#define READ_PIECE ((size_t)1 << 24)   /* bytes read or inflated between Ctrl-C polls */

/* Reads fd to EOF into out. */
static int read_fd (int fd, size_t max_bytes, gl_bytes *out, gl_ioerr *err) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", strerror(EISDIR));
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if ((uint64_t)st.st_size > (uint64_t)max_bytes)
      return gl_ioerr_set(err, GL_ERANGE, "file too large (%lld bytes)", (long long)st.st_size);
    if (gl_bytes_reserve(out, (size_t)st.st_size)) return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  }
  for (;;) {
    if (gl_bytes_reserve(out, 65536)) return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
    size_t room = out->cap - 1 - out->len;
    if (room > READ_PIECE) room = READ_PIECE;   /* a read() of a regular file ignores signals */
    ssize_t n = read(fd, out->data + out->len, room);
    if (n < 0) {
      if (errno == EINTR) continue;
      return gl_ioerr_set(err, GL_EIO, "%s", strerror(errno));
    }
    if (gl_interrupted()) return gl_ioerr_set(err, GL_EINTR, "interrupted");
    if (n == 0) break;
    out->len += (size_t)n;
    if (out->len > max_bytes) return gl_ioerr_set(err, GL_ERANGE, "file too large");
  }
  out->data[out->len] = '\0';
  return GL_OK;
}

int gl_gunzip (const char *buf, size_t len, size_t max_bytes, gl_bytes *out, gl_ioerr *err) {
  z_stream zs;
  int rc = GL_OK;
  out->len = 0;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  const unsigned char *in = (const unsigned char *)buf;
  size_t left = len;
  for (;;) {
    /* zlib counts in uInt: feed at most 1 GiB at a time */
    if (zs.avail_in == 0 && left > 0) {
      uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
      zs.next_in = (unsigned char *)in;
      zs.avail_in = chunk;
      in += chunk;
      left -= chunk;
    }
    size_t want = out->len < 65536 ? 65536 : out->len;  /* grow geometrically */
    if (want > (1u << 30)) want = 1u << 30;
    /* never inflate more than one byte past max_bytes: a small file that
     * inflates to gigabytes (a "zip bomb") costs only what is allowed */
    size_t allowed = max_bytes - out->len + 1;   /* out->len <= max_bytes here */
    if (want > allowed) want = allowed;
    if (gl_bytes_reserve(out, want)) { rc = gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); break; }
    size_t room = out->cap - 1 - out->len;
    if (room > READ_PIECE) room = READ_PIECE;   /* Ctrl-C is polled between pieces */
    if (room > allowed) room = allowed;
    if (gl_interrupted()) { rc = gl_ioerr_set(err, GL_EINTR, "interrupted"); break; }
    zs.next_out = (unsigned char *)out->data + out->len;
    zs.avail_out = (uInt)room;
    int z = inflate(&zs, Z_NO_FLUSH);
    out->len += room - zs.avail_out;
    if (out->len > max_bytes) { rc = gl_ioerr_set(err, GL_ERANGE, "decompressed data too large"); break; }
    if (z == Z_STREAM_END) {
      /* another member follows? (gzip -d concatenates them; anything else is
       * trailing garbage it ignores, and so do we) */
      size_t rest = zs.avail_in + left;
      const char *next = (const char *)zs.next_in;
      if (rest >= 2 && zs.avail_in >= 2 && gl_is_gzip(next, zs.avail_in)) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (z == Z_BUF_ERROR && zs.avail_in == 0 && left == 0) {
      rc = gl_ioerr_set(err, GL_EFORMAT, "truncated gzip data");
      break;
    }
    if (z != Z_OK && z != Z_BUF_ERROR) {
      rc = gl_ioerr_set(err, z == Z_MEM_ERROR ? GL_ENOMEM : GL_EFORMAT, "corrupt gzip data (%s)",
                        zs.msg ? zs.msg : "inflate failed");
      break;
    }
  }
  inflateEnd(&zs);
  if (out->data) out->data[out->len] = '\0';
  return rc;
}

int gl_file_read_raw (const char *path, size_t max_bytes, gl_bytes *out, gl_ioerr *err) {
  const char *why = gl_path_denied(path, GL_PATH_READ);
  if (why != NULL) return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", why);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", strerror(errno));
  out->len = 0;
  int rc = read_fd(fd, max_bytes, out, err);
  close(fd);
  return rc;
}

long long gl_file_head (const char *path, void *buf, size_t cap, size_t *got) {
  *got = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  long long size = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    size = (long long)st.st_size;
    while (*got < cap) {
      ssize_t n = pread(fd, (char *)buf + *got, cap - *got, (off_t)*got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) { size = -1; break; }
      if (n == 0) break;
      *got += (size_t)n;
    }
  }
  close(fd);
  return size;
}

int gl_file_read_into (const char *path, size_t offset, void *dst, size_t n, gl_ioerr *err) {
  const char *why = gl_path_denied(path, GL_PATH_READ);
  if (why != NULL) return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", why);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", strerror(errno));
  struct stat st;
  int rc = GL_OK;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != (uint64_t)offset + n)
    rc = gl_ioerr_set(err, GL_EFORMAT, "not a file of %zu bytes", offset + n);
  size_t done = 0;
  while (rc == GL_OK && done < n) {
    size_t want = n - done < READ_PIECE ? n - done : READ_PIECE;   /* pieces that poll Ctrl-C */
    ssize_t got = pread(fd, (char *)dst + done, want, (off_t)(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) rc = gl_ioerr_set(err, GL_EIO, "%s", strerror(errno));
    else if (got == 0) rc = gl_ioerr_set(err, GL_EFORMAT, "data truncated");
    else if (gl_interrupted()) rc = gl_ioerr_set(err, GL_EINTR, "interrupted");
    else done += (size_t)got;
  }
  close(fd);
  return rc;
}

int gl_file_read (const char *path, size_t max_bytes, gl_bytes *out, gl_ioerr *err) {
  gl_bytes raw = {0};
  const char *why = gl_path_denied(path, GL_PATH_READ);
  if (why != NULL) return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", why);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return gl_ioerr_set(err, GL_EIO, "cannot open file: %s", strerror(errno));
  out->len = 0;
  int rc = read_fd(fd, max_bytes, &raw, err);
  close(fd);
  if (rc) { gl_bytes_free(&raw); return rc; }
  if (gl_is_gzip(raw.data, raw.len)) {
    rc = gl_gunzip(raw.data, raw.len, max_bytes, out, err);
    gl_bytes_free(&raw);
    return rc;
  }
  gl_bytes_free(out);
  *out = raw;
  return GL_OK;
}

int gl_wfile_open (gl_wfile *w, const char *path, int gz, gl_ioerr *err) {
  w->zs = NULL;
  int rc = gl_afile_open(&w->af, path, err);
  if (rc || !gz) return rc;
  w->zs = calloc(1, sizeof(z_stream));
  /* zlib's defaults and the header gzopen(path, "wb") writes (no name,
   * mtime 0), so output is reproducible and as before */
  if (w->zs == NULL ||
      deflateInit2(w->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    free(w->zs);
    w->zs = NULL;
    gl_afile_abort(&w->af);
    return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  }
  return GL_OK;
}

void gl_wfile_abort (gl_wfile *w) {
  if (w->zs) { deflateEnd(w->zs); free(w->zs); w->zs = NULL; }
  gl_afile_abort(&w->af);
}

/* Deflates buf[0..len) into the file; flush is Z_NO_FLUSH, or Z_FINISH for
 * the end of the stream. Aborts w on failure. */
static int deflate_some (gl_wfile *w, const char *buf, size_t len, int flush, gl_ioerr *err) {
  z_stream *zs = w->zs;
  unsigned char out[65536];
  for (;;) {
    /* zlib counts in uInt: feed at most 1 MiB at a time */
    if (zs->avail_in == 0 && len > 0) {
      uInt chunk = len > (1u << 20) ? (1u << 20) : (uInt)len;
      zs->next_in = (unsigned char *)buf;
      zs->avail_in = chunk;
      buf += chunk;
      len -= chunk;
    }
    int last = len == 0 && zs->avail_in == 0;
    zs->next_out = out;
    zs->avail_out = sizeof out;
    int z = deflate(zs, last ? flush : Z_NO_FLUSH);
    if (z == Z_STREAM_ERROR) {
      gl_wfile_abort(w);
      return gl_ioerr_set(err, GL_EIO, "write failed: %s", "deflate failed");
    }
    size_t n = sizeof out - zs->avail_out;
    if (n) {
      int rc = gl_afile_write(&w->af, out, n, err);
      if (rc) { gl_wfile_abort(w); return rc; }
    }
    if (flush == Z_FINISH ? z == Z_STREAM_END : (last && zs->avail_out != 0)) return GL_OK;
  }
}

int gl_wfile_write (gl_wfile *w, const void *buf, size_t len, gl_ioerr *err) {
  if (w->zs) return deflate_some(w, buf, len, Z_NO_FLUSH, err);
  return gl_afile_write(&w->af, buf, len, err);
}

int gl_wfile_commit (gl_wfile *w, gl_ioerr *err) {
  if (w->zs) {
    int rc = deflate_some(w, NULL, 0, Z_FINISH, err);
    if (rc) return rc;
    deflateEnd(w->zs);
    free(w->zs);
    w->zs = NULL;
  }
  return gl_afile_commit(&w->af, err);
}

int gl_file_write (const char *path, const char *buf, size_t len, int gz, gl_ioerr *err) {
  gl_wfile w;
  int rc = gl_wfile_open(&w, path, gz, err);
  if (rc == GL_OK) rc = gl_wfile_write(&w, buf, len, err);
  return rc ? rc : gl_wfile_commit(&w, err);
}
