/*
** fdtable.h -- the guest's descriptor table: WASI descriptor numbers mapped
** to host descriptors with their WASI type, flags and rights.
**
** Numbering: 0-2 are the host's standard descriptors (never closed on the
** host), preopened directories and sockets follow from 3 in the order they
** were given, and new descriptors take the lowest free number. fd_renumber
** moves one onto another open number (or, where allowed, a free one below
** EBB__FD_MAX).
**
** Borrowed stdio: the host's descriptors 0-2 are shared with the process
** that started ebb (often its open file description: the shell's terminal,
** a file opened by `<`), so nothing done through them may outlive the guest
** (ebb__wfd_new_stdio): they carry no path, readdir or inheritable rights,
** no rights to change a file's size, times or allocation, no sock_shutdown,
** only the read/write rights their access mode allows, and APPEND cannot
** be changed on them (fd_fdstat_set_flags: ENOTSUP). Where one may block (a
** terminal, a pipe, a FIFO) it is read and written through a private open
** file description of the same file, opened from /proc/self/fd/N with
** O_NONBLOCK: its own O_NONBLOCK leaves the parent's untouched, and no read
** or write on it can block (wasi_rw.c). Where none can be opened (a pty
** master, no /proc), reads and writes wait in the kernel, interruptibly
** (kernel_io.c).
**
** Threads: wasi-threads guests call into one table from several threads.
** The table lock is held only to look up, insert or remove; a handler works
** on an entry through a counted reference (ebb__fd_get / ebb__fd_put), so a
** descriptor closed by one thread while another blocks in a read on it stays
** valid until that read ends, and its host descriptor is closed by whichever
** releases the last reference.
*/
#ifndef EBB_WASI_FDTABLE_H
#define EBB_WASI_FDTABLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "wasi/wasi_types.h"

typedef struct ebb_wasi ebb_wasi_t;
typedef struct ebb__wjob ebb__wjob;

typedef struct ebb__wfd {
  atomic_uint refs;
  int host;           /* the host descriptor */
  bool owned;         /* close `host` with the last reference */
  bool stdio;         /* borrowed standard descriptor (see above) */
  bool host_nb;       /* `host` is ours and O_NONBLOCK: reads and writes never block */
  uint8_t type;       /* WASI filetype */
  /* Changed by fd_fdstat_set_flags / _set_rights while other threads read
  ** them, hence atomic. */
  _Atomic uint16_t flags;        /* WASI fdflags as the guest sees them */
  _Atomic uint64_t base;         /* rights of this descriptor */
  _Atomic uint64_t inheriting;   /* rights descriptors opened through it may get */
  char *preopen;      /* the guest name of a preopened directory, else NULL */
  atomic_int nowait;  /* RWF_NOWAIT on this descriptor: 0 untried, 1 works, -1 not */
  pthread_mutex_t lock; /* serializes fd_readdir (which seeks the directory); guards job */
  ebb__wjob *job;       /* the last system call run on a worker (wasi_worker.c) */
  /* Where the kernel lacks RWF_NOAPPEND: the same file without O_APPEND, for
  ** fd_pwrite; -1 until needed. Under `lock`, as are changes of APPEND, so
  ** that a pwrite never meets O_APPEND it did not see (wasi_rw.c). */
  int nonappend;
} ebb__wfd;

typedef struct ebb__fdtable {
  pthread_mutex_t lock;
  ebb__wfd **slot; /* NULL: free */
  uint32_t cap;
} ebb__fdtable;

/* The most descriptors a guest may hold open at once. */
#define EBB__FD_MAX 65536u

/* Rights by type (what uvwasi and wasmtime's legacy implementation give). */
#define EBB__RIGHTS_FILE                                                                 \
  (EBB__R(EBB__R_FD_DATASYNC) | EBB__R(EBB__R_FD_READ) | EBB__R(EBB__R_FD_SEEK) |           \
   EBB__R(EBB__R_FD_FDSTAT_SET_FLAGS) | EBB__R(EBB__R_FD_SYNC) | EBB__R(EBB__R_FD_TELL) |   \
   EBB__R(EBB__R_FD_WRITE) | EBB__R(EBB__R_FD_ADVISE) | EBB__R(EBB__R_FD_ALLOCATE) |        \
   EBB__R(EBB__R_FD_FILESTAT_GET) | EBB__R(EBB__R_FD_FILESTAT_SET_SIZE) |                   \
   EBB__R(EBB__R_FD_FILESTAT_SET_TIMES) | EBB__R(EBB__R_POLL_FD_READWRITE))
#define EBB__RIGHTS_DIR                                                                  \
  (EBB__R(EBB__R_FD_FDSTAT_SET_FLAGS) | EBB__R(EBB__R_FD_SYNC) |                           \
   EBB__R(EBB__R_PATH_CREATE_DIRECTORY) | EBB__R(EBB__R_PATH_CREATE_FILE) |                 \
   EBB__R(EBB__R_PATH_LINK_SOURCE) | EBB__R(EBB__R_PATH_LINK_TARGET) |                      \
   EBB__R(EBB__R_PATH_OPEN) | EBB__R(EBB__R_FD_READDIR) | EBB__R(EBB__R_PATH_READLINK) |    \
   EBB__R(EBB__R_PATH_RENAME_SOURCE) | EBB__R(EBB__R_PATH_RENAME_TARGET) |                  \
   EBB__R(EBB__R_PATH_FILESTAT_GET) | EBB__R(EBB__R_PATH_FILESTAT_SET_SIZE) |               \
   EBB__R(EBB__R_PATH_FILESTAT_SET_TIMES) | EBB__R(EBB__R_FD_FILESTAT_GET) |                \
   EBB__R(EBB__R_FD_FILESTAT_SET_TIMES) | EBB__R(EBB__R_PATH_SYMLINK) |                     \
   EBB__R(EBB__R_PATH_REMOVE_DIRECTORY) | EBB__R(EBB__R_PATH_UNLINK_FILE) |                 \
   EBB__R(EBB__R_POLL_FD_READWRITE))
/* What a directory passes on: everything, so that a program asking for
** rights that do not apply (Rust's std asks for many) is not refused; path_open
** then keeps only the rights that apply to what it opened. */
#define EBB__RIGHTS_DIR_INHERITING EBB__RIGHTS_ALL
/* Terminals, pipes: no seek or tell (wasi-libc's isatty() relies on that). */
#define EBB__RIGHTS_STREAM                                                               \
  (EBB__R(EBB__R_FD_READ) | EBB__R(EBB__R_FD_WRITE) | EBB__R(EBB__R_FD_FDSTAT_SET_FLAGS) |  \
   EBB__R(EBB__R_FD_FILESTAT_GET) | EBB__R(EBB__R_POLL_FD_READWRITE))
#define EBB__RIGHTS_SOCKET                                                               \
  (EBB__RIGHTS_STREAM | EBB__R(EBB__R_SOCK_SHUTDOWN) | EBB__R(EBB__R_SOCK_ACCEPT))

int ebb__fdtable_init(ebb__fdtable *t);
void ebb__fdtable_close(ebb__fdtable *t);

/* The WASI filetype of a host descriptor (st from fstat). */
uint8_t ebb__wasi_filetype(int host, const struct stat *st);
/* True for types whose reads and writes may block (pipes, sockets, terminals
** and other character devices). Regular files and directories never do. */
bool ebb__wasi_may_block(const ebb__wfd *e);
/* True for sockets (which are read and written with recvmsg/sendmsg). */
static inline bool ebb__wasi_is_socket(const ebb__wfd *e) {
  return e->type == EBB__WASI_FT_SOCKET_STREAM || e->type == EBB__WASI_FT_SOCKET_DGRAM;
}
/* The rights that apply to a descriptor of this kind. */
void ebb__wasi_type_rights(int host, uint8_t type, uint64_t *base, uint64_t *inheriting);

/* A new entry for host descriptor `host` (closed with it when `owned`), one reference,
** type and rights from the host descriptor. NULL when out of memory. */
ebb__wfd *ebb__wfd_new(int host, bool owned);

/* A new entry for the host's standard descriptor `fd` (0-2), borrowed: the
** rights above, and a private non-blocking open file description where it
** may block and one can be opened. NULL when out of memory. */
ebb__wfd *ebb__wfd_new_stdio(int fd);

/* A new open file description of the same file as host descriptor `fd`,
** opened from /proc/self/fd with open(2) `flags` (O_NOCTTY and O_CLOEXEC
** added), or -1. It must be the file `st` (fd's fstat) describes: a
** descriptor that changed between the fstat and the open is not trusted. */
int ebb__wfd_reopen(int fd, int flags, const struct stat *st);

/* Every right that names a file by a path. */
#define EBB__RIGHTS_PATH                                                                 \
  (EBB__R(EBB__R_PATH_CREATE_DIRECTORY) | EBB__R(EBB__R_PATH_CREATE_FILE) |                \
   EBB__R(EBB__R_PATH_LINK_SOURCE) | EBB__R(EBB__R_PATH_LINK_TARGET) |                      \
   EBB__R(EBB__R_PATH_OPEN) | EBB__R(EBB__R_PATH_READLINK) |                                \
   EBB__R(EBB__R_PATH_RENAME_SOURCE) | EBB__R(EBB__R_PATH_RENAME_TARGET) |                  \
   EBB__R(EBB__R_PATH_FILESTAT_GET) | EBB__R(EBB__R_PATH_FILESTAT_SET_SIZE) |               \
   EBB__R(EBB__R_PATH_FILESTAT_SET_TIMES) | EBB__R(EBB__R_PATH_SYMLINK) |                   \
   EBB__R(EBB__R_PATH_REMOVE_DIRECTORY) | EBB__R(EBB__R_PATH_UNLINK_FILE))
/* What borrowed stdio never has: the path and directory rights (a directory
** given as stdin is not a preopen), and the rights whose effect outlives
** the guest on a file or socket it shares with the parent. */
#define EBB__RIGHTS_NOT_STDIO                                                            \
  (EBB__RIGHTS_PATH | EBB__R(EBB__R_FD_READDIR) | EBB__R(EBB__R_FD_ALLOCATE) |             \
   EBB__R(EBB__R_FD_FILESTAT_SET_SIZE) | EBB__R(EBB__R_FD_FILESTAT_SET_TIMES) |             \
   EBB__R(EBB__R_SOCK_SHUTDOWN))

/* Look up `fd` with a reference. EBADF when it is not open, or when it is a
** directory and `rights` are not directory rights (as wasmtime: reading or
** seeking a directory is EBADF); ENOTCAPABLE when it lacks `rights`. */
uint16_t ebb__fd_get(ebb_wasi_t *w, uint32_t fd, uint64_t rights, ebb__wfd **out);
void ebb__fd_put(ebb__wfd *e);

/* The common tail of a lookup, for e just taken with ebb__fd_get: kind_err
** when nonzero, else ENOTCAPABLE when e lacks `rights`; on either error e is
** released, else *out = e. Callers compute kind_err in their own order. */
uint16_t ebb__fd_check(ebb__wfd *e, uint16_t kind_err, uint64_t rights, ebb__wfd **out);

/* Insert an entry at the lowest free number (the table takes the caller's
** reference). EMFILE when full, ENOMEM; on failure the entry is released. */
uint16_t ebb__fd_insert(ebb_wasi_t *w, ebb__wfd *e, uint32_t *fd_out);

/* A new owned entry for `host` (closed on any failure) inserted as by
** ebb__fd_insert: its base rights are those that apply to its type masked
** by base_mask, its inheriting rights and fdflags as given. */
uint16_t ebb__fd_add(ebb_wasi_t *w, int host, uint64_t base_mask, uint64_t inheriting,
                     uint16_t flags, uint32_t *fd_out);

/* Remove `fd` from the table and drop the table's reference. */
uint16_t ebb__fd_close(ebb_wasi_t *w, uint32_t fd);

/* Move `from`'s entry to number `to`, releasing the one open there. Both
** must be open (EBADF otherwise), as wasi-testsuite's renumber test and
** wasmtime want; from == to is then a no-op. With `to_closed`
** (ebb_wasi_set_renumber_to_closed), `to` need not be open: programs such
** as yosys park stdout at a spare number and bring it back (wasmtime's
** preview1 allowed it until 2026). It must still be below EBB__FD_MAX.
** Nothing about the entry changes with its number: a preopen stays a
** preopen (fd_prestat_get answers at `to`), borrowed stdio stays borrowed,
** and the host's 0-2 stay open wherever they go. */
uint16_t ebb__fd_renumber(ebb_wasi_t *w, uint32_t from, uint32_t to, bool to_closed);

/* Replace the rights of `fd` with a subset of them. */
uint16_t ebb__fd_set_rights(ebb_wasi_t *w, uint32_t fd, uint64_t base, uint64_t inheriting);

#endif
