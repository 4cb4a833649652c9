/* seis_mseed.c: miniSEED 2 reading and writing through Debian's libmseed
 * 2.19 (part of geolab.seis_core; seis_core.c registers the functions).
 *
 * Reading: every data record (control headers of full SEED volumes are
 * skipped) goes into an MSTraceGroup, joined when it continues a trace within
 * half a sample (libmseed's default tolerance, ObsPy's too); the group is then
 * healed (records out of time order) and sorted by id and time, so a gap gives
 * a separate trace as ObsPy does. libmseed reports through its log: errors
 * become the Lua error, warnings (a failed Steim integrity check...) are
 * returned to the front, which prints them.
 *
 * Writing: one trace at a time through msr_pack into a malloc'd buffer, then
 * written with gl_afile (temporary + rename), so nothing of a failed write is
 * ever visible. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmseed.h>
#include "gl_array.h"
#include "gzfile.h"
#include "afile.h"
#include "seis_internal.h"

/* libmseed's log is process-wide: the last error and the warnings of the
 * current call are kept per thread (one call at a time per lua_State). */
static _Thread_local char mseed_err[256];
static _Thread_local char mseed_warn[512];
#define ERRPREFIX "\1"

static void chomp (char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = 0;
}

static void mseed_diag (char *msg) {
  if (strncmp(msg, ERRPREFIX, 1) == 0) {
    snprintf(mseed_err, sizeof mseed_err, "%s", msg + 1);
    chomp(mseed_err);
  } else {
    size_t n = strlen(mseed_warn);
    if (n + 2 < sizeof mseed_warn)
      snprintf(mseed_warn + n, sizeof mseed_warn - n, "%s%s", n ? "\n" : "", msg);
    chomp(mseed_warn);
  }
}
static void mseed_log (char *msg) { (void)msg; }   /* verbose output: not used */

static void log_begin (void) {
  mseed_err[0] = mseed_warn[0] = 0;
  ms_loginit(mseed_log, NULL, mseed_diag, ERRPREFIX);
}

/* ObsPy's names of the SEED data encodings (stats.mseed.encoding). */
const char *gl_seis_encoding_name (int enc) {
  switch (enc) {
    case DE_ASCII: return "ASCII";     case DE_INT16: return "INT16";
    case DE_INT32: return "INT32";     case DE_FLOAT32: return "FLOAT32";
    case DE_FLOAT64: return "FLOAT64"; case DE_STEIM1: return "STEIM1";
    case DE_STEIM2: return "STEIM2";   case DE_GEOSCOPE24: return "GEOSCOPE24";
    case DE_GEOSCOPE163: return "GEOSCOPE16_3"; case DE_GEOSCOPE164: return "GEOSCOPE16_4";
    case DE_CDSN: return "CDSN";       case DE_SRO: return "SRO";
    case DE_DWWSSN: return "DWWSSN";
    default: return NULL;
  }
}

/* What stats.mseed reports, from the first record of each id. Ids past
 * MAX_IDS simply get no such details. */
#define MAX_IDS 256
typedef struct id_info {
  char id[48];
  int encoding, byteorder, reclen;
  int64_t records;
} id_info;

static id_info *info_of (id_info *tab, int *n, const MSRecord *msr) {
  char id[48];
  snprintf(id, sizeof id, "%s.%s.%s.%s", msr->network, msr->station, msr->location, msr->channel);
  for (int j = 0; j < *n; j++) if (strcmp(tab[j].id, id) == 0) return &tab[j];
  if (*n >= MAX_IDS) return NULL;
  id_info *e = &tab[(*n)++];
  memcpy(e->id, id, sizeof id);
  e->encoding = msr->encoding;
  e->byteorder = msr->byteorder;
  e->reclen = msr->reclen;
  e->records = 0;
  return e;
}

static void set_str (lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

/* The file's bytes and the trace group being built, in a userdata whose
 * __gc frees them: a Lua error (out of memory while the traces are pushed)
 * cannot leak them (STYLE 2.9). */
typedef struct mseed_box { gl_bytes buf; MSTraceGroup *g; MSRecord *msr; } mseed_box;

static void box_clear (mseed_box *b) {
  gl_bytes_free(&b->buf);
  if (b->g) mst_freegroup(&b->g);
  if (b->msr) msr_free(&b->msr);
}

static int box_gc (lua_State *L) {
  box_clear(lua_touserdata(L, 1));
  return 0;
}

static mseed_box *push_box (lua_State *L) {
  mseed_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  if (luaL_newmetatable(L, "geolab.seis_mseed_box")) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return b;
}

gl_bytes *gl_seis_bytes_box (lua_State *L) { return &push_box(L)->buf; }

static int is_pow2_len (int64_t n) { return n >= MINRECLEN && n <= MAXRECLEN && (n & (n - 1)) == 0; }

/* Parses every record of buf into b->g, as libmseed's file reader does
 * (ms_readmsr_main with skipnotdata): non-data blocks (the control headers of
 * a full SEED volume) are skipped MINRECLEN bytes at a time, a last record
 * without Blockette 1000 takes the rest of the file when that is a power of
 * two. Unlike it, a record libmseed cannot decode (it logs why) and a record
 * cut short are errors, not skipped. Returns NULL or the message (in msg). */
static const char *parse_records (mseed_box *b, id_info *tab, int *ntab, int64_t *nrec, char *msg, size_t cap) {
  const char *buf = b->buf.data;
  int64_t len = (int64_t)b->buf.len, off = 0;
  while (len - off >= MINRECLEN) {
    if ((*nrec & 1023) == 0 && gl_interrupted()) return "interrupted!";
    int64_t rem = len - off;
    int rlen = -1, pv = msr_parse((char *)buf + off, (int)(rem > INT32_MAX ? INT32_MAX : rem), &b->msr, -1, 0, 0);
    if (pv > 0 && is_pow2_len(rem)) { rlen = (int)rem; pv = msr_parse((char *)buf + off, (int)rem, &b->msr, rlen, 0, 0); }
    /* libmseed decodes the fixed-size encodings without checking that the
       samples the header declares fit in the record (msr_decode_float64 read
       past the buffer on a fuzzed file): checked here, then decoded */
    if (pv == 0 && !mseed_err[0] && b->msr->fsdh) {
      static const int width[6] = {1, 2, 0, 4, 4, 8};
      int enc = b->msr->encoding;
      if (enc >= 0 && enc <= 5 && width[enc] > 0 && b->msr->samplecnt >= 0 &&
          (int64_t)b->msr->fsdh->data_offset + b->msr->samplecnt * width[enc] > (int64_t)b->msr->reclen) {
        snprintf(msg, cap, "record at byte %lld declares %lld samples, more than its %d bytes hold (corrupt file?)",
                 (long long)off, (long long)b->msr->samplecnt, (int)b->msr->reclen);
        return msg;
      }
    }
    if (pv == 0 && !mseed_err[0]) pv = msr_parse((char *)buf + off, rlen > 0 ? rlen : (int)(rem > INT32_MAX ? INT32_MAX : rem), &b->msr, rlen, 1, 0);
    if (mseed_err[0]) {
      snprintf(msg, cap, "%s (record at byte %lld)", mseed_err, (long long)off);
      return msg;
    }
    if (pv == 0) {
      (*nrec)++;
      if (!mst_addmsrtogroup(b->g, b->msr, 1, -1.0, -1.0)) return "out of memory";
      id_info *e = info_of(tab, ntab, b->msr);
      if (e) e->records++;
      off += b->msr->reclen;
    } else if (pv < 0) {
      off += MINRECLEN;   /* not a data record */
    } else {
      snprintf(msg, cap, "the file ends inside the record at byte %lld (%lld bytes of its %lld; truncated file?)",
               (long long)off, (long long)rem, (long long)(rem + pv));
      return msg;
    }
  }
  if (off < len && len - off >= 7) {   /* a tail shorter than any record: a cut header? */
    int seq = 1;
    for (int j = 0; j < 6; j++) if (!((buf[off + j] >= '0' && buf[off + j] <= '9') || buf[off + j] == ' ')) seq = 0;
    if (seq && buf[off + 6] && strchr("DRQM", buf[off + 6])) {
      snprintf(msg, cap, "the file ends inside the record at byte %lld (%lld bytes of it; truncated file?)",
               (long long)off, (long long)(len - off));
      return msg;
    }
  }
  if (*nrec == 0) return mseed_err[0] ? mseed_err : "not a miniSEED 2 file (no SEED data record found)";
  return NULL;
}

/* read_mseed(path) -> list of segments {network, station, location,
 * channel, quality, starttime_ns, sampling_rate, data, text, encoding,
 * byteorder, record_length, number_of_records}, warnings (a string or nil);
 * or nil, message. The file may be gzip-compressed. */
int gl_seis_read_mseed (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  id_info *tab = gl_scratch(L, sizeof(id_info) * MAX_IDS);
  int ntab = 0;
  mseed_box *b = push_box(L);
  gl_ioerr ie;
  gl_ioerr_clear(&ie);
  int rc = gl_file_read(path, (size_t)INT32_MAX, &b->buf, &ie);
  if (rc == GL_EINTR) { box_clear(b); return luaL_error(L, "interrupted!"); }
  if (rc != GL_OK) { box_clear(b); lua_pushnil(L); lua_pushstring(L, ie.msg); return 2; }
  b->g = mst_initgroup(NULL);
  if (!b->g) return luaL_error(L, "not enough memory");
  log_begin();
  int64_t nrec = 0;
  char msg[400];
  const char *err = parse_records(b, tab, &ntab, &nrec, msg, sizeof msg);
  if (err) {
    box_clear(b);
    if (strcmp(err, "interrupted!") == 0) return luaL_error(L, "interrupted!");
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  gl_bytes_free(&b->buf);
  msr_free(&b->msr);
  MSTraceGroup *g = b->g;
  mst_groupheal(g, -1.0, -1.0);
  mst_groupsort(g, 1);
  /* pd.Timestamp is int64 nanoseconds: 1677-09-21 .. 2262-04-11 */
  for (MSTrace *t = g->traces; t; t = t->next) {
    if (t->starttime < -9200000000000000LL || t->starttime > 9200000000000000LL
        || t->endtime < -9200000000000000LL || t->endtime > 9200000000000000LL) {
      box_clear(b);
      lua_pushnil(L);
      lua_pushstring(L, "a record time is out of the range of pd.Timestamp (1677-2262)");
      return 2;
    }
  }
  lua_createtable(L, g->numtraces, 0);
  int k = 0;
  for (MSTrace *t = g->traces; t; t = t->next) {
    lua_createtable(L, 0, 14);
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
    char id[48];
    snprintf(id, sizeof id, "%s.%s.%s.%s", t->network, t->station, t->location, t->channel);
    for (int j = 0; j < ntab; j++) {
      if (strcmp(tab[j].id, id) != 0) continue;
      const char *en = gl_seis_encoding_name(tab[j].encoding);
      if (en) set_str(L, "encoding", en);
      set_str(L, "byteorder", tab[j].byteorder == 0 ? "<" : ">");
      lua_pushinteger(L, tab[j].reclen); lua_setfield(L, -2, "record_length");
      lua_pushinteger(L, tab[j].records); lua_setfield(L, -2, "number_of_records");
    }
    lua_rawseti(L, -2, ++k);
  }
  mst_freegroup(&b->g);   /* the box is collected later; free the samples now */
  if (mseed_warn[0]) lua_pushstring(L, mseed_warn); else lua_pushnil(L);
  return 2;
}

/* {===== writing */

typedef struct outbuf { char *p; size_t n, cap; int oom; } outbuf;

static void collect (char *rec, int len, void *ud) {
  outbuf *b = ud;
  if (b->oom) return;
  if (b->n + (size_t)len > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 65536;
    while (cap < b->n + (size_t)len) cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np) { b->oom = 1; return; }
    b->p = np; b->cap = cap;
  }
  memcpy(b->p + b->n, rec, (size_t)len);
  b->n += (size_t)len;
}

static int encoding_of (const char *name) {
  static const struct { const char *n; int e; } E[] = {
    {"STEIM1", DE_STEIM1}, {"STEIM2", DE_STEIM2}, {"INT16", DE_INT16}, {"INT32", DE_INT32},
    {"FLOAT32", DE_FLOAT32}, {"FLOAT64", DE_FLOAT64}, {"ASCII", DE_ASCII}};
  for (size_t j = 0; j < sizeof E / sizeof E[0]; j++) if (strcmp(E[j].n, name) == 0) return E[j].e;
  return -1;
}

/* write_mseed(path, traces, reclen, bigendian) where traces is a list of
 * {network, station, location, channel, quality, starttime_ns,
 * sampling_rate, encoding, data} with data already in the encoding's sample type
 * (int32 for STEIM1/2, INT32 and INT16; float32; float64; uint8 for ASCII),
 * contiguous. Returns true, or nil and a message. The front checks the
 * arguments; this only packs and writes. */
int gl_seis_write_mseed (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  int reclen = (int)luaL_checkinteger(L, 3);
  int bigendian = lua_toboolean(L, 4);
  int ntr = (int)luaL_len(L, 2);
  /* gather the traces' fields first: no Lua call may fail once C memory is held */
  typedef struct { const char *code[4]; char q; int64_t t0; double sr; gl_array *a; int enc; } tin;
  tin *tr = gl_scratch(L, sizeof(tin) * (size_t)(ntr > 0 ? ntr : 1));
  static const char *keys[] = {"network", "station", "location", "channel"};
  for (int j = 0; j < ntr; j++) {
    lua_rawgeti(L, 2, j + 1);
    for (int c = 0; c < 4; c++) {
      lua_getfield(L, -1, keys[c]);
      tr[j].code[c] = luaL_checkstring(L, -1);
      lua_pop(L, 1);   /* the string stays alive: the trace table holds it */
    }
    lua_getfield(L, -1, "quality");
    const char *q = lua_tostring(L, -1);
    tr[j].q = q && q[0] ? q[0] : 'D';
    lua_pop(L, 1);
    lua_getfield(L, -1, "encoding");
    tr[j].enc = encoding_of(luaL_checkstring(L, -1));
    luaL_argcheck(L, tr[j].enc >= 0, 2, "unknown encoding");
    lua_pop(L, 1);
    lua_getfield(L, -1, "starttime_ns");
    tr[j].t0 = (int64_t)luaL_checkinteger(L, -1);
    lua_getfield(L, -2, "sampling_rate");
    tr[j].sr = luaL_checknumber(L, -1);
    lua_getfield(L, -3, "data");
    tr[j].a = gl_array_check(L, -1);
    luaL_argcheck(L, tr[j].a->ndim == 1 && (tr[j].a->shape[0] <= 1 || tr[j].a->strides[0] == 1), 2,
                  "trace data must be contiguous 1-D arrays");
    lua_pop(L, 4);   /* the trace table stays referenced by the list */
  }
  outbuf b = {NULL, 0, 0, 0};
  char err[300] = "";
  log_begin();
  for (int j = 0; j < ntr && !err[0]; j++) {
    /* msr_pack, not mst_pack: mst_pack shrinks and reallocs the trace's
     * sample buffer as it packs, which here is the array's memory */
    MSRecord *m = msr_init(NULL);
    if (!m) { snprintf(err, sizeof err, "out of memory"); break; }
    snprintf(m->network, sizeof m->network, "%s", tr[j].code[0]);
    snprintf(m->station, sizeof m->station, "%s", tr[j].code[1]);
    snprintf(m->location, sizeof m->location, "%s", tr[j].code[2]);
    snprintf(m->channel, sizeof m->channel, "%s", tr[j].code[3]);
    m->dataquality = tr[j].q;
    /* hptime is microseconds in libmseed 2: round the nanoseconds */
    int64_t ns = tr[j].t0;
    m->starttime = (hptime_t)((ns >= 0 ? ns + 500 : ns - 500) / 1000);
    m->samprate = tr[j].sr;
    m->reclen = reclen;
    m->encoding = (int8_t)tr[j].enc;
    m->byteorder = bigendian ? 1 : 0;
    gl_array *a = tr[j].a;
    int64_t n = a->ndim ? a->shape[0] : 1;
    m->numsamples = m->samplecnt = n;
    m->sampletype = a->dtype == GL_FLOAT32 ? 'f' : a->dtype == GL_FLOAT64 ? 'd' : a->dtype == GL_UINT8 ? 'a' : 'i';
    m->datasamples = a->data;   /* only read; detached before msr_free */
    /* Blockette 1001 carries the microseconds below BTIME's 100 us; libmseed
     * fills it in each record only when the template has one (ObsPy too
     * writes it in every record) */
    struct blkt_1000_s b1000;   /* first, as libmseed and ObsPy order them; filled by msr_pack */
    struct blkt_1001_s b1001;
    memset(&b1000, 0, sizeof b1000);
    memset(&b1001, 0, sizeof b1001);
    if (!msr_addblockette(m, (char *)&b1000, sizeof b1000, 1000, 0)
        || !msr_addblockette(m, (char *)&b1001, sizeof b1001, 1001, 0)) {
      m->datasamples = NULL;
      msr_free(&m);
      snprintf(err, sizeof err, "out of memory");
      break;
    }
    int64_t packed = 0;
    int nrec = msr_pack(m, collect, &b, &packed, 1, 0);
    m->datasamples = NULL;
    msr_free(&m);
    if (b.oom) snprintf(err, sizeof err, "out of memory");
    else if (nrec < 0 || packed != n)
      snprintf(err, sizeof err, "libmseed could not pack trace %d%s%s", j + 1,
               mseed_err[0] ? ": " : "", mseed_err);
  }
  if (!err[0]) {
    gl_ioerr ie;
    gl_ioerr_clear(&ie);
    gl_afile af;
    if (gl_afile_open(&af, path, &ie) != GL_OK || gl_afile_write(&af, b.p, b.n, &ie) != GL_OK
        || gl_afile_commit(&af, &ie) != GL_OK)
      snprintf(err, sizeof err, "%s", ie.msg);
  }
  free(b.p);
  if (err[0]) { lua_pushnil(L); lua_pushstring(L, err); return 2; }
  lua_pushboolean(L, 1);
  return 1;
}
/* }===== */
