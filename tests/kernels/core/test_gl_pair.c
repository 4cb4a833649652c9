/* test_gl_pair.c: gl_pair_for runs every item exactly once, on the caller
 * alone with one thread or inside another loop, and the helper thread does
 * join a loop when a core is free. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include "gl_types.h"
#include "gl_pair.h"
#include "testhelp.h"

enum { N = 1000 };

typedef struct counts {
  atomic_int ran[N];
  atomic_int on_caller;          /* items run by the calling thread */
  pthread_t caller;
  atomic_int nested_bad;         /* inner items run off their outer item's thread */
} counts;

static void count_item (void *ctx, int64_t i) {
  counts *c = ctx;
  atomic_fetch_add(&c->ran[i], 1);
  if (pthread_equal(pthread_self(), c->caller)) atomic_fetch_add(&c->on_caller, 1);
}

typedef struct nested { counts *c; pthread_t outer; } nested;
static void inner_item (void *ctx, int64_t i) {
  nested *n = ctx;
  if (!pthread_equal(pthread_self(), n->outer)) atomic_fetch_add(&n->c->nested_bad, 1);
  atomic_fetch_add(&n->c->ran[i], 1);
}
static void outer_item (void *ctx, int64_t i) {
  counts *c = ctx;
  nested n = {c, pthread_self()};
  (void)i;
  gl_pair_for(10, inner_item, &n);   /* 10 items per outer item */
}

/* Two items that each wait (at most 1 s) for the other to start: both run at
 * once only when the helper joined. */
typedef struct meet { atomic_int started; atomic_int together; } meet;
static double seconds (void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
static void meet_item (void *ctx, int64_t i) {
  meet *m = ctx;
  double t0 = seconds();
  (void)i;
  atomic_fetch_add(&m->started, 1);
  while (atomic_load(&m->started) < 2 && seconds() - t0 < 1.0) {}
  if (atomic_load(&m->started) == 2) atomic_fetch_add(&m->together, 1);
}

static int all_once (counts *c, int n, int times) {
  for (int i = 0; i < n; i++) if (atomic_load(&c->ran[i]) != times) return 0;
  return 1;
}

int main (void) {
  static counts c;
  c.caller = pthread_self();

  /* two threads: every item once, over many loops */
  gl_set_threads(2);
  int ok = 1;
  for (int rep = 0; rep < 300; rep++) {
    for (int i = 0; i < N; i++) atomic_store(&c.ran[i], 0);
    gl_pair_for(N, count_item, &c);
    ok &= all_once(&c, N, 1);
  }
  CHECK(ok);
  for (int i = 0; i < N; i++) atomic_store(&c.ran[i], 0);
  gl_pair_for(0, count_item, &c);
  CHECK(all_once(&c, N, 0));
  gl_pair_for(1, count_item, &c);
  CHECK(atomic_load(&c.ran[0]) == 1 && atomic_load(&c.ran[1]) == 0);

  /* a loop inside an item runs on that item's thread, every item once */
  for (int i = 0; i < N; i++) atomic_store(&c.ran[i], 0);
  gl_pair_for(20, outer_item, &c);
  CHECK(all_once(&c, 10, 20));
  CHECK(atomic_load(&c.nested_bad) == 0);

  /* the helper joins when a core is free (at least once in 20 tries) */
  int together = 0;
  for (int rep = 0; rep < 20 && !together; rep++) {
    meet m = {0, 0};
    gl_pair_for(2, meet_item, &m);
    together = atomic_load(&m.together) == 2;
  }
  CHECK(together);

  /* one thread: everything on the caller */
  gl_set_threads(1);
  for (int i = 0; i < N; i++) atomic_store(&c.ran[i], 0);
  atomic_store(&c.on_caller, 0);
  gl_pair_for(N, count_item, &c);
  CHECK(all_once(&c, N, 1));
  CHECK(atomic_load(&c.on_caller) == N);
  return TEST_REPORT();
}
