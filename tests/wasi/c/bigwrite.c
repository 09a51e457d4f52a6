/* bigwrite.c -- write N lines (default 50,000: about 3.3 MB) to stdout in
** one large write, then line by line through stdio, then in odd chunk sizes;
** the script compares the bytes with the same pattern made by awk. */
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

static int line(char *p, long i) {
  return sprintf(p, "%08ld the quick brown fox jumps over the lazy dog\n", i);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 50000;
  long third = n / 3;
  /* One write of a third of the lines. */
  char *big = malloc((size_t)third * 64 + 64);
  size_t len = 0;
  for (long i = 0; i < third; i++) len += (size_t)line(big + len, i);
  for (size_t off = 0; off < len;) {
    ssize_t w = write(1, big + off, len - off);
    if (w <= 0) return 2;
    off += (size_t)w;
  }
  /* A third through stdio. */
  char l[80];
  for (long i = third; i < 2 * third; i++) {
    line(l, i);
    fputs(l, stdout);
  }
  fflush(stdout);
  /* The rest in chunks of 1, 2, 3... 4097 bytes. */
  len = 0;
  for (long i = 2 * third; i < n; i++) len += (size_t)line(big + len, i);
  size_t chunk = 1;
  for (size_t off = 0; off < len;) {
    size_t k = chunk < len - off ? chunk : len - off;
    ssize_t w = write(1, big + off, k);
    if (w <= 0) return 3;
    off += (size_t)w;
    chunk = chunk % 4097 + 1;
  }
  free(big);
  return 0;
}
