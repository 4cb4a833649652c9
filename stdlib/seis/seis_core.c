/* seis_core.c: luaopen_geolab_seis_core, the C half of the seis module
 * (stdlib/seis/seis.lua is the front): miniSEED 2 through libmseed, SAC
 * binary through kernels/seis/sac.c. Each reader returns a list of segments
 * {network, station, location, channel, starttime_ns, sampling_rate, data}
 * that the front turns into Traces; failures return nil and a message. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmseed.h>
#include "gl_array.h"
#include "sac.h"

/* libmseed reports problems through its log; the last message is kept here so
 * the error names the cause. One reader at a time (geolab is single-threaded
 * in Lua). */
static char mseed_msg[256];
static void mseed_log (char *msg) {
  snprintf(mseed_msg, sizeof mseed_msg, "%s", msg);
  size_t n = strlen(mseed_msg);
  while (n > 0 && (mseed_msg[n - 1] == '\n' || mseed_msg[n - 1] == ' ')) mseed_msg[--n] = 0;
}

static void set_str (lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static int read_mseed (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  MSTraceGroup *g = NULL;
  mseed_msg[0] = 0;
  ms_loginit(mseed_log, NULL, mseed_log, NULL);
  int rc = ms_readtraces(&g, (char *)path, -1, -1.0, -1.0, 0, 1, 1, 0);
  if (rc != MS_NOERROR) {
    if (g) mst_freegroup(&g);
    lua_pushnil(L);
    lua_pushstring(L, mseed_msg[0] ? mseed_msg : ms_errorstr(rc));
    return 2;
  }
  mst_groupheal(g, -1.0, -1.0);
  mst_groupsort(g, 1);
  lua_createtable(L, g->numtraces, 0);
  int k = 0;
  for (MSTrace *t = g->traces; t; t = t->next) {
    lua_createtable(L, 0, 8);
    set_str(L, "network", t->network); set_str(L, "station", t->station);
    set_str(L, "location", t->location); set_str(L, "channel", t->channel);
    char q[2] = {t->dataquality, 0};
    set_str(L, "quality", q);
    lua_pushinteger(L, (lua_Integer)t->starttime * 1000);   /* libmseed 2: microseconds */
    lua_setfield(L, -2, "starttime_ns");
    lua_pushnumber(L, t->samprate);
    lua_setfield(L, -2, "sampling_rate");
    gl_dtype dt; size_t es;
    switch (t->sampletype) {
      case 'i': dt = GL_INT32; es = 4; break;
      case 'f': dt = GL_FLOAT32; es = 4; break;
      case 'd': dt = GL_FLOAT64; es = 8; break;
      default: dt = GL_UINT8; es = 1; break;   /* 'a': text (log) records */
    }
    gl_array *a = gl_array_push1(L, dt, t->numsamples);
    if (t->numsamples > 0) memcpy(a->data, t->datasamples, (size_t)t->numsamples * es);
    lua_setfield(L, -2, "data");
    lua_pushboolean(L, t->sampletype == 'a');
    lua_setfield(L, -2, "text");
    lua_rawseti(L, -2, ++k);
  }
  mst_freegroup(&g);
  return 1;
}

static int read_sac (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  FILE *f = fopen(path, "rb");
  if (!f) { lua_pushnil(L); lua_pushfstring(L, "cannot open (%s)", strerror(errno)); return 2; }
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = gl_scratch(L, cap);   /* Lua-owned: an error cannot leak it */
  for (;;) {
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (len < cap) break;
    unsigned char *nb = gl_scratch(L, cap * 2);
    memcpy(nb, buf, len);
    buf = nb; cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) { lua_pushnil(L); lua_pushstring(L, "read error"); return 2; }
  gl_sac s;
  const char *err = gl_sac_parse(buf, len, &s);
  if (err) { lua_pushnil(L); lua_pushstring(L, err); return 2; }
  int64_t days = gl_days_from_civil_yday(s.i[GL_SAC_NZYEAR], s.i[GL_SAC_NZJDAY]);
  int64_t ref_s = days * 86400 + s.i[GL_SAC_NZHOUR] * 3600 + s.i[GL_SAC_NZMIN] * 60 + s.i[GL_SAC_NZSEC];
  /* b is float32 seconds: kept to the microsecond, as ObsPy's UTCDateTime */
  double b_us = (double)s.f[GL_SAC_B] * 1e6;
  int64_t start_ns = ref_s * 1000000000LL + (int64_t)s.i[GL_SAC_NZMSEC] * 1000000LL
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
  for (int j = 0; j < 9; j++) { lua_pushnumber(L, s.f[j]); lua_setfield(L, -2, fnames[j]); }
  static const struct { const char *n; int j; } fx[] = {
    {"stla", 31}, {"stlo", 32}, {"stel", 33}, {"stdp", 34}, {"evla", 35}, {"evlo", 36},
    {"evel", 37}, {"evdp", 38}, {"mag", 39}, {"dist", 50}, {"az", 51}, {"baz", 52},
    {"gcarc", 53}, {"cmpaz", 57}, {"cmpinc", 58}};
  for (size_t j = 0; j < sizeof fx / sizeof fx[0]; j++) {
    if (s.f[fx[j].j] != -12345.0f) { lua_pushnumber(L, s.f[fx[j].j]); lua_setfield(L, -2, fx[j].n); }
  }
  static const char *ti[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"};
  for (int j = 0; j < 10; j++)
    if (s.f[10 + j] != -12345.0f) { lua_pushnumber(L, s.f[10 + j]); lua_setfield(L, -2, ti[j]); }
  lua_pushinteger(L, s.i[GL_SAC_NPTS]); lua_setfield(L, -2, "npts");
  lua_pushinteger(L, s.i[GL_SAC_NVHDR]); lua_setfield(L, -2, "nvhdr");
  if (s.k[GL_SAC_KEVNM][0]) set_str(L, "kevnm", s.k[GL_SAC_KEVNM]);
  lua_setfield(L, -2, "sac");
  lua_rawseti(L, -2, 1);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"read_mseed", read_mseed}, {"read_sac", read_sac},
  {NULL, NULL}
};

int luaopen_geolab_seis_core (lua_State *L) {
  luaL_newlib(L, funcs);
  return 1;
}
