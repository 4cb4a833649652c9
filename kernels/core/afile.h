/* afile.h: files that replace their target only once they are complete.
 *
 * Every writer goes through these four calls, so that a failed write (disk
 * full, quota, Ctrl-C, an error in the middle) never destroys the user's
 * existing file and never leaves a partial one behind:
 *
 *   gl_afile af;
 *   if (gl_afile_open(&af, path, &err)) return ...;           nothing to undo
 *   if (gl_afile_write(&af, buf, n, &err)) return ...;        af already aborted
 *   return gl_afile_commit(&af, &err);                        aborted on failure
 *
 * Data goes to a temporary file in the target's folder (mkstemp), which
 * commit flushes, fsyncs and renames over the target; any failure removes
 * the temporary. The new file gets the mode the old one had, or 0666 minus
 * the umask as open() would give a new file. A symbolic link is followed (the
 * file it names is replaced, the link stays). A target that exists but is not
 * a regular file (/dev/null, a FIFO, a terminal) is written in place, as no
 * rename can replace it.
 *
 * Writes poll gl_interrupted() between chunks of 1 MiB (GL_EINTR).
 *
 * Test hook: when the environment variable GEOLAB_TEST_FAIL_WRITE_AFTER is set
 * to N, the write that would carry the file past N bytes fails with ENOSPC
 * (only the first N bytes reach the temporary), as on a full disk. Tests only.
 *
 * Failures also leave errno set to the cause. No Lua here. */
#ifndef GL_AFILE_H
#define GL_AFILE_H

#include <stddef.h>
#include <stdint.h>

struct gl_ioerr;   /* gzfile.h */

typedef struct gl_afile {
  int fd;           /* -1 when closed */
  int in_place;     /* writing straight into a non-regular target */
  char *tmp;        /* the temporary (malloc'd; NULL when in place) */
  char *target;     /* the file that commit replaces (malloc'd) */
  int64_t written;  /* bytes written so far */
  int64_t fail_at;  /* test hook: fail past this many bytes; -1 never */
} gl_afile;

/* Creates the temporary for path. On failure nothing is left to clean up
 * (GL_EIO with err->msg: "cannot open file for writing: <why>", GL_ENOMEM). */
int gl_afile_open(gl_afile *af, const char *path, struct gl_ioerr *err);

/* Appends buf[0..len). On failure (GL_EIO "write failed: <why>", GL_EINTR)
 * af is aborted: the caller must not touch it again. */
int gl_afile_write(gl_afile *af, const void *buf, size_t len, struct gl_ioerr *err);

/* Flushes, fsyncs, closes and renames the temporary over the target. af is
 * finished either way; on failure the temporary is gone and the target is as
 * it was. */
int gl_afile_commit(gl_afile *af, struct gl_ioerr *err);

/* Removes the temporary and releases af; the target is untouched. Safe to call
 * on an af that was never opened successfully or is already finished. */
void gl_afile_abort(gl_afile *af);

#endif
