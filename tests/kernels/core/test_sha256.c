/* test_sha256.c: SHA-256 against FIPS 180-4's examples ("abc") and Python's
 * hashlib.sha256 (digests below printed by
 * python3 -c 'import hashlib; print(hashlib.sha256(b"a"*n).hexdigest())'),
 * at the padding edges (55, 56, 64 bytes) and fed in uneven pieces. */
#include <string.h>
#include "testhelp.h"
#include "sha256.h"

static const struct { size_t n; const char *hex; } A[] = {
  {0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
  {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
  {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
  {1000, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"}};

int main (void) {
  char hex[65], a[1000];
  gl_sha256_hex("abc", 3, hex);
  CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
  memset(a, 'a', sizeof a);
  for (size_t i = 0; i < sizeof A / sizeof A[0]; i++) {
    gl_sha256_hex(a, A[i].n, hex);
    CHECK(strcmp(hex, A[i].hex) == 0);
  }
  /* 1000 bytes in pieces of 1, 7, 63, 64, 65...: the same digest */
  gl_sha256 c;
  unsigned char d[32], whole[32];
  gl_sha256_init(&c);
  size_t off = 0, step = 1;
  while (off < 1000) {
    size_t n = off + step > 1000 ? 1000 - off : step;
    gl_sha256_update(&c, a + off, n);
    off += n; step = step * 3 + 4;
  }
  gl_sha256_final(&c, d);
  gl_sha256_init(&c); gl_sha256_update(&c, a, 1000); gl_sha256_final(&c, whole);
  CHECK(memcmp(d, whole, 32) == 0);
  CHECK(d[0] == 0x41 && d[31] == 0xa3);
  return TEST_REPORT();
}
