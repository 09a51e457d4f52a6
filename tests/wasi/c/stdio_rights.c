/* stdio_rights.c -- what a guest may do through borrowed stdio (the host's
** descriptors 0-2, shared with whoever started ebb). Results go to stderr,
** which is never the descriptor under test (stdio.sh compares them):
**   dir     stdin is a directory: no path_open, no readdir, no rights to
**           pass on
**   file    stdin is a read-only file: no set_times, set_size, allocate,
**           write; reading works
**   append  stdout is a write-only file: APPEND cannot be changed (ENOTSUP),
**           no read; writing works */
#include <stdint.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

#define OUT(...) fprintf(stderr, __VA_ARGS__)
#define W(label, expr) OUT("%s: %s\n", label, ename((int)(expr)))
#define HAS(r, right) (((r) & (right)) ? "yes" : "no")

static void rights(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  W("fdstat", __wasi_fd_fdstat_get(fd, &st));
  const __wasi_rights_t path = __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE |
                               __WASI_RIGHTS_PATH_CREATE_DIRECTORY |
                               __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_FILESTAT_GET |
                               __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_SYMLINK;
  OUT("rights: read %s write %s path %s readdir %s set_times %s set_size %s allocate %s "
      "inheriting %s\n",
      HAS(st.fs_rights_base, __WASI_RIGHTS_FD_READ), HAS(st.fs_rights_base, __WASI_RIGHTS_FD_WRITE),
      HAS(st.fs_rights_base, path), HAS(st.fs_rights_base, __WASI_RIGHTS_FD_READDIR),
      HAS(st.fs_rights_base, __WASI_RIGHTS_FD_FILESTAT_SET_TIMES),
      HAS(st.fs_rights_base, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE),
      HAS(st.fs_rights_base, __WASI_RIGHTS_FD_ALLOCATE), st.fs_rights_inheriting ? "some" : "none");
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  __wasi_size_t n;
  char buf[64];
  if (!strcmp(mode, "dir")) {
    rights(0);
    __wasi_fd_t fd;
    W("path_open file", __wasi_path_open(0, 0, "inside.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    W("path_open create",
      __wasi_path_open(0, 0, "new.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
    W("path_open dot", __wasi_path_open(0, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
    __wasi_filestat_t fs;
    W("path_filestat_get", __wasi_path_filestat_get(0, 0, "inside.txt", &fs));
    W("path_create_directory", __wasi_path_create_directory(0, "made"));
    W("path_unlink_file", __wasi_path_unlink_file(0, "inside.txt"));
    W("readdir", __wasi_fd_readdir(0, (uint8_t *)buf, sizeof buf, 0, &n));
    W("set_times", __wasi_fd_filestat_set_times(0, 0, 0,
                                               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  } else if (!strcmp(mode, "file")) {
    rights(0);
    W("set_times", __wasi_fd_filestat_set_times(0, 0, 0,
                                               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    W("set_size", __wasi_fd_filestat_set_size(0, 0));
    W("allocate", __wasi_fd_allocate(0, 0, 4096));
    __wasi_ciovec_t out = {(const uint8_t *)"x", 1};
    W("write", __wasi_fd_write(0, &out, 1, &n));
    __wasi_iovec_t in = {(uint8_t *)buf, sizeof buf};
    __wasi_errno_t e = __wasi_fd_read(0, &in, 1, &n);
    OUT("read: %s %.*s", ename(e), e ? 0 : (int)n, buf);
    W("sync", __wasi_fd_sync(0));
  } else if (!strcmp(mode, "append")) {
    rights(1);
    W("set nonblock", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK));
    W("clear nonblock", __wasi_fd_fdstat_set_flags(1, 0));
    __wasi_iovec_t in = {(uint8_t *)buf, sizeof buf};
    W("read", __wasi_fd_read(1, &in, 1, &n));
    __wasi_ciovec_t out = {(const uint8_t *)"written\n", 8};
    W("write", __wasi_fd_write(1, &out, 1, &n));
    /* Last, so that nothing after it clears the flag again. */
    W("set append", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND));
  } else {
    OUT("unknown mode %s\n", mode);
    return 1;
  }
  return 0;
}
