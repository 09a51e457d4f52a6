/*
** hello.c -- the example guest for `make run`: a small WASI command module
** built with clang-19 --target=wasm32-wasi. It greets, lists its arguments,
** computes something to show the interpreter at work, and exits 0.
**
**   build/ebb run build/wasm/hello.wasm one two three
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The first n primes by trial division, summed: a few thousand loop
** iterations of real guest work. */
static uint32_t sum_of_primes(int n) {
  uint32_t sum = 0;
  int found = 0;
  for (uint32_t k = 2; found < n; k++) {
    int prime = 1;
    for (uint32_t d = 2; d * d <= k; d++) {
      if (k % d == 0) {
        prime = 0;
        break;
      }
    }
    if (prime) {
      sum += k;
      found++;
    }
  }
  return sum;
}

int main(int argc, char **argv) {
  printf("hello from ebb\n");
  printf("argc = %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d] = \"%s\"\n", i, argv[i]);
  const char *user = getenv("USER");
  if (user) printf("USER = %s\n", user);
  printf("the first 1000 primes sum to %u\n", (unsigned)sum_of_primes(1000));
  return 0;
}
