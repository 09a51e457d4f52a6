/*
** wasi_path.c -- the functions that name files by a path relative to a
** directory descriptor. Every path goes through path.c, which keeps it
** beneath that directory; each operation then acts on the (directory, last
** component) pair it returns with a *at() call that does not follow
** symlinks (see path.h for why that closes the swap race).
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "wasi/path.h"
#include "wasi/wasi.h"

/* The directory descriptor a path is relative to: ENOTDIR when it is not a
** directory (as wasmtime), ENOTCAPABLE without `rights`. */
static uint16_t get_dir(ebb_host_call_t *call, uint32_t fd, uint64_t rights, ebb__wfd **out) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), fd, 0, &e);
  if (err) return err;
  return ebb__fd_check(e, e->type == EBB__WASI_FT_DIRECTORY ? 0 : EBB__WASI_ENOTDIR, rights, out);
}

/* A directory, the guest path (copied) and its resolution, for the common
** shape of these functions. */
typedef struct target {
  ebb__wfd *dir;
  char path[EBB__WASI_PATH_MAX + 1];
  ebb__path p;
} target;

static uint16_t target_get(ebb_host_call_t *call, uint32_t fd, uint64_t rights, uint32_t ptr,
                           uint32_t len, unsigned flags, target *t) {
  t->dir = NULL;
  t->p.owned = false;
  uint16_t err = get_dir(call, fd, rights, &t->dir);
  if (!err) err = ebb__wasi_string(call, ptr, len, t->path);
  if (!err) err = ebb__path_resolve(t->dir->host, t->path, flags, &t->p);
  if (err && t->dir) {
    ebb__fd_put(t->dir);
    t->dir = NULL;
  }
  return err;
}

static void target_put(target *t) {
  if (!t->dir) return;
  ebb__path_done(&t->p);
  ebb__fd_put(t->dir);
  t->dir = NULL;
}

/* The resolution flags for a lookupflags argument; operations that look at
** the file itself also follow a last component named with a slash. */
static unsigned follow_flags(uint32_t lookup) {
  return ((lookup & EBB__WASI_LOOKUP_SYMLINK_FOLLOW) ? EBB__PATH_FOLLOW : 0) |
         EBB__PATH_FOLLOW_SLASH;
}

/* Two targets need two path buffers: too big for the stack of a host call
** comfortably, so they live on the heap. A new one holds nothing, so
** target_free is right for it whether or not target_get ran or succeeded. */
static target *target_new(void) {
  target *t = ebb__malloc(sizeof(target));
  if (t) t->dir = NULL;
  return t;
}

static void target_free(target *t) {
  if (t) {
    target_put(t);
    ebb__free(t);
  }
}

ebb_status_t ebb__wasi_path_create_directory(ebb_host_call_t *call, const uint64_t *a,
                                             uint64_t *r) {
  target *t = target_new();
  if (!t) return ebb__wasi_ret(r, EBB__WASI_ENOMEM);
  uint16_t err = target_get(call, (uint32_t)a[0], EBB__R(EBB__R_PATH_CREATE_DIRECTORY),
                            (uint32_t)a[1], (uint32_t)a[2], 0, t);
  if (!err) {
    char name[EBB__PATH_NAME_MAX + 2];
    if (mkdirat(t->p.dir, ebb__path_name_slashed(&t->p, name), 0777))
      err = ebb__wasi_errno(errno);
  }
  target_free(t);
  return ebb__wasi_ret(r, err);
}

/* The file the resolved path names, without following it further; with a
** trailing slash it must be a directory. */
static int stat_target(const target *t, struct stat *st) {
  if (fstatat(t->p.dir, t->p.name, st, AT_SYMLINK_NOFOLLOW)) return ebb__wasi_errno(errno);
  if (t->p.slash && !S_ISDIR(st->st_mode)) return EBB__WASI_ENOTDIR;
  return 0;
}

/* path_filestat_get(fd, lookupflags, path, path_len, filestat*) */
ebb_status_t ebb__wasi_path_filestat_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint8_t *out = ebb__wasi_mem(call, (uint32_t)a[4], EBB__WASI_FILESTAT_SIZE);
  if (!out) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  target *t = target_new();
  if (!t) return ebb__wasi_ret(r, EBB__WASI_ENOMEM);
  uint16_t err = target_get(call, (uint32_t)a[0], EBB__R(EBB__R_PATH_FILESTAT_GET),
                            (uint32_t)a[2], (uint32_t)a[3], follow_flags((uint32_t)a[1]), t);
  if (!err) {
    struct stat st;
    if (!(err = (uint16_t)stat_target(t, &st))) ebb__wasi_put_filestat(out, -1, &st);
  }
  target_free(t);
  return ebb__wasi_ret(r, err);
}

/* path_filestat_set_times(fd, lookupflags, path, path_len, atim, mtim, fstflags) */
ebb_status_t ebb__wasi_path_filestat_set_times(ebb_host_call_t *call, const uint64_t *a,
                                               uint64_t *r) {
  struct timespec ts[2];
  uint16_t err = ebb__wasi_times(a[4], a[5], (uint32_t)a[6], ts);
  if (err) return ebb__wasi_ret(r, err);
  target *t = target_new();
  if (!t) return ebb__wasi_ret(r, EBB__WASI_ENOMEM);
  err = target_get(call, (uint32_t)a[0], EBB__R(EBB__R_PATH_FILESTAT_SET_TIMES), (uint32_t)a[2],
                   (uint32_t)a[3], follow_flags((uint32_t)a[1]), t);
  if (!err) {
    struct stat st;
    if (t->p.slash) err = (uint16_t)stat_target(t, &st);
    if (!err && utimensat(t->p.dir, t->p.name, ts, AT_SYMLINK_NOFOLLOW))
      err = ebb__wasi_errno(errno);
  }
  target_free(t);
  return ebb__wasi_ret(r, err);
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len).
** The old path is resolved here (following a final symlink only when asked)
** and linked with flags 0, so linkat itself never follows anything: a hard
** link can only be made to a file inside the sandbox. */
ebb_status_t ebb__wasi_path_link(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  target *from = target_new(), *to = target_new();
  uint16_t err = (!from || !to) ? EBB__WASI_ENOMEM : 0;
  if (!err)
    err = target_get(call, (uint32_t)a[0], EBB__R(EBB__R_PATH_LINK_SOURCE), (uint32_t)a[2],
                     (uint32_t)a[3], follow_flags((uint32_t)a[1]), from);
  if (!err)
    err = target_get(call, (uint32_t)a[4], EBB__R(EBB__R_PATH_LINK_TARGET), (uint32_t)a[5],
                     (uint32_t)a[6], 0, to);
  struct stat st;
  char name[EBB__PATH_NAME_MAX + 2];
  if (!err && from->p.slash) err = (uint16_t)stat_target(from, &st);
  if (!err &&
      linkat(from->p.dir, from->p.name, to->p.dir, ebb__path_name_slashed(&to->p, name), 0))
    err = ebb__wasi_errno(errno);
  target_free(to);
  target_free(from);
  return ebb__wasi_ret(r, err);
}

/* path_readlink(fd, path, path_len, buf, buf_len) -> bufused. A target
** longer than the buffer is cut short, as readlink(2) does. */
ebb_status_t ebb__wasi_path_readlink(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t len = (uint32_t)a[4];
  uint8_t *buf = ebb__wasi_mem(call, (uint32_t)a[3], len);
  uint8_t *used = ebb__wasi_mem(call, (uint32_t)a[5], 4);
  if (!buf || !used) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  target *t = target_new();
  if (!t) return ebb__wasi_ret(r, EBB__WASI_ENOMEM);
  uint16_t err = target_get(call, (uint32_t)a[0], EBB__R(EBB__R_PATH_READLINK), (uint32_t)a[1],
                            (uint32_t)a[2], EBB__PATH_FOLLOW_SLASH, t);
  if (!err) {
    /* The path buffer is free again: read the link into it. */
    ssize_t n = readlinkat(t->p.dir, t->p.name, t->path, sizeof t->path);
    if (n < 0) {
      err = ebb__wasi_errno(errno);
    } else {
      uint32_t k = (uint64_t)n < len ? (uint32_t)n : len;
      memcpy(buf, t->path, k);
      ebb__put_u32(used, k);
    }
  }
  target_free(t);
  return ebb__wasi_ret(r, err);
}

/* Calls on (directory, name) whose own lookup of the last component never
** follows it, so the name keeps its trailing slash and errors are the
** host's: rmdir, unlink. */
static ebb_status_t remove_at(ebb_host_call_t *call, const uint64_t *a, uint64_t *r, int right,
                              int flags) {
  target *t = target_new();
  if (!t) return ebb__wasi_ret(r, EBB__WASI_ENOMEM);
  uint16_t err = target_get(call, (uint32_t)a[0], EBB__R(right), (uint32_t)a[1], (uint32_t)a[2],
                            0, t);
  if (!err) {
    char name[EBB__PATH_NAME_MAX + 2];
    if (unlinkat(t->p.dir, ebb__path_name_slashed(&t->p, name), flags))
      err = ebb__wasi_errno(errno);
  }
  target_free(t);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_path_remove_directory(ebb_host_call_t *call, const uint64_t *a,
                                             uint64_t *r) {
  return remove_at(call, a, r, EBB__R_PATH_REMOVE_DIRECTORY, AT_REMOVEDIR);
}

ebb_status_t ebb__wasi_path_unlink_file(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return remove_at(call, a, r, EBB__R_PATH_UNLINK_FILE, 0);
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len) */
ebb_status_t ebb__wasi_path_rename(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  target *from = target_new(), *to = target_new();
  uint16_t err = (!from || !to) ? EBB__WASI_ENOMEM : 0;
  if (!err)
    err = target_get(call, (uint32_t)a[0], EBB__R(EBB__R_PATH_RENAME_SOURCE), (uint32_t)a[1],
                     (uint32_t)a[2], 0, from);
  if (!err)
    err = target_get(call, (uint32_t)a[3], EBB__R(EBB__R_PATH_RENAME_TARGET), (uint32_t)a[4],
                     (uint32_t)a[5], 0, to);
  char n1[EBB__PATH_NAME_MAX + 2], n2[EBB__PATH_NAME_MAX + 2];
  if (!err && renameat(from->p.dir, ebb__path_name_slashed(&from->p, n1), to->p.dir,
                       ebb__path_name_slashed(&to->p, n2)))
    err = ebb__wasi_errno(errno);
  target_free(to);
  target_free(from);
  return ebb__wasi_ret(r, err);
}

/* path_symlink(old_path, old_len, fd, new_path, new_len). A relative text
** is stored as given, even one climbing out with `..`: it is data, and
** every lookup that later meets the link keeps it beneath the directory it
** is resolved from. An absolute one is refused (ENOTCAPABLE, as other
** escapes; wasmtime says EPERM) once the descriptor and the new path are
** checked: no lookup in the sandbox would follow it, and on the host it
** names the host's file of that name for whoever follows it there.
** wasi-testsuite's symlink_create expects its creation to fail. */
ebb_status_t ebb__wasi_path_symlink(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  target *t = target_new();
  char *text = ebb__malloc(EBB__WASI_PATH_MAX + 1);
  uint16_t err = (!t || !text) ? EBB__WASI_ENOMEM : 0;
  if (!err) err = ebb__wasi_string(call, (uint32_t)a[0], (uint32_t)a[1], text);
  if (!err)
    err = target_get(call, (uint32_t)a[2], EBB__R(EBB__R_PATH_SYMLINK), (uint32_t)a[3],
                     (uint32_t)a[4], 0, t);
  if (!err && text[0] == '/') err = EBB__WASI_ENOTCAPABLE;
  if (!err) {
    char name[EBB__PATH_NAME_MAX + 2];
    if (symlinkat(text, t->p.dir, ebb__path_name_slashed(&t->p, name)))
      err = ebb__wasi_errno(errno);
  }
  ebb__free(text);
  target_free(t);
  return ebb__wasi_ret(r, err);
}

/* Rights that make the host descriptor need read or write access (as
** wasi-libc asks for them: O_RDONLY gives fd_read|fd_readdir, O_WRONLY the
** rest). */
#define READ_RIGHTS (EBB__R(EBB__R_FD_READ) | EBB__R(EBB__R_FD_READDIR))
#define WRITE_RIGHTS                                                                     \
  (EBB__R(EBB__R_FD_DATASYNC) | EBB__R(EBB__R_FD_WRITE) | EBB__R(EBB__R_FD_ALLOCATE) |      \
   EBB__R(EBB__R_FD_FILESTAT_SET_SIZE))

/* path_open(fd, dirflags, path, path_len, oflags, rights_base u64,
**           rights_inheriting u64, fdflags, fd*) */
ebb_status_t ebb__wasi_path_open(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  uint32_t dirflags = (uint32_t)a[1], oflags = (uint32_t)a[4], fdflags = (uint32_t)a[7];
  uint64_t base = a[5], inheriting = a[6];
  if (!ebb__wasi_mem(call, (uint32_t)a[8], 4)) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  if (oflags & ~(uint32_t)15 || fdflags & ~(uint32_t)EBB__WASI_FDFLAGS_ALL)
    return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  uint64_t need = EBB__R(EBB__R_PATH_OPEN);
  if (oflags & EBB__WASI_O_CREAT) need |= EBB__R(EBB__R_PATH_CREATE_FILE);
  if (oflags & EBB__WASI_O_TRUNC) need |= EBB__R(EBB__R_PATH_FILESTAT_SET_SIZE);
  ebb__wfd *dir;
  uint16_t err = get_dir(call, (uint32_t)a[0], need, &dir);
  if (err) return ebb__wasi_ret(r, err);
  char *path = ebb__malloc(EBB__WASI_PATH_MAX + 1);
  if (!path) err = EBB__WASI_ENOMEM;
  if (!err) err = ebb__wasi_string(call, (uint32_t)a[2], (uint32_t)a[3], path);
  /* A descriptor gets at most the rights its directory passes on. */
  uint64_t inh = atomic_load(&dir->inheriting);
  if (!err && ((base & ~inh) || (inheriting & ~inh))) err = EBB__WASI_ENOTCAPABLE;
  int host = -1;
  if (!err) {
    bool rd = base & READ_RIGHTS, wr = (base & WRITE_RIGHTS) || (oflags & EBB__WASI_O_TRUNC);
    /* O_NONBLOCK: opening a FIFO must not block (uninterruptibly) waiting
    ** for its other end; reads and writes emulate blocking (wasi_rw.c). */
    int fl = O_NOCTTY | O_NONBLOCK | (wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY);
    if (oflags & EBB__WASI_O_CREAT) fl |= O_CREAT;
    if (oflags & EBB__WASI_O_DIRECTORY) fl |= O_DIRECTORY;
    if (oflags & EBB__WASI_O_EXCL) fl |= O_EXCL;
    if (oflags & EBB__WASI_O_TRUNC) fl |= O_TRUNC;
    if (fdflags & EBB__WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (fdflags & EBB__WASI_FDFLAG_DSYNC) fl |= O_DSYNC;
    if (fdflags & (EBB__WASI_FDFLAG_SYNC | EBB__WASI_FDFLAG_RSYNC)) fl |= O_SYNC;
    unsigned follow = (dirflags & EBB__WASI_LOOKUP_SYMLINK_FOLLOW) ? EBB__PATH_FOLLOW : 0;
    err = ebb__path_open(dir->host, path, fl, 0666, follow, &host);
  }
  ebb__free(path);
  ebb__fd_put(dir);
  if (err) return ebb__wasi_ret(r, err);
  /* Rights that do not apply to what was opened are dropped (the spec
  ** allows exactly that); the guest's blocking mode is its own flag. */
  uint32_t fd;
  if ((err = ebb__fd_add(w, host, base, inheriting, (uint16_t)fdflags, &fd)))
    return ebb__wasi_ret(r, err);
  ebb__put_u32(ebb__wasi_mem(call, (uint32_t)a[8], 4), fd);
  return ebb__wasi_ret(r, 0);
}
