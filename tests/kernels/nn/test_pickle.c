/* test_pickle.c: the safe pickle machine (kernels/nn/pickle.c) on
 * hand-written pickles: the values each opcode makes, the memo, views checked
 * against their storage, and what it refuses (with the kind of refusal the
 * binding words: model class, other global, REDUCE on a non-function). */
#include <string.h>
#include "testhelp.h"
#include "pickle.h"

static gl_pk_reader *r;
static const gl_pk_value *root;
static gl_pk_err e;

static int run (const char *p, size_t n) {
  gl_pk_reader_free(r);
  r = NULL;
  return gl_pk_read(p, n, &r, &root, &e);
}
#define RUN(lit) run(lit, sizeof lit - 1)

int main (void) {
  /* (a literal is split where a hex escape would swallow the next letter) */
  /* scalars: LONG1 negative, BINFLOAT, BININT2, strings of each kind */
  CHECK(RUN("\x80\x02(\x8a\x03\x00\x00\xf0G?\xb9\x99\x99\x99\x99\x99\x9aM\x01\x02U\x02hiX\x01\x00\x00\x00z"
            "\x8c\x01yN\x88t.") == GL_OK);
  if (root) {
    CHECK(root->kind == GL_PK_TUPLE && root->n == 8);
    CHECK(root->items[0]->u.i == -(1LL << 20));
    CLOSE(root->items[1]->u.f, 0.1, 0);
    CHECK(root->items[2]->u.i == 0x0201);
    CHECK(!strcmp(root->items[3]->u.str.s, "hi") && !strcmp(root->items[4]->u.str.s, "z"));
    CHECK(!strcmp(root->items[5]->u.str.s, "y"));
    CHECK(root->items[6]->kind == GL_PK_NONE);
    CHECK(root->items[7]->kind == GL_PK_BOOL_V && root->items[7]->u.i == 1);
  }
  /* the memo: BINPUT then BINGET gives the same value; LIST/DICT from marks */
  CHECK(RUN("\x80\x02(K\x07q\x05h\x05l.") == GL_OK);
  CHECK(root && root->kind == GL_PK_LIST && root->n == 2 && root->items[0] == root->items[1]);
  CHECK(RUN("\x80\x02(X\x01\x00\x00\x00" "aK\x01" "d.") == GL_OK);
  CHECK(root && root->kind == GL_PK_DICT && root->n == 1 && root->items[1]->u.i == 1);

  /* a view on a storage of 6 floats: offset 1, size (2,2), stride (3,1) */
  const char view[] = "\x80\x02" "ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nHalfStorage\n"
                      "X\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x06tQK\x01K\x02K\x02\x86K\x03K\x01\x86\x89NtR.";
  CHECK(run(view, sizeof view - 1) == GL_OK);
  if (root) {
    CHECK(root->kind == GL_PK_TENSOR);
    const gl_pk_tensor *t = root->u.t;
    CHECK(t->offset == 1 && t->ndim == 2 && t->size[1] == 2 && t->stride[0] == 3);
    CHECK(t->storage->u.st.dtype == GL_PK_F16 && t->storage->u.st.numel == 6);
  }
  /* the same view one element further reaches past the storage */
  char past[sizeof view];
  memcpy(past, view, sizeof view);
  char *off = memmem(past, sizeof view - 1, "QK\x01", 3);
  CHECK(off != NULL);
  if (off) off[2] = 2;   /* offset 2: last element 2 + 3 + 1 = 6, outside */
  CHECK(run(past, sizeof view - 1) == GL_EFORMAT && e.kind == GL_PK_ECORRUPT && strstr(e.msg, "outside"));

  /* refusals: named at their GLOBAL, before REDUCE */
  CHECK(RUN("\x80\x02" "cos\nsystem\nX\x02\x00\x00\x00lsR.") == GL_EFORMAT);
  CHECK(e.kind == GL_PK_EREFUSED && !strcmp(e.msg, "os.system") && e.pos == 2);
  CHECK(RUN("\x80\x02" "c__main__\nNet\n)\x81.") == GL_EFORMAT && e.kind == GL_PK_EMODEL && !strcmp(e.msg, "__main__.Net"));
  CHECK(RUN("\x80\x02" "ctorch.nn.modules.linear\nLinear\n.") == GL_EFORMAT && e.kind == GL_PK_EMODEL);
  CHECK(RUN("\x80\x02" "ctorch\nload\n.") == GL_EFORMAT && e.kind == GL_PK_EREFUSED && !strcmp(e.msg, "torch.load"));
  CHECK(RUN("\x80\x04\x8c\x08" "builtins\x8c\x04" "eval\x93.") == GL_EFORMAT && e.kind == GL_PK_EREFUSED);
  CHECK(RUN("\x80\x02" "ios\nsystem\n.") == GL_EFORMAT && e.kind == GL_PK_EREFUSED);
  CHECK(RUN("\x80\x02" "ctorch\nLongStorage\n)R.") == GL_EFORMAT && e.kind == GL_PK_EREFUSED_CALL);
  CHECK(RUN("\x80\x02K\x01)R.") == GL_EFORMAT && e.kind == GL_PK_EREFUSED_CALL);
  /* malformed */
  CHECK(RUN("\x80\x02K") == GL_EFORMAT && strstr(e.msg, "truncated"));
  CHECK(RUN("\x80\x02" "a.") == GL_EFORMAT && e.kind == GL_PK_ECORRUPT);
  CHECK(RUN("\x80\x02h\x03.") == GL_EFORMAT && strstr(e.msg, "memo"));
  CHECK(RUN("\x80\x02" "ccollections\nOrderedDict\n.") == GL_EFORMAT);   /* a bare class */
  CHECK(RUN("\x80\x09.") == GL_EFORMAT && strstr(e.msg, "protocol"));
  CHECK(RUN("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.") == GL_EFORMAT && strstr(e.msg, "64 bits"));
  gl_pk_reader_free(r);
  return TEST_REPORT();
}
