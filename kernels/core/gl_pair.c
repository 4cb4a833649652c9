/* gl_pair.c: the helper thread of gl_pair.h.
 *
 * One loop at a time goes through a single gate word: the job's number and
 * its state (OPEN, JOINED, DONE, CLOSED). The caller writes the loop into
 * the shared slot and opens the gate; the helper joins by moving it from
 * OPEN to JOINED, runs items until none is left and marks it DONE; the
 * caller, out of items, moves it from OPEN to CLOSED, which succeeds only if
 * the helper never joined, and otherwise waits for DONE. After a loop the
 * helper spins for SPIN_NS waiting for the next one (a training step opens
 * one every 100 us or so), then sleeps on a condition variable. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "gl_types.h"
#include "gl_pair.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif

#define SPIN_NS 200000           /* the helper's wait for a next loop before it sleeps */

enum { OPEN = 1, JOINED = 2, DONE = 3, CLOSED = 4 };
#define GATE(job, state) (((job) << 3) | (uint64_t)(state))
#define STATE(g) ((int)((g) & 7))

static struct {
  _Atomic uint64_t gate;
  gl_pair_fn fn;                 /* the open loop, written before the gate opens */
  void *ctx;
  int64_t n;
  _Atomic int64_t next;          /* the next unclaimed item */
  atomic_int busy;               /* a caller holds the slot */
  atomic_int sleeping;           /* the helper waits on cv */
  uint64_t job;                  /* the last job's number (the holder's) */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool running;                  /* the helper thread started */
} P = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static _Thread_local bool in_loop;    /* this thread is running items */
static pthread_once_t started = PTHREAD_ONCE_INIT;

static int64_t now_ns (void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void run_items (void) {
  for (;;) {
    int64_t i = atomic_fetch_add(&P.next, 1);
    if (i >= P.n) return;
    P.fn(P.ctx, i);
  }
}

static bool job_open (uint64_t g, uint64_t seen) { return STATE(g) == OPEN && (g >> 3) != seen; }

static void *helper (void *arg) {
  uint64_t seen = 0;
  int64_t idle_since = now_ns();
  (void)arg;
  in_loop = true;                /* loops opened by items run on the helper alone */
  for (unsigned spins = 0;; spins++) {
    uint64_t g = atomic_load(&P.gate);
    if (job_open(g, seen)) {
      seen = g >> 3;
      if (atomic_compare_exchange_strong(&P.gate, &g, GATE(seen, JOINED))) {
        run_items();
        atomic_store(&P.gate, GATE(seen, DONE));
      }
      idle_since = now_ns();
      continue;
    }
    cpu_relax();
    if (spins % 64 != 0 || now_ns() - idle_since < SPIN_NS) continue;
    pthread_mutex_lock(&P.mu);
    atomic_store(&P.sleeping, 1);
    if (!job_open(atomic_load(&P.gate), seen)) pthread_cond_wait(&P.cv, &P.mu);
    atomic_store(&P.sleeping, 0);
    pthread_mutex_unlock(&P.mu);
    idle_since = now_ns();
  }
  return NULL;
}

static void start_helper (void) {
  pthread_t t;
  pthread_attr_t a;
  if (pthread_attr_init(&a) != 0) return;
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  P.running = pthread_create(&t, &a, helper, NULL) == 0;
  pthread_attr_destroy(&a);
}

static void run_alone (int64_t n, gl_pair_fn fn, void *ctx) {
  for (int64_t i = 0; i < n; i++) fn(ctx, i);
}

void gl_pair_for (int64_t n, gl_pair_fn fn, void *ctx) {
  if (n < 2 || in_loop || gl_threads() < 2) { run_alone(n, fn, ctx); return; }
#ifdef _OPENMP
  if (omp_in_parallel()) { run_alone(n, fn, ctx); return; }
#endif
  pthread_once(&started, start_helper);
  if (!P.running || atomic_exchange(&P.busy, 1)) { run_alone(n, fn, ctx); return; }
  P.fn = fn; P.ctx = ctx; P.n = n;
  atomic_store(&P.next, 0);
  uint64_t job = ++P.job, g = GATE(job, OPEN);
  atomic_store(&P.gate, g);
  if (atomic_load(&P.sleeping)) {
    pthread_mutex_lock(&P.mu);
    pthread_cond_signal(&P.cv);
    pthread_mutex_unlock(&P.mu);
  }
  in_loop = true;
  run_items();
  in_loop = false;
  if (!atomic_compare_exchange_strong(&P.gate, &g, GATE(job, CLOSED))) {
    /* the helper joined: it is running an item, or about to see none left */
    for (unsigned spins = 1; atomic_load(&P.gate) != GATE(job, DONE); spins++) {
      if (spins % 1024 == 0) sched_yield();
      else cpu_relax();
    }
  }
  atomic_store(&P.busy, 0);
}
