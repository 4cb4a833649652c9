/* mutate_las.c: seeded random-mutation fuzzing of the LAS reader (kernels/spatial/las.c).
 * usage: mutate_las SEED_DIR ITERATIONS SEED
 * Each iteration takes one seed file, mutates it (byte flips, random bytes,
 * header-field overwrites with extreme values, truncation, extension), then
 * parses the header, walks the VLRs/EVLRs and decodes every point into
 * scratch columns. Any out-of-bounds access shows up under ASan/UBSan; a
 * plain build checks that nothing crashes or hangs. Exit 0 on completion. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "las.h"

static uint64_t rng_state;
static uint64_t rnd (void) {   /* splitmix64: reproducible for a seed */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void exercise (const unsigned char *b, size_t len) {
  gl_las_header h;
  gl_ioerr e;
  gl_ioerr_clear(&e);
  if (gl_las_parse_header(b, len, &h, &e)) return;
  uint64_t off = h.header_size;
  for (uint32_t i = 0; i < h.n_vlrs && i < 1000; i++) {
    gl_las_vlr v;
    if (gl_las_vlr_at(b, len, off, 0, &v, &e)) break;
    off = v.data_offset + v.data_length;
  }
  off = h.start_evlr;
  for (uint32_t i = 0; i < h.n_evlrs && i < 1000; i++) {
    gl_las_vlr v;
    if (gl_las_vlr_at(b, len, off, 1, &v, &e)) break;
    off = v.data_offset + v.data_length;
  }
  int64_t n = (int64_t)h.n_points;
  if (n > 200000) n = 200000;
  double *d = malloc((size_t)(n ? n : 1) * 5 * sizeof *d);
  uint16_t *u = malloc((size_t)(n ? n : 1) * 6 * sizeof *u);
  uint8_t *c = malloc((size_t)(n ? n : 1) * 11);
  int32_t *r = malloc((size_t)(n ? n : 1) * 3 * sizeof *r);
  if (d && u && c && r) {
    gl_las_points p = {d, d + n, d + 2 * n, d + 3 * n, d + 4 * n, u, u + n, u + 2 * n, u + 3 * n, u + 4 * n, u + 5 * n,
                       c, c + n, c + 2 * n, c + 3 * n, c + 4 * n, c + 5 * n, c + 6 * n, c + 7 * n, c + 8 * n, c + 9 * n,
                       c + 10 * n, r, r + n, r + 2 * n};
    gl_las_read_points(b, len, &h, 0, n, &p, &e);
    /* and a window that may be out of range */
    gl_las_read_points(b, len, &h, n / 2, n, &p, &e);
  }
  free(d); free(u); free(c); free(r);
}

int main (int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s SEED_DIR ITERATIONS SEED\n", argv[0]); return 2; }
  long iters = atol(argv[2]);
  rng_state = strtoull(argv[3], NULL, 10);
  DIR *dir = opendir(argv[1]);
  if (!dir) { perror(argv[1]); return 2; }
  gl_bytes seeds[64]; int ns = 0;
  struct dirent *de;
  char path[4096];
  while ((de = readdir(dir)) && ns < 64) {
    size_t l = strlen(de->d_name);
    if (l < 4 || strcmp(de->d_name + l - 4, ".las")) continue;
    snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
    gl_bytes b = {0, 0, 0};
    gl_ioerr e;
    if (gl_file_read(path, 100000, &b, &e) == 0) seeds[ns++] = b;   /* small files only */
    else gl_bytes_free(&b);
  }
  closedir(dir);
  if (ns == 0) { fprintf(stderr, "no seed files\n"); return 2; }
  /* deterministic seed order: sort by size */
  for (int i = 0; i < ns; i++)
    for (int j = i + 1; j < ns; j++)
      if (seeds[j].len < seeds[i].len) { gl_bytes t = seeds[i]; seeds[i] = seeds[j]; seeds[j] = t; }
  for (int i = 0; i < ns; i++) exercise((unsigned char *)seeds[i].data, seeds[i].len);
  static const uint32_t hot[] = {94, 96, 100, 104, 105, 107, 131, 235, 243, 247};
  unsigned char *m = NULL;
  for (long it = 0; it < iters; it++) {
    gl_bytes *s = &seeds[rnd() % (uint64_t)ns];
    size_t len = s->len + (rnd() % 4 == 0 ? rnd() % 512 : 0);
    m = realloc(m, len ? len : 1);
    memcpy(m, s->data, s->len);
    for (size_t i = s->len; i < len; i++) m[i] = (unsigned char)rnd();
    int nm = 1 + (int)(rnd() % 8);
    for (int k = 0; k < nm; k++) {
      switch (rnd() % 5) {
      case 0: m[rnd() % len] ^= (unsigned char)(1u << (rnd() % 8)); break;
      case 1: m[rnd() % len] = (unsigned char)rnd(); break;
      case 2: {   /* a header field gets an extreme value */
        uint32_t at = hot[rnd() % (sizeof hot / sizeof hot[0])];
        uint64_t v = rnd() % 3 == 0 ? ~0ULL : rnd() % 3 == 0 ? 0 : rnd();
        for (int q = 0; q < 8 && at + q < len; q++) m[at + q] = (unsigned char)(v >> (8 * q));
        break;
      }
      case 3: len = rnd() % (len + 1); break;   /* truncate */
      default: { size_t a = rnd() % len, l2 = rnd() % 64; for (size_t q = 0; q < l2 && a + q < len; q++) m[a + q] = 0xff; }
      }
      if (len == 0) break;
    }
    exercise(m, len);
  }
  free(m);
  for (int i = 0; i < ns; i++) gl_bytes_free(&seeds[i]);
  printf("mutate_las: %ld mutations of %d seed files, no crash\n", iters, ns);
  return 0;
}
