/* datetime.h: naive datetimes as int64 nanoseconds since 1970-01-01 00:00
 * (no time zones, no leap seconds), the representation of datetime64[ns].
 * NaT (not a time) is INT64_MIN. Calendar math after H. Hinnant's
 * days_from_civil / civil_from_days (proleptic Gregorian). No Lua here. */
#ifndef GL_DATETIME_H
#define GL_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#define GL_NAT INT64_MIN
#define GL_NS_PER_SEC INT64_C(1000000000)
#define GL_NS_PER_DAY (INT64_C(86400) * GL_NS_PER_SEC)

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31). */
int64_t gl_days_from_civil(int64_t y, int m, int d);
/* The inverse: y, m (1..12), d (1..31) of day z since 1970-01-01. */
void gl_civil_from_days(int64_t z, int64_t *y, int *m, int *d);
int gl_days_in_month(int64_t y, int m);
/* Floor division of ns by a positive step (correct for negative ns). */
int64_t gl_floordiv(int64_t a, int64_t b);

/* Broken-down fields of a time (ns must not be NaT). dow: Monday = 0. */
typedef struct gl_dtparts {
  int64_t year;
  int month, day, hour, minute, second, dow, doy;  /* doy 1..366 */
  int64_t nanos;                                    /* 0..999999999 */
} gl_dtparts;
void gl_dt_split(int64_t ns, gl_dtparts *p);

/* Resolution of a parsed string, for partial-string indexing ("2015-03"). */
enum { GL_RES_YEAR = 1, GL_RES_MONTH, GL_RES_DAY, GL_RES_HOUR, GL_RES_MINUTE,
       GL_RES_SECOND, GL_RES_SUBSEC };

/* Parses s[0..n) into ns since the epoch. Accepted (leading/trailing spaces
 * ignored): YYYY, YYYY-MM, YYYY-MM-DD (or with '/' or '.'), YYYYMMDD, each
 * date optionally followed by 'T' or spaces and HH, HH:MM, HH:MM:SS or
 * HH:MM:SS.f (1-9 digits), then an optional 'Z'. Also DD/MM/YYYY when
 * dayfirst is set, MM/DD/YYYY otherwise. *res (may be NULL) gets the
 * resolution. Returns 0, or GL_EFORMAT (bad syntax) / GL_ERANGE (a field out
 * of range, e.g. 2019-02-30 or 25:00). */
int gl_dt_parse(const char *s, size_t n, int dayfirst, int64_t *out, int *res);

/* The first instant after the period of resolution res that starts at ns
 * (ns + 1 year/month/day/...); used for partial-string ranges. */
int64_t gl_dt_period_end(int64_t ns, int res);

/* Writes ns as "YYYY-MM-DD" (digits < 0), "YYYY-MM-DD HH:MM:SS" (digits 0) or
 * with 3, 6 or 9 fractional digits; "NaT" for GL_NAT. buf needs 40 bytes.
 * Returns the length. */
int gl_dt_format(int64_t ns, int digits, char *buf);

/* Fractional digits pandas shows for a column: 0, 3, 6 or 9, or -1 when every
 * time is at midnight (dates only). NaT entries are ignored. */
int gl_dt_column_digits(int64_t n, const int64_t *ns);

/* Adds months to ns keeping the day (clamped to the month's length). */
int64_t gl_dt_add_months(int64_t ns, int64_t months);

#endif
