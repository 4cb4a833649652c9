/* array_print.c: NumPy-style repr of arrays: a common width per array, at most
 * 8 fractional digits (fewer when the values need fewer), scientific notation
 * for wide ranges, lines wrapped at 75 columns, and past 1000 elements only the
 * first and last 3 along each axis. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "array_internal.h"
#include "cast.h"

#define THRESHOLD 1000
#define EDGE 3
#define LINEWIDTH 75
#define PRECISION 8

typedef struct fmt_state {
  gl_dtype dtype;
  int plus;                 /* always print the sign (imaginary parts) */
  struct fmt_state *imag;   /* complex dtypes: the imaginary parts' format */
  int summarize;
  int pass;                 /* 0: range, 1: widths */
  double maxabs, minabs;    /* over finite non-zero values */
  int any_nonzero;
  int exp_mode;
  int int_w, frac_w, exp_w, special_w;
  int width;
} fmt_state;

/* Shortest precision p <= PRECISION at which %.pf (or %.pe) gives back the
 * value rounded to PRECISION digits: NumPy's "maxprec" unique digits. A
 * float32 value (single) only has to read back as the same float32, so 2/3
 * prints 0.6666667 as in NumPy, not the double's 0.66666669. */
static int needed_digits (double x, int sci, int single) {
  char ref[64], buf[64];
  if (single) {
    for (int p = 0; p < PRECISION; p++) {
      snprintf(buf, sizeof buf, sci ? "%.*e" : "%.*f", p, x);
      if ((float)strtod(buf, NULL) == (float)x) return p;
    }
    return PRECISION;
  }
  snprintf(ref, sizeof ref, sci ? "%.*e" : "%.*f", PRECISION, x);
  double r = strtod(ref, NULL);
  for (int p = 0; p < PRECISION; p++) {
    snprintf(buf, sizeof buf, sci ? "%.*e" : "%.*f", p, x);
    if (strtod(buf, NULL) == r) return p;
  }
  return PRECISION;
}

static int is_single (gl_dtype t) { return t == GL_FLOAT32 || t == GL_COMPLEX64; }

static void measure_val (fmt_state *f, double x);

static void measure (fmt_state *f, const char *p) {
  char buf[64];
  if (f->dtype == GL_BOOL) return;  /* always width 5 */
  if (gl_dtype_is_complex(f->dtype)) {
    double re, im;
    gl_load_c128(f->dtype, p, &re, &im);
    measure_val(f, re);
    measure_val(f->imag, im);
    return;
  }
  if (!gl_dtype_is_float(f->dtype)) {
    int w = snprintf(buf, sizeof buf, "%lld", (long long)gl_load_i64(f->dtype, p));
    if (w > f->width) f->width = w;
    return;
  }
  measure_val(f, gl_load_f64(f->dtype, p));
}

/* One float value's part in the common format. NumPy's FloatingFormat with
 * sign '+' (f->plus) writes the sign into the integer part, so it counts in
 * the widths, and an infinity is always signed. */
static void measure_val (fmt_state *f, double x) {
  char buf[64];
  if (!isfinite(x)) {
    int w = isnan(x) ? 3 : ((x < 0 || f->plus) ? 4 : 3);
    if (w > f->special_w) f->special_w = w;
    return;
  }
  if (f->pass == 0) {
    double ax = fabs(x);
    if (ax != 0) {
      if (!f->any_nonzero || ax > f->maxabs) f->maxabs = ax;
      if (!f->any_nonzero || ax < f->minabs) f->minabs = ax;
      f->any_nonzero = 1;
    }
    return;
  }
  int d = needed_digits(x, f->exp_mode, is_single(f->dtype));
  if (d > f->frac_w) f->frac_w = d;
  if (f->exp_mode) {
    snprintf(buf, sizeof buf, f->plus ? "%+.*e" : "%.*e", d, x);
    char *e = strchr(buf, 'e');
    int iw = (int)(strchr(buf, '.') ? strchr(buf, '.') - buf : e - buf);
    int ew = (int)strlen(e + 2);
    if (iw > f->int_w) f->int_w = iw;
    if (ew > f->exp_w) f->exp_w = ew;
  } else {
    snprintf(buf, sizeof buf, f->plus ? "%+.0f" : "%.0f", trunc(x));
    int iw = (int)strlen(buf);
    if (x < 0 && buf[0] != '-') iw++;  /* -0.5 prints as "-0." */
    if (iw > f->int_w) f->int_w = iw;
  }
}

typedef void (*visit_fn)(fmt_state *f, const char *p);
static void visit (const gl_array *a, int axis, const char *p, fmt_state *f, visit_fn fn) {
  size_t isz = gl_dtype_size(a->dtype);
  if (axis == a->ndim) { fn(f, p); return; }
  int64_t n = a->shape[axis];
  for (int64_t i = 0; i < n; i++) {
    if (f->summarize && n > 2 * EDGE && i == EDGE) i = n - EDGE;
    visit(a, axis + 1, p + i * a->strides[axis] * (int64_t)isz, f, fn);
  }
}

/* After the first pass: the notation; after the second: the width. */
static void choose_mode (fmt_state *f) {
  f->exp_mode = f->any_nonzero && (f->maxabs >= 1e8 || f->minabs < 1e-4 || f->maxabs / f->minabs > 1e3);
  f->pass = 1;
}
static void choose_width (fmt_state *f) {
  if (f->exp_mode) {
    f->width = f->int_w + 1 + f->frac_w + 2 + (f->exp_w < 2 ? 2 : f->exp_w);
  } else {
    f->width = f->int_w + 1 + f->frac_w;
  }
  if (f->special_w > f->width) f->width = f->special_w;
}

/* f->imag must point at a second state for complex arrays: NumPy formats
 * real and imaginary parts as two float arrays (ComplexFloatingFormat). */
static void prepare (fmt_state *f, const gl_array *a) {
  fmt_state *im = f->imag;
  memset(f, 0, sizeof *f);
  f->dtype = a->dtype;
  f->summarize = a->size > THRESHOLD;
  if (gl_dtype_is_complex(a->dtype)) {
    memset(im, 0, sizeof *im);
    im->dtype = gl_dtype_real(a->dtype);
    im->plus = 1;
    f->imag = im;
  }
  visit(a, 0, a->data, f, measure);
  if (gl_dtype_is_float(a->dtype) || gl_dtype_is_complex(a->dtype)) {
    choose_mode(f);
    if (f->imag) choose_mode(f->imag);
    visit(a, 0, a->data, f, measure);
    choose_width(f);
    if (f->imag) choose_width(f->imag);
  } else if (a->dtype == GL_BOOL) {
    f->width = 5;  /* NumPy pads " True" even when no False is shown */
  }
}

static void format_val (const fmt_state *f, double x, char *buf, size_t len);

/* Formats one element into buf, padded to the common width. */
static void format_elem (const fmt_state *f, const char *p, char *buf, size_t len) {
  if (f->dtype == GL_BOOL) {
    snprintf(buf, len, "%*s", f->width, *(const gl_bool *)p ? "True" : "False");
    return;
  }
  if (gl_dtype_is_complex(f->dtype)) {
    /* real part, then the signed imaginary part with 'j' before its padding */
    double re, im;
    char r[60], i[60];
    gl_load_c128(f->dtype, p, &re, &im);
    format_val(f, re, r, sizeof r);
    format_val(f->imag, im, i, sizeof i);
    size_t n = strlen(i);
    while (n > 0 && i[n - 1] == ' ') n--;
    snprintf(buf, len, "%.60s%.*sj%.60s", r, (int)n, i, i + n);
    return;
  }
  if (!gl_dtype_is_float(f->dtype)) {
    snprintf(buf, len, "%*lld", f->width, (long long)gl_load_i64(f->dtype, p));
    return;
  }
  format_val(f, gl_load_f64(f->dtype, p), buf, len);
}

static void format_val (const fmt_state *f, double x, char *buf, size_t len) {
  char s[96];
  if (isnan(x)) { snprintf(buf, len, "%*s", f->width, f->plus ? "+nan" : "nan"); return; }
  if (isinf(x)) { snprintf(buf, len, "%*s", f->width, x < 0 ? "-inf" : f->plus ? "+inf" : "inf"); return; }
  if (f->exp_mode) {
    /* mantissa padded with zeros to a common precision, exponent to 2+ digits */
    snprintf(s, sizeof s, f->plus ? "%+.*e" : "%.*e", f->frac_w, x);
    char *e = strchr(s, 'e');
    char mant[64];
    int ml = (int)(e - s);
    memcpy(mant, s, (size_t)ml);
    mant[ml] = 0;
    if (f->frac_w == 0) { mant[ml++] = '.'; mant[ml] = 0; }
    int ew = f->exp_w < 2 ? 2 : f->exp_w;
    char out[96];
    snprintf(out, sizeof out, "%se%c%0*d", mant, e[1], ew, atoi(e + 2));
    snprintf(buf, len, "%*s", f->width, out);
    return;
  }
  int d = needed_digits(x, 0, is_single(f->dtype));
  snprintf(s, sizeof s, f->plus ? "%+.*f" : "%.*f", d, x);
  if (d == 0) strcat(s, ".");
  int pad_right = f->frac_w - d;
  char *dot = strchr(s, '.');
  int iw = (int)(dot - s);
  char tmp[128];
  snprintf(tmp, sizeof tmp, "%*s%s%*s", f->int_w - iw, "", s, pad_right, "");
  snprintf(buf, len, "%*s", f->width, tmp);
}

/* A growable string; the caller frees sb.p. */
typedef struct strbuf { char *p; size_t n, cap; int oom; } strbuf;

static void sb_add (strbuf *b, const char *s, size_t len) {
  if (b->oom) return;
  if (b->n + len + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 256);
    while (cap < b->n + len + 1) cap *= 2;
    char *q = (char *)realloc(b->p, cap);
    if (!q) { b->oom = 1; return; }
    b->p = q; b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
  b->p[b->n] = 0;
}
static void sb_puts (strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static void sb_spaces (strbuf *b, int n) { for (int i = 0; i < n; i++) sb_add(b, " ", 1); }

/* NumPy's _extendLine: wrap before `word` when the line would pass width,
 * unless the line holds only its prefix. line is a strbuf holding the line. */
static void extend_line (strbuf *s, strbuf *line, const char *word, int width, int indent) {
  int wrap = (int)(line->n + strlen(word)) > width && (int)line->n > indent;
  if (wrap) {
    size_t n = line->n;
    while (n > 0 && line->p[n - 1] == ' ') n--;  /* rstrip */
    sb_add(s, line->p, n);
    sb_puts(s, "\n");
    line->n = 0;
    sb_spaces(line, indent);
  }
  sb_puts(line, word);
}

/* A port of NumPy's _formatArray recurser (numpy/core/arrayprint.py), so that
 * wrapping and summarising match it character for character. Appends the
 * formatted sub-array at p (axis `axis`) to out. */
static void recurse (strbuf *out, const gl_array *a, const fmt_state *f, int axis,
                     const char *p, int indent, int width) {
  size_t isz = gl_dtype_size(a->dtype);
  int axes_left = a->ndim - axis;
  int64_t n = a->shape[axis];
  int summary = f->summarize && n > 2 * EDGE;
  int64_t lead = summary ? EDGE : 0, trail = summary ? EDGE : n;
  strbuf s = {0};
  if (axes_left == 1) {
    int elem_width = width - 1;
    strbuf line = {0};
    char word[160];
    sb_spaces(&line, indent);
    for (int64_t k = 0; k < n; k++) {
      int64_t i;
      if (k < lead) i = k;
      else if (k - lead < trail) i = n - trail + (k - lead);
      else break;
      if (summary && k == lead) {
        extend_line(&s, &line, "...", elem_width, indent);
        sb_puts(&line, ", ");
      }
      format_elem(f, p + i * a->strides[axis] * (int64_t)isz, word, sizeof word);
      extend_line(&s, &line, word, elem_width, indent);
      if (i != n - 1) sb_puts(&line, ", ");
      if (k + 1 == lead + trail) break;
    }
    sb_add(&s, line.p, line.n);
    s.oom |= line.oom;
    free(line.p);
  } else {
    char sep[GL_MAXDIMS + 2];
    int ns = 0;
    sep[ns++] = ',';
    for (int k = 0; k < axes_left - 1; k++) sep[ns++] = '\n';
    sep[ns] = 0;
    for (int64_t k = 0; k < lead + trail; k++) {
      int64_t i = k < lead ? k : n - trail + (k - lead);
      if (summary && k == lead) {
        sb_spaces(&s, indent);
        sb_puts(&s, "...");
        sb_puts(&s, sep);
      }
      sb_spaces(&s, indent);
      recurse(&s, a, f, axis + 1, p + i * a->strides[axis] * (int64_t)isz, indent + 1, width - 1);
      if (i != n - 1) sb_puts(&s, sep);
    }
  }
  sb_puts(out, "[");
  if (s.n > (size_t)indent) sb_add(out, s.p + indent, s.n - (size_t)indent);
  sb_puts(out, "]");
  out->oom |= s.oom;
  free(s.p);
}

static int default_dtype (gl_dtype t) {
  return t == GL_FLOAT64 || t == GL_INT64 || t == GL_BOOL || t == GL_COMPLEX128;
}

int gl_arr_tostring (lua_State *L) {
  gl_array *a = (gl_array *)luaL_checkudata(L, 1, GL_ARRAY_MT);
  if (a->data == NULL) { lua_pushliteral(L, "array(<closed>)"); return 1; }
  char suffix[64];
  if (default_dtype(a->dtype)) snprintf(suffix, sizeof suffix, ")");
  else snprintf(suffix, sizeof suffix, ", dtype=%s)", gl_dtype_name(a->dtype));
  if (a->size == 0) {
    char sh[256], spaced[300];
    int k = 0;
    gl_shape_str(sh, sizeof sh, a->ndim, a->shape);
    for (const char *c = sh; *c && k < 298; c++) {  /* NumPy writes "(0, 3)" */
      spaced[k++] = *c;
      if (*c == ',' && c[1] != ')') spaced[k++] = ' ';
    }
    spaced[k] = 0;
    if (a->ndim == 1) lua_pushfstring(L, "array([], dtype=%s)", gl_dtype_name(a->dtype));
    else lua_pushfstring(L, "array([], shape=%s, dtype=%s)", spaced, gl_dtype_name(a->dtype));
    return 1;
  }
  fmt_state f, fi;
  f.imag = &fi;
  prepare(&f, a);
  void **box = gl_box(L);   /* owns out.p while lua_pushlstring may raise */
  strbuf out = {0};
  sb_puts(&out, "array(");
  if (a->ndim == 0) {
    char buf[128];
    format_elem(&f, a->data, buf, sizeof buf);
    const char *s = buf;
    while (*s == ' ') s++;
    sb_puts(&out, s);
  } else {
    recurse(&out, a, &f, 0, a->data, 7, LINEWIDTH - (int)strlen(suffix));
  }
  sb_puts(&out, suffix);
  *box = out.p;
  if (out.oom) return luaL_error(L, "not enough memory");
  lua_pushlstring(L, out.p, out.n);
  gl_box_free(box);
  return 1;
}
