/* test_afile.c: a write replaces its target only when complete; every failure
 * (injected ENOSPC, Ctrl-C, abort) leaves the old file intact and no
 * temporary behind; modes, symbolic links and devices behave as with open(). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "afile.h"
#include "gzfile.h"
#include "gl_types.h"
#include "testhelp.h"

static char dir[] = "/tmp/gl_test_afile_XXXXXX";

/* The file's whole contents, or "<missing>". */
static const char *get (const char *name) {
  static char buf[4096];
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  if (f == NULL) return "<missing>";
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static int entries (void) {
  int n = 0;
  DIR *d = opendir(dir);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static const char *path (const char *name) {
  static char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return p;
}

static int mode_of (const char *name) {
  struct stat st;
  return stat(path(name), &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

int main (void) {
  gl_ioerr e;
  gl_afile af;
  char big[3 << 20];
  memset(big, 'x', sizeof big);
  CHECK(mkdtemp(dir) != NULL);

  /* success: a new file, with 0666 minus the umask */
  mode_t um = umask(027);
  CHECK(gl_afile_open(&af, path("a.txt"), &e) == 0);
  CHECK(entries() == 1);   /* the temporary, beside the target */
  CHECK(gl_afile_write(&af, "new", 3, &e) == 0);
  CHECK(strcmp(get("a.txt"), "<missing>") == 0);   /* nothing visible before commit */
  CHECK(gl_afile_commit(&af, &e) == 0);
  CHECK(strcmp(get("a.txt"), "new") == 0 && entries() == 1);
  CHECK(mode_of("a.txt") == 0640);
  umask(um);

  /* replacing keeps the old mode */
  CHECK(chmod(path("a.txt"), 0604) == 0);
  CHECK(gl_file_write(path("a.txt"), "second", 6, 0, &e) == 0);
  CHECK(strcmp(get("a.txt"), "second") == 0 && mode_of("a.txt") == 0604);

  /* injected ENOSPC after 1000 bytes: old file intact, no temporary */
  setenv("GEOLAB_TEST_FAIL_WRITE_AFTER", "1000", 1);
  CHECK(gl_file_write(path("a.txt"), big, sizeof big, 0, &e) == GL_EIO);
  CHECK(strstr(e.msg, "No space left on device") != NULL);
  CHECK(strcmp(get("a.txt"), "second") == 0 && entries() == 1);
  CHECK(gl_file_write(path("a.txt.gz"), big, sizeof big, 1, &e) == GL_EIO);   /* the gzip path too */
  CHECK(entries() == 1);
  CHECK(gl_file_write(path("small.txt"), "0123456789", 10, 0, &e) == 0);   /* under the limit */
  CHECK(strcmp(get("small.txt"), "0123456789") == 0);
  CHECK(unlink(path("small.txt")) == 0);
  unsetenv("GEOLAB_TEST_FAIL_WRITE_AFTER");

  /* Ctrl-C during a write: GL_EINTR, old file intact, no temporary */
  gl_interrupt_set(1);
  CHECK(gl_file_write(path("a.txt"), big, sizeof big, 0, &e) == GL_EINTR);
  gl_interrupt_set(0);
  CHECK(strcmp(get("a.txt"), "second") == 0 && entries() == 1);

  /* abort after writes; abort twice and on a zeroed afile are no-ops */
  CHECK(gl_afile_open(&af, path("a.txt"), &e) == 0);
  CHECK(gl_afile_write(&af, "third", 5, &e) == 0);
  gl_afile_abort(&af);
  gl_afile_abort(&af);
  gl_afile z;
  memset(&z, 0, sizeof z);
  gl_afile_abort(&z);
  CHECK(strcmp(get("a.txt"), "second") == 0 && entries() == 1);

  /* a symbolic link: the file it names is replaced, the link stays */
  CHECK(symlink("a.txt", path("link.txt")) == 0);
  CHECK(gl_file_write(path("link.txt"), "via link", 8, 0, &e) == 0);
  struct stat st;
  CHECK(lstat(path("link.txt"), &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(strcmp(get("a.txt"), "via link") == 0 && entries() == 2);
  CHECK(unlink(path("link.txt")) == 0);

  /* a device is written in place, never renamed over */
  CHECK(gl_file_write("/dev/null", "x", 1, 0, &e) == 0);
  CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));

  /* a folder, a missing folder */
  CHECK(gl_file_write(dir, "x", 1, 0, &e) == GL_EIO && strstr(e.msg, "Is a directory"));
  CHECK(gl_file_write(path("no/such/x.txt"), "x", 1, 0, &e) == GL_EIO && strstr(e.msg, "No such file"));
  CHECK(entries() == 1);

  /* a name too long for ".tmp-XXXXXX" still gets a temporary in the same folder */
  char longname[256];
  memset(longname, 'n', 250);
  longname[250] = '\0';
  CHECK(gl_file_write(path(longname), "long", 4, 0, &e) == 0);
  CHECK(strcmp(get(longname), "long") == 0 && entries() == 2);
  CHECK(unlink(path(longname)) == 0);

  CHECK(unlink(path("a.txt")) == 0);
  CHECK(rmdir(dir) == 0);
  return TEST_REPORT();
}
