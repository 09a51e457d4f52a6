/*
** path.c -- the sandbox's path resolver (see path.h for the contract).
**
** Two strategies give the same answers:
**  - openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): the kernel refuses
**    any step (`..`, an absolute or climbing symlink, a magic link) that
**    would leave the root, atomically with the lookup, so a symlink swapped
**    in concurrently cannot escape. EXDEV from it means "would escape".
**  - the walk, where openat2 is missing: each component is opened with
**    openat(O_PATH | O_DIRECTORY | O_NOFOLLOW) relative to the previous
**    one, so the kernel never follows a symlink for us; symlinks are read
**    with readlinkat and their targets spliced into the rest of the path.
**    `..` pops a stack of the descriptors already walked through rather than
**    asking the kernel for the parent, so even a directory moved elsewhere
**    during the walk cannot lead above the root.
*/
#define _GNU_SOURCE
#include "wasi/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/alloc.h"
#include "wasi/wasi.h"

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#define MAX_HOPS 40   /* symlinks expanded in one lookup (Linux: 40) */
#define MAX_DEPTH 256 /* directories open at once during a walk */
#define PBUF (EBB__WASI_PATH_MAX + 1)

static atomic_int path_mode = EBB__PATH_AUTO;

void ebb__path_set_mode(int mode) { atomic_store(&path_mode, mode); }

void ebb__path_done(ebb__path *p) {
  if (p->owned) close(p->dir);
  p->owned = false;
  p->dir = -1;
}

const char *ebb__path_name_slashed(const ebb__path *p, char *buf) {
  size_t n = strlen(p->name);
  memcpy(buf, p->name, n);
  if (p->slash) buf[n++] = '/';
  buf[n] = '\0';
  return buf;
}

/* Checks every lookup starts with. */
static uint16_t precheck(const char *path) {
  if (!*path) return EBB__WASI_ENOENT;
  if (*path == '/') return EBB__WASI_ENOTCAPABLE;
  if (strlen(path) > EBB__WASI_PATH_MAX) return EBB__WASI_ENAMETOOLONG;
  return 0;
}

/* out = a + b + ("/" + rest, or "/" when the link was named with a trailing
** slash): a symlink's target b spliced into a path. `out` may not overlap
** the inputs. */
static uint16_t splice_path(char *out, const char *a, const char *b, size_t blen,
                            const char *rest, bool slash) {
  if (blen == 0) return EBB__WASI_ENOENT; /* as the kernel does for "" targets */
  if (b[0] == '/') return EBB__WASI_ENOTCAPABLE;
  size_t alen = strlen(a), rlen = strlen(rest);
  if (alen + blen + 1 + rlen > EBB__WASI_PATH_MAX) return EBB__WASI_ENAMETOOLONG;
  memcpy(out, a, alen);
  memcpy(out + alen, b, blen);
  size_t n = alen + blen;
  if (rlen || slash) out[n++] = '/';
  memcpy(out + n, rest, rlen + 1);
  return 0;
}

/* ---- openat2 ------------------------------------------------------------ */

#ifdef SYS_openat2
/* -1 with errno, as openat. */
static int beneath(int root, const char *path, int oflags, mode_t mode) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)(unsigned)(oflags | O_CLOEXEC);
  how.mode = (oflags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int tries = 0;; tries++) {
    long fd = syscall(SYS_openat2, root, path, &how, sizeof how);
    /* EAGAIN: a concurrent rename raced a `..`; the kernel asks to retry. */
    if (fd < 0 && errno == EAGAIN && tries < 16) continue;
    if (fd < 0 && errno == EINTR) continue;
    return (int)fd;
  }
}

/* After openat2 failed with e: is it missing (ENOSYS on old kernels, E2BIG
** where struct open_how is unknown, EPERM from a seccomp filter that does
** not know the call)? EPERM can also be a real answer (an immutable file
** opened for writing), so the kernel is asked again with a harmless lookup
** before giving openat2 up. errno is kept. */
static bool no_openat2(int root, int e) {
  if (e == ENOSYS || e == E2BIG) return true;
  if (e != EPERM) return false;
  int fd = beneath(root, ".", O_PATH | O_DIRECTORY, 0);
  bool missing = fd < 0 && errno == EPERM;
  if (fd >= 0) close(fd);
  errno = e;
  return missing;
}

static uint16_t beneath_errno(int e) {
  return e == EXDEV ? EBB__WASI_ENOTCAPABLE : ebb__wasi_errno(e);
}
#endif

/* Split `path` (no leading '/') into the directory part and the last
** component. The directory part is written NUL-terminated into `dir` ("" for
** the root). A last component "." or ".." makes the whole path the
** directory and the name ".". */
static uint16_t split(const char *path, char *dir, ebb__path *out) {
  size_t len = strlen(path);
  size_t end = len;
  while (end > 0 && path[end - 1] == '/') end--;
  out->slash = end < len;
  size_t start = end;
  while (start > 0 && path[start - 1] != '/') start--;
  size_t nlen = end - start;
  if (nlen > EBB__PATH_NAME_MAX) return EBB__WASI_ENAMETOOLONG;
  if ((nlen == 1 && path[start] == '.') ||
      (nlen == 2 && path[start] == '.' && path[start + 1] == '.')) {
    memcpy(dir, path, end);
    dir[end] = '\0';
    strcpy(out->name, ".");
    return 0;
  }
  memcpy(out->name, path + start, nlen);
  out->name[nlen] = '\0';
  memcpy(dir, path, start);
  dir[start] = '\0';
  return 0;
}

#ifdef SYS_openat2
/* ebb__path_resolve with openat2; buf holds the path, target and aux are
** scratch (PBUF bytes each). Returns 1 when the kernel lacks openat2. */
static int resolve_openat2(int root, char *buf, char *target, char *aux, unsigned flags,
                           ebb__path *out, uint16_t *err) {
  for (int hops = 0;; hops++) {
    if ((*err = split(buf, aux, out))) return 0;
    out->dir = root;
    out->owned = false;
    if (*aux) {
      int fd = beneath(root, aux, O_PATH | O_DIRECTORY, 0);
      if (fd < 0) {
        if (no_openat2(root, errno)) return 1;
        *err = beneath_errno(errno);
        return 0;
      }
      out->dir = fd;
      out->owned = true;
    }
    bool follow = (flags & EBB__PATH_FOLLOW) || (out->slash && (flags & EBB__PATH_FOLLOW_SLASH));
    if (!follow || !strcmp(out->name, ".")) return 0;
    ssize_t n = readlinkat(out->dir, out->name, target, PBUF);
    if (n < 0) return 0; /* not a symlink, or absent: the caller's call says */
    ebb__path_done(out);
    if (n >= PBUF) *err = EBB__WASI_ENAMETOOLONG;
    else if (hops >= MAX_HOPS) *err = EBB__WASI_ELOOP;
    /* The target is relative to the link's directory, which aux names
    ** (ending in '/', or "" for the root). */
    else *err = splice_path(buf, aux, target, (size_t)n, "", out->slash);
    if (*err) return 0;
  }
}
#endif

/* ---- the walk ------------------------------------------------------------ */

typedef struct walk {
  int fd[MAX_DEPTH]; /* fd[0] is the root (not ours), fd[1..depth] are open */
  int depth;
} walk;

static void walk_close(walk *w, int keep) {
  for (int i = 1; i <= w->depth; i++)
    if (i != keep) close(w->fd[i]);
  w->depth = 0;
}

static uint16_t resolve_walk(int root, char *buf, char *target, char *aux, unsigned flags,
                             ebb__path *out) {
  walk *w = ebb__malloc(sizeof *w);
  if (!w) return EBB__WASI_ENOMEM;
  w->fd[0] = root;
  w->depth = 0;
  uint16_t err = 0;
  int hops = 0;
  char *p = buf;
  char comp[EBB__PATH_NAME_MAX + 1];
  for (;;) {
    while (*p == '/') p++;
    const char *c = p;
    while (*p && *p != '/') p++;
    size_t n = (size_t)(p - c);
    char *q = p;
    while (*q == '/') q++;
    bool last = *q == '\0', slash = last && q != p;
    p = q;
    if (n == 0) { /* only an empty path or symlink target gets here */
      err = EBB__WASI_ENOENT;
      break;
    }
    if (n > EBB__PATH_NAME_MAX) {
      err = EBB__WASI_ENAMETOOLONG;
      break;
    }
    memcpy(comp, c, n);
    comp[n] = '\0';
    bool dot = !strcmp(comp, "."), dotdot = !strcmp(comp, "..");
    if (dotdot) {
      if (w->depth == 0) {
        err = EBB__WASI_ENOTCAPABLE; /* above the root */
        break;
      }
      close(w->fd[w->depth--]);
    }
    if (dot || dotdot) {
      if (!last) continue;
      strcpy(out->name, ".");
      out->slash = slash;
      break;
    }
    bool follow = (flags & EBB__PATH_FOLLOW) || (slash && (flags & EBB__PATH_FOLLOW_SLASH));
    if (last && !follow) {
      strcpy(out->name, comp);
      out->slash = slash;
      break;
    }
    int cur = w->fd[w->depth];
    if (!last) {
      int fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        if (w->depth + 1 >= MAX_DEPTH) {
          close(fd);
          err = EBB__WASI_ENAMETOOLONG;
          break;
        }
        w->fd[++w->depth] = fd;
        continue;
      }
      if (errno != ENOTDIR && errno != ELOOP) {
        err = ebb__wasi_errno(errno);
        break;
      }
      /* Not a directory: a symlink, or really not a directory. */
    }
    ssize_t len = readlinkat(cur, comp, target, PBUF);
    if (len < 0) {
      if (last) { /* not a symlink (or absent): the caller's call says */
        strcpy(out->name, comp);
        out->slash = slash;
      } else {
        err = errno == EINVAL ? EBB__WASI_ENOTDIR : ebb__wasi_errno(errno);
      }
      break;
    }
    if (len >= PBUF) {
      err = EBB__WASI_ENAMETOOLONG;
      break;
    }
    if (++hops > MAX_HOPS) {
      err = EBB__WASI_ELOOP;
      break;
    }
    /* The target, relative to the directory we are in, replaces the link:
    ** target + "/" + the rest of the path. */
    if ((err = splice_path(aux, "", target, (size_t)len, p, slash))) break;
    strcpy(buf, aux);
    p = buf;
  }
  if (err) {
    walk_close(w, -1);
  } else {
    out->dir = w->fd[w->depth];
    out->owned = w->depth > 0;
    walk_close(w, w->depth);
  }
  ebb__free(w);
  return err;
}

/* ---- the interface --------------------------------------------------------- */

uint16_t ebb__path_resolve(int root, const char *path, unsigned flags, ebb__path *out) {
  out->dir = -1;
  out->owned = false;
  out->slash = false;
  out->name[0] = '\0';
  uint16_t err = precheck(path);
  if (err) return err;
  /* Three scratch paths: the path being resolved, a symlink target, and
  ** room to splice the two. */
  char *buf = ebb__malloc(3 * PBUF);
  if (!buf) return EBB__WASI_ENOMEM;
  char *target = buf + PBUF, *aux = buf + 2 * PBUF;
  strcpy(buf, path);
#ifdef SYS_openat2
  if (atomic_load(&path_mode) == EBB__PATH_AUTO) {
    if (resolve_openat2(root, buf, target, aux, flags, out, &err) == 0) goto done;
    atomic_store(&path_mode, EBB__PATH_WALK);
    strcpy(buf, path);
  }
#endif
  err = resolve_walk(root, buf, target, aux, flags, out);
#ifdef SYS_openat2
done:
#endif
  ebb__free(buf);
  if (err) {
    out->dir = -1;
    out->owned = false;
  }
  return err;
}

uint16_t ebb__path_open(int root, const char *path, int oflags, mode_t mode, unsigned flags,
                        int *out) {
  uint16_t err = precheck(path);
  if (err) return err;
  if (!(flags & EBB__PATH_FOLLOW)) oflags |= O_NOFOLLOW;
#ifdef SYS_openat2
  if (atomic_load(&path_mode) == EBB__PATH_AUTO) {
    int fd = beneath(root, path, oflags, mode);
    if (fd >= 0) {
      *out = fd;
      return 0;
    }
    if (!no_openat2(root, errno)) return beneath_errno(errno);
    atomic_store(&path_mode, EBB__PATH_WALK);
  }
#endif
  /* The walk: resolve (following the last component as asked), then open
  ** the last component without following. If it became a symlink between
  ** the two (another thread swapped it in), resolve again. */
  for (int tries = 0;; tries++) {
    ebb__path p;
    if ((err = ebb__path_resolve(root, path, flags | EBB__PATH_FOLLOW_SLASH, &p))) return err;
    int fd;
    do {
      fd = openat(p.dir, p.name, oflags | O_NOFOLLOW | O_CLOEXEC | (p.slash ? O_DIRECTORY : 0),
                  mode);
    } while (fd < 0 && errno == EINTR);
    int e = errno;
    ebb__path_done(&p);
    if (fd >= 0) {
      *out = fd;
      return 0;
    }
    if (e == ELOOP && (flags & EBB__PATH_FOLLOW) && tries < 8) continue;
    return ebb__wasi_errno(e);
  }
}
