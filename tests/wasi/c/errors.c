/* errors.c -- every bad input gets a clear errno: bad descriptors, guest
** pointers out of bounds (EFAULT, never a crash), missing rights, bad flags,
** preopen queries, renumbering. Raw WASI calls; ebb's answers. */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

#define OOB ((void *)0xfffffff0u) /* beyond any memory this program has */

/* The imports themselves, for lengths the libc wrappers would compute. */
#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t,
                      int32_t) IMPORT(path_open);
int32_t raw_path_create_directory(int32_t, int32_t, int32_t) IMPORT(path_create_directory);
int32_t raw_proc_raise(int32_t) IMPORT(proc_raise); /* gone from wasi-libc's api.h */

static __wasi_fd_t open_raw(const char *path, __wasi_oflags_t of, __wasi_rights_t base) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_errno_t e = __wasi_path_open(3, 0, path, of, base, base, 0, &fd);
  if (e) printf("open %s: %s\n", path, ename(e));
  return fd;
}

int main(void) {
  __wasi_size_t n;
  __wasi_ciovec_t ok = {(const uint8_t *)"x", 1};
  __wasi_ciovec_t bad = {OOB, 100};
  char name[64];
  __wasi_prestat_t pre;

  printf("-- descriptors\n");
  WTRY("write to 99", __wasi_fd_write(99, &ok, 1, &n));
  WTRY("write to -1", __wasi_fd_write((__wasi_fd_t)-1, &ok, 1, &n));
  WTRY("close 99", __wasi_fd_close(99));
  WTRY("prestat of stdout", __wasi_fd_prestat_get(1, &pre));
  WTRY("prestat of 3", __wasi_fd_prestat_get(3, &pre));
  printf("  name length %u\n", (unsigned)pre.u.dir.pr_name_len);
  memset(name, 0, sizeof name);
  WTRY("prestat name", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, sizeof name));
  printf("  name '%s'\n", name);
  WTRY("prestat name short", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 2));
  WTRY("prestat of 4", __wasi_fd_prestat_get(4, &pre));

  printf("-- guest pointers\n");
  WTRY("iovec array", __wasi_fd_write(1, OOB, 1, &n));
  WTRY("iovec buffer", __wasi_fd_write(1, &bad, 1, &n));
  WTRY("nwritten", __wasi_fd_write(1, &ok, 1, OOB));
  WTRY("huge iovec count", __wasi_fd_write(1, &ok, 0x20000000u, &n));
  WTRY("read buffer", __wasi_fd_read(0, (const __wasi_iovec_t *)&bad, 1, &n));
  WTRY("clock result", __wasi_clock_time_get(0, 1, OOB));
  WTRY("random buffer", __wasi_random_get(OOB, 64));
  WTRY("args", __wasi_args_get(OOB, OOB));
  WTRY("args sizes", __wasi_args_sizes_get(OOB, &n));
  WTRY("environ", __wasi_environ_get(OOB, OOB));
  WTRY("fdstat", __wasi_fd_fdstat_get(1, OOB));
  WTRY("prestat", __wasi_fd_prestat_get(3, OOB));
  WTRY("prestat name", __wasi_fd_prestat_dir_name(3, OOB, 64));
  WTRY("path", raw_path_create_directory(3, (int32_t)(uintptr_t)OOB, 5));
  WTRY("path length", raw_path_create_directory(3, (int32_t)(uintptr_t)"x", 0x7fffffff));
  __wasi_fd_t fd;
  WTRY("path_open result", __wasi_path_open(3, 0, "x", __WASI_OFLAGS_CREAT, 0, 0, 0, OOB));
  WTRY("created nothing", __wasi_path_unlink_file(3, "x"));
  WTRY("filestat", __wasi_path_filestat_get(3, 0, ".", OOB));
  WTRY("readdir", __wasi_fd_readdir(3, OOB, 64, 0, &n));
  WTRY("readlink", __wasi_path_readlink(3, "nope", OOB, 64, &n));

  printf("-- paths\n");
  WTRY("NUL in a path", raw_path_open(3, 0, (int32_t)(uintptr_t)"a\0b", 3, 0, 0, 0, 0,
                                       (int32_t)(uintptr_t)&fd));
  WTRY("empty path", __wasi_path_open(3, 0, "", 0, 0, 0, 0, &fd));
  WTRY("bad oflags", __wasi_path_open(3, 0, ".", 0x10, 0, 0, 0, &fd));
  WTRY("bad fdflags", __wasi_path_open(3, 0, ".", 0, 0, 0, 0x40, &fd));
  static char longpath[5000];
  memset(longpath, 'a', sizeof longpath - 1);
  WTRY("path too long", __wasi_path_open(3, 0, longpath, 0, 0, 0, 0, &fd));
  memset(longpath, 'b', 300);
  longpath[300] = 0;
  WTRY("name too long", __wasi_path_open(3, 0, longpath, 0, 0, 0, 0, &fd));
  WTRY("path op on a non-directory", __wasi_path_create_directory(1, "x"));

  printf("-- rights\n");
  fd = open_raw("r.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK);
  WTRY("write without the right", __wasi_fd_write(fd, &ok, 1, &n));
  __wasi_fdstat_t st;
  __wasi_fd_fdstat_get(fd, &st);
  printf("  rights %llx type %u\n", (unsigned long long)st.fs_rights_base, st.fs_filetype);
  WTRY("drop fd_read", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_SEEK, 0));
  char c;
  __wasi_iovec_t rv = {(uint8_t *)&c, 1};
  WTRY("read without the right", __wasi_fd_read(fd, &rv, 1, &n));
  WTRY("take fd_read back", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0));
  __wasi_filesize_t pos;
  WTRY("tell without the right", __wasi_fd_tell(fd, &pos));
  WTRY("seek with the right", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  WTRY("seek result out of bounds", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, OOB));
  WTRY("bad whence", __wasi_fd_seek(fd, 0, 3, &pos));
  __wasi_fd_close(fd);
  WTRY("open with rights the directory lacks",
       __wasi_path_open(3, 0, "r.txt", 0, (__wasi_rights_t)1 << 40, 0, 0, &fd));

  printf("-- directories and files mixed up\n");
  WTRY("seek a directory", __wasi_fd_seek(3, 0, __WASI_WHENCE_SET, &pos));
  WTRY("read a directory", __wasi_fd_read(3, &rv, 1, &n));
  fd = open_raw("r.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR |
                                __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS);
  uint8_t dbuf[64];
  WTRY("readdir a file", __wasi_fd_readdir(fd, dbuf, sizeof dbuf, 0, &n));
  WTRY("sock_accept a file", __wasi_sock_accept(fd, 0, &fd));
  WTRY("sock_shutdown a file", __wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR));
  WTRY("advise bad advice", __wasi_fd_advise(fd, 0, 0, 9));
  WTRY("set times both ways",
       __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  WTRY("set sync flag", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
  WTRY("set nonblock", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
  __wasi_fd_fdstat_get(fd, &st);
  printf("  flags now %u\n", st.fs_flags);
  __wasi_fd_close(fd);
  fd = open_raw("r.txt", 0, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE |
                                __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_SYNC |
                                __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_ADVISE);
  WTRY("allocate", __wasi_fd_allocate(fd, 0, 4096));
  __wasi_filestat_t fs;
  __wasi_fd_filestat_get(fd, &fs);
  printf("  size %llu\n", (unsigned long long)fs.size);
  WTRY("advise", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_SEQUENTIAL));
  WTRY("sync", __wasi_fd_sync(fd));
  WTRY("datasync", __wasi_fd_datasync(fd));
  WTRY("allocate overflowing", __wasi_fd_allocate(fd, (uint64_t)-1, 2));

  printf("-- renumber\n");
  __wasi_fd_t other = open_raw("r.txt", 0, __WASI_RIGHTS_FD_READ);
  /* Both must be open by default (renumber.c); beyond the table never is. */
  WTRY("renumber beyond the table", __wasi_fd_renumber(fd, 65536));
  WTRY("renumber", __wasi_fd_renumber(fd, other));
  WTRY("old number closed", __wasi_fd_close(fd));
  __wasi_fd_fdstat_get(other, &st);
  printf("  moved rights include write: %d\n", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0);
  WTRY("renumber to itself", __wasi_fd_renumber(other, other));
  __wasi_fd_close(other);
  __wasi_path_unlink_file(3, "r.txt");

  printf("-- process\n");
  WTRY("proc_raise", raw_proc_raise(15));
  WTRY("sched_yield", __wasi_sched_yield());
  WTRY("close the preopen", __wasi_fd_close(3));
  WTRY("use it after", __wasi_path_create_directory(3, "x"));
  printf("done\n");
  return 0;
}
