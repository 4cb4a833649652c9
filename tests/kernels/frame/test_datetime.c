/* test_datetime.c: calendar math, parsing and formatting of datetime64[ns]. */
#include <string.h>
#include "datetime.h"
#include "gl_types.h"
#include "testhelp.h"

static int64_t P (const char *s) {
  int64_t v = 0;
  if (gl_dt_parse(s, strlen(s), 0, &v, NULL) != 0) return GL_NAT;
  return v;
}

int main (void) {
  char buf[40];
  int res;
  int64_t v;
  /* civil <-> days round trip over 800 years, including leap days */
  int okrt = 1;
  for (int64_t z = -150000; z < 150000; z += 7) {
    int64_t y; int m, d;
    gl_civil_from_days(z, &y, &m, &d);
    if (gl_days_from_civil(y, m, d) != z) okrt = 0;
  }
  CHECK(okrt);
  CHECK(gl_days_from_civil(1970, 1, 1) == 0);
  CHECK(gl_days_from_civil(2000, 3, 1) == 11017);
  CHECK(gl_days_in_month(2016, 2) == 29 && gl_days_in_month(1900, 2) == 28 && gl_days_in_month(2000, 2) == 29);
  /* formats seen in the calibration data */
  CHECK(P("2019-09-20 10:53") == INT64_C(1568976780) * GL_NS_PER_SEC);
  CHECK(P("2019-09-20 17:23:59.950000") == INT64_C(1569000239) * GL_NS_PER_SEC + 950000000);
  CHECK(P("2012-05-18 08:30:00") == INT64_C(1337329800) * GL_NS_PER_SEC);
  CHECK(P("2012-05-18T08:30:00Z") == P("2012-05-18 08:30:00"));
  CHECK(P("2016-02-29") == gl_days_from_civil(2016, 2, 29) * GL_NS_PER_DAY);
  CHECK(P("20160229") == P("2016-02-29"));
  CHECK(P("2016/02/29 1:02:03.123456789") == P("2016-02-29") + 3723 * GL_NS_PER_SEC + 123456789);
  CHECK(P("02/29/2016") == P("2016-02-29"));
  CHECK(gl_dt_parse("29/02/2016", 10, 1, &v, NULL) == 0 && v == P("2016-02-29"));
  CHECK(P("1969-12-31 23:59:59.5") == -500000000);
  /* errors */
  CHECK(gl_dt_parse("2015-02-29", 10, 0, &v, NULL) == GL_ERANGE);
  CHECK(gl_dt_parse("2015-13-01", 10, 0, &v, NULL) == GL_ERANGE);
  CHECK(gl_dt_parse("2015-01-01 24:00", 16, 0, &v, NULL) == GL_ERANGE);
  CHECK(gl_dt_parse("hello", 5, 0, &v, NULL) == GL_EFORMAT);
  CHECK(gl_dt_parse("2015-01-01x", 11, 0, &v, NULL) == GL_EFORMAT);
  CHECK(gl_dt_parse("", 0, 0, &v, NULL) == GL_EFORMAT);
  /* partial strings and their periods */
  CHECK(gl_dt_parse("2015-03", 7, 0, &v, &res) == 0 && res == GL_RES_MONTH);
  CHECK(gl_dt_period_end(v, res) == P("2015-04-01"));
  CHECK(gl_dt_parse("2015", 4, 0, &v, &res) == 0 && res == GL_RES_YEAR);
  CHECK(gl_dt_period_end(v, res) == P("2016-01-01"));
  CHECK(gl_dt_add_months(P("2016-01-31"), 1) == P("2016-02-29"));
  CHECK(gl_dt_add_months(P("2016-03-15 10:00"), -14) == P("2015-01-15 10:00"));
  /* formatting */
  gl_dt_format(P("2019-09-20 17:23:59.950000"), 6, buf);
  CHECK(strcmp(buf, "2019-09-20 17:23:59.950000") == 0);
  gl_dt_format(P("1969-12-31 23:59:59.5"), 3, buf);
  CHECK(strcmp(buf, "1969-12-31 23:59:59.500") == 0);
  gl_dt_format(P("2016-02-29"), -1, buf);
  CHECK(strcmp(buf, "2016-02-29") == 0);
  gl_dt_format(GL_NAT, 0, buf);
  CHECK(strcmp(buf, "NaT") == 0);
  int64_t col[3] = {P("2016-02-29"), GL_NAT, P("2016-03-01")};
  CHECK(gl_dt_column_digits(3, col) == -1);
  col[1] = P("2016-03-01 00:00:01.5");
  CHECK(gl_dt_column_digits(3, col) == 3);
  col[1] = P("2016-03-01 00:00:01.000001");
  CHECK(gl_dt_column_digits(3, col) == 6);
  gl_dtparts p;
  gl_dt_split(P("2016-12-31 23:59:58"), &p);
  CHECK(p.year == 2016 && p.month == 12 && p.day == 31 && p.hour == 23 && p.minute == 59 && p.second == 58);
  CHECK(p.doy == 366 && p.dow == 5);  /* a Saturday */
  return TEST_REPORT();
}
