/* test_pickle_write.c: the protocol-2 writer (kernels/nn/pickle_write.c).
 * Scalars must be the bytes CPython's pickler writes (pickle.dumps(v, 2)
 * without PROTO and STOP, values printed by Python 3.11 and copied here);
 * a state dict written must read back through gl_pk_read. */
#include <string.h>
#include "testhelp.h"
#include "gzfile.h"
#include "pickle.h"

static gl_bytes b;

static int same (const char *want, size_t n) { return b.len == n && memcmp(b.data, want, n) == 0; }
#define INT_IS(v, lit) do { gl_bytes_free(&b); CHECK(gl_pkw_int(&b, v) == 0); CHECK(same(lit, sizeof lit - 1)); } while (0)

int main (void) {
  INT_IS(0, "K\x00");
  INT_IS(255, "K\xff");
  INT_IS(256, "M\x00\x01");
  INT_IS(65536, "J\x00\x00\x01\x00");
  INT_IS(-1, "J\xff\xff\xff\xff");
  INT_IS(INT32_MIN, "J\x00\x00\x00\x80");
  INT_IS(2147483648LL, "\x8a\x05\x00\x00\x00\x80\x00");
  INT_IS(-2147483649LL, "\x8a\x05\xff\xff\xff\x7f\xff");
  INT_IS(1LL << 40, "\x8a\x06\x00\x00\x00\x00\x00\x01");
  INT_IS(-(1LL << 40), "\x8a\x06\x00\x00\x00\x00\x00\xff");
  INT_IS(INT64_MAX, "\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x7f");
  INT_IS(INT64_MIN, "\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80");
  gl_bytes_free(&b);
  CHECK(gl_pkw_float(&b, 0.1) == 0 && same("G?\xb9\x99\x99\x99\x99\x99\x9a", 9));
  gl_bytes_free(&b);
  CHECK(gl_pkw_float(&b, -2e300) == 0 && same("G\xfeG\xe4<\x88\x00u\x9c", 9));
  gl_bytes_free(&b);
  CHECK(gl_pkw_str(&b, "ab", 2) == 0 && same("X\x02\x00\x00\x00" "ab", 7));

  /* a state dict {w: 2x3 float32 (key 0), n: 0-d int64 (key 1)}, nested in
   * a plain dict with an int, then read back */
  gl_bytes_free(&b);
  int64_t s23[2] = {2, 3};
  CHECK(gl_pkw_begin(&b) == 0 && gl_pkw_dict_begin(&b, 0) == 0 && gl_pkw_mark(&b) == 0);
  CHECK(gl_pkw_str(&b, "sd", 2) == 0 && gl_pkw_dict_begin(&b, 1) == 0 && gl_pkw_mark(&b) == 0);
  CHECK(gl_pkw_str(&b, "w", 1) == 0 && gl_pkw_tensor(&b, GL_PK_F32, "0", 6, 2, s23) == 0);
  CHECK(gl_pkw_str(&b, "n", 1) == 0 && gl_pkw_tensor(&b, GL_PK_I64, "1", 1, 0, NULL) == 0);
  CHECK(gl_pkw_setitems(&b) == 0);
  CHECK(gl_pkw_str(&b, "epoch", 5) == 0 && gl_pkw_int(&b, -3) == 0);
  CHECK(gl_pkw_setitems(&b) == 0 && gl_pkw_end(&b) == 0);
  gl_pk_reader *r;
  const gl_pk_value *root;
  gl_pk_err e;
  CHECK(gl_pk_read(b.data, b.len, &r, &root, &e) == GL_OK);
  if (root) {
    CHECK(root->kind == GL_PK_DICT && root->n == 2);
    const gl_pk_value *sd = root->items[1], *ep = root->items[3];
    CHECK(ep->kind == GL_PK_INT && ep->u.i == -3);
    CHECK(sd->kind == GL_PK_ODICT && sd->n == 2);
    const gl_pk_tensor *w = sd->items[1]->u.t, *n = sd->items[3]->u.t;
    CHECK(w->ndim == 2 && w->size[0] == 2 && w->size[1] == 3 && w->stride[0] == 3 && w->stride[1] == 1);
    CHECK(w->offset == 0 && w->storage->u.st.numel == 6 && w->storage->u.st.dtype == GL_PK_F32);
    CHECK(!strcmp(w->storage->u.st.key, "0") && !strcmp(n->storage->u.st.key, "1"));
    CHECK(n->ndim == 0 && n->storage->u.st.dtype == GL_PK_I64 && n->storage->u.st.numel == 1);
  }
  gl_pk_reader_free(r);
  gl_bytes_free(&b);
  return TEST_REPORT();
}
