/* fuzz_tmpfile.h: the readers take a path, so the fuzz targets write each
 * input to a file first: in a private folder on /dev/shm (memory, no disk
 * wear) or $TMPDIR, removed at exit. One file name per extension is reused. */
#ifndef GL_FUZZ_TMPFILE_H
#define GL_FUZZ_TMPFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

static char fuzz_dir[256];

static void fuzz_rmdir (void) {
  DIR *d = opendir(fuzz_dir);
  if (!d) return;
  struct dirent *de;
  char p[512];
  while ((de = readdir(d)))
    if (de->d_name[0] != '.') { snprintf(p, sizeof p, "%s/%s", fuzz_dir, de->d_name); unlink(p); }
  closedir(d);
  rmdir(fuzz_dir);
}

/* Writes data to <dir>/in<ext> and returns that path (static storage), or
 * NULL when the file cannot be written. */
static const char *fuzz_write_tmp (const char *ext, const void *data, size_t size) {
  static char path[300];
  if (!fuzz_dir[0]) {
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/geolab-fuzz.XXXXXX", base);
    if (!mkdtemp(fuzz_dir)) { perror(fuzz_dir); abort(); }
    atexit(fuzz_rmdir);
  }
  snprintf(path, sizeof path, "%s/in%s", fuzz_dir, ext);
  FILE *f = fopen(path, "wb");
  if (!f) return NULL;
  size_t w = size ? fwrite(data, 1, size, f) : 0;
  if (fclose(f) != 0 || w != size) return NULL;
  return path;
}

#endif
