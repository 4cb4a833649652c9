/* npz.h: NumPy's .npz (a zip of .npy members) via libzip, read from memory
 * and written reproducibly (sorted by the caller, fixed 1980-01-01 mtimes).
 * No Lua. */
#ifndef GL_NPZ_H
#define GL_NPZ_H

#include "gl_types.h"
#include "gzfile.h"

/* 1 if buf starts like a zip archive ("PK\3\4", or "PK\5\6" when empty). */
int gl_npz_is_zip(const char *buf, size_t len);

typedef struct gl_npz_reader gl_npz_reader;

/* Opens the zip in buf[0..len) (buf must outlive the reader). *rd is set on
 * success and must be released with gl_npz_close. GL_EFORMAT with err->msg. */
int gl_npz_open(const char *buf, size_t len, gl_npz_reader **rd, gl_ioerr *err);
int64_t gl_npz_count(const gl_npz_reader *rd);
/* Member i's name (valid until gl_npz_close), or NULL. */
const char *gl_npz_name(gl_npz_reader *rd, int64_t i);
/* Decompresses member i into out (replacing its contents), at most max_bytes.
 * GL_EFORMAT (corrupt, CRC mismatch), GL_ERANGE (too large: out then holds
 * the first max_bytes + 1 bytes, never more). */
int gl_npz_read(gl_npz_reader *rd, int64_t i, size_t max_bytes, gl_bytes *out, gl_ioerr *err);
void gl_npz_close(gl_npz_reader *rd);

typedef struct gl_npz_writer gl_npz_writer;

/* Creates (truncates) the archive at path. Members are written in the order
 * added, deflated when compress is non-zero. */
int gl_npz_create(const char *path, int compress, gl_npz_writer **w, gl_ioerr *err);
/* Adds a member from a buffer the writer takes over (it frees it with free();
 * also on failure). */
int gl_npz_add(gl_npz_writer *w, const char *name, char *data, size_t len, gl_ioerr *err);
/* Writes the archive and frees w. libzip writes a temporary beside the target
 * and renames it when complete; Ctrl-C (gl_interrupted) stops it with GL_EINTR
 * and a write error with GL_EIO, the temporary removed and the target intact. */
int gl_npz_finish(gl_npz_writer *w, gl_ioerr *err);
/* Abandons the archive (nothing written) and frees w. */
void gl_npz_discard(gl_npz_writer *w);

#endif
