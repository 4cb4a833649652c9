/* seis_core.c: luaopen_geolab_seis_core, the C half of the seis module
 * (stdlib/seis/seis.lua is the front): SAC binary here through
 * kernels/seis/sac.c, miniSEED 2 through libmseed in seis_mseed.c. Each
 * reader returns a list of segments {network, station, location, channel,
 * starttime_ns, sampling_rate, data, ...} that the front turns into Traces;
 * failures return nil and a message, and so do the writers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gl_array.h"
#include "gzfile.h"
#include "afile.h"
#include "sac.h"
#include "phasenet_norm.h"
#include "seis_internal.h"

static void set_str (lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static int read_sac (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  /* the bytes live in a userdata left on the stack: freed by its __gc
   * whatever happens below */
  gl_bytes *raw = gl_seis_bytes_box(L);
  gl_ioerr ie;
  gl_ioerr_clear(&ie);
  int rc = gl_file_read(path, (size_t)1 << 31, raw, &ie);   /* gzip inflated */
  if (rc == GL_EINTR) return luaL_error(L, "interrupted!");
  if (rc != GL_OK) { lua_pushnil(L); lua_pushstring(L, ie.msg); return 2; }
  const unsigned char *buf = (const unsigned char *)raw->data;
  size_t len = raw->len;
  gl_sac s;
  const char *err = gl_sac_parse(buf, len, &s);
  if (err) { lua_pushnil(L); lua_pushstring(L, err); return 2; }
  /* the reference time: all six fields undefined (-12345) means 1970-01-01,
   * else each in its calendar range; start and end must be pd.Timestamps
   * (int64 nanoseconds: 1677-09-21 .. 2262-04-11) */
  const int32_t *z = &s.i[GL_SAC_NZYEAR];
  int undef = 1;
  for (int j = 0; j < 6; j++) if (z[j] != -12345) undef = 0;
  double ref_s = 0;
  if (!undef) {
    if (z[0] < 1678 || z[0] > 2262 || z[1] < 1 || z[1] > 366 || z[2] < 0 || z[2] > 23 || z[3] < 0 || z[3] > 59
        || z[4] < 0 || z[4] > 60 || z[5] < 0 || z[5] > 999) {
      lua_pushnil(L);
      lua_pushfstring(L, "reference time out of range (nzyear %d, nzjday %d, %d:%d:%d.%d)",
                      (int)z[0], (int)z[1], (int)z[2], (int)z[3], (int)z[4], (int)z[5]);
      return 2;
    }
    ref_s = (double)gl_days_from_civil_yday(z[0], z[1]) * 86400 + z[2] * 3600 + z[3] * 60 + z[4];
  }
  double b = s.f[GL_SAC_B], delta = s.f[GL_SAC_DELTA];
  double end_s = ref_s + z[5] * 1e-3 * !undef + b + (double)(s.i[GL_SAC_NPTS] > 0 ? s.i[GL_SAC_NPTS] - 1 : 0) * delta;
  if (!(fabs(b) < 9e9) || !(fabs(ref_s + b) < 9.2e9) || !(fabs(end_s) < 9.2e9) || !(1.0 / delta < 1e15)) {
    lua_pushnil(L);
    lua_pushstring(L, "times out of range (b, delta or npts put the trace outside 1677-2262, the range of pd.Timestamp)");
    return 2;
  }
  /* b is float32 seconds: kept to the microsecond, as ObsPy's UTCDateTime */
  double b_us = b * 1e6;
  int64_t start_ns = (int64_t)ref_s * 1000000000LL + (undef ? 0 : (int64_t)z[5] * 1000000LL)
                   + (int64_t)(b_us < 0 ? b_us - 0.5 : b_us + 0.5) * 1000LL;
  lua_createtable(L, 1, 0);
  lua_createtable(L, 0, 10);
  set_str(L, "network", s.k[GL_SAC_KNETWK]); set_str(L, "station", s.k[GL_SAC_KSTNM]);
  set_str(L, "location", s.k[GL_SAC_KHOLE]); set_str(L, "channel", s.k[GL_SAC_KCMPNM]);
  lua_pushinteger(L, start_ns);
  lua_setfield(L, -2, "starttime_ns");
  lua_pushnumber(L, 1.0 / s.f[GL_SAC_DELTA]);
  lua_setfield(L, -2, "sampling_rate");
  lua_pushnumber(L, s.f[GL_SAC_DELTA]);
  lua_setfield(L, -2, "delta");
  gl_array *a = gl_array_push1(L, GL_FLOAT32, s.i[GL_SAC_NPTS]);
  gl_sac_samples(&s, (float *)a->data);
  lua_setfield(L, -2, "data");
  /* the header as SAC names it, for tr.stats.sac */
  static const char *fnames[] = {"delta", "depmin", "depmax", "scale", "odelta", "b", "e", "o", "a"};
  lua_createtable(L, 0, 24);
  for (int j = 0; j < 9; j++)   /* SAC writes -12345 for "undefined" */
    if (j == 0 || j == 5 || s.f[j] != -12345.0f) { lua_pushnumber(L, s.f[j]); lua_setfield(L, -2, fnames[j]); }
  static const struct { const char *n; int j; } fx[] = {
    {"stla", 31}, {"stlo", 32}, {"stel", 33}, {"stdp", 34}, {"evla", 35}, {"evlo", 36},
    {"evel", 37}, {"evdp", 38}, {"mag", 39}, {"dist", 50}, {"az", 51}, {"baz", 52},
    {"gcarc", 53}, {"cmpaz", 57}, {"cmpinc", 58}, {"depmen", 56}, {"f", 20},
    {"user0", 40}, {"user1", 41}, {"user2", 42}, {"user3", 43}, {"user4", 44},
    {"user5", 45}, {"user6", 46}, {"user7", 47}, {"user8", 48}, {"user9", 49}};
  for (size_t j = 0; j < sizeof fx / sizeof fx[0]; j++) {
    if (s.f[fx[j].j] != -12345.0f) { lua_pushnumber(L, s.f[fx[j].j]); lua_setfield(L, -2, fx[j].n); }
  }
  static const char *ti[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"};
  for (int j = 0; j < 10; j++)
    if (s.f[10 + j] != -12345.0f) { lua_pushnumber(L, s.f[10 + j]); lua_setfield(L, -2, ti[j]); }
  static const struct { const char *n; int j; } ix[] = {
    {"nzyear", 0}, {"nzjday", 1}, {"nzhour", 2}, {"nzmin", 3}, {"nzsec", 4}, {"nzmsec", 5},
    {"idep", 16}, {"iztype", 17}, {"ievtyp", 22}, {"lpspol", 36}, {"lovrok", 37}, {"lcalda", 38}};
  for (size_t j = 0; j < sizeof ix / sizeof ix[0]; j++)
    if (s.i[ix[j].j] != -12345) { lua_pushinteger(L, s.i[ix[j].j]); lua_setfield(L, -2, ix[j].n); }
  lua_pushinteger(L, s.i[GL_SAC_NPTS]); lua_setfield(L, -2, "npts");
  lua_pushinteger(L, s.i[GL_SAC_NVHDR]); lua_setfield(L, -2, "nvhdr");
  if (s.k[GL_SAC_KEVNM][0]) set_str(L, "kevnm", s.k[GL_SAC_KEVNM]);
  lua_setfield(L, -2, "sac");
  lua_rawseti(L, -2, 1);
  return 1;
}

/* write_sac(path, header, data, bigendian): header is the 632-byte header
 * (built by the front with string.pack in the file's byte order), data a contiguous float32
 * array; written through gl_afile (temporary + rename). Returns true or nil,
 * message. */
static int write_sac (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t hlen;
  const char *head = luaL_checklstring(L, 2, &hlen);
  gl_array *a = gl_array_check(L, 3);
  int bigendian = lua_toboolean(L, 4);
  luaL_argcheck(L, hlen == GL_SAC_HEADER, 2, "header must be 632 bytes");
  luaL_argcheck(L, a->dtype == GL_FLOAT32 && a->ndim == 1 && (a->shape[0] <= 1 || a->strides[0] == 1), 3,
                "contiguous 1-D float32 array expected");
  size_t n = (size_t)a->shape[0];
  unsigned char *buf = gl_scratch(L, GL_SAC_HEADER + 4 * n);
  memcpy(buf, head, GL_SAC_HEADER);
  gl_sac_store(buf + GL_SAC_HEADER, (const float *)a->data, n, bigendian);
  gl_ioerr ie;
  gl_ioerr_clear(&ie);
  gl_afile af;
  if (gl_afile_open(&af, path, &ie) != GL_OK || gl_afile_write(&af, buf, GL_SAC_HEADER + 4 * n, &ie) != GL_OK
      || gl_afile_commit(&af, &ie) != GL_OK) {
    lua_pushnil(L);
    lua_pushstring(L, ie.msg);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* phasenet_normalize(x): x a (L, 3) float64 array (any strides) -> (L, 3)
 * float32, PhaseNet's long-record normalization (kernels/seis/phasenet_norm.c).
 * The front (seis_phasenet.lua) checks L and the dtype. */
static int phasenet_normalize (lua_State *L) {
  gl_array *x = gl_array_check(L, 1);
  luaL_argcheck(L, x->dtype == GL_FLOAT64 && x->ndim == 2 && x->shape[1] == 3, 1,
                "(samples, 3) float64 array expected");
  int64_t n = x->shape[0];
  luaL_argcheck(L, n > GL_PN_HOP, 1, "more than 1500 samples expected");
  int64_t nodes = (n + GL_PN_HOP - 1) / GL_PN_HOP + 1;
  double *scratch = gl_scratch(L, sizeof(double) * 6 * (size_t)nodes);
  gl_array *out = gl_array_push2(L, GL_FLOAT32, n, 3);
  gl_phasenet_normalize((const double *)x->data, n, x->strides[0], x->strides[1], (float *)out->data,
                        scratch, scratch + 3 * nodes);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"read_mseed", gl_seis_read_mseed}, {"read_sac", read_sac},
  {"write_mseed", gl_seis_write_mseed}, {"write_sac", write_sac},
  {"phasenet_normalize", phasenet_normalize},
  {NULL, NULL}
};

int luaopen_geolab_seis_core (lua_State *L) {
  luaL_newlib(L, funcs);
  return 1;
}
