/* file.c -- reading a module file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ebb.h"

int ebb__cli_read_file(const char *path, unsigned char **data, size_t *size) {
  FILE *f = fopen(path, "rb");
  *data = NULL;
  *size = 0;
  if (!f) return EBB_EIO;
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = malloc(cap);
  while (buf) {
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (len < cap) break;
    unsigned char *nb = realloc(buf, cap * 2);
    if (!nb) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  int bad = ferror(f) || !buf;
  fclose(f);
  if (bad) {
    free(buf);
    return EBB_EIO;
  }
  *data = buf;
  *size = len;
  return 0;
}
