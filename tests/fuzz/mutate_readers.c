/* mutate_readers.c: a seeded random-mutation fuzzer for CI machines without
 * libFuzzer. Loads the seed corpus (files in tests/fuzz/corpus/READER/), applies
 * N rounds of random edits (bit flips, interesting bytes, digit runs,
 * truncation, duplication, splices between seeds) to randomly chosen seeds
 * and feeds each result to its reader. The generator is a fixed-seed
 * xorshift, so a failure reproduces exactly; run under the sanitizer build
 * to catch out-of-bounds reads. Usage: mutate_readers CORPUS_DIR [N] [SEED]. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"

typedef struct seedfile { int reader; unsigned char *data; size_t len; char name[96]; } seedfile;

static uint64_t rng_state;
static uint64_t rnd (void) {
  uint64_t x = rng_state;
  x ^= x << 13; x ^= x >> 7; x ^= x << 17;
  return rng_state = x;
}
static size_t rnd_below (size_t n) { return n ? (size_t)(rnd() % n) : 0; }

static int load_seeds (const char *dir, seedfile **out, int *nout) {
  int n = 0, cap = 0;
  seedfile *s = NULL;
  for (int r = 0; r < FUZZ_NREADERS; r++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, fuzz_reader_names[r]);
    DIR *d = opendir(path);
    if (!d) continue;
    struct dirent *de;
    /* sorted order so a given seed number always means the same input */
    char names[256][96];
    int nn = 0;
    while ((de = readdir(d)) && nn < 256)
      if (de->d_name[0] != '.' && strlen(de->d_name) < 96) memcpy(names[nn++], de->d_name, strlen(de->d_name) + 1);
    closedir(d);
    qsort(names, (size_t)nn, 96, (int (*)(const void *, const void *))strcmp);
    for (int k = 0; k < nn; k++) {
      char fp[640];
      snprintf(fp, sizeof fp, "%.500s/%.95s", path, names[k]);
      gl_bytes b = {0};
      gl_ioerr e;
      FILE *f = fopen(fp, "rb");
      if (!f) continue;
      char chunk[4096];
      size_t m;
      while ((m = fread(chunk, 1, sizeof chunk, f)) > 0) gl_bytes_append(&b, chunk, m);
      fclose(f);
      (void)e;
      if (n == cap) { cap = cap ? 2 * cap : 32; s = realloc(s, (size_t)cap * sizeof *s); }
      s[n].reader = r;
      s[n].data = (unsigned char *)b.data;
      s[n].len = b.len;
      snprintf(s[n].name, sizeof s[n].name, "%.8s/%.80s", fuzz_reader_names[r], names[k]);
      n++;
    }
  }
  *out = s;
  *nout = n;
  return n > 0 ? 0 : -1;
}

static const unsigned char interesting[] = {0, 1, 0x7f, 0x80, 0xff, '0', '9', '-', '.', 'e', ',', ' ', '\n', '\r',
                                            '#', '(', ')', '\'', 'L', 0x1f, 0x8b, 'P', 'K', 3, 4};

/* Mutates buf (len bytes, capacity cap) in place; returns the new length. */
static size_t mutate (unsigned char *buf, size_t len, size_t cap, const seedfile *seeds, int nseeds) {
  int edits = 1 + (int)rnd_below(8);
  for (int k = 0; k < edits; k++) {
    switch (rnd_below(9)) {
      case 0: if (len) buf[rnd_below(len)] ^= (unsigned char)(1u << rnd_below(8)); break;
      case 1: if (len) buf[rnd_below(len)] = interesting[rnd_below(sizeof interesting)]; break;
      case 2: if (len) buf[rnd_below(len)] = (unsigned char)rnd(); break;
      case 3: len = rnd_below(len + 1); break;                                   /* truncate */
      case 4: {                                                                  /* delete a run */
        if (!len) break;
        size_t at = rnd_below(len), n = 1 + rnd_below(16);
        if (n > len - at) n = len - at;
        memmove(buf + at, buf + at + n, len - at - n);
        len -= n;
        break;
      }
      case 5: {                                                                  /* duplicate a run */
        if (!len) break;
        size_t at = rnd_below(len), n = 1 + rnd_below(32);
        if (n > len - at) n = len - at;
        if (len + n > cap) break;
        memmove(buf + at + n, buf + at, len - at);
        len += n;
        break;
      }
      case 6: {                                                                  /* a run of digits */
        if (!len) break;
        size_t at = rnd_below(len), n = 1 + rnd_below(24);
        for (size_t i = 0; i < n && at + i < len; i++) buf[at + i] = (unsigned char)('0' + rnd_below(10));
        break;
      }
      case 7: {                                                                  /* splice from another seed */
        const seedfile *o = &seeds[rnd_below((size_t)nseeds)];
        if (!o->len || !len) break;
        size_t from = rnd_below(o->len), at = rnd_below(len), n = 1 + rnd_below(64);
        if (n > o->len - from) n = o->len - from;
        if (n > len - at) n = len - at;
        memcpy(buf + at, o->data + from, n);
        break;
      }
      case 8: {                                                                  /* big-endian size field */
        if (len < 8) break;
        size_t at = rnd_below(len - 4);
        uint32_t v = (uint32_t)rnd();
        if (rnd_below(2)) v >>= rnd_below(32);
        buf[at] = (unsigned char)(v >> 24); buf[at + 1] = (unsigned char)(v >> 16);
        buf[at + 2] = (unsigned char)(v >> 8); buf[at + 3] = (unsigned char)v;
        break;
      }
    }
  }
  return len;
}

int main (int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus";
  long iters = argc > 2 ? atol(argv[2]) : 20000;
  rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 0x9E3779B97F4A7C15ull;
  if (!rng_state) rng_state = 1;
  seedfile *seeds;
  int nseeds;
  if (load_seeds(dir, &seeds, &nseeds)) {
    fprintf(stderr, "mutate_readers: no seeds under %s\n", dir);
    return 1;
  }
  size_t maxlen = 0;
  for (int k = 0; k < nseeds; k++) {
    fuzz_run(seeds[k].reader, seeds[k].data, seeds[k].len);   /* unmutated first */
    if (seeds[k].len > maxlen) maxlen = seeds[k].len;
  }
  size_t cap = 2 * maxlen + 64;
  unsigned char *buf = malloc(cap);
  for (long i = 0; i < iters; i++) {
    const seedfile *s = &seeds[rnd_below((size_t)nseeds)];
    memcpy(buf, s->data, s->len);
    size_t len = mutate(buf, s->len, cap, seeds, nseeds);
    /* mostly the seed's own reader; sometimes another, to cross formats */
    int r = rnd_below(8) ? s->reader : (int)rnd_below(FUZZ_NREADERS);
    fuzz_run(r, buf, len);
  }
  free(buf);
  for (int k = 0; k < nseeds; k++) free(seeds[k].data);
  free(seeds);
  printf("mutate_readers: %ld mutations of %d seeds, no crash\n", iters, nseeds);
  printf("1 passed, 0 failed\n");
  return 0;
}
