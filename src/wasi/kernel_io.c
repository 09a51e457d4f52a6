/*
** kernel_io.c -- a read or write that can only wait inside the kernel, made
** interruptible.
**
** Most descriptors that may block are read and written without blocking
** (wasi_rw.c): O_NONBLOCK descriptors of our own, MSG_DONTWAIT, RWF_NOWAIT.
** What is left is a terminal or pipe borrowed as stdio where none of those
** is possible: a pty master (its /proc/self/fd reopen would make a new
** pty), a system without /proc, a kernel without RWF_NOWAIT for pipes. There
** the descriptor's O_NONBLOCK belongs to whoever shares its open file
** description (the shell's terminal) and must not change, so the read or
** write blocks in the kernel even after poll said ready: another reader may
** take the data first, a terminal may be stopped (^S), a pty master may
** have room for one byte.
**
** So the call is made on a private descriptor number d, a duplicate of the
** host descriptor (the same open file description: nobody sees a change),
** with an interrupt handler installed (ebb.h) that, when a request comes:
**   1. dup2()s an O_PATH descriptor (read and write on it fail with EBADF)
**      onto d, so that a call not yet inside the kernel fails at once;
**   2. if the embedder named a signal (ebb_wasi_set_interrupt_signal),
**      sends it to the thread, so that a call already waiting in the
**      kernel returns EINTR (its handler is installed without SA_RESTART).
** In that order: the kernel looks d up when the call enters it, so the
** signal finds the thread either inside the call (EINTR) or before it (d is
** dead by then: EBADF). Both steps are async-signal-safe, as requests made
** from signal handlers need. Without a signal, a call already waiting in
** the kernel stays there until data or room comes: documented in ebb.h.
**
** The handler counts the thread as parked (ebb_thread_suspend_wait may say
** so while it waits), and a parked thread must keep off guest memory; so
** the data goes through a buffer of ours, copied from the guest before and
** to it after (wasi_rw.c). A request with nothing moved is EBB_INTERRUPTED:
** nothing was consumed, so the call is simply made again on resume. Bytes
** that did move are kept and reported, as any short read or write.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/wasi.h"

_Atomic(ebb__wasi_kernel_hook_fn) ebb__wasi_kernel_hook;

typedef struct kick {
  int d;     /* the private number the call uses */
  int dead;  /* an O_PATH descriptor: reads and writes fail with EBADF */
  int signo; /* 0: none */
  pthread_t thread;
} kick;

/* The interrupt handler. It may run more than once (a message runs it too,
** ebb.h): both steps are harmless to repeat. */
static void kick_run(void *arg) {
  kick *k = arg;
  dup2(k->dead, k->d);
  if (k->signo) pthread_kill(k->thread, k->signo);
}

ssize_t ebb__wasi_kernel_io(ebb_host_call_t *call, ebb__wfd *e, bool write, void *buf, size_t len) {
  ebb_wasi_t *w = ebb_host_data(call);
  kick k = {.signo = atomic_load(&w->intr_signo), .thread = pthread_self()};
  k.dead = open("/", O_PATH | O_CLOEXEC);
  if (k.dead < 0) return -1;
  k.d = fcntl(e->host, F_DUPFD_CLOEXEC, 0);
  if (k.d < 0) {
    int err = errno;
    close(k.dead);
    errno = err;
    return -1;
  }
  ssize_t n;
  int err = 0;
  int rc = ebb_host_set_interrupt_handler(call, kick_run, &k);
  if (rc == EBB_EINTR) {
    n = EBB__WASI_KERNEL_STOP; /* a request was pending already */
  } else if (rc) {
    n = -1; /* cannot happen: WASI's handlers install one handler at most */
    err = EINVAL;
  } else {
    ebb__wasi_kernel_hook_fn hook = atomic_load(&ebb__wasi_kernel_hook);
    if (hook) hook(write);
    n = write ? writev(k.d, &(struct iovec){buf, len}, 1)
              : readv(k.d, &(struct iovec){buf, len}, 1);
    err = errno;
    /* The handler is not running and never will once this returns: d and
    ** k may go. */
    bool stop = ebb_host_clear_interrupt_handler(call) == EBB_EINTR;
    /* EBADF can only be the dead descriptor, EINTR our signal or another:
    ** for a stop, nothing moved; otherwise (a message ran the handler, a
    ** signal of the embedder's) the caller waits and tries again. */
    if (n < 0 && (err == EBADF || err == EINTR)) {
      if (stop)
        n = EBB__WASI_KERNEL_STOP;
      else
        err = EAGAIN;
    }
  }
  close(k.d);
  close(k.dead);
  if (n == -1) errno = err;
  return n;
}
