/* test_csv.c: tokenizer (quotes, comments, blank lines, line ends), sniffing,
 * number parsing, conversions, encodings, and the parallel split. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "datetime.h"
#include "gl_types.h"
#include "testhelp.h"

static gl_csv T;
static char text[4096];

static int tok (const char *s, char sep, char comment, int nthreads) {
  gl_csv_opts o = {sep, '"', comment, '.', 0, 0, nthreads};
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
  gl_csv_opts o = {',', '"', 0, '.', 0, 0, 1};
  gl_ioerr_clear(&e);
  strcpy(text, "a,b\n1,\"oops\n2,3\n");
  gl_csv_free(&T);
  CHECK(gl_csv_tokenize(text, strlen(text), 0, &o, &T, &e) == GL_EFORMAT && e.line == 2);
  /* comments: whole lines skipped, trailing comments cut */
  CHECK(tok("# head\n# more\nx,y\n1,2 # note\n#\n3,4\n", ',', '#', 1) == 0);
  CHECK(T.nrows == 3 && feq(3, "2 ") && T.rowline[0] == 3 && T.rowline[2] == 6);
  CHECK(gl_csv_check_width(&T, 0, 3, 2) == -1);
  CHECK(tok("x,y\n1,2,3\n", ',', 0, 1) == 0 && gl_csv_check_width(&T, 0, 2, 2) == 1);
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
  CHECK(numeq("inf", INFINITY) && numeq("-Infinity", -INFINITY) && numeq("nan", NAN));
  double dv;
  CHECK(!gl_parse_f64("1.2.3", 5, '.', 0, &dv) && !gl_parse_f64("e5", 2, '.', 0, &dv));
  CHECK(!gl_parse_f64("1e", 2, '.', 0, &dv) && !gl_parse_f64("-", 1, '.', 0, &dv));
  CHECK(gl_parse_f64("1.234,5", 7, ',', '.', &dv) && dv == 1234.5);
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
  gl_csv_opts oo = {',', '"', 0, '.', 0, 0, 1};
  gl_csv_infer(&cols, 1, &na, &oo, &kind, &nna); CHECK(kind == GL_CSV_INT && nna == 0);
  gl_csv_infer(&cols, 2, &na, &oo, &kind, &nna); CHECK(kind == GL_CSV_NA && nna == 3);
  gl_csv_infer(&cols, 3, &na, &oo, &kind, &nna); CHECK(kind == GL_CSV_STRING && nna == 1);
  gl_csv_infer(&cols, 4, &na, &oo, &kind, &nna); CHECK(kind == GL_CSV_BOOL);
  gl_csv_infer(&cols, 0, &na, &oo, &kind, &nna); CHECK(kind == GL_CSV_STRING);
  double f[3];
  int64_t i64[3], ts[3];
  unsigned char b[3];
  CHECK(gl_csv_to_f64(&cols, 2, &na, &oo, f, &bad) == 0 && isnan(f[0]) && isnan(f[1]) && isnan(f[2]));
  CHECK(gl_csv_to_i64(&cols, 1, &oo, i64, &bad) == 0 && i64[2] == 3);
  CHECK(gl_csv_to_bool(&cols, 4, b, &bad) == 0 && b[0] == 1 && b[1] == 0 && b[2] == 1);
  CHECK(gl_csv_to_datetime(&cols, 0, &na, &oo, ts, &bad) == 0 && ts[1] - ts[0] == 300 * GL_NS_PER_SEC);
  CHECK(gl_csv_to_datetime(&cols, 3, &na, &oo, ts, &bad) == GL_EFORMAT && bad == 0);
  CHECK(gl_csv_to_f64(&cols, 3, &na, &oo, f, &bad) == GL_EFORMAT && bad == 0);
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
    gl_csv_opts o1 = {',', '"', 0, '.', 0, 0, 1}, o4 = {',', '"', 0, '.', 0, 0, 4};
    gl_ioerr_clear(&e);
    CHECK(gl_csv_tokenize(big, k, 0, &o1, &s1, &e) == 0);
    CHECK(gl_csv_tokenize(big2, k, 0, &o4, &s2, &e) == 0);
    int same = s1.nrows == s2.nrows && s1.nfields == s2.nfields && s1.nrows == r;
    for (int64_t m = 0; same && m < s1.nfields; m++)
      same = s1.flen[m] == s2.flen[m] && memcmp(big + s1.fstart[m], big2 + s2.fstart[m], (size_t)s1.flen[m]) == 0;
    for (int64_t m = 0; same && m < s1.nrows; m++) same = s1.rowline[m] == s2.rowline[m];
    CHECK(same);
    /* a literal quote inside an unquoted field forces the serial pass */
    memcpy(big2, big, k + 1);
    big[100] = '"';
    big2[100] = '"';
    gl_csv_free(&s1); gl_csv_free(&s2);
    int rc1 = gl_csv_tokenize(big, k, 0, &o1, &s1, &e);
    int rc2 = gl_csv_tokenize(big2, k, 0, &o4, &s2, &e);
    CHECK(rc1 == rc2 && s1.nrows == s2.nrows && s1.nfields == s2.nfields);
    gl_csv_free(&s1); gl_csv_free(&s2);
    free(big); free(big2);
  }
  gl_csv_free(&T);
  return TEST_REPORT();
}
