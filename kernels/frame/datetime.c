/* datetime.c: parsing, formatting and calendar math of naive datetime64[ns].
 * Calendar conversions are Hinnant's algorithms (chrono-Compatible Low-Level
 * Date Algorithms): exact for every proleptic Gregorian date in range. */
#include <stdio.h>
#include <string.h>
#include "datetime.h"
#include "gl_types.h"

int64_t gl_floordiv (int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

int64_t gl_days_from_civil (int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                                   /* [0, 399] */
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

void gl_civil_from_days (int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap (int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int gl_days_in_month (int64_t y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

void gl_dt_split (int64_t ns, gl_dtparts *p) {
  int64_t days = gl_floordiv(ns, GL_NS_PER_DAY);
  int64_t rem = ns - days * GL_NS_PER_DAY;
  gl_civil_from_days(days, &p->year, &p->month, &p->day);
  int64_t secs = rem / GL_NS_PER_SEC;
  p->nanos = rem % GL_NS_PER_SEC;
  p->hour = (int)(secs / 3600);
  p->minute = (int)(secs / 60 % 60);
  p->second = (int)(secs % 60);
  p->dow = (int)(((days % 7) + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
  p->doy = (int)(days - gl_days_from_civil(p->year, 1, 1) + 1);
}

/* Reads exactly k digits at s[*i]; -1 if not digits. */
static int64_t digits (const char *s, size_t n, size_t *i, int k) {
  int64_t v = 0;
  if (*i + (size_t)k > n) return -1;
  for (int j = 0; j < k; j++) {
    unsigned c = (unsigned char)s[*i + j] - '0';
    if (c > 9) return -1;
    v = v * 10 + c;
  }
  *i += k;
  return v;
}

static int isdig (char c) { return c >= '0' && c <= '9'; }

/* Reads 1 or 2 digits. */
static int64_t digits12 (const char *s, size_t n, size_t *i) {
  if (*i < n && isdig(s[*i])) {
    if (*i + 1 < n && isdig(s[*i + 1])) return digits(s, n, i, 2);
    return digits(s, n, i, 1);
  }
  return -1;
}

int gl_dt_parse (const char *s, size_t n, int dayfirst, int64_t *out, int *res) {
  size_t i = 0;
  int64_t y, mo = 1, d = 1, h = 0, mi = 0, se = 0, frac = 0;
  int r;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i >= n) return GL_EFORMAT;
  /* date part */
  if (i + 4 <= n && isdig(s[i]) && isdig(s[i + 1]) && isdig(s[i + 2]) && isdig(s[i + 3])) {
    y = digits(s, n, &i, 4);
    r = GL_RES_YEAR;
    if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
      char sep = s[i++];
      if ((mo = digits12(s, n, &i)) < 0) return GL_EFORMAT;
      r = GL_RES_MONTH;
      if (i < n && s[i] == sep) {
        i++;
        if ((d = digits12(s, n, &i)) < 0) return GL_EFORMAT;
        r = GL_RES_DAY;
      }
    } else if (i + 4 <= n && isdig(s[i])) {       /* YYYYMMDD */
      if ((mo = digits(s, n, &i, 2)) < 0 || (d = digits(s, n, &i, 2)) < 0) return GL_EFORMAT;
      r = GL_RES_DAY;
    }
  } else {                                          /* DD/MM/YYYY or MM/DD/YYYY */
    int64_t a, b;
    if ((a = digits12(s, n, &i)) < 0) return GL_EFORMAT;
    if (i >= n || (s[i] != '/' && s[i] != '-' && s[i] != '.')) return GL_EFORMAT;
    char sep = s[i++];
    if ((b = digits12(s, n, &i)) < 0) return GL_EFORMAT;
    if (i >= n || s[i] != sep) return GL_EFORMAT;
    i++;
    if ((y = digits(s, n, &i, 4)) < 0) return GL_EFORMAT;
    if (dayfirst) { d = a; mo = b; } else { mo = a; d = b; }
    r = GL_RES_DAY;
  }
  if (mo < 1 || mo > 12) return GL_ERANGE;
  if (d < 1 || d > gl_days_in_month(y, (int)mo)) return GL_ERANGE;
  /* time part */
  if (i < n && r == GL_RES_DAY && (s[i] == 'T' || s[i] == ' ')) {
    if (s[i] == 'T') i++;
    else while (i < n && s[i] == ' ') i++;
    if ((h = digits12(s, n, &i)) < 0) return GL_EFORMAT;
    r = GL_RES_HOUR;
    if (i < n && s[i] == ':') {
      i++;
      if ((mi = digits(s, n, &i, 2)) < 0) return GL_EFORMAT;
      r = GL_RES_MINUTE;
      if (i < n && s[i] == ':') {
        i++;
        if ((se = digits(s, n, &i, 2)) < 0) return GL_EFORMAT;
        r = GL_RES_SECOND;
        if (i < n && (s[i] == '.' || s[i] == ',')) {
          int k = 0;
          i++;
          if (i >= n || !isdig(s[i])) return GL_EFORMAT;
          while (i < n && isdig(s[i])) {
            if (k < 9) { frac = frac * 10 + (s[i] - '0'); k++; }
            i++;
          }
          for (; k < 9; k++) frac *= 10;
          r = GL_RES_SUBSEC;
        }
      }
    }
    if (i < n && s[i] == 'Z') i++;
    if (h > 23 || mi > 59 || se > 59) return GL_ERANGE;
  }
  if (i != n) return GL_EFORMAT;
  if (y < 1678 || y > 2261) return GL_ERANGE;   /* the datetime64[ns] range */
  *out = (gl_days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + se)
         * GL_NS_PER_SEC + frac;
  if (res) *res = r;
  return 0;
}

int64_t gl_dt_add_months (int64_t ns, int64_t months) {
  gl_dtparts p;
  gl_dt_split(ns, &p);
  int64_t tod = ns - gl_floordiv(ns, GL_NS_PER_DAY) * GL_NS_PER_DAY;
  int64_t m0 = p.year * 12 + (p.month - 1) + months;
  int64_t y = gl_floordiv(m0, 12);
  int m = (int)(m0 - y * 12) + 1;
  int d = p.day;
  if (d > gl_days_in_month(y, m)) d = gl_days_in_month(y, m);
  return gl_days_from_civil(y, m, d) * GL_NS_PER_DAY + tod;
}

int64_t gl_dt_period_end (int64_t ns, int res) {
  switch (res) {
    case GL_RES_YEAR: return gl_dt_add_months(ns, 12);
    case GL_RES_MONTH: return gl_dt_add_months(ns, 1);
    case GL_RES_DAY: return ns + GL_NS_PER_DAY;
    case GL_RES_HOUR: return ns + 3600 * GL_NS_PER_SEC;
    case GL_RES_MINUTE: return ns + 60 * GL_NS_PER_SEC;
    case GL_RES_SECOND: return ns + GL_NS_PER_SEC;
    default: return ns + 1;
  }
}

int gl_dt_format (int64_t ns, int ndig, char *buf) {
  gl_dtparts p;
  if (ns == GL_NAT) { memcpy(buf, "NaT", 4); return 3; }
  gl_dt_split(ns, &p);
  if (ndig < 0)
    return snprintf(buf, 40, "%04lld-%02d-%02d", (long long)p.year, p.month, p.day);
  int len = snprintf(buf, 40, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)p.year,
                     p.month, p.day, p.hour, p.minute, p.second);
  if (ndig > 0) {
    char f[16];
    snprintf(f, sizeof f, "%09lld", (long long)p.nanos);
    buf[len++] = '.';
    memcpy(buf + len, f, (size_t)ndig);
    len += ndig;
    buf[len] = 0;
  }
  return len;
}

int gl_dt_column_digits (int64_t n, const int64_t *ns) {
  int digs = -1;
  for (int64_t i = 0; i < n; i++) {
    if (ns[i] == GL_NAT) continue;
    int64_t rem = ns[i] - gl_floordiv(ns[i], GL_NS_PER_DAY) * GL_NS_PER_DAY;
    if (rem == 0) continue;
    if (digs < 0) digs = 0;
    int64_t f = rem % GL_NS_PER_SEC;
    if (f == 0) continue;
    int need = f % 1000000 == 0 ? 3 : f % 1000 == 0 ? 6 : 9;
    if (need > digs) digs = need;
  }
  return digs;
}
