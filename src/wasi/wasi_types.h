/*
** wasi_types.h -- the wasi_snapshot_preview1 ABI: errno values, rights,
** flags and the byte layout of every record the host functions read or
** write. Values and offsets follow legacy/preview1/witx/typenames.witx of the
** WebAssembly/WASI repository (records are laid out C-style: each field at
** its natural alignment, wasm32 pointers and sizes are 4 bytes).
*/
#ifndef EBB_WASI_TYPES_H
#define EBB_WASI_TYPES_H

#include <stdint.h>

/* errno (u16): the full list, in witx order. */
#define EBB__WASI_ERRNO_LIST(X)                                                      \
  X(SUCCESS, 0) X(2BIG, 1) X(ACCES, 2) X(ADDRINUSE, 3) X(ADDRNOTAVAIL, 4)              \
  X(AFNOSUPPORT, 5) X(AGAIN, 6) X(ALREADY, 7) X(BADF, 8) X(BADMSG, 9) X(BUSY, 10)      \
  X(CANCELED, 11) X(CHILD, 12) X(CONNABORTED, 13) X(CONNREFUSED, 14)                  \
  X(CONNRESET, 15) X(DEADLK, 16) X(DESTADDRREQ, 17) X(DOM, 18) X(DQUOT, 19)           \
  X(EXIST, 20) X(FAULT, 21) X(FBIG, 22) X(HOSTUNREACH, 23) X(IDRM, 24) X(ILSEQ, 25)   \
  X(INPROGRESS, 26) X(INTR, 27) X(INVAL, 28) X(IO, 29) X(ISCONN, 30) X(ISDIR, 31)     \
  X(LOOP, 32) X(MFILE, 33) X(MLINK, 34) X(MSGSIZE, 35) X(MULTIHOP, 36)                \
  X(NAMETOOLONG, 37) X(NETDOWN, 38) X(NETRESET, 39) X(NETUNREACH, 40) X(NFILE, 41)    \
  X(NOBUFS, 42) X(NODEV, 43) X(NOENT, 44) X(NOEXEC, 45) X(NOLCK, 46) X(NOLINK, 47)    \
  X(NOMEM, 48) X(NOMSG, 49) X(NOPROTOOPT, 50) X(NOSPC, 51) X(NOSYS, 52)               \
  X(NOTCONN, 53) X(NOTDIR, 54) X(NOTEMPTY, 55) X(NOTRECOVERABLE, 56) X(NOTSOCK, 57)   \
  X(NOTSUP, 58) X(NOTTY, 59) X(NXIO, 60) X(OVERFLOW, 61) X(OWNERDEAD, 62) X(PERM, 63) \
  X(PIPE, 64) X(PROTO, 65) X(PROTONOSUPPORT, 66) X(PROTOTYPE, 67) X(RANGE, 68)        \
  X(ROFS, 69) X(SPIPE, 70) X(SRCH, 71) X(STALE, 72) X(TIMEDOUT, 73) X(TXTBSY, 74)     \
  X(XDEV, 75) X(NOTCAPABLE, 76)

enum {
#define EBB__WASI_ERRNO_ENUM_(name, value) EBB__WASI_E##name = value,
  EBB__WASI_ERRNO_LIST(EBB__WASI_ERRNO_ENUM_)
#undef EBB__WASI_ERRNO_ENUM_
};

/* rights (u64): bit n is the n-th right of the witx list. */
#define EBB__R(n) ((uint64_t)1 << (n))
enum {
  EBB__R_FD_DATASYNC = 0, EBB__R_FD_READ, EBB__R_FD_SEEK, EBB__R_FD_FDSTAT_SET_FLAGS,
  EBB__R_FD_SYNC, EBB__R_FD_TELL, EBB__R_FD_WRITE, EBB__R_FD_ADVISE, EBB__R_FD_ALLOCATE,
  EBB__R_PATH_CREATE_DIRECTORY, EBB__R_PATH_CREATE_FILE, EBB__R_PATH_LINK_SOURCE,
  EBB__R_PATH_LINK_TARGET, EBB__R_PATH_OPEN, EBB__R_FD_READDIR, EBB__R_PATH_READLINK,
  EBB__R_PATH_RENAME_SOURCE, EBB__R_PATH_RENAME_TARGET, EBB__R_PATH_FILESTAT_GET,
  EBB__R_PATH_FILESTAT_SET_SIZE, EBB__R_PATH_FILESTAT_SET_TIMES, EBB__R_FD_FILESTAT_GET,
  EBB__R_FD_FILESTAT_SET_SIZE, EBB__R_FD_FILESTAT_SET_TIMES, EBB__R_PATH_SYMLINK,
  EBB__R_PATH_REMOVE_DIRECTORY, EBB__R_PATH_UNLINK_FILE, EBB__R_POLL_FD_READWRITE,
  EBB__R_SOCK_SHUTDOWN, EBB__R_SOCK_ACCEPT, EBB__R_COUNT_
};
#define EBB__RIGHTS_ALL (EBB__R(EBB__R_COUNT_) - 1)

/* filetype (u8) */
enum {
  EBB__WASI_FT_UNKNOWN = 0,
  EBB__WASI_FT_BLOCK_DEVICE = 1,
  EBB__WASI_FT_CHARACTER_DEVICE = 2,
  EBB__WASI_FT_DIRECTORY = 3,
  EBB__WASI_FT_REGULAR_FILE = 4,
  EBB__WASI_FT_SOCKET_DGRAM = 5,
  EBB__WASI_FT_SOCKET_STREAM = 6,
  EBB__WASI_FT_SYMBOLIC_LINK = 7,
};

/* fdflags (u16) */
enum {
  EBB__WASI_FDFLAG_APPEND = 1,
  EBB__WASI_FDFLAG_DSYNC = 2,
  EBB__WASI_FDFLAG_NONBLOCK = 4,
  EBB__WASI_FDFLAG_RSYNC = 8,
  EBB__WASI_FDFLAG_SYNC = 16,
  EBB__WASI_FDFLAGS_ALL = 31,
};

/* oflags (u16), lookupflags (u32), fstflags (u16) */
enum {
  EBB__WASI_O_CREAT = 1,
  EBB__WASI_O_DIRECTORY = 2,
  EBB__WASI_O_EXCL = 4,
  EBB__WASI_O_TRUNC = 8,
  EBB__WASI_LOOKUP_SYMLINK_FOLLOW = 1,
  EBB__WASI_FST_ATIM = 1,
  EBB__WASI_FST_ATIM_NOW = 2,
  EBB__WASI_FST_MTIM = 4,
  EBB__WASI_FST_MTIM_NOW = 8,
};

/* whence (u8), advice (u8) */
enum { EBB__WASI_WHENCE_SET = 0, EBB__WASI_WHENCE_CUR = 1, EBB__WASI_WHENCE_END = 2 };
enum { EBB__WASI_ADVICE_MAX = 5 }; /* normal .. noreuse */

/* clockid (u32), eventtype (u8), eventrwflags / subclockflags (u16) */
enum {
  EBB__WASI_CLOCK_REALTIME = 0,
  EBB__WASI_CLOCK_MONOTONIC = 1,
  EBB__WASI_CLOCK_PROCESS_CPUTIME = 2,
  EBB__WASI_CLOCK_THREAD_CPUTIME = 3,
  EBB__WASI_EVENT_CLOCK = 0,
  EBB__WASI_EVENT_FD_READ = 1,
  EBB__WASI_EVENT_FD_WRITE = 2,
  EBB__WASI_EVENT_HANGUP = 1,
  EBB__WASI_SUBCLOCK_ABSTIME = 1,
};

/* riflags, roflags (u16), sdflags (u8) */
enum {
  EBB__WASI_RECV_PEEK = 1,
  EBB__WASI_RECV_WAITALL = 2,
  EBB__WASI_RECV_DATA_TRUNCATED = 1,
  EBB__WASI_SHUT_RD = 1,
  EBB__WASI_SHUT_WR = 2,
};

/* Record sizes and field offsets (bytes). */
enum {
  EBB__WASI_IOVEC_SIZE = 8,        /* buf u32 @0, buf_len u32 @4 */
  EBB__WASI_FDSTAT_SIZE = 24,      /* filetype u8 @0, flags u16 @2, base u64 @8, inh u64 @16 */
  EBB__WASI_FILESTAT_SIZE = 64,    /* dev @0 ino @8 filetype u8 @16 nlink @24 size @32
                                      atim @40 mtim @48 ctim @56 */
  EBB__WASI_DIRENT_SIZE = 24,      /* d_next u64 @0, d_ino u64 @8, d_namlen u32 @16,
                                      d_type u8 @20; the name follows */
  EBB__WASI_PRESTAT_SIZE = 8,      /* tag u8 @0, pr_name_len u32 @4 */
  EBB__WASI_SUBSCRIPTION_SIZE = 48, /* userdata u64 @0, tag u8 @8, then @16: clock { id u32
                                       @16, timeout u64 @24, precision u64 @32, flags u16 @40 }
                                       or fd_readwrite { fd u32 @16 } */
  EBB__WASI_EVENT_SIZE = 32,       /* userdata u64 @0, error u16 @8, type u8 @10,
                                      nbytes u64 @16, flags u16 @24 */
};

/* The longest path a guest may pass (as PATH_MAX on Linux). */
#define EBB__WASI_PATH_MAX 4096

#endif
