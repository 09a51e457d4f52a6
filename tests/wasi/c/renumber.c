/* renumber.c -- fd_renumber, raw calls throughout.
**   renumber       the default, as the WASI testsuite's renumber test: both
**                  descriptors must be open (to a closed number: EBADF,
**                  nothing moves); one moved onto another keeps its type,
**                  flags and rights, and its old number is closed
**   renumber any   under `ebb run --wasi-renumber-any`: to a number that is
**                  not open moves the descriptor there (only `from` must be
**                  open), up to the table's last number, 65535; beyond it
**                  EBADF. What yosys does with its log: stdout parked at a
**                  spare number, a file put at 1, stdout brought back. A
**                  preopen moved away and back stays a preopen. */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static __wasi_errno_t say(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t v = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &v, 1, &n);
}

static int same_stat(const __wasi_fdstat_t *a, const __wasi_fdstat_t *b) {
  return a->fs_filetype == b->fs_filetype && a->fs_flags == b->fs_flags &&
         a->fs_rights_base == b->fs_rights_base &&
         a->fs_rights_inheriting == b->fs_rights_inheriting;
}

static __wasi_fd_t open_raw(__wasi_fd_t dir, const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_rights_t r = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK;
  __wasi_errno_t e = __wasi_path_open(dir, 0, path, of, r, 0, 0, &fd);
  if (e) printf("open %s: %s\n", path, ename(e));
  return fd;
}

static void closed_numbers(void) {
  printf("-- to numbers not open\n");
  __wasi_fd_t fd = open_raw(3, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  printf("opened at %u\n", (unsigned)fd);
  __wasi_fdstat_t before, st;
  __wasi_fd_fdstat_get(fd, &before);
  WTRY("renumber to 50", __wasi_fd_renumber(fd, 50));
  WTRY("  the old number", __wasi_fd_fdstat_get(fd, &st));
  WTRY("  the new number", __wasi_fd_fdstat_get(50, &st));
  printf("  same type, flags and rights: %d\n", same_stat(&before, &st));
  WTRY("  write through it", say(50, "moved"));
  WTRY("renumber to 65535", __wasi_fd_renumber(50, 65535));
  WTRY("renumber to 65536", __wasi_fd_renumber(65535, 65536));
  WTRY("renumber to 4294967295", __wasi_fd_renumber(65535, 0xffffffffu));
  WTRY("  still at 65535", __wasi_fd_fdstat_get(65535, &st));
  WTRY("from a number not open", __wasi_fd_renumber(50, 51));
  WTRY("  and to it", __wasi_fd_renumber(65535, 50));
  WTRY("  then to itself", __wasi_fd_renumber(50, 50));
  WTRY("a closed number to itself", __wasi_fd_renumber(51, 51));
  __wasi_fd_t next = open_raw(3, "b.txt", __WASI_OFLAGS_CREAT);
  printf("a new descriptor takes the lowest free number: %u\n", (unsigned)next);
  __wasi_fd_close(next);
  char buf[16];
  __wasi_iovec_t v = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  WTRY("read back", __wasi_fd_pread(50, &v, 1, 0, &n));
  printf("  '%.*s'\n", (int)n, buf);
  WTRY("close 50", __wasi_fd_close(50));
}

/* stdout parked at 60 while a file is descriptor 1, then brought back:
** what yosys does around a log. Nothing can be printed to 1 meanwhile, so
** the results are printed afterwards. */
static void yosys(void) {
  printf("-- stdout parked and brought back\n");
  fflush(stdout);
  __wasi_fdstat_t before, after;
  __wasi_fd_fdstat_get(1, &before);
  __wasi_fd_t log = open_raw(3, "log.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  __wasi_errno_t park = __wasi_fd_renumber(1, 60);
  __wasi_errno_t parked = say(60, "  (written to the parked stdout)\n");
  __wasi_errno_t one = say(1, "lost");
  __wasi_errno_t to_one = __wasi_fd_renumber(log, 1);
  __wasi_errno_t logged = say(1, "to the log");
  __wasi_errno_t back = __wasi_fd_renumber(60, 1);
  __wasi_errno_t spare = __wasi_fd_fdstat_get(60, &after);
  __wasi_fd_fdstat_get(1, &after);
  printf("renumber 1 to 60: %s\n", ename(park));
  printf("  write to 60: %s\n", ename(parked));
  printf("  write to 1: %s\n", ename(one));
  printf("renumber the log (%u) to 1: %s\n", (unsigned)log, ename(to_one));
  printf("  write to 1: %s\n", ename(logged));
  printf("renumber 60 to 1: %s\n", ename(back));
  printf("  60 afterwards: %s\n", ename(spare));
  printf("  stdout as before: %d\n", same_stat(&before, &after));
  __wasi_fd_t fd = open_raw(3, "log.txt", 0);
  char buf[32];
  __wasi_iovec_t v = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  __wasi_fd_read(fd, &v, 1, &n);
  printf("  the log holds '%.*s'\n", (int)n, buf);
  __wasi_fd_close(fd);
}

static void preopen(void) {
  printf("-- the preopen moved and back\n");
  __wasi_prestat_t pre;
  WTRY("renumber 3 to 70", __wasi_fd_renumber(3, 70));
  WTRY("  prestat of 3", __wasi_fd_prestat_get(3, &pre));
  WTRY("  prestat of 70", __wasi_fd_prestat_get(70, &pre));
  printf("  name length %u\n", (unsigned)pre.u.dir.pr_name_len);
  __wasi_fd_t fd = open_raw(70, "a.txt", 0);
  printf("  open through 70: %s\n", fd != (__wasi_fd_t)-1 ? "ok" : "failed");
  __wasi_fd_close(fd);
  WTRY("renumber 70 to 3", __wasi_fd_renumber(70, 3));
  WTRY("  prestat of 3", __wasi_fd_prestat_get(3, &pre));
  WTRY("  unlink through 3", __wasi_path_unlink_file(3, "a.txt"));
}

/* The spec's rules (wasi-testsuite renumber.rs, and more edges). */
static void both_open(void) {
  printf("-- both must be open\n");
  __wasi_fd_t a = open_raw(3, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  __wasi_fd_t b = open_raw(3, "b.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  printf("opened at %u and %u\n", (unsigned)a, (unsigned)b);
  WTRY("write to a", say(a, "into a"));
  __wasi_fdstat_t before, st;
  __wasi_fd_fdstat_get(a, &before);
  WTRY("renumber to 50 (not open)", __wasi_fd_renumber(a, 50));
  WTRY("  the old number still open", __wasi_fd_fdstat_get(a, &st));
  WTRY("  50", __wasi_fd_fdstat_get(50, &st));
  WTRY("renumber to 65536", __wasi_fd_renumber(a, 65536));
  WTRY("renumber a onto b", __wasi_fd_renumber(a, b));
  WTRY("  close a", __wasi_fd_close(a));
  WTRY("  b", __wasi_fd_fdstat_get(b, &st));
  printf("  same type, flags and rights: %d\n", same_stat(&before, &st));
  char buf[16];
  __wasi_iovec_t v = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  WTRY("  read b at 0", __wasi_fd_pread(b, &v, 1, 0, &n));
  printf("  '%.*s'\n", (int)n, buf);
  WTRY("renumber b back to a (closed now)", __wasi_fd_renumber(b, a));
  WTRY("renumber b to itself", __wasi_fd_renumber(b, b));
  WTRY("a closed number to itself", __wasi_fd_renumber(a, a));
  WTRY("from a closed number onto b", __wasi_fd_renumber(a, b));
  WTRY("  b still open", __wasi_fd_fdstat_get(b, &st));
  printf("-- stdout cannot be parked\n");
  fflush(stdout);
  WTRY("renumber 1 to 60", __wasi_fd_renumber(1, 60));
  WTRY("  1 still open", __wasi_fd_fdstat_get(1, &st));
  WTRY("close b", __wasi_fd_close(b));
  WTRY("unlink a.txt", __wasi_path_unlink_file(3, "a.txt"));
  WTRY("unlink b.txt", __wasi_path_unlink_file(3, "b.txt"));
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "any")) {
    closed_numbers();
    yosys();
    preopen();
  } else {
    both_open();
  }
  return 0;
}
