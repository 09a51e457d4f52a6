/*
** fdtable.c -- the guest's descriptor table (see fdtable.h for numbering,
** rights and the reference-counting rules).
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/alloc.h"
#include "wasi/wasi.h"

int ebb__fdtable_init(ebb__fdtable *t) {
  memset(t, 0, sizeof *t);
  return pthread_mutex_init(&t->lock, NULL) ? -1 : 0;
}

void ebb__fdtable_close(ebb__fdtable *t) {
  for (uint32_t i = 0; i < t->cap; i++)
    if (t->slot[i]) ebb__fd_put(t->slot[i]);
  ebb__free(t->slot);
  t->slot = NULL;
  t->cap = 0;
  pthread_mutex_destroy(&t->lock);
}

uint8_t ebb__wasi_filetype(int host, const struct stat *st) {
  switch (st->st_mode & S_IFMT) {
  case S_IFREG: return EBB__WASI_FT_REGULAR_FILE;
  case S_IFDIR: return EBB__WASI_FT_DIRECTORY;
  case S_IFCHR: return EBB__WASI_FT_CHARACTER_DEVICE;
  case S_IFBLK: return EBB__WASI_FT_BLOCK_DEVICE;
  case S_IFLNK: return EBB__WASI_FT_SYMBOLIC_LINK;
  case S_IFSOCK: {
    int type = SOCK_STREAM;
    socklen_t len = sizeof type;
    if (host >= 0) getsockopt(host, SOL_SOCKET, SO_TYPE, &type, &len);
    return type == SOCK_DGRAM ? EBB__WASI_FT_SOCKET_DGRAM : EBB__WASI_FT_SOCKET_STREAM;
  }
  default: return EBB__WASI_FT_UNKNOWN; /* FIFOs have no WASI type of their own */
  }
}

bool ebb__wasi_may_block(const ebb__wfd *e) {
  return e->type != EBB__WASI_FT_REGULAR_FILE && e->type != EBB__WASI_FT_DIRECTORY &&
         e->type != EBB__WASI_FT_BLOCK_DEVICE;
}

void ebb__wasi_type_rights(int host, uint8_t type, uint64_t *base, uint64_t *inheriting) {
  *inheriting = 0;
  switch (type) {
  case EBB__WASI_FT_DIRECTORY:
    *base = EBB__RIGHTS_DIR;
    *inheriting = EBB__RIGHTS_DIR_INHERITING;
    break;
  case EBB__WASI_FT_REGULAR_FILE:
  case EBB__WASI_FT_BLOCK_DEVICE: *base = EBB__RIGHTS_FILE; break;
  case EBB__WASI_FT_CHARACTER_DEVICE:
    /* A terminal cannot seek; /dev/null and the like can. */
    *base = isatty(host) ? EBB__RIGHTS_STREAM : EBB__RIGHTS_FILE;
    break;
  case EBB__WASI_FT_SOCKET_STREAM:
  case EBB__WASI_FT_SOCKET_DGRAM: *base = EBB__RIGHTS_SOCKET; break;
  default: *base = EBB__RIGHTS_STREAM; break;
  }
}

/* The WASI fdflags of host open flags fl. O_NONBLOCK is left out: the
** guest's blocking mode is emulated (see wasi_rw.c), never taken from or
** written to a descriptor the host may share. */
static uint16_t host_fdflags(int fl) {
  uint16_t flags = 0;
  if (fl < 0) return 0;
  if (fl & O_APPEND) flags |= EBB__WASI_FDFLAG_APPEND;
  if ((fl & O_SYNC) == O_SYNC) flags |= EBB__WASI_FDFLAG_SYNC;
  else if (fl & O_DSYNC) flags |= EBB__WASI_FDFLAG_DSYNC;
  return flags;
}

ebb__wfd *ebb__wfd_new(int host, bool owned) {
  ebb__wfd *e = ebb__calloc(1, sizeof *e);
  if (!e) return NULL;
  if (pthread_mutex_init(&e->lock, NULL)) {
    ebb__free(e);
    return NULL;
  }
  atomic_init(&e->refs, 1);
  atomic_init(&e->nowait, 0);
  e->host = host;
  e->owned = owned;
  e->nonappend = -1;
  struct stat st;
  e->type = fstat(host, &st) == 0 ? ebb__wasi_filetype(host, &st) : EBB__WASI_FT_UNKNOWN;
  uint64_t base, inh;
  ebb__wasi_type_rights(host, e->type, &base, &inh);
  atomic_init(&e->base, base);
  atomic_init(&e->inheriting, inh);
  int fl = fcntl(host, F_GETFL);
  atomic_init(&e->flags, host_fdflags(fl));
  /* Only a description of our own keeps the O_NONBLOCK it has. */
  e->host_nb = owned && fl >= 0 && (fl & O_NONBLOCK);
  return e;
}

int ebb__wfd_reopen(int fd, int flags, const struct stat *st) {
  char path[40];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  int p = open(path, flags | O_NOCTTY | O_CLOEXEC);
  if (p < 0) return -1;
  struct stat pst;
  if (fstat(p, &pst) || pst.st_dev != st->st_dev || pst.st_ino != st->st_ino ||
      pst.st_rdev != st->st_rdev) {
    close(p);
    return -1;
  }
  return p;
}

atomic_int ebb__wasi_stdio_fallback;

/* True for a pty master. Its /proc/self/fd link names /dev/ptmx, and
** opening that makes a new pty with the same device and inode numbers: the
** reopen check cannot tell, and the guest would read a terminal nobody
** writes to. */
static bool pty_master(int fd) {
  unsigned n;
  return ioctl(fd, TIOCGPTN, &n) == 0;
}

/* A private open file description of the same file as `fd`, non-blocking,
** with the access mode `acc`, or -1. Only for terminals (not pty masters,
** above) and pipes/FIFOs: opening other character devices can have effects
** of their own (a tape rewinds when closed), and sockets cannot be opened
** this way (they use MSG_DONTWAIT instead). */
static int private_description(int fd, int acc, const struct stat *st) {
  if (atomic_load(&ebb__wasi_stdio_fallback)) return -1;
  if (!S_ISFIFO(st->st_mode) && !(S_ISCHR(st->st_mode) && isatty(fd) && !pty_master(fd)))
    return -1;
  return ebb__wfd_reopen(fd, acc | O_NONBLOCK, st);
}

ebb__wfd *ebb__wfd_new_stdio(int fd) {
  int fl = fcntl(fd, F_GETFL);
  int acc = fl >= 0 ? (fl & O_ACCMODE) : O_RDONLY;
  struct stat st;
  int host = fd;
  if (fl >= 0 && fstat(fd, &st) == 0) {
    int p = private_description(fd, acc, &st);
    if (p >= 0) host = p;
  }
  ebb__wfd *e = ebb__wfd_new(host, host != fd);
  if (!e) {
    if (host != fd) close(host);
    return NULL;
  }
  e->stdio = true;
  if (atomic_load(&ebb__wasi_stdio_fallback)) atomic_store(&e->nowait, -1);
  uint64_t base = atomic_load(&e->base) & ~EBB__RIGHTS_NOT_STDIO;
  if (acc == O_RDONLY) base &= ~EBB__R(EBB__R_FD_WRITE);
  if (acc == O_WRONLY) base &= ~EBB__R(EBB__R_FD_READ);
  /* Not open at all: no rights, so that a descriptor the embedder opens
  ** later and gets this number is not reachable through it. */
  if (fl < 0) base = 0;
  atomic_store(&e->base, base);
  atomic_store(&e->inheriting, 0);
  atomic_store(&e->flags, host_fdflags(fl)); /* the shared description's, not ours */
  return e;
}

void ebb__fd_put(ebb__wfd *e) {
  if (!e || atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1) return;
  if (e->owned) close(e->host);
  if (e->nonappend >= 0) close(e->nonappend);
  ebb__wasi_job_put(e->job);
  pthread_mutex_destroy(&e->lock);
  ebb__free(e->preopen);
  ebb__free(e);
}

uint16_t ebb__fd_get(ebb_wasi_t *w, uint32_t fd, uint64_t rights, ebb__wfd **out) {
  ebb__fdtable *t = &w->fds;
  pthread_mutex_lock(&t->lock);
  ebb__wfd *e = fd < t->cap ? t->slot[fd] : NULL;
  if (e) atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
  pthread_mutex_unlock(&t->lock);
  if (!e) return EBB__WASI_EBADF;
  bool dir_misuse = e->type == EBB__WASI_FT_DIRECTORY && (rights & ~EBB__RIGHTS_DIR);
  return ebb__fd_check(e, dir_misuse ? EBB__WASI_EBADF : 0, rights, out);
}

uint16_t ebb__fd_check(ebb__wfd *e, uint16_t kind_err, uint64_t rights, ebb__wfd **out) {
  uint16_t err = kind_err;
  if (!err && (rights & ~atomic_load(&e->base))) err = EBB__WASI_ENOTCAPABLE;
  if (err) {
    ebb__fd_put(e);
    return err;
  }
  *out = e;
  return 0;
}

/* Grow the table (its lock held) until it has slot `fd`, which must be
** below EBB__FD_MAX: by doubling, from 16. False when out of memory. */
static bool table_reserve(ebb__fdtable *t, uint32_t fd) {
  if (fd < t->cap) return true;
  uint32_t cap = t->cap ? t->cap : 16;
  while (cap <= fd) cap *= 2;
  if (cap > EBB__FD_MAX) cap = EBB__FD_MAX;
  ebb__wfd **s = ebb__realloc(t->slot, cap * sizeof *s);
  if (!s) return false;
  memset(s + t->cap, 0, (cap - t->cap) * sizeof *s);
  t->slot = s;
  t->cap = cap;
  return true;
}

uint16_t ebb__fd_insert(ebb_wasi_t *w, ebb__wfd *e, uint32_t *fd_out) {
  ebb__fdtable *t = &w->fds;
  uint16_t err = 0;
  pthread_mutex_lock(&t->lock);
  uint32_t fd = 0;
  while (fd < t->cap && t->slot[fd]) fd++;
  if (fd >= EBB__FD_MAX) err = EBB__WASI_EMFILE;
  else if (!table_reserve(t, fd)) err = EBB__WASI_ENOMEM;
  else t->slot[fd] = e;
  pthread_mutex_unlock(&t->lock);
  if (err) ebb__fd_put(e);
  else *fd_out = fd;
  return err;
}

uint16_t ebb__fd_add(ebb_wasi_t *w, int host, uint64_t base_mask, uint64_t inheriting,
                     uint16_t flags, uint32_t *fd_out) {
  ebb__wfd *e = ebb__wfd_new(host, true);
  if (!e) {
    close(host);
    return EBB__WASI_ENOMEM;
  }
  /* e->base holds the rights that apply to its type (ebb__wfd_new). */
  atomic_store(&e->base, atomic_load(&e->base) & base_mask);
  atomic_store(&e->inheriting, inheriting);
  atomic_store(&e->flags, flags);
  return ebb__fd_insert(w, e, fd_out);
}

uint16_t ebb__fd_close(ebb_wasi_t *w, uint32_t fd) {
  ebb__fdtable *t = &w->fds;
  pthread_mutex_lock(&t->lock);
  ebb__wfd *e = fd < t->cap ? t->slot[fd] : NULL;
  if (e) t->slot[fd] = NULL;
  pthread_mutex_unlock(&t->lock);
  if (!e) return EBB__WASI_EBADF;
  ebb__fd_put(e); /* outside the lock: it may close a host descriptor */
  return 0;
}

uint16_t ebb__fd_renumber(ebb_wasi_t *w, uint32_t from, uint32_t to, bool to_closed) {
  ebb__fdtable *t = &w->fds;
  ebb__wfd *old = NULL;
  uint16_t err = 0;
  pthread_mutex_lock(&t->lock);
  bool to_open = to < t->cap && t->slot[to];
  if (from >= t->cap || !t->slot[from] || to >= EBB__FD_MAX || (!to_open && !to_closed)) {
    err = EBB__WASI_EBADF;
  } else if (!table_reserve(t, to)) {
    err = EBB__WASI_ENOMEM;
  } else if (from != to) {
    old = t->slot[to];
    t->slot[to] = t->slot[from];
    t->slot[from] = NULL;
  }
  pthread_mutex_unlock(&t->lock);
  ebb__fd_put(old);
  return err;
}

uint16_t ebb__fd_set_rights(ebb_wasi_t *w, uint32_t fd, uint64_t base, uint64_t inheriting) {
  ebb__fdtable *t = &w->fds;
  uint16_t err = 0;
  pthread_mutex_lock(&t->lock);
  ebb__wfd *e = fd < t->cap ? t->slot[fd] : NULL;
  if (!e) {
    err = EBB__WASI_EBADF;
  } else if ((base & ~atomic_load(&e->base)) || (inheriting & ~atomic_load(&e->inheriting))) {
    err = EBB__WASI_ENOTCAPABLE; /* rights can only be dropped */
  } else {
    atomic_store(&e->base, base);
    atomic_store(&e->inheriting, inheriting);
  }
  pthread_mutex_unlock(&t->lock);
  return err;
}
