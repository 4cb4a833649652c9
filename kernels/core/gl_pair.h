/* gl_pair.h: a helper thread that joins short parallel loops when it is free.
 *
 * For loops of tens of microseconds (the row blocks of the course MLP's
 * 64 x 784 x 48 products), an OpenMP region costs more than it saves as soon
 * as the second core is busy: every thread of the team must reach the
 * closing barrier, and a partner that the kernel has descheduled holds the
 * caller for a whole time slice (the MLP epoch took 1.07 s instead of 0.37 s
 * with two other busy processes on 2 cores). Here the caller never waits for
 * a thread that has not started: the helper joins a loop only while it is
 * open, items are claimed one at a time, and the caller closes the loop when
 * it runs out of items; it then waits only for an item the helper is running.
 *
 * The items of a loop must be independent and each must write its own
 * results, so which thread runs an item never changes the bits. */
#ifndef GL_PAIR_H
#define GL_PAIR_H
#include <stdint.h>

typedef void (*gl_pair_fn)(void *ctx, int64_t item);

/* fn(ctx, i) for every i in [0, n), by the caller and, when gl_threads() is 2
 * or more and it is free, the helper thread. Runs them all on the caller when
 * called from inside another gl_pair loop, from an OpenMP parallel region, or
 * while another thread's loop holds the helper. */
void gl_pair_for(int64_t n, gl_pair_fn fn, void *ctx);

#endif
