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

static int parse_num (const char *s, size_t n, char dec, char thou, double *out, int *isint);

/* for csv_numeric.c */
int gl_csv_parse_number(const char *s, size_t n, char dec, char thou, double *out, int *isint);
int gl_csv_parse_number (const char *s, size_t n, char dec, char thou, double *out, int *isint) {
  return parse_num(s, n, dec, thou, out, isint);
}

int gl_parse_f64 (const char *s, size_t n, char dec, char thou, double *out) {
  int isint;
  return parse_num(s, n, dec, thou, out, &isint);
}

/* *isint: the text was an integer (no point, no exponent) of at most 18 digits */
static int parse_num (const char *s, size_t n, char dec, char thou, double *out, int *isint) {
  size_t i = 0;
  *isint = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i >= n) return 0;
  s += i; n -= i; i = 0;
  int neg = 0;
  if (s[0] == '-' || s[0] == '+') { neg = s[0] == '-'; i++; }
  uint64_t mant = 0;
  int nd = 0, ndig = 0, dropped = 0;
  int64_t e10 = 0;
  if (n <= 19 && !thou) {
    /* short numbers (almost all): at most 19 digits fit in 64 bits, so no
     * digit counting; the general loops below give the same results */
    size_t i0 = i;
    while (i < n && (unsigned)((unsigned char)s[i] - '0') <= 9) mant = mant * 10 + (unsigned)(s[i++] - '0');
    ndig = (int)(i - i0);
    int intpart = ndig > 0 && ndig <= 18;
    if (i < n && s[i] == dec) {
      size_t f0 = ++i;
      while (i < n && (unsigned)((unsigned char)s[i] - '0') <= 9) mant = mant * 10 + (unsigned)(s[i++] - '0');
      e10 = -(int64_t)(i - f0);
      ndig += (int)(i - f0);
      intpart = 0;
    }
    if (i == n && ndig > 0) {
      *isint = intpart;
      if (mant < (UINT64_C(1) << 53)) {
        double v = (double)mant;
        if (e10 < 0) v /= pow10tab[-e10];
        *out = neg ? -v : v;
        return 1;
      }
    }
    /* exponents, inf, big mantissas, bad text: the general path */
    i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    mant = 0; ndig = 0; e10 = 0;
  }
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
  int intpart = ndig > 0 && ndig <= 18;
  if (i < n && s[i] == dec) {
    intpart = 0;
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
  if (ndig == 0) {   /* inf, infinity (NaN spellings are missing-value strings, as in pandas) */
    size_t m = n - i;
    if ((m == 3 && ieq(s + i, "inf", 3)) || (m == 8 && ieq(s + i, "infinity", 8))) {
      *out = neg ? -HUGE_VAL : HUGE_VAL;
      return 1;
    }
    return 0;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    intpart = 0;
    i++;
    int eneg = 0;
    int64_t ev = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) { eneg = s[i] == '-'; i++; }
    if (i >= n || (unsigned)((unsigned char)s[i] - '0') > 9) return 0;
    for (; i < n && (unsigned)((unsigned char)s[i] - '0') <= 9; i++)
      if (ev < 100000) ev = ev * 10 + (s[i] - '0');
    e10 += eneg ? -ev : ev;
  }
  if (i != n) return 0;
  *isint = intpart;
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

/* pandas' default missing-value strings (STR_NA_VALUES), with lengths. */
static const struct { const char *s; size_t n; } default_na[] = {
  {"#N/A", 4}, {"#N/A N/A", 8}, {"#NA", 3}, {"-1.#IND", 7}, {"-1.#QNAN", 8}, {"-NaN", 4},
  {"-nan", 4}, {"1.#IND", 6}, {"1.#QNAN", 7}, {"<NA>", 4}, {"N/A", 3}, {"NA", 2},
  {"NULL", 4}, {"NaN", 3}, {"n/a", 3}, {"nan", 3}, {"null", 4}, {NULL, 0}};

/* Missing by string (not by number). None of the default strings reads as a
 * number, and numeric user strings are also in na->nums, so a field that
 * parsed as a number needs only na_number. */
static int na_string (const char *s, size_t n, const gl_csv_na *na) {
  if (n == 0) return 1;
  if (na) {
    if (na->use_default && n <= 8)
      for (int k = 0; default_na[k].s; k++)
        if (default_na[k].n == n && memcmp(default_na[k].s, s, n) == 0) return 1;
    for (int k = 0; k < na->nstr; k++)
      if (na->lens[k] == n && memcmp(na->strs[k], s, n) == 0) return 1;
  }
  return 0;
}

int gl_csv_na_string(const char *s, size_t n, const gl_csv_na *na);
int gl_csv_na_string (const char *s, size_t n, const gl_csv_na *na) { return na_string(s, n, na); }

static int na_number (double v, const gl_csv_na *na) {
  if (na) for (int k = 0; k < na->nnum; k++) if (v == na->nums[k]) return 1;
  return 0;
}

/* A record shorter than ncol reads as empty fields at its end (pandas). */
static inline const char *field (const gl_csv_cols *c, int64_t r, int64_t col, size_t *n) {
  if (col >= c->t->rownf[c->row0 + r]) { *n = 0; return c->text; }
  int64_t f = c->t->rowfirst[c->row0 + r] + col;
  *n = (size_t)c->t->flen[f];
  return c->text + c->t->fstart[f];
}

const char *gl_csv_field (const gl_csv_cols *c, int64_t r, int64_t col, size_t *n) {
  return field(c, r, col, n);
}

int64_t gl_csv_check_width (const gl_csv *t, int64_t row0, int64_t nrows, int64_t ncol) {
  for (int64_t r = row0; r < row0 + nrows; r++)
    if (t->rownf[r] > ncol) return r;
  return -1;
}

int gl_csv_isna (const gl_csv_cols *c, int64_t r, int64_t col, const gl_csv_na *na,
                 const gl_csv_opts *o) {
  size_t n;
  const char *s = field(c, r, col, &n);
  double v;
  if (na && na->nnum && gl_parse_f64(s, n, o->decimal, o->thousands, &v)) return na_number(v, na);
  return na_string(s, n, na);
}

static int is_bool (const char *s, size_t n, int *v) {
  if (n == 4 && (!memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4) || !memcmp(s, "true", 4))) { *v = 1; return 1; }
  if (n == 5 && (!memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5) || !memcmp(s, "false", 5))) { *v = 0; return 1; }
  return 0;
}

/* Kind of one field (GL_CSV_NA for missing); *v gets its value as a double. */
static int field_kind (const char *s, size_t n, const gl_csv_na *na, const gl_csv_opts *o, double *v) {
  int b;
  *v = NAN;
  if (n == 0) return GL_CSV_NA;
  int isint;
  if (parse_num(s, n, o->decimal, o->thousands, v, &isint)) {
    if (na && na->nnum && na_number(*v, na)) { *v = NAN; return GL_CSV_NA; }
    return isint ? GL_CSV_INT : GL_CSV_FLOAT;
  }
  if (na_string(s, n, na)) return GL_CSV_NA;
  if (is_bool(s, n, &b)) { *v = b; return GL_CSV_BOOL; }
  return GL_CSV_STRING;
}

#define PAR_MIN_ROWS 400000

int gl_csv_infer (const gl_csv_cols *c, int64_t col, const gl_csv_na *na,
                  const gl_csv_opts *o, int *kind, int64_t *nna, double *vals) {
  int nt = (o->nthreads > 1 && c->nrows >= (o->par_min > 0 ? o->par_min : PAR_MIN_ROWS)) ? o->nthreads : 1;
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
      double v;
      int k = field_kind(s, n, na, o, &v);
      if (vals) vals[r] = v;
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
    int nt_ = ((o)->nthreads > 1 && (c)->nrows >= ((o)->par_min > 0 ? (o)->par_min : PAR_MIN_ROWS)) ? (o)->nthreads : 1; \
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
