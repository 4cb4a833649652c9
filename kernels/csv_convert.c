/* csv_convert.c: number parsing and the per-column conversions of read_csv.
 *
 * Numbers: digits are gathered into a 64-bit mantissa and a decimal exponent;
 * when the mantissa has at most 19 significant digits, is below 2^53 and the
 * exponent is within +-22, one IEEE multiplication or division by an exact
 * power of ten gives the correctly rounded result (Clinger's fast path).
 * Anything else goes to strtod, which is correctly rounded too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "datetime.h"
#include "gl_types.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static const double pow10tab[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
  1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int ieq (const char *a, const char *b, size_t n) {   /* ASCII case-insensitive */
  for (size_t i = 0; i < n; i++) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != b[i]) return 0;
  }
  return 1;
}

static int slow_f64 (const char *s, size_t n, char dec, char thou, double *out) {
  char small[128], *buf = n < sizeof small ? small : malloc(n + 1), *end;
  size_t k = 0;
  if (!buf) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (thou && c == thou) continue;
    if (c == dec) c = '.';
    else if (c == '.' && dec != '.') { if (buf != small) free(buf); return 0; }
    buf[k++] = c;
  }
  buf[k] = 0;
  *out = strtod(buf, &end);
  int ok = end == buf + k && k > 0;
  if (buf != small) free(buf);
  return ok;
}

int gl_parse_f64 (const char *s, size_t n, char dec, char thou, double *out) {
  size_t i = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i >= n) return 0;
  s += i; n -= i; i = 0;
  int neg = 0;
  if (s[0] == '-' || s[0] == '+') { neg = s[0] == '-'; i++; }
  uint64_t mant = 0;
  int nd = 0, ndig = 0, dropped = 0;
  int64_t e10 = 0;
  for (; i < n; i++) {
    unsigned c = (unsigned char)s[i] - '0';
    if (c <= 9) {
      ndig++;
      if (mant == 0 && c == 0) continue;
      if (nd < 19) { mant = mant * 10 + c; nd++; }
      else { e10++; if (c) dropped = 1; }
    } else if (thou && s[i] == thou && ndig > 0) {
      continue;
    } else break;
  }
  if (i < n && s[i] == dec) {
    i++;
    for (; i < n; i++) {
      unsigned c = (unsigned char)s[i] - '0';
      if (c > 9) break;
      ndig++;
      if (mant == 0 && c == 0) { e10--; continue; }
      if (nd < 19) { mant = mant * 10 + c; nd++; e10--; }
      else if (c) dropped = 1;
    }
  }
  if (ndig == 0) {   /* inf, infinity, nan */
    size_t m = n - i;
    if ((m == 3 && ieq(s + i, "inf", 3)) || (m == 8 && ieq(s + i, "infinity", 8))) {
      *out = neg ? -HUGE_VAL : HUGE_VAL;
      return 1;
    }
    if (m == 3 && ieq(s + i, "nan", 3)) { *out = NAN; return 1; }
    return 0;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = 0;
    int64_t ev = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) { eneg = s[i] == '-'; i++; }
    if (i >= n || (unsigned char)s[i] - '0' > 9) return 0;
    for (; i < n && (unsigned char)s[i] - '0' <= 9; i++)
      if (ev < 100000) ev = ev * 10 + (s[i] - '0');
    e10 += eneg ? -ev : ev;
  }
  if (i != n) return 0;
  if (!dropped && mant < (UINT64_C(1) << 53)) {
    double v = (double)mant;
    if (mant == 0) { *out = neg ? -0.0 : 0.0; return 1; }
    if (e10 >= -22 && e10 <= 22) {
      v = e10 < 0 ? v / pow10tab[-e10] : v * pow10tab[e10];
      *out = neg ? -v : v;
      return 1;
    }
    if (e10 > 22 && e10 <= 22 + 15) {   /* shift zeros into the mantissa if exact */
      uint64_t m = mant;
      int64_t k;
      for (k = e10 - 22; k > 0 && m < (UINT64_C(1) << 53) / 10; k--) m *= 10;
      if (k == 0) { *out = (neg ? -1.0 : 1.0) * (double)m * 1e22; return 1; }
    }
  }
  return slow_f64(s, n, dec, thou, out);
}

int gl_parse_i64 (const char *s, size_t n, char thou, int64_t *out) {
  size_t i = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i >= n) return 0;
  int neg = 0;
  if (s[i] == '-' || s[i] == '+') { neg = s[i] == '-'; i++; }
  if (i >= n) return 0;
  uint64_t v = 0;
  int nd = 0;
  for (; i < n; i++) {
    unsigned c = (unsigned char)s[i] - '0';
    if (c <= 9) {
      if (v > (UINT64_MAX - c) / 10) return 0;
      v = v * 10 + c; nd++;
    } else if (thou && s[i] == thou && nd > 0) continue;
    else return 0;
  }
  if (nd == 0) return 0;
  if (neg) { if (v > (uint64_t)INT64_MAX + 1) return 0; *out = (int64_t)(0 - v); }
  else { if (v > (uint64_t)INT64_MAX) return 0; *out = (int64_t)v; }
  return 1;
}

/* pandas' default missing-value strings (STR_NA_VALUES). */
static const char *const default_na[] = {
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
  "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null", NULL};

/* Missing by string (not by number): */
static int na_string (const char *s, size_t n, const gl_csv_na *na) {
  if (n == 0) return 1;
  if (na) {
    if (na->use_default)
      for (int k = 0; default_na[k]; k++)
        if (strlen(default_na[k]) == n && memcmp(default_na[k], s, n) == 0) return 1;
    for (int k = 0; k < na->nstr; k++)
      if (na->lens[k] == n && memcmp(na->strs[k], s, n) == 0) return 1;
  }
  return 0;
}

static int na_number (double v, const gl_csv_na *na) {
  if (na) for (int k = 0; k < na->nnum; k++) if (v == na->nums[k]) return 1;
  return 0;
}

static inline const char *field (const gl_csv_cols *c, int64_t r, int64_t col, size_t *n) {
  int64_t f = c->t->rowfirst[c->row0 + r] + col;
  *n = (size_t)c->t->flen[f];
  return c->text + c->t->fstart[f];
}

int64_t gl_csv_check_width (const gl_csv *t, int64_t row0, int64_t nrows, int64_t ncol) {
  for (int64_t r = row0; r < row0 + nrows; r++)
    if (t->rowfirst[r + 1] - t->rowfirst[r] != ncol) return r;
  return -1;
}

int gl_csv_isna (const gl_csv_cols *c, int64_t r, int64_t col, const gl_csv_na *na,
                 const gl_csv_opts *o) {
  size_t n;
  const char *s = field(c, r, col, &n);
  double v;
  if (na_string(s, n, na)) return 1;
  if (na && na->nnum && gl_parse_f64(s, n, o->decimal, o->thousands, &v)) return na_number(v, na);
  return 0;
}

static int is_bool (const char *s, size_t n, int *v) {
  if (n == 4 && (!memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4) || !memcmp(s, "true", 4))) { *v = 1; return 1; }
  if (n == 5 && (!memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5) || !memcmp(s, "false", 5))) { *v = 0; return 1; }
  return 0;
}

/* Kind of one field (GL_CSV_NA for missing). */
static int field_kind (const char *s, size_t n, const gl_csv_na *na, const gl_csv_opts *o) {
  int64_t iv;
  double v;
  int b;
  if (n == 0) return GL_CSV_NA;
  if (gl_parse_i64(s, n, o->thousands, &iv)) {
    if (na_string(s, n, na) || na_number((double)iv, na)) return GL_CSV_NA;
    return GL_CSV_INT;
  }
  if (gl_parse_f64(s, n, o->decimal, o->thousands, &v)) {
    if (na_string(s, n, na) || na_number(v, na)) return GL_CSV_NA;
    if (isnan(v)) return GL_CSV_NA;
    return GL_CSV_FLOAT;
  }
  if (na_string(s, n, na)) return GL_CSV_NA;
  if (is_bool(s, n, &b)) return GL_CSV_BOOL;
  return GL_CSV_STRING;
}

#define PAR_MIN_ROWS 20000

int gl_csv_infer (const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                  const gl_csv_opts *o, int *kind, int64_t *nna) {
  int nt = (o->nthreads > 1 && c->nrows >= PAR_MIN_ROWS) ? o->nthreads : 1;
  int seen[5] = {0, 0, 0, 0, 0};
  int64_t missing = 0;
  #pragma omp parallel num_threads(nt) reduction(+:missing)
  {
    int ls[5] = {0, 0, 0, 0, 0};
    int64_t lm = 0;
    #pragma omp for schedule(static)
    for (int64_t r = 0; r < c->nrows; r++) {
      size_t n;
      const char *s = field(c, r, col, &n);
      int k = field_kind(s, n, na, o);
      ls[k] = 1;
      lm += k == GL_CSV_NA;
    }
    missing += lm;
    #pragma omp critical
    for (int k = 0; k < 5; k++) seen[k] |= ls[k];
  }
  *nna = missing;
  if (seen[GL_CSV_STRING] || (seen[GL_CSV_BOOL] && (seen[GL_CSV_INT] || seen[GL_CSV_FLOAT])))
    *kind = GL_CSV_STRING;
  else if (seen[GL_CSV_BOOL]) *kind = GL_CSV_BOOL;
  else if (seen[GL_CSV_FLOAT]) *kind = GL_CSV_FLOAT;
  else if (seen[GL_CSV_INT]) *kind = GL_CSV_INT;
  else *kind = GL_CSV_NA;
  return 0;
}

/* Runs body over rows in parallel; the first failing row (smallest) wins. */
#define FOR_ROWS(c, o, BODY) do { \
    int nt_ = ((o)->nthreads > 1 && (c)->nrows >= PAR_MIN_ROWS) ? (o)->nthreads : 1; \
    int64_t bad_ = INT64_MAX; int rc_ = 0; \
    _Pragma("omp parallel for num_threads(nt_) schedule(static) reduction(min:bad_)") \
    for (int64_t r = 0; r < (c)->nrows; r++) { BODY } \
    if (bad_ != INT64_MAX) { *bad = bad_; return rc_ ? rc_ : GL_EFORMAT; } \
  } while (0)

int gl_csv_to_f64 (const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                   const gl_csv_opts *o, double *out, int64_t *bad) {
  FOR_ROWS(c, o, {
    size_t n;
    const char *s = field(c, r, col, &n);
    double v;
    if (n == 0) out[r] = NAN;
    else if (gl_parse_f64(s, n, o->decimal, o->thousands, &v)) {
      if (na && na->nnum && na_number(v, na)) v = NAN;
      else if (na && na->nstr && na_string(s, n, na)) v = NAN;
      out[r] = v;
    } else if (na_string(s, n, na)) out[r] = NAN;
    else { int b; if (is_bool(s, n, &b)) out[r] = b; else { out[r] = NAN; if (r < bad_) bad_ = r; } }
  });
  return 0;
}

int gl_csv_to_i64 (const gl_csv_cols *c, int64_t col, const gl_csv_opts *o,
                   int64_t *out, int64_t *bad) {
  FOR_ROWS(c, o, {
    size_t n;
    const char *s = field(c, r, col, &n);
    if (!gl_parse_i64(s, n, o->thousands, &out[r])) { out[r] = 0; if (r < bad_) bad_ = r; }
  });
  return 0;
}

int gl_csv_to_bool (const gl_csv_cols *c, int64_t col, unsigned char *out, int64_t *bad) {
  gl_csv_opts o1 = {0};
  const gl_csv_opts *o = &o1;
  FOR_ROWS(c, o, {
    size_t n;
    const char *s = field(c, r, col, &n);
    int b = 0;
    if (!is_bool(s, n, &b) && r < bad_) bad_ = r;
    out[r] = (unsigned char)b;
  });
  return 0;
}

int gl_csv_to_datetime (const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                        const gl_csv_opts *o, int64_t *out, int64_t *bad) {
  FOR_ROWS(c, o, {
    size_t n;
    const char *s = field(c, r, col, &n);
    int64_t v;
    if (na_string(s, n, na)) out[r] = GL_NAT;
    else if (gl_dt_parse(s, n, o->dayfirst, &v, NULL) == 0) out[r] = v;
    else { out[r] = GL_NAT; if (r < bad_) bad_ = r; }
  });
  return 0;
}
