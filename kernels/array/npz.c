/* npz.c: zip archives of .npy members through libzip. Reading works on a
 * buffer in memory (so gzip and fuzzing go through the same path); member
 * sizes are never trusted: data is read in chunks up to a limit. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include "npz.h"
#include "gl_path.h"

struct gl_npz_reader {
  zip_t *z;
  int64_t n;
};

struct gl_npz_writer {
  zip_t *z;
  int compress;
  int64_t count;
  char *path;     /* libzip writes nothing for an empty archive; we do */
};

int gl_npz_is_zip (const char *buf, size_t len) {
  return len >= 4 && buf[0] == 'P' && buf[1] == 'K' &&
         ((buf[2] == 3 && buf[3] == 4) || (buf[2] == 5 && buf[3] == 6));
}

int gl_npz_open (const char *buf, size_t len, gl_npz_reader **rd, gl_ioerr *err) {
  zip_error_t ze;
  zip_error_init(&ze);
  *rd = NULL;
  zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
  if (!src) {
    zip_error_fini(&ze);
    return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  }
  zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!z) {
    gl_ioerr_set(err, GL_EFORMAT, "corrupt zip archive (%s)", zip_error_strerror(&ze));
    zip_source_free(src);
    zip_error_fini(&ze);
    return GL_EFORMAT;
  }
  zip_error_fini(&ze);
  gl_npz_reader *r = malloc(sizeof *r);
  if (!r) { zip_discard(z); return gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); }
  r->z = z;
  r->n = zip_get_num_entries(z, 0);
  if (r->n < 0) r->n = 0;
  *rd = r;
  return GL_OK;
}

int64_t gl_npz_count (const gl_npz_reader *rd) { return rd->n; }

const char *gl_npz_name (gl_npz_reader *rd, int64_t i) {
  if (i < 0 || i >= rd->n) return NULL;
  return zip_get_name(rd->z, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
}

int gl_npz_read (gl_npz_reader *rd, int64_t i, size_t max_bytes, gl_bytes *out, gl_ioerr *err) {
  out->len = 0;
  if (i < 0 || i >= rd->n) return gl_ioerr_set(err, GL_EINVAL, "no member %lld", (long long)i);
  zip_file_t *f = zip_fopen_index(rd->z, (zip_uint64_t)i, 0);
  if (!f) return gl_ioerr_set(err, GL_EFORMAT, "cannot read member (%s)", zip_strerror(rd->z));
  int rc = GL_OK;
  for (;;) {
    if (gl_bytes_reserve(out, 65536)) { rc = gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); break; }
    size_t room = out->cap - 1 - out->len;
    if (room > max_bytes - out->len + 1) room = max_bytes - out->len + 1;   /* see gl_gunzip */
    zip_int64_t k = zip_fread(f, out->data + out->len, room);
    if (k < 0) { rc = gl_ioerr_set(err, GL_EFORMAT, "corrupt member (%s)", zip_file_strerror(f)); break; }
    if (k == 0) break;
    out->len += (size_t)k;
    if (out->len > max_bytes) { rc = gl_ioerr_set(err, GL_ERANGE, "member too large"); break; }
  }
  zip_fclose(f);
  if (out->data) out->data[out->len] = '\0';
  return rc;
}

void gl_npz_close (gl_npz_reader *rd) {
  if (!rd) return;
  zip_discard(rd->z);
  free(rd);
}

/* libzip asks while it writes the archive (in zip_close); a non-zero answer
 * makes it stop and remove its temporary file, leaving the target as it was. */
static int npz_cancel (zip_t *z, void *ud) {
  (void)z; (void)ud;
  return gl_interrupted();
}

int gl_npz_create (const char *path, int compress, gl_npz_writer **w, gl_ioerr *err) {
  int ze = 0;
  *w = NULL;
  const char *why = gl_path_denied(path, GL_PATH_WRITE);
  if (why != NULL) return gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", why);
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
  if (!z) {
    zip_error_t e;
    zip_error_init_with_code(&e, ze);
    gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", zip_error_strerror(&e));
    zip_error_fini(&e);
    return GL_EIO;
  }
  gl_npz_writer *r = malloc(sizeof *r);
  if (!r) { zip_discard(z); return gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); }
  zip_register_cancel_callback_with_state(z, npz_cancel, NULL, NULL);
  r->z = z;
  r->compress = compress;
  r->count = 0;
  r->path = strdup(path);
  if (!r->path) { zip_discard(z); free(r); return gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); }
  *w = r;
  return GL_OK;
}

int gl_npz_add (gl_npz_writer *w, const char *name, char *data, size_t len, gl_ioerr *err) {
  zip_source_t *src = zip_source_buffer(w->z, data, len, 1);
  if (!src) { free(data); return gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); }
  zip_int64_t idx = zip_file_add(w->z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(src);
    return gl_ioerr_set(err, GL_EIO, "cannot add '%s' (%s)", name, zip_strerror(w->z));
  }
  w->count++;
  /* a fixed time (1980-01-01 00:00 local, the DOS epoch) so output is reproducible */
  struct tm tm = {0};
  tm.tm_year = 80; tm.tm_mon = 0; tm.tm_mday = 1; tm.tm_isdst = -1;
  time_t t = mktime(&tm);
  if (zip_file_set_mtime(w->z, (zip_uint64_t)idx, t, 0) < 0 ||
      zip_set_file_compression(w->z, (zip_uint64_t)idx, w->compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                               w->compress ? 6 : 0) < 0)   /* zlib's default level, like Python's zipfile */
    return gl_ioerr_set(err, GL_EIO, "cannot add '%s' (%s)", name, zip_strerror(w->z));
  return GL_OK;
}

int gl_npz_finish (gl_npz_writer *w, gl_ioerr *err) {
  int rc = GL_OK;
  if (w->count == 0) {
    /* an empty archive is just the end-of-central-directory record */
    static const char eocd[22] = {'P', 'K', 5, 6};
    zip_discard(w->z);
    rc = gl_file_write(w->path, eocd, sizeof eocd, 0, err);
  } else if (zip_close(w->z) < 0) {
    if (zip_error_code_zip(zip_get_error(w->z)) == ZIP_ER_CANCELLED) rc = gl_ioerr_set(err, GL_EINTR, "interrupted");
    else rc = gl_ioerr_set(err, GL_EIO, "write failed: %s", zip_strerror(w->z));
    zip_discard(w->z);   /* libzip has removed its temporary */
  }
  free(w->path);
  free(w);
  return rc;
}

void gl_npz_discard (gl_npz_writer *w) {
  if (!w) return;
  zip_discard(w->z);
  free(w->path);
  free(w);
}
