/* test_textio.c: loadtxt parsing (numbers, delimiters, comments, skiprows,
 * usecols, errors) and savetxt formatting against NumPy's output. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "textio.h"
#include "testhelp.h"

#define FIX "tests/fixtures/io/"

static gl_text_opts defaults (void) {
  gl_text_opts o;
  memset(&o, 0, sizeof o);
  o.ncomments = 1;
  o.comments[0] = "#";
  o.max_rows = -1;
  o.dtype = GL_FLOAT64;
  return o;
}

static int parse_str (const char *s, const gl_text_opts *o, gl_bytes *out, int64_t *r, int64_t *c, gl_ioerr *e) {
  gl_ioerr_clear(e);
  return gl_text_parse(s, strlen(s), o, out, r, c, e);
}

static void test_numbers (void) {
  struct { const char *s; double v; } ok[] = {
    {"1", 1}, {"-19.029846", -19.029846}, {"  2.5\t", 2.5}, {"+.5", 0.5}, {"5.", 5}, {"1e3", 1000},
    {"1E-3", 1e-3}, {"-0", -0.0}, {"0.1", 0.1}, {"123456789012345678901234567890", 1.2345678901234568e29},
    {"2.2250738585072014e-308", 2.2250738585072014e-308}, {"4.9e-324", 4.9e-324},
    {"1.7976931348623157e308", 1.7976931348623157e308}, {"9007199254740993", 9007199254740992.0},
    {"0.30000000000000004", 0.30000000000000004}, {"1e23", 1e23}, {"8.589973e9", 8.589973e9},
    {"inf", INFINITY}, {"-Infinity", -INFINITY}, {"0000000000000000000000001.5", 1.5},
  };
  for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
    double v = -12345;
    int rc = gl_text_parse_double(ok[k].s, strlen(ok[k].s), &v);
    CHECK(rc == 0 && v == ok[k].v && signbit(v) == signbit(ok[k].v));
    if (rc || v != ok[k].v) fprintf(stderr, "  '%s' -> %.17g\n", ok[k].s, v);
  }
  double v;
  CHECK(gl_text_parse_double("nan", 3, &v) == 0 && isnan(v));
  const char *bad[] = {"", " ", "abc", "1.5x", "0x10", "1e", "--1", "1 2", ".", "e5", "1,5"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    CHECK(gl_text_parse_double(bad[k], strlen(bad[k]), &v) == -1);
  /* locale independence: a comma-decimal locale must not change anything */
  if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
    CHECK(gl_text_parse_double("1.00000000000000000000000001", 28, &v) == 0 && v == 1.0);
    setlocale(LC_NUMERIC, "C");
  }
}

static void test_parse (void) {
  gl_text_opts o = defaults();
  gl_bytes b = {0}, f = {0};
  gl_ioerr e;
  int64_t r, c;
  CHECK(gl_file_read(FIX "simple.txt", 1 << 20, &f, &e) == 0);
  CHECK(gl_text_parse(f.data, f.len, &o, &b, &r, &c, &e) == 0 && r == 3 && c == 3);
  double *d = (double *)b.data;
  CHECK(d[0] == 1 && d[3] == 4.5 && d[4] == -0.5 && d[8] == 9);
  /* skiprows counts physical lines, comments included */
  o.skiprows = 2;
  CHECK(gl_text_parse(f.data, f.len, &o, &b, &r, &c, &e) == 0 && r == 2 && ((double *)b.data)[0] == 4.5);
  o.skiprows = 0;
  o.max_rows = 2;
  CHECK(gl_text_parse(f.data, f.len, &o, &b, &r, &c, &e) == 0 && r == 2);
  o.max_rows = -1;
  int64_t cols[2] = {2, -3};
  o.usecols = cols;
  o.nusecols = 2;
  CHECK(gl_text_parse(f.data, f.len, &o, &b, &r, &c, &e) == 0 && r == 3 && c == 2);
  d = (double *)b.data;
  CHECK(d[0] == 3 && d[1] == 1 && d[4] == 9 && d[5] == 7);
  cols[0] = 3;
  CHECK(parse_str("1 2 3\n", &o, &b, &r, &c, &e) == GL_EFORMAT && e.line == 1);
  CHECK(strstr(e.msg, "column 4 out of range at line 1 (it has 3 columns)") != NULL);
  o = defaults();
  o.usecols = cols;
  cols[0] = 1;
  o.nusecols = 1;
  CHECK(parse_str("1 2 3\n4 5\n", &o, &b, &r, &c, &e) == 0 && r == 2 && c == 1);  /* ragged is fine with usecols */
  gl_bytes_free(&f);

  o = defaults();
  o.delimiter = ',';
  o.skiprows = 1;
  CHECK(gl_file_read(FIX "comma.csv", 1 << 20, &f, &e) == 0);
  CHECK(gl_text_parse(f.data, f.len, &o, &b, &r, &c, &e) == 0 && r == 3 && c == 3 && ((double *)b.data)[4] == 5);
  gl_bytes_free(&f);
  o.skiprows = 0;
  CHECK(parse_str("1,2\n3,\n", &o, &b, &r, &c, &e) == GL_EFORMAT);
  CHECK(strcmp(e.msg, "could not convert '' to float at line 2, column 2") == 0 && e.line == 2 && e.column == 2);

  o = defaults();
  o.delimiter = ';';
  o.comments[0] = "%";
  CHECK(parse_str("% c\n1;2\r\n3;4\r\n", &o, &b, &r, &c, &e) == 0 && r == 2 && c == 2 && ((double *)b.data)[3] == 4);
  o = defaults();
  CHECK(parse_str("1 2\r3 4\r", &o, &b, &r, &c, &e) == 0 && r == 2 && c == 2);
  CHECK(parse_str("", &o, &b, &r, &c, &e) == 0 && r == 0 && c == 0);
  CHECK(parse_str("\xEF\xBB\xBF" "1 2\n", &o, &b, &r, &c, &e) == 0 && r == 1 && c == 2);
  CHECK(parse_str("1 2", &o, &b, &r, &c, &e) == 0 && r == 1 && c == 2);   /* no final newline */
  CHECK(parse_str("1 2 3\n4 5 6\n7 8\n", &o, &b, &r, &c, &e) == GL_EFORMAT && e.line == 3);
  CHECK(strcmp(e.msg, "wrong number of columns at line 3 (expected 3, got 2)") == 0);
  CHECK(parse_str("1 2\n3 abc\n", &o, &b, &r, &c, &e) == GL_EFORMAT);
  CHECK(strcmp(e.msg, "could not convert 'abc' to float at line 2, column 2") == 0);

  /* integer dtypes */
  o.dtype = GL_INT64;
  CHECK(parse_str("1 -2\n9223372036854775807 -9223372036854775808\n", &o, &b, &r, &c, &e) == 0);
  CHECK(((int64_t *)b.data)[2] == INT64_MAX && ((int64_t *)b.data)[3] == INT64_MIN);
  CHECK(parse_str("9223372036854775808\n", &o, &b, &r, &c, &e) == GL_ERANGE);
  CHECK(parse_str("1.5\n", &o, &b, &r, &c, &e) == GL_EFORMAT && strstr(e.msg, "to int64"));
  o.dtype = GL_INT32;
  CHECK(parse_str("2147483648\n", &o, &b, &r, &c, &e) == GL_ERANGE);
  o.dtype = GL_UINT8;
  CHECK(parse_str("255 0\n", &o, &b, &r, &c, &e) == 0 && (uint8_t)b.data[0] == 255);
  CHECK(parse_str("256\n", &o, &b, &r, &c, &e) == GL_ERANGE && strstr(e.msg, "'256' to uint8"));
  o.dtype = GL_FLOAT32;
  CHECK(parse_str("0.1\n", &o, &b, &r, &c, &e) == 0 && ((float *)b.data)[0] == 0.1f);
  gl_bytes_free(&b);
}

/* The lidar file: 40,069 x 3, first/last rows as NumPy reads them. */
static void test_lidar (void) {
  gl_text_opts o = defaults();
  gl_bytes b = {0}, f = {0};
  gl_ioerr e;
  int64_t r, c;
  CHECK(gl_file_read("data/lidar/dunes/floor.xyz", 1 << 30, &f, &e) == 0);
  CHECK(gl_text_parse(f.data, f.len, &o, &b, &r, &c, &e) == 0 && r == 40069 && c == 3);
  double *d = (double *)b.data;
  CHECK(d[0] == -19.029846 && d[1] == 9.207374 && d[2] == -2.496123);
  CHECK(d[3 * r - 3] == -17.431934 && d[3 * r - 2] == 9.933404 && d[3 * r - 1] == -2.483361);
  gl_bytes_free(&b);
  gl_bytes_free(&f);
}

static void test_format (void) {
  double m[4] = {1.0, 2.5, -3.0, 1e-10};
  gl_bytes b = {0}, ref = {0};
  gl_ioerr e;
  const char *f18[] = {"%.18e"};
  CHECK(gl_text_format(2, 2, GL_FLOAT64, m, f18, 1, " ", "\n", &b, &e) == 0);
  CHECK(gl_file_read(FIX "ref_savetxt.txt", 1 << 20, &ref, &e) == 0);
  CHECK(b.len == ref.len && memcmp(b.data, ref.data, b.len) == 0);
  b.len = 0;
  const char *f3[] = {"%.3f"};
  CHECK(gl_text_format(2, 2, GL_FLOAT64, m, f3, 1, ",", "\n", &b, &e) == 0);
  CHECK(strcmp(b.data, "1.000,2.500\n-3.000,0.000\n") == 0);
  b.len = 0;
  const char *two[] = {"%d", "%8.2e"};
  CHECK(gl_text_format(2, 2, GL_FLOAT64, m, two, 2, "|", "\n", &b, &e) == 0);
  CHECK(strcmp(b.data, "1|2.50e+00\n-3|1.00e-10\n") == 0);
  b.len = 0;
  const char *line[] = {"x=%g, y=%05.1f%%"};
  CHECK(gl_text_format(2, 2, GL_FLOAT64, m, line, 1, " ", "\n", &b, &e) == 0);
  CHECK(strcmp(b.data, "x=1, y=002.5%\nx=-3, y=000.0%\n") == 0);
  int64_t iv[3] = {1, 2, INT64_MAX};
  b.len = 0;
  const char *fd[] = {"%d"};
  CHECK(gl_text_format(3, 1, GL_INT64, iv, fd, 1, " ", "\n", &b, &e) == 0);
  CHECK(strcmp(b.data, "1\n2\n9223372036854775807\n") == 0);
  double nanv = NAN;
  CHECK(gl_text_format(1, 1, GL_FLOAT64, &nanv, fd, 1, " ", "\n", &b, &e) == GL_EINVAL);
  const char *badf[] = {"%s", "%n", "%*d", "%.1000f", "%", "%ld", "abc"};
  for (size_t k = 0; k < sizeof badf / sizeof badf[0]; k++) {
    const char *one[] = {badf[k]};
    CHECK(gl_text_format(1, 1, GL_FLOAT64, m, one, 1, " ", "\n", &b, &e) == GL_EINVAL);
  }
  const char *f2[] = {"%f %f"};
  CHECK(gl_text_format(1, 3, GL_FLOAT64, m, f2, 1, " ", "\n", &b, &e) == GL_EINVAL);
  gl_bytes_free(&b);
  gl_bytes_free(&ref);
}

int main (void) {
  test_numbers();
  test_parse();
  test_lidar();
  test_format();
  return TEST_REPORT();
}
