/* afile.c: write to a temporary, rename over the target when complete (see
 * afile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "afile.h"
#include "gzfile.h"
#include "gl_path.h"
#include "gl_types.h"

#define AFILE_CHUNK ((size_t)1 << 20)   /* Ctrl-C is polled between chunks */

static void afile_release (gl_afile *af) {
  free(af->tmp);
  free(af->target);
  af->tmp = af->target = NULL;
  af->fd = -1;
}

void gl_afile_abort (gl_afile *af) {
  if (af->target == NULL) return;   /* never opened, or already finished */
  int saved = errno;
  if (af->fd >= 0) close(af->fd);
  if (af->tmp) unlink(af->tmp);
  afile_release(af);
  errno = saved;
}

/* "<target>.tmp-XXXXXX" beside the target; a name too long for that becomes
 * "<folder>/.geolab-tmp-XXXXXX" (still in the same folder, so rename stays a
 * same-file-system rename). */
static char *temp_name (const char *target) {
  const char *slash = strrchr(target, '/');
  size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
  size_t n = strlen(target);
  char *t = malloc(n + 32);
  if (t == NULL) return NULL;
  if (n - dirlen + 11 <= NAME_MAX) snprintf(t, n + 32, "%s.tmp-XXXXXX", target);
  else snprintf(t, n + 32, "%.*s.geolab-tmp-XXXXXX", (int)dirlen, target);
  return t;
}

static int64_t fail_hook (void) {
  const char *s = getenv("GEOLAB_TEST_FAIL_WRITE_AFTER");
  if (s == NULL || *s == '\0') return -1;
  char *end;
  long long v = strtoll(s, &end, 10);
  return (*end == '\0' && v >= 0) ? (int64_t)v : -1;
}

int gl_afile_open (gl_afile *af, const char *path, gl_ioerr *err) {
  struct stat st;
  af->fd = -1;
  af->in_place = 0;
  af->tmp = af->target = NULL;
  af->written = 0;
  af->fail_at = fail_hook();
  const char *why = gl_path_denied(path, GL_PATH_WRITE);
  if (why != NULL) { errno = EACCES; return gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", why); }
  int exists = stat(path, &st) == 0;   /* follows a symbolic link */
  if (exists && S_ISDIR(st.st_mode))
    return gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", strerror(EISDIR));
  if (exists && !S_ISREG(st.st_mode)) {   /* a device or FIFO: no rename can replace it */
    af->target = strdup(path);
    if (af->target == NULL) return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
    af->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (af->fd < 0) {
      int e = errno;
      afile_release(af);
      return gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", strerror(e));
    }
    af->in_place = 1;
    return GL_OK;
  }
  struct stat lst;
  if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
    af->target = realpath(path, NULL);   /* replace the file, keep the link */
  } else {
    af->target = strdup(path);
  }
  if (af->target == NULL || (af->tmp = temp_name(af->target)) == NULL) {
    afile_release(af);
    return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  }
  af->fd = mkstemp(af->tmp);
  if (af->fd < 0) {
    int e = errno;
    free(af->tmp);
    af->tmp = NULL;
    afile_release(af);
    return gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", strerror(e));
  }
  (void)fcntl(af->fd, F_SETFD, FD_CLOEXEC);
  /* mkstemp makes 0600: give the mode an ordinary open would (the old file's,
   * or 0666 minus the umask), and keep the old owner where we may */
  mode_t mode;
  if (exists) {
    mode = st.st_mode & 07777;
    if (fchown(af->fd, st.st_uid, st.st_gid) != 0) { /* not ours to give: keep ours */ }
  } else {
    mode_t um = umask(022);
    umask(um);
    mode = 0666 & ~um;
  }
  if (fchmod(af->fd, mode) != 0) {
    int e = errno;
    gl_afile_abort(af);
    return gl_ioerr_set(err, GL_EIO, "cannot open file for writing: %s", strerror(e));
  }
  return GL_OK;
}

static int write_all (int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;   /* a signal (Ctrl-C): the caller polls the flag */
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

int gl_afile_write (gl_afile *af, const void *buf, size_t len, gl_ioerr *err) {
  const char *p = buf;
  if (af->target == NULL) return gl_ioerr_set(err, GL_EIO, "write failed: %s", strerror(EBADF));
  while (len > 0) {
    size_t n = len < AFILE_CHUNK ? len : AFILE_CHUNK;
    int e = 0;
    if (af->fail_at >= 0 && af->written + (int64_t)n > af->fail_at) {
      n = (size_t)(af->fail_at - af->written);
      e = ENOSPC;
    }
    if (write_all(af->fd, p, n) != 0) e = errno;
    if (e) {
      gl_afile_abort(af);
      errno = e;
      return gl_ioerr_set(err, GL_EIO, "write failed: %s", strerror(e));
    }
    af->written += (int64_t)n;
    p += n;
    len -= n;
    if (gl_interrupted()) {
      gl_afile_abort(af);
      errno = EINTR;
      return gl_ioerr_set(err, GL_EINTR, "interrupted");
    }
  }
  return GL_OK;
}

int gl_afile_commit (gl_afile *af, gl_ioerr *err) {
  if (af->target == NULL) return gl_ioerr_set(err, GL_EIO, "write failed: %s", strerror(EBADF));
  if (af->in_place) {
    int rc = close(af->fd);
    int e = errno;
    af->fd = -1;
    afile_release(af);
    return rc == 0 ? GL_OK : gl_ioerr_set(err, GL_EIO, "write failed: %s", strerror(e));
  }
  /* fsync before rename: otherwise a crash soon after can leave the new name
   * on an empty file, the very loss this avoids */
  if (fsync(af->fd) != 0 && errno != EINVAL) {
    int e = errno;
    gl_afile_abort(af);
    return gl_ioerr_set(err, GL_EIO, "write failed: %s", strerror(e));
  }
  int rc = close(af->fd);
  af->fd = -1;
  if (rc != 0 || rename(af->tmp, af->target) != 0) {
    int e = errno;
    gl_afile_abort(af);
    return gl_ioerr_set(err, GL_EIO, "write failed: %s", strerror(e));
  }
  afile_release(af);
  return GL_OK;
}
