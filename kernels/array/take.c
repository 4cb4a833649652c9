/* take.c: block gathers and scatters for integer-array and mask indexing. */
#include <string.h>
#include "take.h"

void gl_take (size_t itemsize, int64_t outer, int64_t n, int64_t inner,
              const char *src, const int64_t *idx, int64_t nidx, char *dst) {
  size_t block = (size_t)inner * itemsize;
  for (int64_t o = 0; o < outer; o++) {
    const char *s = src + (size_t)(o * n) * block;
    char *d = dst + (size_t)(o * nidx) * block;
    if (block == 8) {
      for (int64_t j = 0; j < nidx; j++) memcpy(d + 8 * (size_t)j, s + 8 * (size_t)idx[j], 8);
    } else {
      for (int64_t j = 0; j < nidx; j++) memcpy(d + (size_t)j * block, s + (size_t)idx[j] * block, block);
    }
  }
}

void gl_put (size_t itemsize, int64_t outer, int64_t n, int64_t inner,
             const char *src, const int64_t *idx, int64_t nidx, char *dst) {
  size_t block = (size_t)inner * itemsize;
  for (int64_t o = 0; o < outer; o++) {
    const char *s = src + (size_t)(o * nidx) * block;
    char *d = dst + (size_t)(o * n) * block;
    for (int64_t j = 0; j < nidx; j++) memcpy(d + (size_t)idx[j] * block, s + (size_t)j * block, block);
  }
}

int64_t gl_compress (size_t itemsize, int64_t nmask, int64_t inner,
                     const char *src, const unsigned char *mask, char *dst) {
  size_t block = (size_t)inner * itemsize;
  int64_t k = 0;
  for (int64_t i = 0; i < nmask; i++)
    if (mask[i]) memcpy(dst + (size_t)(k++) * block, src + (size_t)i * block, block);
  return k;
}

void gl_expand (size_t itemsize, int64_t nmask, int64_t inner, const char *src,
                int64_t src_blocks, const unsigned char *mask, char *dst) {
  size_t block = (size_t)inner * itemsize;
  int64_t k = 0;
  for (int64_t i = 0; i < nmask; i++)
    if (mask[i]) {
      memcpy(dst + (size_t)i * block, src + (size_t)(src_blocks == 1 ? 0 : k) * block, block);
      k++;
    }
}
