/* kernel_msg.c: the Jupyter wire format and its signatures (messaging
 * protocol 5.3). A message is the routing identities, the delimiter
 * "<IDS|MSG>", the HMAC-SHA256 hex digest of the next four frames, then the
 * header, parent header, metadata and content as JSON, then binary buffers
 * (which this kernel neither needs nor sends). JSON is jansson's, the HMAC
 * libcrypto's: nothing here parses or hashes by hand. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <zmq.h>

#include "kernel.h"

#define DELIM "<IDS|MSG>"

/* {===== connection file */
static int conn_port (json_t *o, const char *name, int *port, char *err, size_t n) {
  json_t *v = json_object_get(o, name);
  if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 65535) {
    snprintf(err, n, "'%s' is missing or not a port number", name);
    return -1;
  }
  *port = (int)json_integer_value(v);
  return 0;
}

static int conn_string (json_t *o, const char *name, char *out, size_t size, const char *dflt,
                        char *err, size_t n) {
  json_t *v = json_object_get(o, name);
  const char *s = json_is_string(v) ? json_string_value(v) : dflt;
  if (s == NULL || strlen(s) >= size) {
    snprintf(err, n, "'%s' is missing, not a string or too long", name);
    return -1;
  }
  strcpy(out, s);
  return 0;
}

int kconn_read (const char *path, kconn *c, char *err, size_t errlen) {
  json_error_t je;
  json_t *o = json_load_file(path, 0, &je);
  int r = -1;
  memset(c, 0, sizeof *c);
  if (o == NULL) {
    if (je.line > 0) snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
    else snprintf(err, errlen, "%s", je.text);   /* jansson names the file */
    return -1;
  }
  if (!json_is_object(o)) { snprintf(err, errlen, "%s: not a JSON object", path); goto done; }
  char key[sizeof c->key];
  if (conn_string(o, "transport", c->transport, sizeof c->transport, "tcp", err, errlen) ||
      conn_string(o, "ip", c->ip, sizeof c->ip, "127.0.0.1", err, errlen) ||
      conn_string(o, "signature_scheme", c->scheme, sizeof c->scheme, "hmac-sha256", err, errlen) ||
      conn_string(o, "key", key, sizeof key, "", err, errlen) ||
      conn_port(o, "shell_port", &c->shell_port, err, errlen) ||
      conn_port(o, "control_port", &c->control_port, err, errlen) ||
      conn_port(o, "iopub_port", &c->iopub_port, err, errlen) ||
      conn_port(o, "stdin_port", &c->stdin_port, err, errlen) ||
      conn_port(o, "hb_port", &c->hb_port, err, errlen)) {
    char why[256];
    snprintf(why, sizeof why, "%s", err);
    snprintf(err, errlen, "%s: %s", path, why);
    goto done;
  }
  if (strcmp(c->scheme, "hmac-sha256") != 0) {
    snprintf(err, errlen, "%s: signature_scheme '%s' is not supported (hmac-sha256 is)", path, c->scheme);
    goto done;
  }
  c->keylen = strlen(key);
  memcpy(c->key, key, c->keylen);
  kernel_uuid(c->session);
  r = 0;
done:
  json_decref(o);
  return r;
}
/* =====} */

void kernel_uuid (char out[40]) {
  unsigned char b[16];
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  size_t got = 0;
  if (fd >= 0) {
    ssize_t r;
    while (got < sizeof b && (r = read(fd, b + got, sizeof b - got)) > 0) got += (size_t)r;
    close(fd);
  }
  if (got < sizeof b) {   /* never expected; a clock-based id is still unique enough */
    struct timeval tv;
    gettimeofday(&tv, NULL);
    unsigned long long x = (unsigned long long)tv.tv_sec * 1000003u ^ (unsigned long long)tv.tv_usec ^
                           ((unsigned long long)getpid() << 32);
    for (size_t i = 0; i < sizeof b; i++) { x = x * 6364136223846793005ull + 1442695040888963407ull; b[i] = (unsigned char)(x >> 56); }
  }
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* {===== signatures */
/* hex HMAC-SHA256 of the four frames, or "" when the key is empty (Jupyter's
 * rule: no key, no signing). */
static void sign (const kconn *c, const char *const part[4], const size_t len[4], char hex[65]) {
  hex[0] = '\0';
  if (c->keylen == 0) return;
  size_t total = len[0] + len[1] + len[2] + len[3];
  unsigned char *buf = malloc(total ? total : 1), md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  if (buf == NULL) return;
  for (size_t i = 0, at = 0; i < 4; at += len[i], i++) memcpy(buf + at, part[i], len[i]);
  if (HMAC(EVP_sha256(), c->key, (int)c->keylen, buf, total, md, &mdlen) != NULL)
    for (unsigned int i = 0; i < mdlen && i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  free(buf);
}
/* =====} */

/* {===== receive */
void kmsg_free (kmsg *m) {
  for (int i = 0; i < m->nids; i++) free(m->ids[i]);
  json_decref(m->header); json_decref(m->parent);
  json_decref(m->metadata); json_decref(m->content);
  memset(m, 0, sizeof *m);
}

/* Reads every frame of the message waiting on sock into a growing array;
 * returns the frame count, 0 when there was none, -1 on error. */
static int recv_frames (void *sock, zmq_msg_t **frames) {
  int n = 0, cap = 0, more = 1;
  *frames = NULL;
  while (more) {
    if (n == cap) {
      zmq_msg_t *f = realloc(*frames, sizeof **frames * (size_t)(cap = cap ? 2 * cap : 8));
      if (f == NULL) break;
      *frames = f;
    }
    zmq_msg_init(&(*frames)[n]);
    if (zmq_msg_recv(&(*frames)[n], sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
      zmq_msg_close(&(*frames)[n]);
      return n == 0 ? 0 : n;
    }
    more = zmq_msg_more(&(*frames)[n]);
    n++;
  }
  while (more) {   /* out of memory: drain the rest of the message */
    zmq_msg_t f;
    zmq_msg_init(&f);
    if (zmq_msg_recv(&f, sock, 0) < 0) { zmq_msg_close(&f); break; }
    more = zmq_msg_more(&f);
    zmq_msg_close(&f);
  }
  return n;
}

static json_t *parse_dict (zmq_msg_t *f, const char *what, char *err, size_t errlen) {
  json_error_t je;
  json_t *j = json_loadb(zmq_msg_data(f), zmq_msg_size(f), 0, &je);
  if (j == NULL) snprintf(err, errlen, "%s is not JSON: %s", what, je.text);
  else if (!json_is_object(j)) { snprintf(err, errlen, "%s is not a JSON object", what); json_decref(j); j = NULL; }
  return j;
}

int kmsg_recv (void *sock, const kconn *c, kmsg *m, char *err, size_t errlen) {
  zmq_msg_t *fr;
  int n = recv_frames(sock, &fr), d, r = -1;
  memset(m, 0, sizeof *m);
  if (n <= 0) { free(fr); return 1; }
  for (d = 0; d < n; d++)
    if (zmq_msg_size(&fr[d]) == sizeof DELIM - 1 && memcmp(zmq_msg_data(&fr[d]), DELIM, sizeof DELIM - 1) == 0) break;
  if (d == n) { snprintf(err, errlen, "no <IDS|MSG> delimiter"); goto done; }
  if (n - d < 6) { snprintf(err, errlen, "%d frames after the delimiter, 5 expected", n - d - 1); goto done; }
  if (d > KERNEL_MAX_IDS) { snprintf(err, errlen, "too many routing identities (%d)", d); goto done; }
  const char *part[4];
  size_t len[4];
  char hex[65];
  for (int i = 0; i < 4; i++) { part[i] = zmq_msg_data(&fr[d + 2 + i]); len[i] = zmq_msg_size(&fr[d + 2 + i]); }
  sign(c, part, len, hex);
  size_t slen = zmq_msg_size(&fr[d + 1]);
  if (slen != strlen(hex) || CRYPTO_memcmp(zmq_msg_data(&fr[d + 1]), hex, slen) != 0) {
    snprintf(err, errlen, "bad signature");
    goto done;
  }
  if ((m->header = parse_dict(&fr[d + 2], "header", err, errlen)) == NULL ||
      (m->parent = parse_dict(&fr[d + 3], "parent header", err, errlen)) == NULL ||
      (m->metadata = parse_dict(&fr[d + 4], "metadata", err, errlen)) == NULL ||
      (m->content = parse_dict(&fr[d + 5], "content", err, errlen)) == NULL)
    goto done;
  m->type = json_string_value(json_object_get(m->header, "msg_type"));
  if (m->type == NULL) { snprintf(err, errlen, "header has no msg_type"); goto done; }
  for (int i = 0; i < d; i++) {
    size_t l = zmq_msg_size(&fr[i]);
    if ((m->ids[i] = malloc(l ? l : 1)) == NULL) { snprintf(err, errlen, "out of memory"); goto done; }
    memcpy(m->ids[i], zmq_msg_data(&fr[i]), l);
    m->idlen[i] = l;
    m->nids = i + 1;
  }
  r = 0;
done:
  if (r != 0) kmsg_free(m);
  for (int i = 0; i < n; i++) zmq_msg_close(&fr[i]);
  free(fr);
  return r;
}
/* =====} */

/* {===== send */
/* A new header for msg_type: msg_id, session, username, ISO 8601 date. */
static json_t *new_header (const kconn *c, const char *msg_type) {
  char id[40], date[40];
  struct timeval tv;
  struct tm tm;
  kernel_uuid(id);
  gettimeofday(&tv, NULL);
  gmtime_r(&tv.tv_sec, &tm);
  size_t l = strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(date + l, sizeof date - l, ".%06ldZ", (long)tv.tv_usec);
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", id, "session", c->session,
                   "username", "geolab", "date", date, "msg_type", msg_type, "version", KERNEL_PROTOCOL);
}

static int send_frame (void *sock, const void *data, size_t len, int more) {
  return zmq_send(sock, data, len, more ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
}

int kmsg_send (void *sock, const kconn *c, const kmsg *parent, int route,
               const char *msg_type, json_t *content) {
  json_t *header = new_header(c, msg_type);
  char *part[4] = {NULL, NULL, NULL, NULL};
  size_t len[4];
  int r = -1;
  if (content == NULL) content = json_object();
  part[0] = json_dumps(header, JSON_COMPACT);
  part[1] = parent && parent->header ? json_dumps(parent->header, JSON_COMPACT) : strdup("{}");
  part[2] = strdup("{}");
  part[3] = json_dumps(content, JSON_COMPACT);
  for (int i = 0; i < 4; i++) {
    if (part[i] == NULL) goto done;   /* out of memory, or a value jansson refuses */
    len[i] = strlen(part[i]);
  }
  char hex[65];
  sign(c, (const char *const *)part, len, hex);
  r = 0;
  if (route && parent != NULL)
    for (int i = 0; i < parent->nids && r == 0; i++) r = send_frame(sock, parent->ids[i], parent->idlen[i], 1);
  else if (!route)
    r = send_frame(sock, msg_type, strlen(msg_type), 1);   /* iopub topic */
  if (r == 0) r = send_frame(sock, DELIM, sizeof DELIM - 1, 1);
  if (r == 0) r = send_frame(sock, hex, strlen(hex), 1);
  for (int i = 0; i < 4 && r == 0; i++) r = send_frame(sock, part[i], len[i], i < 3);
done:
  for (int i = 0; i < 4; i++) free(part[i]);
  json_decref(header);
  json_decref(content);
  return r;
}
/* =====} */
