/* replay_main.c: runs a libFuzzer target's LLVMFuzzerTestOneInput over files,
 * without libFuzzer, so that ctest (and its ASan build) replays the seed
 * corpus and the crash inputs kept in tests/fuzz/regress/NAME/ with gcc.
 * Usage: replay_NAME DIR_OR_FILE...; a missing argument is skipped (a target
 * may have no regression inputs yet). Exit 0 when every input returned. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long nrun = 0;

static int run_file (const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); return 1; }
  size_t cap = 1 << 16, len = 0, got;
  unsigned char *buf = malloc(cap);
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) { unsigned char *nb = realloc(buf, cap *= 2); if (!nb) { free(buf); buf = NULL; } else buf = nb; }
  }
  fclose(f);
  if (!buf) { fprintf(stderr, "%s: out of memory\n", path); return 1; }
  /* an exact-size copy, so that ASan sees reads past the input's end */
  unsigned char *in = malloc(len ? len : 1);
  memcpy(in, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(in, len);
  free(in);
  nrun++;
  return 0;
}

static int cmp (const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* every regular file of dir, in name order so that runs are reproducible */
static int run_dir (const char *dir) {
  DIR *d = opendir(dir);
  if (!d) { perror(dir); return 1; }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) names = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
    names[n++] = strdup(de->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) bad |= run_file(path);
    free(names[i]);
  }
  free(names);
  return bad;
}

int main (int argc, char **argv) {
  int bad = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) continue;
    bad |= S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]);
  }
  printf("%ld inputs replayed, %s\n", nrun, bad ? "some unreadable" : "no crash");
  return bad;
}
