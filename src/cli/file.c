/* file.c -- reading a module file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A regular file is read straight into memory the module will own
** (ebb_module_new_owned): a 30 MB module is then held once, not twice (the
** file's bytes and the module's copy), and never copied. */
static int read_regular(int fd, size_t size, ebb__cli_file *out) {
  unsigned char *buf = ebb_module_bytes_alloc(size);
  if (!buf) {
    errno = ENOMEM;
    return EBB_EIO;
  }
  size_t len = 0;
  while (len < size) {
    ssize_t n = read(fd, buf + len, size - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO; /* shorter than it was a moment ago */
      ebb_module_bytes_free(buf, size);
      return EBB_EIO;
    }
    len += (size_t)n;
  }
  out->data = buf;
  out->size = size;
  out->module_bytes = true;
  return 0;
}

int ebb__cli_file_read(const char *path, ebb__cli_file *out) {
  memset(out, 0, sizeof *out);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return EBB_EIO;
  struct stat st;
  int rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
               ? read_regular(fd, (size_t)st.st_size, out)
               : read_stream(fd, out);
  int saved = errno;
  close(fd);
  errno = saved;
  return rc;
}

int ebb__cli_module_new(ebb__cli_file *f, const ebb_module_options_t *opts, ebb_module_t **out,
                        ebb_error_t *err) {
  if (!f->module_bytes) return ebb_module_new_ex(f->data, f->size, opts, out, err);
  unsigned char *bytes = f->data;
  size_t size = f->size;
  memset(f, 0, sizeof *f); /* the module's now, whatever happens */
  return ebb_module_new_owned(bytes, size, opts, out, err);
}

void ebb__cli_file_free(ebb__cli_file *f) {
  if (f->module_bytes) ebb_module_bytes_free(f->data, f->size);
  else free(f->data);
  memset(f, 0, sizeof *f);
}
