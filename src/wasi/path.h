/*
** path.h -- resolving guest paths beneath a preopened directory: the WASI
** sandbox.
**
** A guest path is always relative to a directory descriptor (the "root" of
** the lookup) and must never name anything outside it: absolute paths, `..`
** above the root, symlinks whose targets are absolute or climb above the
** root (directly, through chains, or in an intermediate component), and a
** symlink swapped in by another thread while a lookup runs are all refused
** with ENOTCAPABLE. The check is never done on strings alone: the kernel
** resolves beneath the root descriptor (openat2 with RESOLVE_BENEATH, Linux
** 5.6 and later), or, where openat2 is missing, this file walks the path one
** component at a time with openat(O_NOFOLLOW) and expands each symlink
** itself, with a hop limit (ELOOP after 40, as Linux).
**
** Results are WASI errno values (0 on success). The functions are pure
** descriptor operations with no guest state, so a fuzz target can drive them.
*/
#ifndef EBB_WASI_PATH_H
#define EBB_WASI_PATH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The longest name of one component (NAME_MAX on Linux). */
#define EBB__PATH_NAME_MAX 255

enum {
  EBB__PATH_FOLLOW = 1u,       /* a symlink in the last component is followed */
  EBB__PATH_FOLLOW_SLASH = 2u, /* ... and so is one named with a trailing slash */
};

/* The directory holding the last component of a path, and that component. */
typedef struct ebb__path {
  int dir;                /* a directory descriptor (O_PATH or the root) */
  bool owned;               /* `dir` is closed by ebb__path_done */
  bool slash;             /* the path ended in '/' */
  char name[EBB__PATH_NAME_MAX + 2]; /* the last component: no '/', never "..", "." when the
                              path names a directory by "." or ".." */
} ebb__path;

/* Resolve every component of `path` but the last beneath `root` (following
** symlinks, beneath root), and the last one too when `flags` say so. The
** last component need not exist. On success release `out` with
** ebb__path_done. Operations then act on (out->dir, out->name) with
** *at() calls that do not follow symlinks, so a symlink swapped in after
** the lookup is acted on itself, never followed out of the sandbox. */
uint16_t ebb__path_resolve(int root, const char *path, unsigned flags, ebb__path *out);
void ebb__path_done(ebb__path *p);

/* out->name with the trailing slash the path had, into buf (EBB__PATH_NAME_MAX + 2):
** for the calls whose kernel lookup of a last component with a slash does
** not follow it (mkdirat, unlinkat, renameat, symlinkat, linkat's new
** name), so they give the same errors as on the host. */
const char *ebb__path_name_slashed(const ebb__path *p, char *buf);

/* Open `path` beneath `root` with host open(2) flags and mode (O_CLOEXEC is
** added; O_NOFOLLOW too unless flags has EBB__PATH_FOLLOW; a trailing slash
** always follows, as on the host). */
uint16_t ebb__path_open(int root, const char *path, int oflags, mode_t mode, unsigned flags,
                        int *out);

/* How to resolve: EBB__PATH_AUTO uses openat2 where the kernel has it (and
** switches to the walk for good when it does not); EBB__PATH_WALK always
** walks. For tests and the fuzz target, which cover both. */
enum { EBB__PATH_AUTO = 0, EBB__PATH_WALK = 1 };
void ebb__path_set_mode(int mode);

#endif
