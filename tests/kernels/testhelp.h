/* testhelp.h: a framework-free harness for kernel tests (after sds's testhelp.h).
 * CHECK(cond) counts a failure and reports file:line; CLOSE(a, b, tol) compares
 * with a relative+absolute tolerance; TEST_REPORT() prints "N passed, M failed"
 * and returns the exit status from main. */
#ifndef GL_TESTHELP_H
#define GL_TESTHELP_H
#include <math.h>
#include <stdio.h>

static int th_passed = 0, th_failed = 0;

#define CHECK(cond) do { \
    if (cond) th_passed++; \
    else { th_failed++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define CLOSE(a, b, tol) do { \
    double th_a = (double)(a), th_b = (double)(b); \
    if (fabs(th_a - th_b) <= (tol) * (1.0 + fabs(th_b))) th_passed++; \
    else { th_failed++; fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g\n", \
                                __FILE__, __LINE__, #a, th_a, th_b); } \
  } while (0)

#define TEST_REPORT() (printf("%d passed, %d failed\n", th_passed, th_failed), th_failed != 0)

#endif
