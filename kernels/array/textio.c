/* textio.c: np.loadtxt's parser and np.savetxt's formatter.
 *
 * Parsing walks the buffer once, line by line; each line's fields are found
 * (runs of non-blanks, or text between delimiters, trimmed), kept as spans,
 * and the selected ones converted straight into the output buffer. Numbers
 * take Clinger's fast path when it is exact (at most 19 significant digits,
 * mantissa <= 2^53, |power of ten| <= 22: one correctly rounded multiply or
 * divide); anything else goes to strtod_l in the "C" locale, so results are
 * correctly rounded and never depend on the user's locale. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "textio.h"

typedef struct numctx {
  locale_t c;   /* created on first use of the slow path */
} numctx;

static const double pow10_exact[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_blank (char c) { return c == ' ' || c == '\t'; }

static void trim (const char **s, size_t *n) {
  while (*n && is_blank(**s)) { (*s)++; (*n)--; }
  while (*n && is_blank((*s)[*n - 1])) (*n)--;
}

/* strtod_l on a NUL-terminated copy; rejects hex and partial parses. */
static int slow_double (numctx *cx, const char *s, size_t n, double *out) {
  char local[256], *tmp = local;
  for (size_t i = 0; i < n; i++)
    if (s[i] == 'x' || s[i] == 'X' || s[i] == '\0' || s[i] == ' ' || s[i] == '\t') return -1;
  if (!cx->c) {
    cx->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!cx->c) return -1;
  }
  if (n >= sizeof local && !(tmp = malloc(n + 1))) return -1;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  char *end;
  double v = strtod_l(tmp, &end, cx->c);
  int ok = n > 0 && end == tmp + n;
  if (tmp != local) free(tmp);
  if (!ok) return -1;
  *out = v;
  return 0;
}

static int parse_double (numctx *cx, const char *s, size_t n, double *out) {
  trim(&s, &n);
  const char *p = s, *end = s + n;
  int neg = 0, nd = 0, any = 0;
  uint64_t m = 0;
  int64_t e10 = 0;
  if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
  for (; p < end && *p >= '0' && *p <= '9'; p++) {
    any = 1;
    if (m == 0 && *p == '0') continue;
    if (nd == 19) return slow_double(cx, s, n, out);
    m = m * 10 + (uint64_t)(*p - '0');
    nd++;
  }
  if (p < end && *p == '.') {
    for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
      any = 1;
      e10--;
      if (m == 0 && *p == '0') continue;
      if (nd == 19) return slow_double(cx, s, n, out);
      m = m * 10 + (uint64_t)(*p - '0');
      nd++;
    }
  }
  if (!any) return slow_double(cx, s, n, out);   /* inf, nan, or junk */
  if (p < end && (*p == 'e' || *p == 'E')) {
    int eneg = 0, edig = 0;
    int64_t ev = 0;
    p++;
    if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
      edig = 1;
      if (ev < 100000) ev = ev * 10 + (*p - '0');
    }
    if (!edig) return -1;
    e10 += eneg ? -ev : ev;
  }
  if (p != end) return -1;
  double v;
  if (m == 0) v = 0.0;
  else if (m <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22)
    v = e10 < 0 ? (double)m / pow10_exact[-e10] : (double)m * pow10_exact[e10];
  else return slow_double(cx, s, n, out);
  *out = neg ? -v : v;
  return 0;
}

int gl_text_parse_double (const char *s, size_t n, double *out) {
  numctx cx = {0};
  int rc = parse_double(&cx, s, n, out);
  if (cx.c) freelocale(cx.c);
  return rc;
}

/* -1: not an integer, -2: out of int64 range. */
static int parse_int64 (const char *s, size_t n, int64_t *out) {
  trim(&s, &n);
  const char *p = s, *end = s + n;
  int neg = 0;
  uint64_t v = 0, lim;
  if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
  if (p == end) return -1;
  lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  int over = 0;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9') return -1;
    unsigned d = (unsigned)(*p - '0');
    if (v > (lim - d) / 10) over = 1;
    else v = v * 10 + d;
  }
  if (over) return -2;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}

/* {====================================================== parsing */

typedef struct span { const char *s; size_t n; } span;

typedef struct parser {
  const gl_text_opts *o;
  numctx cx;
  span *f;          /* fields of the current line (scratch) */
  size_t nf, capf;
} parser;

static int push_field (parser *ps, const char *s, size_t n) {
  if (ps->nf == ps->capf) {
    size_t cap = ps->capf ? ps->capf * 2 : 64;
    span *f = realloc(ps->f, cap * sizeof *f);
    if (!f) return GL_ENOMEM;
    ps->f = f;
    ps->capf = cap;
  }
  ps->f[ps->nf].s = s;
  ps->f[ps->nf].n = n;
  ps->nf++;
  return GL_OK;
}

/* End of the data part of line [s, e): the first comment marker, if any. */
static const char *comment_cut (const gl_text_opts *o, const char *s, const char *e) {
  if (o->ncomments == 0) return e;
  const char *cut = e;
  for (int k = 0; k < o->ncomments; k++) {
    const char *c = o->comments[k];
    size_t cl = strlen(c);
    if (cl == 0) continue;
    for (const char *p = s; p + cl <= cut; p++)
      if (*p == c[0] && memcmp(p, c, cl) == 0) { cut = p; break; }
  }
  return cut;
}

/* Splits [s, e) into ps->f; returns GL_OK (ps->nf == 0 for a blank line). */
static int split_line (parser *ps, const char *s, const char *e) {
  char d = ps->o->delimiter;
  ps->nf = 0;
  if (d == 0) {
    const char *p = s;
    for (;;) {
      while (p < e && is_blank(*p)) p++;
      if (p >= e) return GL_OK;
      const char *q = p;
      while (q < e && !is_blank(*q)) q++;
      if (push_field(ps, p, (size_t)(q - p))) return GL_ENOMEM;
      p = q;
    }
  }
  const char *p = s;
  while (p < e && is_blank(*p)) p++;
  if (p == e) return GL_OK;   /* blank line */
  p = s;
  for (;;) {
    const char *q = memchr(p, d, (size_t)(e - p));
    if (!q) q = e;
    const char *fs = p;
    size_t fn = (size_t)(q - p);
    if (d != '\t') trim(&fs, &fn);
    else while (fn && fs[0] == ' ') { fs++; fn--; }
    if (push_field(ps, fs, fn)) return GL_ENOMEM;
    if (q == e) return GL_OK;
    p = q + 1;
  }
}

static const char *type_word (gl_dtype t) {
  return (t == GL_FLOAT64 || t == GL_FLOAT32) ? "float" : gl_dtype_name(t);
}

static int convert_error (parser *ps, const span *f, int64_t line, int64_t col, gl_ioerr *err, int code) {
  err->line = line;
  err->column = col;
  return gl_ioerr_set(err, code, "could not convert '%.*s%s' to %s at line %lld, column %lld",
                      (int)(f->n > 40 ? 40 : f->n), f->s, f->n > 40 ? "..." : "",
                      type_word(ps->o->dtype), (long long)line, (long long)col);
}

/* Stores the filling value of a missing field (genfromtxt) in dtype t, as
 * NumPy does: truncated to an integer, which then wraps to the integer type
 * (-1 is 255 in uint8); gl_text_parse checked that it is a finite int64. */
static void store_fill (gl_dtype t, char *dst, double v) {
  int64_t w = (t == GL_FLOAT64 || t == GL_FLOAT32) ? 0 : (int64_t)v;
  switch (t) {
    case GL_FLOAT64: memcpy(dst, &v, 8); break;
    case GL_FLOAT32: { float f = (float)v; memcpy(dst, &f, 4); break; }
    case GL_INT64: memcpy(dst, &w, 8); break;
    case GL_INT32: { int32_t i = (int32_t)(uint32_t)(uint64_t)w; memcpy(dst, &i, 4); break; }
    case GL_BOOL: *(uint8_t *)dst = w != 0; break;
    default: *(uint8_t *)dst = (uint8_t)(uint64_t)w; break;
  }
}

static int is_missing (const gl_text_opts *o, const span *f) {
  if (f->n == 0) return 1;
  for (int k = 0; k < o->nmissing; k++)
    if (strlen(o->missing[k]) == f->n && memcmp(o->missing[k], f->s, f->n) == 0) return 1;
  return 0;
}

/* Converts field f into slot dst of the output. */
static int convert (parser *ps, const span *f, char *dst, int64_t line, int64_t col, gl_ioerr *err) {
  gl_dtype t = ps->o->dtype;
  if (ps->o->fill) {
    if (is_missing(ps->o, f)) { store_fill(t, dst, ps->o->filling); return GL_OK; }
    gl_text_opts o1 = *ps->o;   /* a field that does not parse is missing too (NumPy) */
    parser p1 = *ps;
    o1.fill = 0;
    p1.o = &o1;
    gl_ioerr e1;
    gl_ioerr_clear(&e1);
    if (convert(&p1, f, dst, line, col, &e1) != GL_OK) store_fill(t, dst, ps->o->filling);
    ps->cx = p1.cx;   /* keeps a locale the slow path may have made */
    return GL_OK;
  }
  if (t == GL_FLOAT64 || t == GL_FLOAT32) {
    double v;
    if (parse_double(&ps->cx, f->s, f->n, &v)) return convert_error(ps, f, line, col, err, GL_EFORMAT);
    if (t == GL_FLOAT64) memcpy(dst, &v, 8);
    else { float w = (float)v; memcpy(dst, &w, 4); }
    return GL_OK;
  }
  int64_t v;
  int r = parse_int64(f->s, f->n, &v);
  if (r) return convert_error(ps, f, line, col, err, r == -2 ? GL_ERANGE : GL_EFORMAT);
  switch (t) {
    case GL_INT64: memcpy(dst, &v, 8); break;
    case GL_INT32: {
      if (v < INT32_MIN || v > INT32_MAX) return convert_error(ps, f, line, col, err, GL_ERANGE);
      int32_t w = (int32_t)v;
      memcpy(dst, &w, 4);
      break;
    }
    case GL_UINT8:
      if (v < 0 || v > 255) return convert_error(ps, f, line, col, err, GL_ERANGE);
      *(uint8_t *)dst = (uint8_t)v;
      break;
    case GL_BOOL: *(uint8_t *)dst = v != 0; break;
    default: return gl_ioerr_set(err, GL_EINVAL, "unsupported dtype");
  }
  return GL_OK;
}

int gl_text_parse (const char *buf, size_t len, const gl_text_opts *o, gl_bytes *out,
                   int64_t *nrows, int64_t *ncols, gl_ioerr *err) {
  parser ps = {o, {0}, NULL, 0, 0};
  size_t esz = gl_dtype_size(o->dtype);
  int64_t line = 0, rows = 0, width = -1;   /* width: fields per row, from the first row */
  int rc = GL_OK;
  const char *p = buf, *end = buf + len;
  out->len = 0;
  *nrows = 0;
  *ncols = o->usecols ? o->nusecols : 0;
  if (o->fill && o->dtype != GL_FLOAT64 && o->dtype != GL_FLOAT32 &&
      !(o->filling >= -0x1p63 && o->filling < 0x1p63))   /* NaN too: NumPy refuses these */
    return gl_ioerr_set(err, GL_EINVAL, "filling value %g cannot be converted to %s",
                        o->filling == o->filling ? o->filling : NAN, gl_dtype_name(o->dtype));
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) p += 3;   /* a UTF-8 byte order mark */
  while (p < end) {
    const char *s = p, *e;
    /* the line ends at \n, \r\n or a lone \r */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *cr = memchr(p, '\r', (size_t)((nl ? nl : end) - p));
    if (cr) { e = cr; p = (cr + 1 < end && cr[1] == '\n') ? cr + 2 : cr + 1; }
    else if (nl) { e = nl; p = nl + 1; }
    else { e = end; p = end; }
    line++;
    if ((line & 0xffff) == 0 && gl_interrupted()) { rc = GL_EINTR; break; }
    if (line <= o->skiprows) continue;
    if (o->max_rows >= 0 && rows >= o->max_rows) break;
    e = comment_cut(o, s, e);
    if ((rc = split_line(&ps, s, e))) { gl_ioerr_set(err, rc, "not enough memory"); break; }
    if (ps.nf == 0) continue;
    int64_t nf = (int64_t)ps.nf;
    if (!o->usecols) {
      if (width < 0) width = nf;
      else if (nf != width) {
        err->line = line;
        rc = gl_ioerr_set(err, GL_EFORMAT, "wrong number of columns at line %lld (expected %lld, got %lld)",
                          (long long)line, (long long)width, (long long)nf);
        break;
      }
    }
    int64_t want = o->usecols ? o->nusecols : nf;
    if (gl_bytes_reserve(out, (size_t)want * esz)) { rc = gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); break; }
    char *dst = out->data + out->len;
    for (int64_t k = 0; k < want; k++) {
      int64_t c = k;
      if (o->usecols) {
        c = o->usecols[k];
        if (c < 0) c += nf;
        if (c < 0 || c >= nf) {
          err->line = line;
          rc = gl_ioerr_set(err, GL_EFORMAT, "column %lld out of range at line %lld (it has %lld columns)",
                            (long long)(o->usecols[k] < 0 ? o->usecols[k] : o->usecols[k] + 1),
                            (long long)line, (long long)nf);
          goto done;
        }
      }
      if ((rc = convert(&ps, &ps.f[c], dst + (size_t)k * esz, line, c + 1, err))) goto done;
    }
    out->len += (size_t)want * esz;
    rows++;
  }
done:
  free(ps.f);
  if (ps.cx.c) freelocale(ps.cx.c);
  if (rc) return rc;
  if (gl_bytes_reserve(out, 0)) return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  out->data[out->len] = '\0';
  *nrows = rows;
  *ncols = o->usecols ? o->nusecols : (width < 0 ? 0 : width);
  return GL_OK;
}

/* }====================================================== */

/* {====================================================== formatting */

typedef struct conv {
  char spec[24];    /* a C format for one value: "%-12.5e" or "%lld"-style */
  int is_int;
  size_t lit_off, lit_len;   /* literal text before this conversion, in the fmt */
} conv;

/* Splits a format into conversions; returns how many (<= maxc), -1 if invalid. */
static int parse_fmt (const char *f, conv *cv, int maxc, size_t *tail_off, gl_ioerr *err) {
  int nc = 0;
  size_t lit = 0, i = 0, n = strlen(f);
  while (i < n) {
    if (f[i] != '%') { i++; continue; }
    if (f[i + 1] == '%') { i += 2; continue; }
    size_t st = i++;
    while (i < n && strchr("-+ #0", f[i])) i++;
    int wd = 0, pd = 0;
    while (i < n && f[i] >= '0' && f[i] <= '9') { i++; wd++; }
    if (i < n && f[i] == '.') { i++; while (i < n && f[i] >= '0' && f[i] <= '9') { i++; pd++; } }
    if (i >= n || !strchr("eEfFgGdi", f[i]) || wd > 3 || pd > 3 || i - st > 12) goto bad;
    if (nc == maxc) return gl_ioerr_set(err, GL_EINVAL, "too many conversions in format '%s'", f), -1;
    conv *c = &cv[nc++];
    c->is_int = f[i] == 'd' || f[i] == 'i';
    size_t head = i - st;   /* "%-12.5" */
    memcpy(c->spec, f + st, head);
    if (c->is_int) { memcpy(c->spec + head, "lld", 4); }
    else { c->spec[head] = f[i]; c->spec[head + 1] = '\0'; }
    c->lit_off = lit;
    c->lit_len = st - lit;
    i++;
    lit = i;
  }
  *tail_off = lit;
  return nc;
bad:
  gl_ioerr_set(err, GL_EINVAL, "invalid format '%s' (expected e.g. '%%.18e', '%%10.5f' or '%%d')", f);
  return -1;
}

/* Appends literal text, turning "%%" into "%". */
static int put_lit (gl_bytes *out, const char *s, size_t n) {
  if (gl_bytes_reserve(out, n)) return GL_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    out->data[out->len++] = s[i];
    if (s[i] == '%' && i + 1 < n && s[i + 1] == '%') i++;
  }
  out->data[out->len] = '\0';
  return GL_OK;
}

static int put_value (gl_bytes *out, const conv *c, gl_dtype t, const void *data, int64_t i, gl_ioerr *err) {
  double d = 0;
  int64_t iv = 0;
  int exact_int = 0;
  switch (t) {
    case GL_FLOAT64: d = ((const double *)data)[i]; break;
    case GL_FLOAT32: d = ((const float *)data)[i]; break;
    case GL_INT64: iv = ((const int64_t *)data)[i]; d = (double)iv; exact_int = 1; break;
    case GL_INT32: iv = ((const int32_t *)data)[i]; d = (double)iv; exact_int = 1; break;
    case GL_UINT8: case GL_BOOL: iv = ((const uint8_t *)data)[i]; d = (double)iv; exact_int = 1; break;
    default: return gl_ioerr_set(err, GL_EINVAL, "unsupported dtype");
  }
  if (gl_bytes_reserve(out, 512)) return gl_ioerr_set(err, GL_ENOMEM, "not enough memory");
  int k;
  if (c->is_int) {
    if (!exact_int) {
      if (!isfinite(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18)
        return gl_ioerr_set(err, GL_EINVAL, "cannot format %g with '%s'", d, c->spec);
      iv = (int64_t)d;   /* truncates, like Python's '%d' % 1.7 */
    }
    k = snprintf(out->data + out->len, 512, c->spec, (long long)iv);
  } else {
    k = snprintf(out->data + out->len, 512, c->spec, d);
  }
  if (k < 0 || k >= 512) return gl_ioerr_set(err, GL_EINVAL, "formatted value too long");
  out->len += (size_t)k;
  return GL_OK;
}

int gl_text_format (int64_t nrows, int64_t ncols, gl_dtype t, const void *data,
                    const char *const *fmt, int nfmt, const char *delimiter,
                    const char *newline, gl_bytes *out, gl_ioerr *err) {
  /* Build one conversion per column: cv[j] with the literal text before it,
   * and tails[j] the literal after the last conversion of its format. */
  enum { MAXC = 4096 };
  if (ncols > MAXC) return gl_ioerr_set(err, GL_EINVAL, "too many columns to format (max %d)", MAXC);
  if (nfmt != 1 && nfmt != ncols)
    return gl_ioerr_set(err, GL_EINVAL, "%d formats given for %lld columns", nfmt, (long long)ncols);
  conv *cv = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *cv);
  const char **src = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *src);   /* fmt of column j */
  int *last = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *last);        /* ends its fmt */
  size_t *tail = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *tail);
  int whole_line = 0, rc = GL_OK;
  locale_t cl = (locale_t)0, old = (locale_t)0;
  if (!cv || !src || !last || !tail) { rc = gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); goto done; }
  if (nfmt == 1) {
    conv probe[MAXC > 64 ? 64 : MAXC];
    size_t tl;
    int nc = parse_fmt(fmt[0], probe, 64, &tl, err);
    if (nc < 0) { rc = GL_EINVAL; goto done; }
    if (nc == 1) {
      for (int64_t j = 0; j < ncols; j++) { cv[j] = probe[0]; src[j] = fmt[0]; last[j] = 1; tail[j] = tl; }
    } else if (nc == ncols && nc > 0) {
      whole_line = 1;
      for (int64_t j = 0; j < ncols; j++) { cv[j] = probe[j]; src[j] = fmt[0]; last[j] = j == ncols - 1; tail[j] = tl; }
    } else {
      rc = gl_ioerr_set(err, GL_EINVAL, "format '%s' has %d conversions for %lld columns", fmt[0], nc, (long long)ncols);
      goto done;
    }
  } else {
    for (int64_t j = 0; j < ncols; j++) {
      size_t tl;
      int nc = parse_fmt(fmt[j], &cv[j], 1, &tl, err);
      if (nc < 0) { rc = GL_EINVAL; goto done; }
      if (nc != 1) { rc = gl_ioerr_set(err, GL_EINVAL, "format '%s' must have one conversion", fmt[j]); goto done; }
      src[j] = fmt[j]; last[j] = 1; tail[j] = tl;
    }
  }
  cl = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  if (!cl) { rc = gl_ioerr_set(err, GL_ENOMEM, "not enough memory"); goto done; }
  old = uselocale(cl);
  size_t dl = strlen(delimiter), nl = strlen(newline);
  for (int64_t i = 0; i < nrows && !rc; i++) {
    if ((i & 0xffff) == 0xffff && gl_interrupted()) { rc = GL_EINTR; break; }
    for (int64_t j = 0; j < ncols; j++) {
      if (j > 0 && !whole_line && gl_bytes_append(out, delimiter, dl)) { rc = GL_ENOMEM; break; }
      if (put_lit(out, src[j] + cv[j].lit_off, cv[j].lit_len)) { rc = GL_ENOMEM; break; }
      if ((rc = put_value(out, &cv[j], t, data, i * ncols + j, err))) break;
      if (last[j] && put_lit(out, src[j] + tail[j], strlen(src[j] + tail[j]))) { rc = GL_ENOMEM; break; }
    }
    if (!rc && gl_bytes_append(out, newline, nl)) rc = GL_ENOMEM;
  }
  if (rc == GL_ENOMEM) gl_ioerr_set(err, rc, "not enough memory");
  uselocale(old);
done:
  if (cl) freelocale(cl);
  free(cv); free(src); free(last); free(tail);
  return rc;
}

/* }====================================================== */
