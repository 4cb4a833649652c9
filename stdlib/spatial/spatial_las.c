/* spatial_las.c: LAS reading and writing (kernels/spatial/las.c) for geolab.spatial_core.
 * core.las_read(path) -> header, vlrs, evlrs, columns (tables of arrays)
 * core.las_write(path, columns, header) -> true */
#include <stdlib.h>
#include <string.h>
#include "spatial_internal.h"
#include "las.h"

#define BOX_MT "geolab.LasBytes"

/* The file's bytes live in a GC-owned box, so an error anywhere frees them. */
static int box_gc (lua_State *L) {
  gl_bytes *b = luaL_checkudata(L, 1, BOX_MT);
  gl_bytes_free(b);
  return 0;
}

static gl_bytes *newbox (lua_State *L) {
  gl_bytes *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  if (luaL_newmetatable(L, BOX_MT)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return b;
}

static void set_num (lua_State *L, const char *k, double v) { lua_pushnumber(L, v); lua_setfield(L, -2, k); }
static void set_int (lua_State *L, const char *k, lua_Integer v) { lua_pushinteger(L, v); lua_setfield(L, -2, k); }
static void set_str (lua_State *L, const char *k, const char *v) { lua_pushstring(L, v); lua_setfield(L, -2, k); }
static void set_vec3 (lua_State *L, const char *k, const double *v) {
  lua_createtable(L, 3, 0);
  for (int i = 0; i < 3; i++) { lua_pushnumber(L, v[i]); lua_rawseti(L, -2, i + 1); }
  lua_setfield(L, -2, k);
}

static void push_vlr (lua_State *L, const unsigned char *buf, const gl_las_vlr *v) {
  lua_createtable(L, 0, 5);
  set_str(L, "user_id", v->user_id);
  set_int(L, "record_id", v->record_id);
  set_str(L, "description", v->description);
  set_int(L, "length", (lua_Integer)v->data_length);
  lua_pushlstring(L, (const char *)buf + v->data_offset, (size_t)v->data_length);
  lua_setfield(L, -2, "data");
}

static void *col (lua_State *L, const char *name, gl_dtype t, int64_t n) {
  gl_array *a = gl_array_push1(L, t, n);
  lua_setfield(L, -2, name);
  return a->data;
}

static int las_read (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *fn = "spatial.read_las";
  gl_bytes *b = newbox(L);                                  /* stack 2 */
  gl_ioerr err; gl_ioerr_clear(&err);
  int rc = gl_file_read(path, (size_t)1 << 40, b, &err);
  if (rc == GL_EINTR) return gl_kernel_error(L, fn, rc);
  if (rc) return gl_error(L, fn, "%s: %s", path, err.msg);
  const unsigned char *buf = (const unsigned char *)b->data;
  gl_las_header h;
  if (gl_las_parse_header(buf, b->len, &h, &err)) return gl_error(L, fn, "%s: %s", path, err.msg);
  /* header */
  lua_createtable(L, 0, 32);                                /* 3 */
  lua_pushfstring(L, "%d.%d", h.version_major, h.version_minor); lua_setfield(L, -2, "version");
  set_int(L, "version_major", h.version_major); set_int(L, "version_minor", h.version_minor);
  set_int(L, "point_format", h.point_format); set_int(L, "point_record_length", h.record_length);
  set_int(L, "point_count", (lua_Integer)h.n_points);
  set_int(L, "file_source_id", h.file_source_id); set_int(L, "global_encoding", h.global_encoding);
  set_str(L, "guid", h.guid);
  set_str(L, "system_identifier", h.system_id); set_str(L, "generating_software", h.software);
  set_int(L, "creation_day", h.creation_day); set_int(L, "creation_year", h.creation_year);
  set_int(L, "header_size", h.header_size); set_int(L, "offset_to_point_data", h.offset_to_points);
  set_int(L, "number_of_vlrs", h.n_vlrs); set_int(L, "number_of_evlrs", h.n_evlrs);
  set_num(L, "start_of_waveform_data", (double)h.start_waveform);
  set_num(L, "start_of_first_evlr", (double)h.start_evlr);
  set_vec3(L, "scale", h.scale); set_vec3(L, "offset", h.offset);
  set_vec3(L, "mins", h.min); set_vec3(L, "maxs", h.max);
  int nret = h.version_minor >= 4 ? 15 : 5;
  lua_createtable(L, nret, 0);
  for (int i = 0; i < nret; i++) { lua_pushinteger(L, (lua_Integer)h.points_by_return[i]); lua_rawseti(L, -2, i + 1); }
  lua_setfield(L, -2, "number_of_points_by_return");
  set_int(L, "extra_bytes", h.record_length - gl_las_base_length(h.point_format));
  /* VLRs: they sit between the header and the points */
  lua_createtable(L, (int)(h.n_vlrs < 64 ? h.n_vlrs : 64), 0);   /* 4 */
  uint64_t off = h.header_size;
  for (uint32_t i = 0; i < h.n_vlrs; i++) {
    gl_las_vlr v;
    if (gl_las_vlr_at(buf, b->len, off, 0, &v, &err)) return gl_error(L, fn, "%s: %s", path, err.msg);
    if (v.data_offset + v.data_length > h.offset_to_points)
      return gl_error(L, fn, "%s: VLR %u ('%s'/%d) overlaps the point data", path, i + 1, v.user_id, v.record_id);
    push_vlr(L, buf, &v);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
    off = v.data_offset + v.data_length;
  }
  lua_createtable(L, 0, 0);                                 /* 5: EVLRs */
  if (h.n_evlrs > 0) {
    uint64_t pend = h.offset_to_points + h.n_points * (uint64_t)h.record_length;
    if (h.start_evlr < pend || h.start_evlr > b->len)
      return gl_error(L, fn, "%s: first EVLR offset %llu lies outside the file or inside the points", path,
                      (unsigned long long)h.start_evlr);
    off = h.start_evlr;
    for (uint32_t i = 0; i < h.n_evlrs; i++) {
      gl_las_vlr v;
      if (gl_las_vlr_at(buf, b->len, off, 1, &v, &err)) return gl_error(L, fn, "%s: %s", path, err.msg);
      push_vlr(L, buf, &v);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
      off = v.data_offset + v.data_length;
    }
  }
  /* points */
  int64_t n = (int64_t)h.n_points;
  int f = h.point_format;
  lua_createtable(L, 0, 24);                                /* 6: columns */
  gl_las_points p; memset(&p, 0, sizeof p);
  p.x = col(L, "x", GL_FLOAT64, n); p.y = col(L, "y", GL_FLOAT64, n); p.z = col(L, "z", GL_FLOAT64, n);
  p.X = col(L, "X", GL_INT32, n); p.Y = col(L, "Y", GL_INT32, n); p.Z = col(L, "Z", GL_INT32, n);
  p.return_number = col(L, "return_number", GL_UINT8, n);
  p.number_of_returns = col(L, "number_of_returns", GL_UINT8, n);
  p.classification = col(L, "classification", GL_UINT8, n);
  p.user_data = col(L, "user_data", GL_UINT8, n);
  p.synthetic = col(L, "synthetic", GL_UINT8, n);
  p.key_point = col(L, "key_point", GL_UINT8, n);
  p.withheld = col(L, "withheld", GL_UINT8, n);
  p.scan_direction = col(L, "scan_direction_flag", GL_UINT8, n);
  p.edge_of_flight_line = col(L, "edge_of_flight_line", GL_UINT8, n);
  if (f >= 6) {
    p.overlap = col(L, "overlap", GL_UINT8, n);
    p.scanner_channel = col(L, "scanner_channel", GL_UINT8, n);
  }
  p.scan_angle = col(L, "scan_angle", GL_FLOAT64, n);
  if (gl_las_has_gps(f)) p.gps_time = col(L, "gps_time", GL_FLOAT64, n);
  /* 16-bit unsigned fields go to int32 arrays: decode to a scratch first */
  /* Lua-owned, below the results, so that pushing the columns may raise */
  uint16_t *u16 = (uint16_t *)gl_scratch(L, (size_t)(n ? n : 1) * 7 * sizeof *u16);
  lua_insert(L, 2);
  p.intensity = u16; p.point_source_id = u16 + n;
  if (gl_las_has_rgb(f)) { p.red = u16 + 2 * n; p.green = u16 + 3 * n; p.blue = u16 + 4 * n; }
  if (gl_las_has_nir(f)) p.nir = u16 + 5 * n;
  rc = gl_las_read_points(buf, b->len, &h, 0, n, &p, &err);
  if (rc) return gl_error(L, fn, "%s: %s", path, err.msg);
  const char *names[6] = {"intensity", "point_source_id", "red", "green", "blue", "nir"};
  uint16_t *srcs[6] = {p.intensity, p.point_source_id, p.red, p.green, p.blue, p.nir};
  for (int k = 0; k < 6; k++) {
    if (!srcs[k]) continue;
    gl_array *a = gl_array_push1(L, GL_INT32, n);
    int32_t *d = (int32_t *)a->data;
    for (int64_t i = 0; i < n; i++) d[i] = srcs[k][i];
    lua_setfield(L, -2, names[k]);
  }
  int extra = h.record_length - gl_las_base_length(f);
  if (extra > 0) {
    int64_t shp[2] = {n, extra};
    gl_array *a = gl_array_push(L, GL_UINT8, 2, shp);
    int base = gl_las_base_length(f);
    for (int64_t i = 0; i < n; i++)
      memcpy(a->data + i * extra, buf + h.offset_to_points + (uint64_t)i * h.record_length + base, (size_t)extra);
    lua_setfield(L, -2, "extra_bytes");
  }
  gl_bytes_free(b);
  return 4;   /* header, vlrs, evlrs, columns */
}

/* A float64 copy of the column `name` of the table at idx into the next n
 * doubles of *space (Lua-owned scratch), or NULL when absent. */
static double *getcol (lua_State *L, int idx, const char *name, int64_t n, double **space) {
  lua_getfield(L, idx, name);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); return NULL; }
  gl_array *a = gl_array_arg_contig(L, lua_gettop(L), GL_FLOAT64, "spatial.write_las");
  if (a->size != n)
    gl_error(L, "spatial.write_las", "column '%s' has %lld values, x has %lld", name, (long long)a->size, (long long)n);
  double *c = *space;
  memcpy(c, a->data, (size_t)n * sizeof *c);
  *space += n;
  lua_pop(L, 1);
  return c;
}

/* core.las_write(path, columns, header{version_minor, point_format, scale{3}, offset{3}, ...}) */
static int las_write (lua_State *L) {
  const char *fn = "spatial.write_las";
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  gl_las_header h; memset(&h, 0, sizeof h);
  h.version_major = 1;
  h.version_minor = (int)gl_opt_integer(L, 3, "version_minor", 2, fn);
  h.point_format = (int)gl_opt_integer(L, 3, "point_format", 0, fn);
  h.file_source_id = (int)gl_opt_integer(L, 3, "file_source_id", 0, fn);
  h.creation_day = (int)gl_opt_integer(L, 3, "creation_day", 1, fn);
  h.creation_year = (int)gl_opt_integer(L, 3, "creation_year", 2026, fn);
  strncpy(h.system_id, gl_opt_string(L, 3, "system_identifier", "geolab", fn), 32);
  strncpy(h.software, gl_opt_string(L, 3, "generating_software", "geolab", fn), 32);
  for (int k = 0; k < 3; k++) {
    lua_getfield(L, 3, "scale"); lua_rawgeti(L, -1, k + 1);
    h.scale[k] = luaL_optnumber(L, -1, 0.001); lua_pop(L, 2);
    lua_getfield(L, 3, "offset"); lua_rawgeti(L, -1, k + 1);
    h.offset[k] = luaL_optnumber(L, -1, 0); lua_pop(L, 2);
    if (!(h.scale[k] > 0)) gl_error(L, fn, "scale factors must be > 0");
  }
  lua_getfield(L, 2, "x");
  if (lua_isnil(L, -1)) gl_error(L, fn, "the points need an 'x' column");
  gl_array *xa = gl_array_arg(L, lua_gettop(L), GL_FLOAT64, fn);
  int64_t n = xa->size;
  lua_pop(L, 1);
  /* every column is checked before anything is written */
  int npresent = 0;
  static const struct { const char *name; double lo, hi; } spec[] = {
    {"x", -1e308, 1e308}, {"y", -1e308, 1e308}, {"z", -1e308, 1e308},
    {"intensity", 0, 65535}, {"return_number", 0, 15}, {"number_of_returns", 0, 15},
    {"classification", 0, 255}, {"user_data", 0, 255}, {"point_source_id", 0, 65535},
    {"scan_angle", -180, 180}, {"gps_time", -1e308, 1e308}, {"red", 0, 65535}, {"green", 0, 65535},
    {"blue", 0, 65535}, {"nir", 0, 65535}, {"synthetic", 0, 1}, {"key_point", 0, 1}, {"withheld", 0, 1},
    {"overlap", 0, 1}, {"scanner_channel", 0, 3}, {"scan_direction_flag", 0, 1}, {"edge_of_flight_line", 0, 1}};
  int ncol = (int)(sizeof spec / sizeof spec[0]);
  for (int k = 0; k < ncol; k++) {     /* validation pass, no allocation */
    lua_getfield(L, 2, spec[k].name);
    if (!lua_isnil(L, -1)) {
      npresent++;
      gl_array *a = gl_array_arg_contig(L, lua_gettop(L), GL_FLOAT64, fn);
      if (a->size != n) gl_error(L, fn, "column '%s' has %lld values, x has %lld", spec[k].name, (long long)a->size, (long long)n);
      const double *d = (const double *)a->data;
      for (int64_t i = 0; i < n; i++)
        if (!(d[i] >= spec[k].lo && d[i] <= spec[k].hi))
          gl_error(L, fn, "column '%s': value %g at position %lld is outside [%g, %g]",
                   spec[k].name, d[i], (long long)i + 1, spec[k].lo, spec[k].hi);
    }
    lua_pop(L, 1);
  }
  if (h.version_minor < 0 || h.version_minor > 4) gl_error(L, fn, "version must be 1.0 to 1.4");
  if (h.point_format < 0 || h.point_format > 10) gl_error(L, fn, "unsupported point format %d", h.point_format);
  /* scratch owned by Lua (columns, typed copies) and a box for the kernel's
   * output, so that no error can leak them */
  size_t nn = (size_t)(n ? n : 1);
  double *space = (double *)gl_scratch(L, (size_t)(npresent ? npresent : 1) * nn * sizeof(double));
  double *c[24];
  for (int k = 0; k < ncol; k++) c[k] = getcol(L, 2, spec[k].name, n, &space);
  uint16_t *u16 = (uint16_t *)gl_scratch(L, nn * 6 * sizeof *u16);
  uint8_t *u8 = (uint8_t *)gl_scratch(L, nn * 11);
  void **box = gl_box(L);
  gl_bytes out = {0, 0, 0};
  gl_ioerr err; gl_ioerr_clear(&err);
  int rc = GL_OK;
  if (!rc) {
    gl_las_points p; memset(&p, 0, sizeof p);
    p.x = c[0]; p.y = c[1]; p.z = c[2];
    if (!p.y || !p.z) { rc = GL_EINVAL; snprintf(err.msg, sizeof err.msg, "the points need 'x', 'y' and 'z' columns"); }
    uint16_t **u16p[6] = {&p.intensity, &p.point_source_id, &p.red, &p.green, &p.blue, &p.nir};
    int u16k[6] = {3, 8, 11, 12, 13, 14};
    for (int j = 0; j < 6; j++) if (c[u16k[j]]) {
      *u16p[j] = u16 + j * nn;
      for (int64_t i = 0; i < n; i++) (*u16p[j])[i] = (uint16_t)c[u16k[j]][i];
    }
    uint8_t **u8p[11] = {&p.return_number, &p.number_of_returns, &p.classification, &p.user_data, &p.synthetic,
                         &p.key_point, &p.withheld, &p.overlap, &p.scanner_channel, &p.scan_direction, &p.edge_of_flight_line};
    int u8k[11] = {4, 5, 6, 7, 15, 16, 17, 18, 19, 20, 21};
    for (int j = 0; j < 11; j++) if (c[u8k[j]]) {
      *u8p[j] = u8 + j * nn;
      for (int64_t i = 0; i < n; i++) (*u8p[j])[i] = (uint8_t)c[u8k[j]][i];
    }
    p.scan_angle = c[9]; p.gps_time = c[10];
    if (!rc) rc = gl_las_write(&h, n, &p, &out, &err);
    *box = out.data;
    if (!rc) rc = gl_file_write(path, out.data, out.len, gl_path_endswith(path, ".gz"), &err);
  }
  gl_box_free(box);
  if (rc == GL_ENOMEM && !err.msg[0]) return gl_error(L, fn, "not enough memory");
  if (rc == GL_EINTR) return gl_kernel_error(L, fn, rc);
  if (rc) return gl_error(L, fn, "%s: %s", path, err.msg);
  lua_pushboolean(L, 1);
  return 1;
}

void gl_spatial_open_las (lua_State *L) {
  lua_pushcfunction(L, las_read);
  lua_setfield(L, -2, "las_read");
  lua_pushcfunction(L, las_write);
  lua_setfield(L, -2, "las_write");
}
