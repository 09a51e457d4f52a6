/* fuzz_calls.c -- call every WASI function many times with random
** arguments (descriptors, pointers in and out of bounds, lengths, flags,
** paths): each call must return an errno, never crash the host or leave the
** sandbox. Descriptors 1 and 2 are left alone so the verdict can be printed,
** and the preopen (3) is never closed, renumbered or stripped of rights, so
** paths keep working;
** calls that could wait long are given short clocks or skipped. */
#include <stdint.h>
#include <stdlib.h>
#include <wasi/api.h>

#include "common.h"

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
typedef int32_t i32;
typedef int64_t i64;
i32 w_args_get(i32, i32) IMPORT(args_get);
i32 w_args_sizes_get(i32, i32) IMPORT(args_sizes_get);
i32 w_environ_get(i32, i32) IMPORT(environ_get);
i32 w_environ_sizes_get(i32, i32) IMPORT(environ_sizes_get);
i32 w_clock_res_get(i32, i32) IMPORT(clock_res_get);
i32 w_clock_time_get(i32, i64, i32) IMPORT(clock_time_get);
i32 w_random_get(i32, i32) IMPORT(random_get);
i32 w_fd_advise(i32, i64, i64, i32) IMPORT(fd_advise);
i32 w_fd_allocate(i32, i64, i64) IMPORT(fd_allocate);
i32 w_fd_close(i32) IMPORT(fd_close);
i32 w_fd_datasync(i32) IMPORT(fd_datasync);
i32 w_fd_fdstat_get(i32, i32) IMPORT(fd_fdstat_get);
i32 w_fd_fdstat_set_flags(i32, i32) IMPORT(fd_fdstat_set_flags);
i32 w_fd_fdstat_set_rights(i32, i64, i64) IMPORT(fd_fdstat_set_rights);
i32 w_fd_filestat_get(i32, i32) IMPORT(fd_filestat_get);
i32 w_fd_filestat_set_size(i32, i64) IMPORT(fd_filestat_set_size);
i32 w_fd_filestat_set_times(i32, i64, i64, i32) IMPORT(fd_filestat_set_times);
i32 w_fd_pread(i32, i32, i32, i64, i32) IMPORT(fd_pread);
i32 w_fd_prestat_get(i32, i32) IMPORT(fd_prestat_get);
i32 w_fd_prestat_dir_name(i32, i32, i32) IMPORT(fd_prestat_dir_name);
i32 w_fd_pwrite(i32, i32, i32, i64, i32) IMPORT(fd_pwrite);
i32 w_fd_read(i32, i32, i32, i32) IMPORT(fd_read);
i32 w_fd_readdir(i32, i32, i32, i64, i32) IMPORT(fd_readdir);
i32 w_fd_renumber(i32, i32) IMPORT(fd_renumber);
i32 w_fd_seek(i32, i64, i32, i32) IMPORT(fd_seek);
i32 w_fd_sync(i32) IMPORT(fd_sync);
i32 w_fd_tell(i32, i32) IMPORT(fd_tell);
i32 w_fd_write(i32, i32, i32, i32) IMPORT(fd_write);
i32 w_path_create_directory(i32, i32, i32) IMPORT(path_create_directory);
i32 w_path_filestat_get(i32, i32, i32, i32, i32) IMPORT(path_filestat_get);
i32 w_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32) IMPORT(path_filestat_set_times);
i32 w_path_link(i32, i32, i32, i32, i32, i32, i32) IMPORT(path_link);
i32 w_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32) IMPORT(path_open);
i32 w_path_readlink(i32, i32, i32, i32, i32, i32) IMPORT(path_readlink);
i32 w_path_remove_directory(i32, i32, i32) IMPORT(path_remove_directory);
i32 w_path_rename(i32, i32, i32, i32, i32, i32) IMPORT(path_rename);
i32 w_path_symlink(i32, i32, i32, i32, i32) IMPORT(path_symlink);
i32 w_path_unlink_file(i32, i32, i32) IMPORT(path_unlink_file);
i32 w_poll_oneoff(i32, i32, i32, i32) IMPORT(poll_oneoff);
i32 w_proc_raise(i32) IMPORT(proc_raise);
i32 w_sched_yield(void) IMPORT(sched_yield);
i32 w_sock_accept(i32, i32, i32) IMPORT(sock_accept);
i32 w_sock_recv(i32, i32, i32, i32, i32, i32) IMPORT(sock_recv);
i32 w_sock_send(i32, i32, i32, i32, i32) IMPORT(sock_send);
i32 w_sock_shutdown(i32, i32) IMPORT(sock_shutdown);

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static uint8_t scratch[4096]; /* in-bounds target memory */

/* Values that find edges: small, huge, negative. */
static i32 any32(void) {
  switch (rnd() % 7) {
  case 0: return 0;
  case 1: return (i32)(rnd() % 16);
  case 2: return -1;
  case 3: return (i32)0x7fffffff;
  case 4: return (i32)0xfffffff0u;
  case 5: return (i32)(rnd() % 70000);
  default: return (i32)rnd();
  }
}
static i64 any64(void) { return rnd() % 3 ? (i64)(rnd() % 5000) : (i64)rnd(); }
/* Guest pointers: into the first half of scratch, or surely out of bounds
** (never elsewhere in this program's memory, which the host would
** rightly write to). */
static i32 ptr(void) {
  static const uint32_t oob[] = {0xfffffff0u, 0x7fffffffu, 0xffffffffu, 0x40000000u};
  return rnd() % 5 ? (i32)(uintptr_t)scratch + (i32)(rnd() % 2048) : (i32)oob[rnd() % 4];
}
/* Lengths: small enough to stay in scratch, or too big for any memory. */
static i32 len(void) {
  return rnd() % 4 ? (i32)(rnd() % 1024) : (i32)(0x10000000u + (uint32_t)(rnd() % 0xe0000000u));
}
/* Descriptors: never 1 or 2. */
static i32 fd(void) {
  i32 f = rnd() % 4 ? (i32)(rnd() % 12) : any32();
  return f == 1 || f == 2 ? 3 : f;
}

/* A path from pieces, into scratch + 3072; returns its length. */
static i32 path(i32 *at) {
  static const char *parts[] = {"a", "b", "..", ".", "d", "f.txt", "", "/", "x/y", "lnk",
                                "../..", "very-long-name-xxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
  char *p = (char *)scratch + 3072;
  size_t n = 0, k = rnd() % 4 + 1;
  for (size_t i = 0; i < k; i++) {
    const char *s = parts[rnd() % (sizeof parts / sizeof parts[0])];
    size_t l = strlen(s);
    if (n + l + 2 > 900) break;
    memcpy(p + n, s, l);
    n += l;
    if (i + 1 < k) p[n++] = '/';
  }
  *at = (i32)(uintptr_t)p;
  return rnd() % 10 ? (i32)n : len();
}

int main(void) {
  long calls = 0;
  for (int round = 0; round < 50000; round++) {
    i32 p1, p2;
    /* Keep iovecs mostly sane, pointing into scratch. */
    for (int i = 0; i < 8; i++) {
      uint32_t *iov = (uint32_t *)(scratch + 2048 + 8 * i);
      iov[0] = (uint32_t)ptr();
      iov[1] = (uint32_t)(rnd() % 3 ? rnd() % 128 : (uint64_t)len());
    }
    i32 iovs = rnd() % 4 ? (i32)(uintptr_t)(scratch + 2048) : ptr();
    i32 niov = rnd() % 4 ? (i32)(rnd() % 8) : len() | 0x10000000; /* small, or beyond memory */
    switch (rnd() % 46) {
    case 0: w_args_get(ptr(), ptr()); break;
    case 1: w_args_sizes_get(ptr(), ptr()); break;
    case 2: w_environ_get(ptr(), ptr()); break;
    case 3: w_environ_sizes_get(ptr(), ptr()); break;
    case 4: w_clock_res_get(any32(), ptr()); break;
    case 5: w_clock_time_get(any32(), any64(), ptr()); break;
    case 6: w_random_get(ptr(), len()); break;
    case 7: w_fd_advise(fd(), any64(), any64(), any32()); break;
    case 8: w_fd_allocate(fd(), any64(), any64() % 100000); break;
    case 9: {
      i32 f = fd();
      if (f != 3) w_fd_close(f);
      break;
    }
    case 10: w_fd_datasync(fd()); break;
    case 11: w_fd_fdstat_get(fd(), ptr()); break;
    case 12: w_fd_fdstat_set_flags(fd(), any32()); break;
    case 13: {
      i32 f = fd();
      if (f != 3) w_fd_fdstat_set_rights(f, any64(), any64());
      break;
    }
    case 14: w_fd_filestat_get(fd(), ptr()); break;
    case 15: w_fd_filestat_set_size(fd(), any64() % 100000); break;
    case 16: w_fd_filestat_set_times(fd(), any64(), any64(), any32()); break;
    case 17: w_fd_pread(fd(), iovs, niov, any64(), ptr()); break;
    case 18: w_fd_prestat_get(fd(), ptr()); break;
    case 19: w_fd_prestat_dir_name(fd(), ptr(), len()); break;
    case 20: w_fd_pwrite(fd(), iovs, niov, any64() % 100000, ptr()); break;
    case 21: w_fd_read(fd(), iovs, niov, ptr()); break;
    case 22: w_fd_readdir(fd(), ptr(), len(), any64(), ptr()); break;
    case 23: {
      i32 a = fd(), b = fd();
      if (a != 3 && b != 3) w_fd_renumber(a, b);
      break;
    }
    case 24: w_fd_seek(fd(), any64(), any32(), ptr()); break;
    case 25: w_fd_sync(fd()); break;
    case 26: w_fd_tell(fd(), ptr()); break;
    case 27: w_fd_write(fd(), iovs, niov, ptr()); break;
    case 28: {
      i32 n = path(&p1);
      w_path_create_directory(fd(), p1, n);
      break;
    }
    case 29: {
      i32 n = path(&p1);
      w_path_filestat_get(fd(), any32(), p1, n, ptr());
      break;
    }
    case 30: {
      i32 n = path(&p1);
      w_path_filestat_set_times(fd(), any32(), p1, n, any64(), any64(), any32());
      break;
    }
    case 31: {
      i32 n1 = path(&p1);
      w_path_link(fd(), any32(), p1, n1, fd(), p1, n1 > 1 ? n1 - 1 : n1);
      break;
    }
    case 32: {
      i32 n = path(&p1);
      i32 out = ptr();
      i32 dir = fd(), dirflags = any32(), oflags = any32() & 15, fdflags = any32() & 31;
      if (w_path_open(dir, dirflags, p1, n, oflags, any64(), any64(), fdflags, out) == 0 &&
          rnd() % 2)
        w_fd_close(*(i32 *)(uintptr_t)out);
      break;
    }
    case 33: {
      i32 n = path(&p1);
      w_path_readlink(fd(), p1, n, ptr(), len(), ptr());
      break;
    }
    case 34: {
      i32 n = path(&p1);
      w_path_remove_directory(fd(), p1, n);
      break;
    }
    case 35: {
      i32 n = path(&p1);
      w_path_rename(fd(), p1, n, fd(), p1, n > 1 ? n - 1 : n);
      break;
    }
    case 36: {
      i32 n = path(&p1);
      p2 = p1 + 1;
      w_path_symlink(p1, n, fd(), p2, n > 1 ? n - 1 : n);
      break;
    }
    case 37: {
      i32 n = path(&p1);
      w_path_unlink_file(fd(), p1, n);
      break;
    }
    case 38: {
      /* Clocks of at most 1 ms; descriptors too (stdin is /dev/null). */
      uint8_t *s = scratch + 1024;
      int n = (int)(rnd() % 4) + 1;
      for (int i = 0; i < n * 48; i++) s[i] = (uint8_t)rnd();
      for (int i = 0; i < n; i++) {
        uint8_t *sub = s + 48 * i;
        if (sub[8] % 3 == 0 || rnd() % 2) {
          sub[8] = 0;
          memset(sub + 16, 0, 4);
          sub[16] = (uint8_t)(rnd() % 2);
          uint64_t t = rnd() % 1000000;
          memcpy(sub + 24, &t, 8);
          sub[40] = 0;
        } else {
          uint32_t f = (uint32_t)fd();
          memcpy(sub + 16, &f, 4);
        }
      }
      i32 in = rnd() % 8 ? (i32)(uintptr_t)s : ptr(), count = rnd() % 8 ? n : any32() & 3;
      w_poll_oneoff(in, ptr(), count, ptr());
      break;
    }
    case 39: w_proc_raise(any32()); break;
    case 40: w_sched_yield(); break;
    case 41: w_sock_accept(fd(), any32(), ptr()); break;
    case 42: w_sock_recv(fd(), iovs, niov, any32(), ptr(), ptr()); break;
    case 43: w_sock_send(fd(), iovs, niov, any32(), ptr()); break;
    case 44: w_sock_shutdown(fd(), any32()); break;
    default: break;
    }
    calls++;
  }
  printf("survived %ld calls\n", calls);
  return 0;
}
