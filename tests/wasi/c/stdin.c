/* stdin.c -- read standard input to the end: bytes, lines, a checksum, and
** the first line upper-cased. */
#include <ctype.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  static char buf[65536];
  long bytes = 0, lines = 0, reads = 0;
  uint32_t sum = 0;
  char first[80] = "";
  size_t fl = 0;
  int in_first = 1;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      printf("read: %s\n", ename(errno));
      return 1;
    }
    if (n == 0) break;
    reads++;
    for (ssize_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)buf[i];
      sum = sum * 31 + c;
      if (c == '\n') {
        lines++;
        in_first = 0;
      } else if (in_first && fl < sizeof first - 1) {
        first[fl++] = (char)toupper(c);
      }
    }
    bytes += n;
  }
  printf("bytes %ld lines %ld checksum %08x\nfirst line: %s\n", bytes, lines, sum, first);
  printf("read after end: %ld\n", (long)read(0, buf, 1));
  return 0;
}
