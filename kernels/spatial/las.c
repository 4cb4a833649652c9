/* las.c: LAS 1.0-1.4 reading and writing over a byte buffer (see las.h).
 *
 * Everything in a LAS file is little-endian. The header is read field by
 * field at the offsets of the ASPRS specifications (1.0-1.4 share the first
 * 227 bytes; 1.3 adds the waveform offset, 1.4 the EVLR offsets and 64-bit
 * point counts). Every offset and count read from the file is checked
 * against the buffer before use, so a truncated or lying file gives
 * GL_EFORMAT, never a read outside the buffer. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "las.h"

static uint16_t rd16 (const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32 (const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64 (const unsigned char *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static double rdf64 (const unsigned char *p) { uint64_t u = rd64(p); double d; memcpy(&d, &u, 8); return d; }
static void wr16 (unsigned char *p, uint16_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void wr32 (unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void wr64 (unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void wrf64 (unsigned char *p, double d) { uint64_t u; memcpy(&u, &d, 8); wr64(p, u); }

static void rdstr (char *dst, const unsigned char *p, int n) {
  memcpy(dst, p, (size_t)n);
  dst[n] = 0;
  for (int i = 0; i < n; i++) if (!dst[i]) break; else if ((unsigned char)dst[i] < 32 || (unsigned char)dst[i] > 126) dst[i] = '?';
  for (int i = (int)strlen(dst) - 1; i >= 0 && dst[i] == ' '; i--) dst[i] = 0;   /* trailing blanks */
}

static const int base_len[11] = {20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67};

int gl_las_base_length (int f) { return f >= 0 && f <= 10 ? base_len[f] : 0; }
int gl_las_has_gps (int f) { return f == 1 || (f >= 3 && f <= 10); }
int gl_las_has_rgb (int f) { return f == 2 || f == 3 || f == 5 || f == 7 || f == 8 || f == 10; }
int gl_las_has_nir (int f) { return f == 8 || f == 10; }

int gl_las_parse_header (const unsigned char *b, size_t len, gl_las_header *h, gl_ioerr *e) {
  memset(h, 0, sizeof *h);
  if (len < 4 || memcmp(b, "LASF", 4) != 0) return gl_ioerr_set(e, GL_EFORMAT, "not a LAS file (no LASF signature)");
  if (len < 227) return gl_ioerr_set(e, GL_EFORMAT, "truncated header (%zu bytes, at least 227 expected)", len);
  h->file_source_id = rd16(b + 4);
  h->global_encoding = rd16(b + 6);
  snprintf(h->guid, sizeof h->guid, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           rd32(b + 8), rd16(b + 12), rd16(b + 14), b[16], b[17], b[18], b[19], b[20], b[21], b[22], b[23]);
  h->version_major = b[24]; h->version_minor = b[25];
  if (h->version_major != 1 || h->version_minor > 4)
    return gl_ioerr_set(e, GL_EFORMAT, "unsupported LAS version %d.%d (1.0 to 1.4 are read)", h->version_major, h->version_minor);
  rdstr(h->system_id, b + 26, 32);
  rdstr(h->software, b + 58, 32);
  h->creation_day = rd16(b + 90); h->creation_year = rd16(b + 92);
  h->header_size = rd16(b + 94);
  h->offset_to_points = rd32(b + 96);
  h->n_vlrs = rd32(b + 100);
  int fmt = b[104];
  h->record_length = rd16(b + 105);
  h->n_points = rd32(b + 107);
  for (int i = 0; i < 5; i++) h->points_by_return[i] = rd32(b + 111 + 4 * i);
  for (int i = 0; i < 3; i++) {
    h->scale[i] = rdf64(b + 131 + 8 * i);
    h->offset[i] = rdf64(b + 155 + 8 * i);
    h->max[i] = rdf64(b + 179 + 16 * i);
    h->min[i] = rdf64(b + 187 + 16 * i);
  }
  if (fmt & 0x80) return gl_ioerr_set(e, GL_EFORMAT, "compressed LAZ point data (format %d) is not supported", fmt);
  fmt &= 0x3f;
  h->point_format = fmt;
  if (fmt > 10) return gl_ioerr_set(e, GL_EFORMAT, "unsupported point data format %d (0 to 10 are read)", fmt);
  if (h->header_size < 227 || (size_t)h->header_size > len)
    return gl_ioerr_set(e, GL_EFORMAT, "header size %d is invalid for a file of %zu bytes", h->header_size, len);
  if (h->version_minor >= 3 && h->header_size >= 235) h->start_waveform = rd64(b + 227);
  if (h->version_minor >= 4) {
    if (h->header_size < 375 || len < 375)
      return gl_ioerr_set(e, GL_EFORMAT, "truncated LAS 1.4 header (size %d, 375 expected)", h->header_size);
    h->start_evlr = rd64(b + 235);
    h->n_evlrs = rd32(b + 243);
    uint64_t n64 = rd64(b + 247);
    if (n64 != 0 || h->n_points == 0) h->n_points = n64;
    for (int i = 0; i < 15; i++) h->points_by_return[i] = rd64(b + 255 + 8 * i);
  }
  if (h->version_minor < 4 && fmt > 5)
    return gl_ioerr_set(e, GL_EFORMAT, "point format %d needs LAS 1.4, the file is %d.%d", fmt, h->version_major, h->version_minor);
  if (h->record_length < base_len[fmt])
    return gl_ioerr_set(e, GL_EFORMAT, "point record length %d is shorter than format %d's %d bytes",
                        h->record_length, fmt, base_len[fmt]);
  if (h->offset_to_points < (uint32_t)h->header_size || h->offset_to_points > len)
    return gl_ioerr_set(e, GL_EFORMAT, "offset to point data %u lies outside the file (%zu bytes)", h->offset_to_points, len);
  uint64_t room = (len - h->offset_to_points) / (uint64_t)h->record_length;
  if (h->n_points > room)
    return gl_ioerr_set(e, GL_EFORMAT, "the header announces %llu points but the file holds at most %llu",
                        (unsigned long long)h->n_points, (unsigned long long)room);
  for (int i = 0; i < 3; i++)
    if (!isfinite(h->scale[i]) || h->scale[i] == 0 || !isfinite(h->offset[i]))
      return gl_ioerr_set(e, GL_EFORMAT, "invalid %c scale factor or offset", "xyz"[i]);
  return GL_OK;
}

int gl_las_vlr_at (const unsigned char *b, size_t len, uint64_t off, int evlr, gl_las_vlr *v, gl_ioerr *e) {
  uint64_t hl = evlr ? 60 : 54;
  if (off > len || len - off < hl)
    return gl_ioerr_set(e, GL_EFORMAT, "%s header at byte %llu lies outside the file", evlr ? "EVLR" : "VLR", (unsigned long long)off);
  const unsigned char *p = b + off;
  rdstr(v->user_id, p + 2, 16);
  v->record_id = rd16(p + 18);
  v->data_length = evlr ? rd64(p + 20) : rd16(p + 20);
  rdstr(v->description, p + (evlr ? 28 : 22), 32);
  v->data_offset = off + hl;
  if (v->data_length > len - v->data_offset)
    return gl_ioerr_set(e, GL_EFORMAT, "%s '%s'/%d of %llu bytes runs past the end of the file", evlr ? "EVLR" : "VLR",
                        v->user_id, v->record_id, (unsigned long long)v->data_length);
  return GL_OK;
}

int gl_las_read_points (const unsigned char *b, size_t len, const gl_las_header *h,
                        int64_t first, int64_t n, const gl_las_points *p, gl_ioerr *e) {
  int f = h->point_format, rl = h->record_length;
  if (first < 0 || n < 0 || (uint64_t)(first + n) > h->n_points)
    return gl_ioerr_set(e, GL_ERANGE, "points %lld..%lld out of range", (long long)first + 1, (long long)(first + n));
  if ((uint64_t)h->offset_to_points + (uint64_t)(first + n) * (uint64_t)rl > len)
    return gl_ioerr_set(e, GL_EFORMAT, "point data runs past the end of the file");
  int ext = f >= 6;
  int gps_off = ext ? 22 : 20;
  int rgb_off = f == 2 ? 20 : f == 3 || f == 5 ? 28 : 30;
  for (int64_t i = 0; i < n; i++) {
    const unsigned char *r = b + h->offset_to_points + (uint64_t)(first + i) * (uint64_t)rl;
    int32_t X = (int32_t)rd32(r), Y = (int32_t)rd32(r + 4), Z = (int32_t)rd32(r + 8);
    if (p->X) { p->X[i] = X; p->Y[i] = Y; p->Z[i] = Z; }
    if (p->x) p->x[i] = X * h->scale[0] + h->offset[0];
    if (p->y) p->y[i] = Y * h->scale[1] + h->offset[1];
    if (p->z) p->z[i] = Z * h->scale[2] + h->offset[2];
    if (p->intensity) p->intensity[i] = rd16(r + 12);
    int b14 = r[14], b15 = r[15];
    if (!ext) {
      if (p->return_number) p->return_number[i] = (uint8_t)(b14 & 7);
      if (p->number_of_returns) p->number_of_returns[i] = (uint8_t)(b14 >> 3 & 7);
      if (p->scan_direction) p->scan_direction[i] = (uint8_t)(b14 >> 6 & 1);
      if (p->edge_of_flight_line) p->edge_of_flight_line[i] = (uint8_t)(b14 >> 7 & 1);
      if (p->classification) p->classification[i] = (uint8_t)(b15 & 31);
      if (p->synthetic) p->synthetic[i] = (uint8_t)(b15 >> 5 & 1);
      if (p->key_point) p->key_point[i] = (uint8_t)(b15 >> 6 & 1);
      if (p->withheld) p->withheld[i] = (uint8_t)(b15 >> 7 & 1);
      if (p->overlap) p->overlap[i] = 0;
      if (p->scanner_channel) p->scanner_channel[i] = 0;
      if (p->scan_angle) p->scan_angle[i] = (int8_t)r[16];
      if (p->user_data) p->user_data[i] = r[17];
      if (p->point_source_id) p->point_source_id[i] = rd16(r + 18);
    } else {
      if (p->return_number) p->return_number[i] = (uint8_t)(b14 & 15);
      if (p->number_of_returns) p->number_of_returns[i] = (uint8_t)(b14 >> 4);
      if (p->synthetic) p->synthetic[i] = (uint8_t)(b15 & 1);
      if (p->key_point) p->key_point[i] = (uint8_t)(b15 >> 1 & 1);
      if (p->withheld) p->withheld[i] = (uint8_t)(b15 >> 2 & 1);
      if (p->overlap) p->overlap[i] = (uint8_t)(b15 >> 3 & 1);
      if (p->scanner_channel) p->scanner_channel[i] = (uint8_t)(b15 >> 4 & 3);
      if (p->scan_direction) p->scan_direction[i] = (uint8_t)(b15 >> 6 & 1);
      if (p->edge_of_flight_line) p->edge_of_flight_line[i] = (uint8_t)(b15 >> 7 & 1);
      if (p->classification) p->classification[i] = r[16];
      if (p->user_data) p->user_data[i] = r[17];
      if (p->scan_angle) p->scan_angle[i] = (int16_t)rd16(r + 18) * 0.006;
      if (p->point_source_id) p->point_source_id[i] = rd16(r + 20);
    }
    if (p->gps_time) p->gps_time[i] = gl_las_has_gps(f) ? rdf64(r + gps_off) : 0;
    if (gl_las_has_rgb(f)) {
      if (p->red) p->red[i] = rd16(r + rgb_off);
      if (p->green) p->green[i] = rd16(r + rgb_off + 2);
      if (p->blue) p->blue[i] = rd16(r + rgb_off + 4);
    } else {
      if (p->red) p->red[i] = 0;
      if (p->green) p->green[i] = 0;
      if (p->blue) p->blue[i] = 0;
    }
    if (p->nir) p->nir[i] = gl_las_has_nir(f) ? rd16(r + 36) : 0;
  }
  return GL_OK;
}

static int scaled (double v, double scale, double off, int32_t *out) {
  double s = round((v - off) / scale);
  if (!(s >= -2147483648.0 && s <= 2147483647.0)) return GL_ERANGE;
  *out = (int32_t)s;
  return GL_OK;
}

int gl_las_write (gl_las_header *h, int64_t n, const gl_las_points *p, gl_bytes *out, gl_ioerr *e) {
  int f = h->point_format, minor = h->version_minor;
  if (f < 0 || f > 10) return gl_ioerr_set(e, GL_EINVAL, "unsupported point format %d", f);
  if (minor < 4 && f > 5) return gl_ioerr_set(e, GL_EINVAL, "point format %d needs LAS 1.4", f);
  if (minor < 0 || minor > 4) return gl_ioerr_set(e, GL_EINVAL, "unsupported LAS version 1.%d", minor);
  if (f == 4 || f == 5 || f == 9 || f == 10)
    return gl_ioerr_set(e, GL_EINVAL, "writing waveform point formats (4, 5, 9, 10) is not supported");
  if (minor < 4 && n > 0xffffffffLL) return gl_ioerr_set(e, GL_EINVAL, "more than 2^32-1 points need LAS 1.4");
  int hs = minor >= 4 ? 375 : minor == 3 ? 235 : 227, rl = base_len[f], ext = f >= 6;
  h->header_size = hs; h->record_length = rl; h->offset_to_points = (uint32_t)hs;
  h->n_points = (uint64_t)n; h->n_vlrs = 0; h->n_evlrs = 0;
  memset(h->points_by_return, 0, sizeof h->points_by_return);
  for (int k = 0; k < 3; k++) { h->min[k] = INFINITY; h->max[k] = -INFINITY; }
  size_t total = (size_t)hs + (size_t)n * (size_t)rl;
  out->len = 0;
  if (gl_bytes_reserve(out, total)) return gl_ioerr_set(e, GL_ENOMEM, "not enough memory");
  unsigned char *b = (unsigned char *)out->data;
  memset(b, 0, total);
  const double *xyz[3] = {p->x, p->y, p->z};
  for (int64_t i = 0; i < n; i++) {
    unsigned char *r = b + hs + (size_t)i * (size_t)rl;
    for (int k = 0; k < 3; k++) {
      int32_t v;
      if (!isfinite(xyz[k][i]) || scaled(xyz[k][i], h->scale[k], h->offset[k], &v))
        return gl_ioerr_set(e, GL_ERANGE, "point %lld: %c = %g cannot be stored with scale %g and offset %g",
                            (long long)i + 1, "xyz"[k], xyz[k][i], h->scale[k], h->offset[k]);
      wr32(r + 4 * k, (uint32_t)v);
      double back = v * h->scale[k] + h->offset[k];
      if (back < h->min[k]) h->min[k] = back;
      if (back > h->max[k]) h->max[k] = back;
    }
    if (p->intensity) wr16(r + 12, p->intensity[i]);
    int rn = p->return_number ? p->return_number[i] : 1, nr = p->number_of_returns ? p->number_of_returns[i] : 1;
    int cls = p->classification ? p->classification[i] : 0;
    if (!ext) {
      if (rn > 7 || nr > 7 || cls > 31)
        return gl_ioerr_set(e, GL_ERANGE, "point %lld: return number/count above 7 or class above 31 need point format 6 or more", (long long)i + 1);
      r[14] = (unsigned char)(rn | nr << 3 | (p->scan_direction ? p->scan_direction[i] & 1 : 0) << 6 |
                              (p->edge_of_flight_line ? p->edge_of_flight_line[i] & 1 : 0) << 7);
      r[15] = (unsigned char)(cls | (p->synthetic ? p->synthetic[i] & 1 : 0) << 5 |
                              (p->key_point ? p->key_point[i] & 1 : 0) << 6 | (p->withheld ? p->withheld[i] & 1 : 0) << 7);
      double a = p->scan_angle ? round(p->scan_angle[i]) : 0;
      r[16] = (unsigned char)(int8_t)(a < -128 ? -128 : a > 127 ? 127 : a);
      if (p->user_data) r[17] = p->user_data[i];
      if (p->point_source_id) wr16(r + 18, p->point_source_id[i]);
    } else {
      if (rn > 15 || nr > 15) return gl_ioerr_set(e, GL_ERANGE, "point %lld: return number/count above 15", (long long)i + 1);
      r[14] = (unsigned char)(rn | nr << 4);
      r[15] = (unsigned char)((p->synthetic ? p->synthetic[i] & 1 : 0) | (p->key_point ? p->key_point[i] & 1 : 0) << 1 |
                              (p->withheld ? p->withheld[i] & 1 : 0) << 2 | (p->overlap ? p->overlap[i] & 1 : 0) << 3 |
                              (p->scanner_channel ? p->scanner_channel[i] & 3 : 0) << 4 |
                              (p->scan_direction ? p->scan_direction[i] & 1 : 0) << 6 |
                              (p->edge_of_flight_line ? p->edge_of_flight_line[i] & 1 : 0) << 7);
      r[16] = (unsigned char)cls;
      if (p->user_data) r[17] = p->user_data[i];
      double a = p->scan_angle ? round(p->scan_angle[i] / 0.006) : 0;
      wr16(r + 18, (uint16_t)(int16_t)(a < -30000 ? -30000 : a > 30000 ? 30000 : a));
      if (p->point_source_id) wr16(r + 20, p->point_source_id[i]);
    }
    if (gl_las_has_gps(f) && p->gps_time) wrf64(r + (ext ? 22 : 20), p->gps_time[i]);
    if (gl_las_has_rgb(f)) {
      int o = f == 2 ? 20 : f == 3 ? 28 : 30;
      if (p->red) wr16(r + o, p->red[i]);
      if (p->green) wr16(r + o + 2, p->green[i]);
      if (p->blue) wr16(r + o + 4, p->blue[i]);
    }
    if (gl_las_has_nir(f) && p->nir) wr16(r + 36, p->nir[i]);
    if (rn >= 1 && rn <= 15) h->points_by_return[rn - 1]++;
  }
  if (n == 0) for (int k = 0; k < 3; k++) h->min[k] = h->max[k] = 0;
  memcpy(b, "LASF", 4);
  wr16(b + 4, (uint16_t)h->file_source_id);
  wr16(b + 6, (uint16_t)(h->global_encoding | (minor >= 4 && ext ? 16 : 0)));   /* bit 4: WKT CRS, required for 6-10 */
  b[24] = 1; b[25] = (unsigned char)minor;
  const char *sw = h->software[0] ? h->software : "geolab";
  size_t ls = strlen(h->system_id), lw = strlen(sw);
  memcpy(b + 26, h->system_id, ls < 32 ? ls : 32);   /* NUL-padded: the buffer is zeroed */
  memcpy(b + 58, sw, lw < 32 ? lw : 32);
  wr16(b + 90, (uint16_t)h->creation_day); wr16(b + 92, (uint16_t)h->creation_year);
  wr16(b + 94, (uint16_t)hs);
  wr32(b + 96, (uint32_t)hs);
  wr32(b + 100, 0);
  b[104] = (unsigned char)f;
  wr16(b + 105, (uint16_t)rl);
  int legacy_ok = f <= 5 && n <= 0xffffffffLL;
  wr32(b + 107, legacy_ok ? (uint32_t)n : 0);
  for (int i = 0; i < 5; i++) wr32(b + 111 + 4 * i, legacy_ok ? (uint32_t)h->points_by_return[i] : 0);
  for (int k = 0; k < 3; k++) {
    wrf64(b + 131 + 8 * k, h->scale[k]);
    wrf64(b + 155 + 8 * k, h->offset[k]);
    wrf64(b + 179 + 16 * k, h->max[k]);
    wrf64(b + 187 + 16 * k, h->min[k]);
  }
  if (minor >= 4) {
    wr64(b + 247, (uint64_t)n);
    for (int i = 0; i < 15; i++) wr64(b + 255 + 8 * i, h->points_by_return[i]);
  }
  out->len = total;
  out->data[total] = 0;
  return GL_OK;
}
