/* fuzz_pickle.c: libFuzzer target over the pickle machine alone
 * (kernels/nn/pickle.c): the input is a pickle; a finished tree is walked
 * (every item, tensor geometry read), within a visit budget since a hostile
 * memo can make a list hold itself. nn.load's zip layer and Lua conversion
 * are fuzzed by lua_nn_load. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pickle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t sink;   /* unsigned: the sums may wrap */

static void walk (const gl_pk_value *v, int depth, int64_t *budget) {
  if (depth > 200 || --*budget < 0) return;
  switch (v->kind) {
    case GL_PK_STR: sink += v->u.str.len ? (uint64_t)v->u.str.s[v->u.str.len - 1] : 0; break;
    case GL_PK_TENSOR: {
      const gl_pk_tensor *t = v->u.t;
      sink += (uint64_t)t->offset + (uint64_t)t->storage->u.st.numel + strlen(t->storage->u.st.key);
      for (int d = 0; d < t->ndim; d++) sink += (uint64_t)t->size[d] * 3 + (uint64_t)t->stride[d];
      break;
    }
    case GL_PK_TUPLE: case GL_PK_LIST:
      for (int64_t i = 0; i < v->n; i++) walk(v->items[i], depth + 1, budget);
      break;
    case GL_PK_DICT: case GL_PK_ODICT:
      for (int64_t i = 0; i < 2 * v->n; i++) walk(v->items[i], depth + 1, budget);
      break;
    default: sink += (uint64_t)v->u.i; break;
  }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  /* an exact-size copy: reads past the end are caught by ASan */
  char *b = malloc(size ? size : 1);
  if (!b) return 0;
  memcpy(b, data, size);
  gl_pk_reader *r = NULL;
  const gl_pk_value *root = NULL;
  gl_pk_err e;
  if (gl_pk_read(b, size, &r, &root, &e) == GL_OK) {
    int64_t budget = 100000;
    walk(root, 0, &budget);
  } else if (e.msg[0] == '\0' && e.kind != 0) {
    abort();   /* every failure says why */
  }
  gl_pk_reader_free(r);
  free(b);
  return 0;
}
