/*
** errno.c -- host errno values to WASI errno values. Every POSIX value that
** WASI names maps to its namesake; the few Linux-only values map to the
** nearest WASI one; anything else is EIO, never success.
*/
#include <errno.h>

#include "wasi/wasi.h"

uint16_t ebb__wasi_errno(int e) {
  switch (e) {
  case 0: return EBB__WASI_ESUCCESS;
  case E2BIG: return EBB__WASI_E2BIG;
  case EACCES: return EBB__WASI_EACCES;
  case EADDRINUSE: return EBB__WASI_EADDRINUSE;
  case EADDRNOTAVAIL: return EBB__WASI_EADDRNOTAVAIL;
  case EAFNOSUPPORT: return EBB__WASI_EAFNOSUPPORT;
  case EAGAIN: return EBB__WASI_EAGAIN;
#if EWOULDBLOCK != EAGAIN
  case EWOULDBLOCK: return EBB__WASI_EAGAIN;
#endif
  case EALREADY: return EBB__WASI_EALREADY;
  case EBADF: return EBB__WASI_EBADF;
  case EBADMSG: return EBB__WASI_EBADMSG;
  case EBUSY: return EBB__WASI_EBUSY;
  case ECANCELED: return EBB__WASI_ECANCELED;
  case ECHILD: return EBB__WASI_ECHILD;
  case ECONNABORTED: return EBB__WASI_ECONNABORTED;
  case ECONNREFUSED: return EBB__WASI_ECONNREFUSED;
  case ECONNRESET: return EBB__WASI_ECONNRESET;
  case EDEADLK: return EBB__WASI_EDEADLK;
  case EDESTADDRREQ: return EBB__WASI_EDESTADDRREQ;
  case EDOM: return EBB__WASI_EDOM;
  case EDQUOT: return EBB__WASI_EDQUOT;
  case EEXIST: return EBB__WASI_EEXIST;
  case EFAULT: return EBB__WASI_EFAULT;
  case EFBIG: return EBB__WASI_EFBIG;
  case EHOSTUNREACH: return EBB__WASI_EHOSTUNREACH;
  case EIDRM: return EBB__WASI_EIDRM;
  case EILSEQ: return EBB__WASI_EILSEQ;
  case EINPROGRESS: return EBB__WASI_EINPROGRESS;
  case EINTR: return EBB__WASI_EINTR;
  case EINVAL: return EBB__WASI_EINVAL;
  case EIO: return EBB__WASI_EIO;
  case EISCONN: return EBB__WASI_EISCONN;
  case EISDIR: return EBB__WASI_EISDIR;
  case ELOOP: return EBB__WASI_ELOOP;
  case EMFILE: return EBB__WASI_EMFILE;
  case EMLINK: return EBB__WASI_EMLINK;
  case EMSGSIZE: return EBB__WASI_EMSGSIZE;
  case EMULTIHOP: return EBB__WASI_EMULTIHOP;
  case ENAMETOOLONG: return EBB__WASI_ENAMETOOLONG;
  case ENETDOWN: return EBB__WASI_ENETDOWN;
  case ENETRESET: return EBB__WASI_ENETRESET;
  case ENETUNREACH: return EBB__WASI_ENETUNREACH;
  case ENFILE: return EBB__WASI_ENFILE;
  case ENOBUFS: return EBB__WASI_ENOBUFS;
  case ENODEV: return EBB__WASI_ENODEV;
  case ENOENT: return EBB__WASI_ENOENT;
  case ENOEXEC: return EBB__WASI_ENOEXEC;
  case ENOLCK: return EBB__WASI_ENOLCK;
  case ENOLINK: return EBB__WASI_ENOLINK;
  case ENOMEM: return EBB__WASI_ENOMEM;
  case ENOMSG: return EBB__WASI_ENOMSG;
  case ENOPROTOOPT: return EBB__WASI_ENOPROTOOPT;
  case ENOSPC: return EBB__WASI_ENOSPC;
  case ENOSYS: return EBB__WASI_ENOSYS;
  case ENOTCONN: return EBB__WASI_ENOTCONN;
  case ENOTDIR: return EBB__WASI_ENOTDIR;
  case ENOTEMPTY: return EBB__WASI_ENOTEMPTY;
  case ENOTRECOVERABLE: return EBB__WASI_ENOTRECOVERABLE;
  case ENOTSOCK: return EBB__WASI_ENOTSOCK;
  case ENOTSUP: return EBB__WASI_ENOTSUP;
#if EOPNOTSUPP != ENOTSUP
  case EOPNOTSUPP: return EBB__WASI_ENOTSUP;
#endif
  case ENOTTY: return EBB__WASI_ENOTTY;
  case ENXIO: return EBB__WASI_ENXIO;
  case EOVERFLOW: return EBB__WASI_EOVERFLOW;
  case EOWNERDEAD: return EBB__WASI_EOWNERDEAD;
  case EPERM: return EBB__WASI_EPERM;
  case EPIPE: return EBB__WASI_EPIPE;
  case EPROTO: return EBB__WASI_EPROTO;
  case EPROTONOSUPPORT: return EBB__WASI_EPROTONOSUPPORT;
  case EPROTOTYPE: return EBB__WASI_EPROTOTYPE;
  case ERANGE: return EBB__WASI_ERANGE;
  case EROFS: return EBB__WASI_EROFS;
  case ESPIPE: return EBB__WASI_ESPIPE;
  case ESRCH: return EBB__WASI_ESRCH;
  case ESTALE: return EBB__WASI_ESTALE;
  case ETIMEDOUT: return EBB__WASI_ETIMEDOUT;
  case ETXTBSY: return EBB__WASI_ETXTBSY;
  case EXDEV: return EBB__WASI_EXDEV;
  /* Linux values WASI does not name: the nearest one. */
#ifdef ESHUTDOWN
  case ESHUTDOWN: return EBB__WASI_EPIPE;
#endif
#ifdef EHOSTDOWN
  case EHOSTDOWN: return EBB__WASI_EHOSTUNREACH;
#endif
#ifdef ETIME
  case ETIME: return EBB__WASI_ETIMEDOUT;
#endif
#ifdef EPFNOSUPPORT
  case EPFNOSUPPORT: return EBB__WASI_EAFNOSUPPORT;
#endif
#ifdef ESOCKTNOSUPPORT
  case ESOCKTNOSUPPORT: return EBB__WASI_EPROTONOSUPPORT;
#endif
  default: return EBB__WASI_EIO;
  }
}
