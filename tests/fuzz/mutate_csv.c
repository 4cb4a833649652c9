/* mutate_csv.c: a seeded random-mutation fuzzer for the CSV reader kernels
 * (kernels/frame/csv.c, csv_convert.c, datetime.c), run by ctest with a fixed seed
 * and a bounded number of rounds. Each mutated input goes through what
 * pd.read_csv does: UTF-8 check or Latin-1/cp1252 conversion, separator sniffing,
 * tokenizing (serially, and in parallel on a large repetition of the input,
 * which must give the same fields), width check, inference and conversion of
 * every column. It checks that every field lies inside the text. Run under
 * the sanitizer build to catch out-of-bounds reads.
 * Usage: mutate_csv [N] [SEED]. Built with -DGL_LIBFUZZER it is instead a
 * libFuzzer target (tests/fuzzcsv/CMakeLists.txt, GEOLAB_FUZZ=ON). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "datetime.h"
#include "gl_types.h"

static const char *const seeds[] = {
  "Date;Hour;Code Site;Twater (\xc2\xb0""C);Suspended Load;Comment\n"
  "2019-09-20;10:53;GRCCEDIG;23.3;;\"Alc. mesur\xc3\xa9""e; TDS=64mg/L\"\n"
  "2019-07-29;17:23:59.950000;GRCCEDIG;;118.6;\"P24\"\n2019-07-28;20:22;GRCCEDIG;;17.8\n",
  "# SYNTHETIC river record\n# missing values are coded -30000.0, NAN or 1e+10\n"
  "datetime,level,turbidity,temperature\n2014-01-03 10:40:00,44.9,-30000.0,24.48\n"
  "2014-01-03 10:45:00,45.2,NAN,24.53\n2014-01-03 11:00:00,44.9,1e+10,24.58\n",
  "\xef\xbb\xbfid,x,flag,name,when\r\n1,1.5,True,\"a, quoted\",2016-02-29 00:00:00\r\n"
  "2,,False,\"say \"\"hi\"\"\",2016-03-01 12:30:00.123456789\r\n3,3e-3,true,plain,2019-12-31\r\n",
  "a|b|c\n1|2|3\n\n4|5|6 # trailing\n\"7\n8\"|9|10\n",
  "x\ty\n1,5\t2.000,5\n-0,25\t1.234.567,89\n",
  "n,v\n1,-9223372036854775808\n2,9223372036854775807\n3,18446744073709551616\n4,1e-400\n5,1e400\n",
};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

static uint64_t rng_state;
static uint64_t rnd (void) {
  uint64_t x = rng_state;
  x ^= x << 13; x ^= x >> 7; x ^= x << 17;
  return rng_state = x;
}
static size_t below (size_t n) { return n ? (size_t)(rnd() % n) : 0; }

static const char interesting[] = "\"\n\r,;\t|#.-+eE0123456789:T Z\xc3\xa9\xff\x80\x00";

static size_t mutate (char *buf, size_t len, size_t cap) {
  int rounds = 1 + (int)below(6);
  for (int k = 0; k < rounds; k++) {
    switch (below(6)) {
      case 0: if (len) buf[below(len)] ^= (char)(1u << below(8)); break;
      case 1: if (len) buf[below(len)] = interesting[below(sizeof interesting - 1)]; break;
      case 2: if (len < cap) {   /* insert a byte */
        size_t p = below(len + 1);
        memmove(buf + p + 1, buf + p, len - p);
        buf[p] = interesting[below(sizeof interesting - 1)];
        len++;
      } break;
      case 3: if (len) {   /* delete a run */
        size_t p = below(len), m = 1 + below(8);
        if (p + m > len) m = len - p;
        memmove(buf + p, buf + p + m, len - p - m);
        len -= m;
      } break;
      case 4: if (len) len = below(len + 1); break;   /* truncate */
      case 5: if (len && len * 2 < cap) {   /* duplicate a slice */
        size_t p = below(len), m = 1 + below(len - p);
        memmove(buf + p + m, buf + p, len - p);
        len += m;
      } break;
    }
  }
  return len;
}

static int failures = 0;
#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); failures++; } while (0)

/* When the fast all-numbers path accepts the data, it must agree with the
 * general path (kinds, values, missing positions). */
static void compare_fast (const char *text, size_t len, const gl_csv *t, const gl_csv_opts *o,
                          const gl_csv_na *na, int64_t ncol) {
  if (memchr(text, '"', len) || t->nrows < 1 || ncol < 1 || ncol > 64) return;
  /* the data starts after the header record's line */
  const char *p = text + t->fstart[t->rowfirst[0]];
  const char *nl = memchr(p, '\n', len - (size_t)(p - text));
  if (!nl) return;
  const char *cr = memchr(p, '\r', (size_t)(nl - p));
  if (cr && cr + 1 != nl) return;   /* a CR line end inside: the binding falls back too */
  const char *d = nl + 1;
  size_t dl = len - (size_t)(d - text);
  int64_t cap = 1;
  for (size_t i = 0; i < dl; i++) cap += d[i] == 10;
  double *cols[64];
  unsigned char notint[64];
  int64_t nna[64], nr = 0;
  for (int j = 0; j < ncol; j++) cols[j] = malloc(sizeof(double) * (size_t)cap);
  int rc = gl_csv_numeric(d, dl, o, na, (int)ncol, cols, cap, notint, nna, &nr);
  if (rc == 0) {
    gl_csv_cols c = {t, text, 1, t->nrows - 1, ncol};
    if (nr != t->nrows - 1) { FAIL("fast path: %lld rows, general %lld\n", (long long)nr, (long long)(t->nrows - 1)); if (getenv("DUMP")) { fwrite(text, 1, len, stderr); fprintf(stderr, "\n[sep=%d comment=%d]\n=====\n", o->sep, o->comment); } }
    else {
      double *g = malloc(sizeof(double) * (size_t)(nr + 1));
      for (int64_t j = 0; j < ncol && g; j++) {
        int kind;
        int64_t gna;
        gl_csv_infer(&c, j, na, o, &kind, &gna, g);
        int fk = (nr > 0 && !notint[j] && nna[j] == 0) ? GL_CSV_INT : GL_CSV_FLOAT;
        int gk = (kind == GL_CSV_INT && gna == 0) ? GL_CSV_INT : kind;
        if (kind == GL_CSV_INT && gna > 0) gk = GL_CSV_FLOAT;
        if (gk == GL_CSV_NA) gk = GL_CSV_FLOAT;
        if (nr == 0) gk = GL_CSV_FLOAT;
        if (fk != gk) FAIL("fast path kind %d, general %d (column %lld)\n", fk, gk, (long long)j);
        for (int64_t r = 0; r < nr; r++)
          if (!((cols[j][r] == g[r]) || (cols[j][r] != cols[j][r] && g[r] != g[r]))) {
            FAIL("fast path value differs at row %lld column %lld\n", (long long)r, (long long)j);
            break;
          }
      }
      free(g);
    }
  }
  for (int j = 0; j < ncol; j++) free(cols[j]);
}

/* The whole reader pipeline on text[0..len) (NUL-terminated, writable). */
static void run_one (char *text, size_t len, char sep, char comment, int latin1, int nthreads) {
  gl_bytes conv = {0};
  if (latin1) {   /* single-byte encodings: cp1252 (undefined bytes replaced) for odd lengths */
    size_t bad;
    if ((len & 1) ? gl_cp1252_to_utf8(text, len, GL_DECODE_REPLACE, &conv, &bad)
                  : gl_latin1_to_utf8(text, len, &conv)) return;
    text = conv.data; len = conv.len;
  } else if (gl_utf8_check(text, len) >= 0) {
    return;
  }
  gl_csv_opts o = {sep, '"', comment, '.', 0, 0, nthreads, nthreads > 1 ? 1 : 0, 0};
  if (!o.sep) o.sep = gl_csv_sniff(text, len, '"', comment);
  gl_csv t = {0};
  gl_ioerr e;
  gl_ioerr_clear(&e);
  if (gl_csv_tokenize(text, len, 0, &o, &t, &e) == 0 && t.nrows > 0) {
    for (int64_t r = 0; r < t.nrows; r++)
      for (int64_t f = t.rowfirst[r]; f < t.rowfirst[r] + t.rownf[r]; f++)
        if (t.fstart[f] < 0 || t.flen[f] < 0 || (size_t)(t.fstart[f] + t.flen[f]) > len)
          FAIL("field %lld outside the text\n", (long long)f);
    int64_t ncol = t.rownf[0];
    if (gl_csv_check_width(&t, 1, t.nrows - 1, ncol) < 0) {
      gl_csv_cols c = {&t, text, 1, t.nrows - 1, ncol};
      int64_t n = t.nrows - 1, bad;
      double *d = malloc(sizeof(double) * (size_t)(n + 1));
      int64_t *i64 = malloc(sizeof(int64_t) * (size_t)(n + 1));
      unsigned char *b = malloc((size_t)n + 1);
      static const char *const strs[] = {"NAN", "-999"};
      static const size_t lens[] = {3, 4};
      static const double nums[] = {-30000.0, 1e10, -999};
      gl_csv_na na = {1, 2, strs, lens, 3, nums};
      for (int64_t col = 0; col < ncol && d && i64 && b; col++) {
        int kind;
        int64_t nna;
        gl_csv_infer(&c, col, &na, &o, &kind, &nna, d);
        if (nna < 0 || nna > n) FAIL("bad NA count\n");
        gl_csv_to_f64(&c, col, &na, &o, d, &bad);
        if (kind == GL_CSV_INT && gl_csv_to_i64(&c, col, &o, i64, &bad) == 0 && nna == 0)
          for (int64_t r = 0; r < n; r++)
            if ((double)i64[r] != d[r] && d[r] == d[r]) { FAIL("int/float mismatch\n"); break; }
        if (kind == GL_CSV_BOOL) gl_csv_to_bool(&c, col, b, &bad);
        gl_csv_to_datetime(&c, col, &na, &o, i64, &bad);
        for (int64_t r = 0; r < n; r++) {
          size_t fl;
          const char *fs = gl_csv_field(&c, r, col, &fl);
          if (fl && (fs < text || fs + fl > text + len)) FAIL("gl_csv_field outside the text\n");
          (void)gl_csv_isna(&c, r, col, &na, &o);
          char out[48];
          if (i64[r] != GL_NAT) gl_dt_format(i64[r], 9, out);
        }
      }
      free(d); free(i64); free(b);
      compare_fast(text, len, &t, &o, &na, ncol);
    }
  }
  gl_csv_free(&t);
  gl_bytes_free(&conv);
}

/* Parallel and serial tokenizing of a large repetition of one input agree. */
static void compare_split (const char *in, size_t len, char sep, char comment) {
  /* 64 KiB: par_min = 1 forces the split, so size only sets how many cuts
   * land mid-record; 3 MiB cost ~100 ms a call under ASan and coverage */
  size_t reps = ((size_t)64 << 10) / (len + 1) + 1, big = reps * (len + 1);
  char *a = malloc(big + 1), *b = malloc(big + 1);
  if (!a || !b) { free(a); free(b); return; }
  for (size_t k = 0; k < reps; k++) { memcpy(a + k * (len + 1), in, len); a[k * (len + 1) + len] = '\n'; }
  a[big] = 0;
  memcpy(b, a, big + 1);
  gl_csv_opts o1 = {sep ? sep : ',', '"', comment, '.', 0, 0, 1, 0, 0}, o4 = o1;
  o4.nthreads = 4;
  o4.par_min = 1;
  gl_csv s1 = {0}, s4 = {0};
  gl_ioerr e1, e4;
  gl_ioerr_clear(&e1); gl_ioerr_clear(&e4);
  int r1 = gl_csv_tokenize(a, big, 0, &o1, &s1, &e1), r4 = gl_csv_tokenize(b, big, 0, &o4, &s4, &e4);
  if (r1 != r4) FAIL("serial rc %d, parallel rc %d\n", r1, r4);
  else if (r1 == 0) {
    int same = s1.nrows == s4.nrows;
    for (int64_t r = 0; same && r < s1.nrows; r++) {
      same = s1.rowline[r] == s4.rowline[r] && s1.rownf[r] == s4.rownf[r];
      for (int64_t j = 0; same && j < s1.rownf[r]; j++) {
        int64_t f1 = s1.rowfirst[r] + j, f4 = s4.rowfirst[r] + j;
        same = s1.flen[f1] == s4.flen[f4] && !memcmp(a + s1.fstart[f1], b + s4.fstart[f4], (size_t)s1.flen[f1]);
      }
    }
    if (!same) FAIL("parallel split differs from the serial result\n");
  } else if (e1.line != e4.line) FAIL("error lines differ: %lld vs %lld\n", (long long)e1.line, (long long)e4.line);
  gl_csv_free(&s1); gl_csv_free(&s4);
  free(a); free(b);
}

#ifdef GL_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  if (size < 2 || size > (1 << 16)) return 0;
  static const char seps[] = {0, ',', ';', '\t', '|'};
  char *work = malloc(size);
  memcpy(work, data + 1, size - 1);
  work[size - 1] = 0;
  unsigned ctl = data[0];
  run_one(work, size - 1, seps[ctl % 5], (ctl & 8) ? '#' : 0, (ctl >> 4) & 1, 1 + ((ctl >> 5) & 1));
  if (ctl == 0xFF && size > 16 && size < 4096) {   /* now and then, the parallel split */
    memcpy(work, data + 1, size - 1);
    compare_split(work, size - 1, seps[ctl % 5], (ctl & 8) ? '#' : 0);
  }
  free(work);
  (void)mutate; (void)seeds;
  if (failures) abort();
  return 0;
}
#else
int main (int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000;
  rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 12345;
  if (!rng_state) rng_state = 1;
  size_t cap = 1 << 16;
  char *buf = malloc(cap + 1), *work = malloc(cap + 1);
  static const char seps[] = {0, ',', ';', '\t', '|'};
  for (long i = 0; i < n; i++) {
    const char *s = seeds[below(NSEEDS)];
    size_t len = strlen(s);
    if (i == 0 || below(4) == 0) len = strlen(s);
    memcpy(buf, s, len);
    len = mutate(buf, len, cap);
    char sep = seps[below(sizeof seps)], comment = below(2) ? '#' : 0;
    memcpy(work, buf, len);
    work[len] = 0;
    run_one(work, len, sep, comment, (int)below(2), 1 + (int)below(2));
    if (i % 500 == 0) compare_split(buf, len, sep, comment);
  }
  free(buf); free(work);
  printf("%ld inputs, %d failures\n", n, failures);
  return failures != 0;
}
#endif
