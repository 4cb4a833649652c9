/* test_csv.c: tokenizer (quotes, comments, blank lines, line ends), sniffing,
 * number parsing, conversions, encodings, and the parallel split. */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "datetime.h"
#include "gl_types.h"
#include "testhelp.h"

static gl_csv T;
static char text[4096];

static int tok (const char *s, char sep, char comment, int nthreads) {
  gl_csv_opts o = {sep, '"', comment, '.', 0, 0, nthreads, 0, 0};
  gl_ioerr e;
  gl_ioerr_clear(&e);
  strcpy(text, s);
  gl_csv_free(&T);
  return gl_csv_tokenize(text, strlen(text), 0, &o, &T, &e);
}

static int feq (int64_t f, const char *s) {
  return (size_t)T.flen[f] == strlen(s) && memcmp(text + T.fstart[f], s, strlen(s)) == 0;
}

static int numeq (const char *s, double want) {
  double v;
  return gl_parse_f64(s, strlen(s), '.', 0, &v) && (v == want || (isnan(v) && isnan(want)));
}

int main (void) {
  gl_ioerr e;
  /* basic records, CRLF, a trailing empty field, blank lines */
  CHECK(tok("a,b,c\r\n1,2,\r\n\r\n  \n3,\"x,y\",z\n", ',', 0, 1) == 0);
  CHECK(T.nrows == 3 && T.nfields == 9);
  CHECK(feq(5, "") && feq(7, "x,y") && T.rowline[2] == 5);
  /* quotes: doubled quotes, newline inside, text after the closing quote */
  CHECK(tok("\"he said \"\"hi\"\"\";\"two\nlines\";\"ab\"cd\n", ';', 0, 1) == 0);
  CHECK(T.nrows == 1 && feq(0, "he said \"hi\"") && feq(1, "two\nlines") && feq(2, "abcd"));
  /* unterminated quote: error on the line where it opened */
  gl_csv_opts o = {',', '"', 0, '.', 0, 0, 1, 0, 0};
  gl_ioerr_clear(&e);
  strcpy(text, "a,b\n1,\"oops\n2,3\n");
  gl_csv_free(&T);
  CHECK(gl_csv_tokenize(text, strlen(text), 0, &o, &T, &e) == GL_EFORMAT && e.line == 2);
  /* comments: whole lines skipped, trailing comments cut */
  CHECK(tok("# head\n# more\nx,y\n1,2 # note\n#\n3,4\n", ',', '#', 1) == 0);
  CHECK(T.nrows == 3 && feq(3, "2 ") && T.rowline[0] == 3 && T.rowline[2] == 6);
  CHECK(gl_csv_check_width(&T, 0, 3, 2) == -1);
  CHECK(tok("x,y\n1,2,3\n", ',', 0, 1) == 0 && gl_csv_check_width(&T, 0, 2, 2) == 1);
  CHECK(tok("x,y,z\n1,2\n", ',', 0, 1) == 0 && gl_csv_check_width(&T, 0, 2, 3) == -1);
  {
    gl_csv_cols sc = {&T, text, 1, 1, 3};
    size_t fl;
    gl_csv_field(&sc, 0, 2, &fl);
    CHECK(fl == 0);
  }
  /* sniffing */
  CHECK(gl_csv_sniff("a;b;c\n1;2,5;3\n", 14, '"', 0) == ';');
  CHECK(gl_csv_sniff("a\tb\n1\t2\n", 8, '"', 0) == '\t');
  CHECK(gl_csv_sniff("# x;y\na,b\n1,2\n", 14, '"', '#') == ',');
  CHECK(gl_csv_sniff("\"a;b\",c\n\"1;2\",3\n", 16, '"', 0) == ',');
  /* numbers: exact fast path and the strtod path */
  CHECK(numeq("36.4", 36.4) && numeq("-30000.0", -30000.0) && numeq("1e+10", 1e10));
  CHECK(numeq(" 2.5 ", 2.5) && numeq("+.5", 0.5) && numeq("5.", 5.0) && numeq("-0", -0.0));
  CHECK(numeq("0.1", 0.1) && numeq("123456789012345678901234", 123456789012345678901234.0));
  CHECK(numeq("2.2250738585072014e-308", 2.2250738585072014e-308));
  CHECK(numeq("1.7976931348623157e308", 1.7976931348623157e308));
  CHECK(numeq("4.9e-324", 4.9e-324) && numeq("1e23", 1e23) && numeq("9007199254740993", 9007199254740993.0));
  CHECK(numeq("inf", INFINITY) && numeq("-Infinity", -INFINITY) && !numeq("nan", NAN) && !numeq("NAN", NAN));
  double dv;
  CHECK(!gl_parse_f64("1.2.3", 5, '.', 0, &dv) && !gl_parse_f64("e5", 2, '.', 0, &dv));
  CHECK(!gl_parse_f64("1e", 2, '.', 0, &dv) && !gl_parse_f64("-", 1, '.', 0, &dv));
  CHECK(!gl_parse_f64("1e#5", 4, '.', 0, &dv) && !gl_parse_f64("2e+/", 4, '.', 0, &dv));  /* found by mutate_csv */
  CHECK(gl_parse_f64("1.234,5", 7, ',', '.', &dv) && dv == 1234.5);
  {   /* agreement with strtod (correctly rounded) on many random decimals */
    uint64_t x = 88172645463325252ull;
    int bad = 0;
    char buf[64];
    for (int k = 0; k < 200000 && !bad; k++) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      int digits = 1 + (int)(x % 19), point = (int)((x >> 8) % (uint64_t)(digits + 1)), len = 0;
      if ((x >> 20) & 1) buf[len++] = '-';
      uint64_t y = x;
      for (int d = 0; d < digits; d++) {
        if (d == point && d > 0) buf[len++] = '.';
        y = y * 6364136223846793005ull + 1442695040888963407ull;
        buf[len++] = (char)('0' + (y >> 33) % 10);
      }
      if ((x >> 30) % 4 == 0) len += sprintf(buf + len, "e%d", (int)((x >> 40) % 600) - 300);
      buf[len] = 0;
      double a, b = strtod(buf, NULL);
      if (!gl_parse_f64(buf, (size_t)len, '.', 0, &a) || memcmp(&a, &b, sizeof a) != 0) {
        bad = 1;
        fprintf(stderr, "parse mismatch: %s -> %.17g vs strtod %.17g\n", buf, a, b);
      }
    }
    CHECK(!bad);
  }
  int64_t iv;
  CHECK(gl_parse_i64("-9223372036854775808", 20, 0, &iv) && iv == INT64_MIN);
  CHECK(!gl_parse_i64("9223372036854775808", 19, 0, &iv));
  CHECK(gl_parse_i64("1,000,000", 9, ',', &iv) && iv == 1000000);
  /* inference and conversion with NA codes */
  CHECK(tok("t,a,b,c,d\n2014-01-03 10:40:00,1,-30000.0,x,True\n2014-01-03 10:45:00,2,NAN,,False\n"
            "2014-01-03 10:50:00,3,1e+10,y,true\n", ',', 0, 1) == 0);
  const char *strs[] = {"NAN"};
  size_t lens[] = {3};
  double nums[] = {-30000.0, 1e10};
  gl_csv_na na = {1, 1, strs, lens, 2, nums};
  gl_csv_cols cols = {&T, text, 1, 3, 5};
  int kind;
  int64_t nna, bad = -1;
  gl_csv_opts oo = {',', '"', 0, '.', 0, 0, 1, 0, 0};
  gl_csv_infer(&cols, 1, &na, &oo, &kind, &nna, NULL); CHECK(kind == GL_CSV_INT && nna == 0);
  gl_csv_infer(&cols, 2, &na, &oo, &kind, &nna, NULL); CHECK(kind == GL_CSV_NA && nna == 3);
  gl_csv_infer(&cols, 3, &na, &oo, &kind, &nna, NULL); CHECK(kind == GL_CSV_STRING && nna == 1);
  gl_csv_infer(&cols, 4, &na, &oo, &kind, &nna, NULL); CHECK(kind == GL_CSV_BOOL);
  gl_csv_infer(&cols, 0, &na, &oo, &kind, &nna, NULL); CHECK(kind == GL_CSV_STRING);
  double f[3];
  int64_t i64[3], ts[3];
  unsigned char b[3];
  CHECK(gl_csv_to_f64(&cols, 2, &na, &oo, f, &bad) == 0 && isnan(f[0]) && isnan(f[1]) && isnan(f[2]));
  CHECK(gl_csv_to_i64(&cols, 1, &oo, i64, &bad) == 0 && i64[2] == 3);
  CHECK(gl_csv_to_bool(&cols, 4, b, &bad) == 0 && b[0] == 1 && b[1] == 0 && b[2] == 1);
  CHECK(gl_csv_to_datetime(&cols, 0, &na, &oo, ts, &bad) == 0 && ts[1] - ts[0] == 300 * GL_NS_PER_SEC);
  CHECK(gl_csv_to_datetime(&cols, 3, &na, &oo, ts, &bad) == GL_EFORMAT && bad == 0);
  CHECK(gl_csv_to_f64(&cols, 3, &na, &oo, f, &bad) == GL_EFORMAT && bad == 0);
  /* the per-kind table (csv_kinds.c): dtype names, converters, messages */
  CHECK(gl_csv_kind_of_dtype("float64") == GL_CSV_FLOAT && gl_csv_kind_of_dtype("int") == GL_CSV_INT);
  CHECK(gl_csv_kind_of_dtype("object") == GL_CSV_STRING && gl_csv_kind_of_dtype("bool") == GL_CSV_BOOL);
  CHECK(gl_csv_kind_of_dtype("datetime64[ns]") == GL_CSV_DATETIME && gl_csv_kind_of_dtype("int32") == -1);
  CHECK(gl_csv_kind_info_of(GL_CSV_STRING) == NULL && gl_csv_kind_info_of(GL_CSV_NA) == NULL);
  CHECK(gl_csv_kind_info_of(GL_CSV_INT)->dtype == GL_INT64 && !strcmp(gl_csv_kind_info_of(GL_CSV_BOOL)->name, "bool"));
  CHECK(!strcmp(gl_csv_kind_info_of(GL_CSV_DATETIME)->fail, "cannot parse '%s' as a date"));
  CHECK(gl_csv_convert(GL_CSV_INT, &cols, 1, &na, &oo, i64, &bad) == 0 && i64[0] == 1 && i64[2] == 3);
  CHECK(gl_csv_convert(GL_CSV_BOOL, &cols, 4, &na, &oo, b, &bad) == 0 && b[0] == 1 && b[1] == 0);
  CHECK(gl_csv_convert(GL_CSV_DATETIME, &cols, 3, &na, &oo, ts, &bad) == GL_EFORMAT && bad == 0);
  CHECK(gl_csv_convert(GL_CSV_FLOAT, &cols, 1, &na, &oo, f, &bad) == 0 && f[1] == 2);
  CHECK(gl_csv_convert(GL_CSV_STRING, &cols, 3, &na, &oo, f, &bad) == GL_EINVAL);
  /* text before tokenizing (csv_text.c): skiprows lists and counts, the first line */
  {
    char tx[64] = "a\nb\nc\nd";
    char skip[4] = {0, 1, 0, 1};
    size_t n = gl_csv_drop_lines(tx, strlen(tx), skip, gl_csv_count_lines(tx, strlen(tx)));
    CHECK(gl_csv_count_lines("a\nb\nc\nd", 7) == 4);
    CHECK(n == 5 && !strcmp(tx, "a\n\nc\n"));   /* line ends kept: line numbers hold */
    char skip0[4] = {0, 0, 0, 0};
    strcpy(tx, "x\ny");
    CHECK(gl_csv_drop_lines(tx, 3, skip0, 2) == 3 && !strcmp(tx, "x\ny"));
    char *p = tx;
    size_t len = 3;
    CHECK(gl_csv_skip_lines(&p, &len, 5) == 2 && len == 0);
    const char *t2 = "  \n# note\n\nh1,h2\n1,2\n";
    gl_csv_opts oc = {',', '"', '#', '.', 0, 0, 1, 0, 0};
    size_t st, en;
    int64_t line = 0;
    CHECK(gl_csv_first_line(t2, strlen(t2), &oc, &st, &en, &line) == 1 && line == 3 &&
          en - st == 5 && !memcmp(t2 + st, "h1,h2", 5));
    line = 0;
    CHECK(gl_csv_first_line("\n\n", 2, &oc, &st, &en, &line) == 0);
  }
  /* the all-numbers fast path: short records, blank/comment lines, NA codes, fallback */
  {
    const char *num = "1,2.5,-3\n\n# c\n4,,7\r\n5,1e10\n";
    double c0[8], c1[8], c2[8];
    double *cc[3] = {c0, c1, c2};
    unsigned char ni[3];
    int64_t nn[3], nr;
    double nums1[1] = {1e10};
    gl_csv_na na1 = {1, 0, NULL, NULL, 1, nums1};
    gl_csv_opts on = {',', '"', '#', '.', 0, 0, 1, 0, 0};
    CHECK(gl_csv_numeric(num, strlen(num), &on, &na1, 3, cc, 8, ni, nn, &nr) == 0);
    CHECK(nr == 3 && c0[2] == 5 && isnan(c1[1]) && isnan(c1[2]) && isnan(c2[2]) && c2[1] == 7);
    CHECK(ni[0] == 0 && ni[1] == 1 && nn[1] == 2 && nn[2] == 1);
    CHECK(gl_csv_numeric("1,x\n", 4, &on, &na1, 2, cc, 8, ni, nn, &nr) == GL_CSV_FALLBACK);
    CHECK(gl_csv_numeric("1,2,3\n", 6, &on, &na1, 2, cc, 8, ni, nn, &nr) == GL_CSV_FALLBACK);
    CHECK(gl_csv_numeric("9007199254740993\n", 17, &on, &na1, 1, cc, 8, ni, nn, &nr) == GL_CSV_FALLBACK);
    /* parallel chunks (forced) agree with the serial pass */
    size_t bl = 0;
    char *bigt = malloc(200000);
    for (int r = 0; bl < 190000; r++) bl += (size_t)sprintf(bigt + bl, r % 50 ? "%d,%d.5,%d\n" : "\n%d,,%d\n", r, r, -r);
    double *p1[3], *p4[3];
    for (int j = 0; j < 3; j++) { p1[j] = malloc(sizeof(double) * 30000); p4[j] = malloc(sizeof(double) * 30000); }
    unsigned char n1[3], n4[3];
    int64_t m1[3], m4[3], r1, r4;
    gl_csv_opts s1 = on, s4 = on;
    s4.nthreads = 4; s4.par_min = 1;
    CHECK(gl_csv_numeric(bigt, bl, &s1, NULL, 3, p1, 30000, n1, m1, &r1) == 0);
    CHECK(gl_csv_numeric(bigt, bl, &s4, NULL, 3, p4, 30000, n4, m4, &r4) == 0);
    int same = r1 == r4;
    for (int j = 0; j < 3 && same; j++) {
      same = n1[j] == n4[j] && m1[j] == m4[j];
      for (int64_t r = 0; r < r1 && same; r++) same = p1[j][r] == p4[j][r] || (isnan(p1[j][r]) && isnan(p4[j][r]));
    }
    CHECK(same);
    for (int j = 0; j < 3; j++) { free(p1[j]); free(p4[j]); }
    free(bigt);
  }
  /* encodings */
  CHECK(gl_utf8_check("caf\xc3\xa9 ok", 8) == -1);
  CHECK(gl_utf8_check("ab\xe9z", 4) == 2);
  CHECK(gl_utf8_check("\xed\xa0\x80", 3) == 0);     /* surrogate */
  CHECK(gl_utf8_check("\xc3", 1) == 0);             /* truncated */
  gl_bytes out = {0};
  CHECK(gl_latin1_to_utf8("caf\xe9", 4, &out) == 0 && out.len == 5 && memcmp(out.data, "caf\xc3\xa9", 5) == 0);
  gl_bytes_free(&out);
  int64_t line, col;
  gl_text_position("ab\ncd\xc3\xa9x", 7, &line, &col);
  CHECK(line == 2 && col == 4);
  /* the parallel split gives the serial result, quotes spanning cut points included */
  {
    size_t n = 3u << 20;
    char *big = malloc(n + 1), *big2 = malloc(n + 1);
    size_t k = 0;
    int r = 0;
    while (k + 64 < n) {
      k += (size_t)sprintf(big + k, r % 7 == 3 ? "%d,\"q\"\"%d\n,x\",%d.5\n" : "%d,%d,%d.25\n", r, r * 3, r);
      r++;
    }
    big[k] = 0;
    memcpy(big2, big, k + 1);
    gl_csv s1 = {0}, s2 = {0};
    gl_csv_opts o1 = {',', '"', 0, '.', 0, 0, 1, 0, 0}, o4 = {',', '"', 0, '.', 0, 0, 4, 1, 0};
    gl_ioerr_clear(&e);
    CHECK(gl_csv_tokenize(big, k, 0, &o1, &s1, &e) == 0);
    CHECK(gl_csv_tokenize(big2, k, 0, &o4, &s2, &e) == 0);
    int same = s1.nrows == s2.nrows && s1.nrows == r;
    for (int64_t m = 0; same && m < s1.nrows; m++) {
      same = s1.rowline[m] == s2.rowline[m] && s1.rownf[m] == s2.rownf[m];
      for (int64_t j = 0; same && j < s1.rownf[m]; j++) {
        int64_t f1 = s1.rowfirst[m] + j, f2 = s2.rowfirst[m] + j;
        same = s1.flen[f1] == s2.flen[f2] && memcmp(big + s1.fstart[f1], big2 + s2.fstart[f2], (size_t)s1.flen[f1]) == 0;
      }
    }
    CHECK(same);
    /* a literal quote inside an unquoted field forces the serial pass */
    memcpy(big2, big, k + 1);
    big[100] = '"';
    big2[100] = '"';
    gl_csv_free(&s1); gl_csv_free(&s2);
    int rc1 = gl_csv_tokenize(big, k, 0, &o1, &s1, &e);
    int rc2 = gl_csv_tokenize(big2, k, 0, &o4, &s2, &e);
    CHECK(rc1 == rc2 && s1.nrows == s2.nrows);
    gl_csv_free(&s1); gl_csv_free(&s2);
    free(big); free(big2);
  }
  /* the all-numbers path dropping the pages it parsed (release) reads what it
     reads without: the pages come back from the page cache when touched */
  {
    char path[] = "/tmp/geolab_test_csv_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    int nrec = 600000;
    for (int r = 0; r < nrec; r++) fprintf(f, "%d,%d.125,%d\n", r, r % 977, r * 7);
    fputs("1,2,3", f);   /* a last record without a line end, and a size not a page multiple */
    fclose(f);
    char *map = NULL;
    size_t len = 0;
    CHECK(gl_csv_map(path, (size_t)1 << 30, &map, &len) == 1);
    double *c0[3], *c1[3];
    int64_t cap = nrec + 1, n0 = 0, n1 = 0, nna0[3], nna1[3];
    unsigned char ni0[3], ni1[3];
    for (int j = 0; j < 3; j++) { c0[j] = malloc(sizeof(double) * (size_t)cap); c1[j] = malloc(sizeof(double) * (size_t)cap); }
    gl_csv_opts keep = {',', '"', 0, '.', 0, 0, 2, 1, 0}, drop = keep;
    drop.release = 1;
    CHECK(gl_csv_numeric(map, len, &keep, NULL, 3, c0, cap, ni0, nna0, &n0) == 0);
    CHECK(gl_csv_numeric(map, len, &drop, NULL, 3, c1, cap, ni1, nna1, &n1) == 0);
    CHECK(n0 == nrec + 1 && n1 == n0);
    int same = 1;
    for (int j = 0; j < 3; j++) same = same && memcmp(c0[j], c1[j], sizeof(double) * (size_t)n0) == 0 && ni0[j] == ni1[j];
    CHECK(same && c1[1][nrec - 1] == (nrec - 1) % 977 + 0.125 && c1[2][nrec] == 3);
    CHECK(memcmp(map + len - 5, "1,2,3", 5) == 0);   /* the text reads back whole */
    for (int j = 0; j < 3; j++) { free(c0[j]); free(c1[j]); }
    gl_csv_unmap(map, len);
    unlink(path);
  }
  gl_csv_free(&T);
  return TEST_REPORT();
}
