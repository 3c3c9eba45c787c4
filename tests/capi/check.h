/* Check macros shared by the C ABI tests: each counts a pass or prints the failing call with
 * the library's last error. A test prints "N passed, N failed" from the two counters. */
#ifndef VIGIL_TEST_CHECK_H
#define VIGIL_TEST_CHECK_H

#include <stdio.h>

#include "vigil.h"

/* A test of one translation unit keeps the counters to itself; a program of several defines
 * VIGIL_CHECK_SHARED_COUNTERS before including this header and defines the counters once. */
#ifdef VIGIL_CHECK_SHARED_COUNTERS
extern int passed, failed;
#else
static int passed, failed;
#endif

#define CHECK(cond)                                                               \
  do {                                                                            \
    if (cond) {                                                                   \
      ++passed;                                                                   \
    } else {                                                                      \
      ++failed;                                                                   \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__,    \
              __LINE__, #cond, vigil_last_error());                               \
    }                                                                             \
  } while (0)

#define CHECK_RC(call, expected)                                                  \
  do {                                                                            \
    int rc_ = (call);                                                             \
    if (rc_ == (expected)) {                                                      \
      ++passed;                                                                   \
    } else {                                                                      \
      ++failed;                                                                   \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (last error: %s)\n",   \
              __FILE__, __LINE__, #call, vigil_error_name(rc_),                   \
              vigil_error_name(expected), vigil_last_error());                    \
    }                                                                             \
  } while (0)

/* A failing call returns the code and leaves a non-empty message. */
#define CHECK_FAILS(call, expected)                                               \
  do {                                                                            \
    CHECK_RC(call, expected);                                                     \
    CHECK(vigil_last_error()[0] != '\0');                                         \
  } while (0)

#endif
