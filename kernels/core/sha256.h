/* sha256.h: SHA-256 (FIPS 180-4) of byte strings, for run manifests and
 * figure hashes. Plain C, no allocation: the caller owns the context. */
#ifndef GL_SHA256_H
#define GL_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct gl_sha256 {
  uint32_t h[8];
  uint64_t len;          /* bytes hashed so far */
  unsigned char buf[64]; /* a partial block */
  size_t nbuf;
} gl_sha256;

void gl_sha256_init(gl_sha256 *c);
void gl_sha256_update(gl_sha256 *c, const void *data, size_t n);
/* Writes the 32-byte digest; the context must be initialised again to reuse it. */
void gl_sha256_final(gl_sha256 *c, unsigned char out[32]);
/* The digest of data as 64 lowercase hex digits and a terminating NUL in hex. */
void gl_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
