/* pwrite_append.c -- fd_pwrite on a descriptor with the APPEND flag writes
** at its offset, as WASI says (Linux's pwrite appends there): overwriting
** leaves the size and the position alone, writing past the end makes a
** hole, and fd_write still appends. APPEND set and cleared afterwards, a
** write-only descriptor, and an iovec list, likewise. (wasi-testsuite's
** pwrite-with-append checks the first of these.) */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static long size_of(int fd) {
  struct stat st;
  return fstat(fd, &st) ? -1 : (long)st.st_size;
}

/* The whole file, holes shown as '.'. */
static void show(const char *label, int fd) {
  char buf[64];
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  for (ssize_t i = 0; i < n; i++)
    if (!buf[i]) buf[i] = '.';
  printf("%s: '%.*s' size %ld pos %ld\n", label, (int)(n < 0 ? 0 : n), buf, size_of(fd),
         (long)lseek(fd, 0, SEEK_CUR));
}

int main(void) {
  if (chdir("/sandbox")) {
    perror("chdir");
    return 1;
  }
  int fd = open("log", O_CREAT | O_RDWR | O_APPEND, 0644);
  printf("open with append: %s\n", fd >= 0 ? "ok" : ename(errno));
  printf("append flag: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
  write(fd, "hello", 5);
  lseek(fd, 0, SEEK_SET);
  write(fd, "world", 5);
  show("write after seek to 0 appends", fd);

  printf("pwrite at 0: %ld\n", (long)pwrite(fd, "HE", 2, 0));
  show("overwritten in place", fd);
  printf("pwrite at 12: %ld\n", (long)pwrite(fd, "XY", 2, 12));
  show("past the end", fd);
  printf("pwrite across the end: %ld\n", (long)pwrite(fd, "abc", 3, 13));
  show("across the end", fd);
  printf("write: %ld\n", (long)write(fd, "!", 1));
  show("write still appends", fd);

  __wasi_ciovec_t iov[2] = {{(const uint8_t *)"1", 1}, {(const uint8_t *)"23", 2}};
  __wasi_size_t n = 0;
  WTRY("fd_pwrite of two buffers at 5", __wasi_fd_pwrite(fd, iov, 2, 5, &n));
  printf("  wrote %u\n", (unsigned)n);
  show("two buffers", fd);

  printf("clear append: %d\n", fcntl(fd, F_SETFL, 0));
  lseek(fd, 0, SEEK_SET);
  write(fd, "h", 1);
  printf("pwrite at 1: %ld\n", (long)pwrite(fd, "e", 1, 1));
  show("without append", fd);
  printf("set append: %d\n", fcntl(fd, F_SETFL, O_APPEND));
  printf("pwrite at 2: %ld\n", (long)pwrite(fd, "L", 1, 2));
  write(fd, "#", 1);
  show("append again", fd);

  int wr = open("log", O_WRONLY | O_APPEND);
  printf("pwrite on write-only append: %ld\n", (long)pwrite(wr, "O", 1, 4));
  printf("  its position: %ld\n", (long)lseek(wr, 0, SEEK_CUR));
  write(wr, "$", 1);
  close(wr);
  show("through a second descriptor", fd);

  int rd = open("log", O_RDONLY | O_APPEND);
  TRY("pwrite on read-only append", pwrite(rd, "r", 1, 0));
  close(rd);
  show("unchanged", fd);
  close(fd);
  return 0;
}
