/* file.c -- reading a module file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ebb.h"

/* Anything but a regular file (a pipe, /dev/stdin): read it to its end. */
static int read_stream(int fd, ebb__cli_file *out) {
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = malloc(cap);
  while (buf) {
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      free(buf);
      return EBB_EIO;
    }
    if (n == 0) break;
    len += (size_t)n;
    if (len < cap) continue;
    unsigned char *nb = realloc(buf, cap * 2);
    if (!nb) free(buf);
    buf = nb;
    cap *= 2;
  }
  if (!buf) {
    errno = ENOMEM;
    return EBB_EIO;
  }
  out->data = buf;
  out->size = len;
  return 0;
}

/* A regular file is mapped rather than read: ebb copies the module's bytes
** anyway, and reading 30 MB first would fault in a buffer as large (about a
** tenth of a second on a VM) only to throw it away. */
int ebb__cli_file_read(const char *path, ebb__cli_file *out) {
  memset(out, 0, sizeof *out);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return EBB_EIO;
  struct stat st;
  int rc = 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      out->data = p;
      out->size = (size_t)st.st_size;
      out->mapped = true;
    } else {
      rc = read_stream(fd, out);
    }
  } else {
    rc = read_stream(fd, out);
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

void ebb__cli_file_free(ebb__cli_file *f) {
  if (f->mapped) munmap(f->data, f->size);
  else free(f->data);
  memset(f, 0, sizeof *f);
}
