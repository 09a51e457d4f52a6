/*
** check.h -- the unit tests' assertions. A failed CHECK prints the file, line
** and expression and counts a failure; CHECK_DONE() prints the summary line
** ctest shows and returns the exit status.
*/
#ifndef EBB_TEST_CHECK_H
#define EBB_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures, check_count;

#define CHECK(expr)                                                        \
  do {                                                                     \
    check_count++;                                                         \
    if (!(expr)) {                                                         \
      check_failures++;                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr); \
    }                                                                      \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                 \
  do {                                                                     \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
    check_count++;                                                         \
    if (check_a_ != check_b_) {                                            \
      check_failures++;                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",    \
              __FILE__, __LINE__, #a, #b, check_a_, check_b_);             \
    }                                                                      \
  } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                    \
  do {                                                                     \
    check_count++;                                                         \
    if (!strstr((hay), (needle))) {                                        \
      check_failures++;                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: \"%s\" contains \"%s\"\n",     \
              __FILE__, __LINE__, (hay), (needle));                        \
    }                                                                      \
  } while (0)

#define CHECK_DONE()                                                       \
  (printf("%d passed, %d failed\n", check_count - check_failures, check_failures), \
   check_failures ? 1 : 0)

#endif
