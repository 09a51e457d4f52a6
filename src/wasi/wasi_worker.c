/*
** wasi_worker.c -- system calls that can take long and cannot be
** interrupted (fsync and fdatasync of much dirty data, fallocate and
** ftruncate of a guest-chosen size), run on a short-lived worker thread
** while the guest thread waits for them interruptibly.
**
** Nothing stops such a call in the kernel: a signal does not (fsync waits
** for the disk), so the guest thread must not be the one making it. The
** handler makes a job -- the operation, its arguments, a dup of the host
** descriptor owned by the job, an eventfd -- and starts a detached worker
** that makes the call on the dup, records its result and writes the
** eventfd. The guest thread waits on the eventfd with ebb_host_poll, so a
** request (interrupt, termination, --timeout) ends the wait at once: the
** handler returns EBB_INTERRUPTED and the call runs again on resume. The
** job is reference-counted (the worker, each waiter, and the descriptor's
** `job` slot), so whichever of them finishes last frees it; the worker
** never touches the descriptor's entry, only its own dup, so the guest may
** close the descriptor meanwhile.
**
** What is not bounded: the system call itself, on the worker. A thread
** inside an uninterruptible system call holds up its process's exit
** (exit_group waits for every thread), so `ebb run` whose guest was
** stopped during a long fsync prints its message at once but its process
** ends when the disk is done, as any process's would. Making the call in a
** child process instead was tried and left out: a library must not fork
** the embedding process (a copy of page tables for gigabytes of guest
** memory per call, SIGCHLD and wait(-1) in the embedder's hands).
**
** Why stopping in the middle is safe:
**  - every operation here is idempotent: syncing again, allocating or
**    setting the size to the same value again, changes nothing more;
**  - a call run again on resume finds its own job still in the
**    descriptor's slot (same thread, same start time from
**    ebb_host_deadline, same operation and arguments) and waits for that
**    one rather than starting another, so an embedder that interrupts in
**    a loop cannot pile up workers: a descriptor has at most one job
**    running, and a different call on it first waits (interruptibly) for
**    that one to end, so jobs on one descriptor never overlap or reorder;
**  - a call that is stopped and never resumed (the guest was terminated)
**    still completes in the background, exactly as if it had returned
**    just before the stop: the data is synced, the space allocated, the
**    size set to what the guest asked. Nothing else is done afterwards,
**    and the job's memory and descriptors go with the worker.
** If no worker can be started (out of threads), the call is made on the
** guest thread, uninterruptibly, as before.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/alloc.h"
#include "wasi/wasi.h"

struct ebb__wjob {
  atomic_uint refs;
  int op;
  uint64_t off, len;
  int fd;  /* the worker's dup of the host descriptor */
  int efd; /* written once by the worker when the call is done */
  /* The call that started the job, to know it again when it runs again
  ** after an interruption (compared, never dereferenced). */
  const ebb_thread_t *thread;
  int64_t start;
  atomic_int done;
  int err; /* the call's errno, 0 on success; read after `done` */
};

_Atomic(ebb__wasi_worker_hook_fn) ebb__wasi_worker_hook;

void ebb__wasi_job_put(ebb__wjob *j) {
  if (!j || atomic_fetch_sub_explicit(&j->refs, 1, memory_order_acq_rel) != 1) return;
  if (j->fd >= 0) close(j->fd);
  if (j->efd >= 0) close(j->efd);
  ebb__free(j);
}

/* The system call itself: 0 or an errno. */
static int run_op(int op, int fd, uint64_t off, uint64_t len) {
  int rc;
  do {
    switch (op) {
    case EBB__WASI_JOB_FSYNC: rc = fsync(fd); break;
    case EBB__WASI_JOB_FDATASYNC: rc = fdatasync(fd); break;
    /* fallocate(2), not posix_fallocate: where the file system cannot
    ** allocate, glibc's fallback writes every block, a loop of guest-chosen
    ** length that nothing could stop; the guest gets ENOTSUP instead. */
    case EBB__WASI_JOB_FALLOCATE: rc = fallocate(fd, 0, (off_t)off, (off_t)len); break;
    default: rc = ftruncate(fd, (off_t)off); break;
    }
  } while (rc < 0 && errno == EINTR);
  return rc < 0 ? errno : 0;
}

static void *worker(void *p) {
  ebb__wjob *j = p;
  ebb__wasi_worker_hook_fn hook = atomic_load(&ebb__wasi_worker_hook);
  if (hook) hook(j->op);
  j->err = run_op(j->op, j->fd, j->off, j->len);
  atomic_store_explicit(&j->done, 1, memory_order_release);
  uint64_t one = 1;
  while (write(j->efd, &one, sizeof one) < 0 && errno == EINTR) {
  }
  ebb__wasi_job_put(j);
  return NULL;
}

/* A new job with three references (worker, caller, the descriptor's slot)
** and its worker started, or NULL. */
static ebb__wjob *job_start(ebb__wfd *e, int op, uint64_t off, uint64_t len,
                            const ebb_thread_t *thread, int64_t start) {
  ebb__wjob *j = ebb__calloc(1, sizeof *j);
  if (!j) return NULL;
  *j = (ebb__wjob){.op = op, .off = off, .len = len, .thread = thread, .start = start};
  atomic_init(&j->refs, 3);
  atomic_init(&j->done, 0);
  j->fd = fcntl(e->host, F_DUPFD_CLOEXEC, 0);
  j->efd = eventfd(0, EFD_CLOEXEC);
  pthread_attr_t attr;
  int rc = -1;
  if (j->fd >= 0 && j->efd >= 0 && pthread_attr_init(&attr) == 0) {
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* The worker takes no signals meant for the process or the guest. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t th;
    rc = pthread_create(&th, &attr, worker, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
  }
  if (rc != 0) {
    atomic_store(&j->refs, 1);
    ebb__wasi_job_put(j);
    return NULL;
  }
  return j;
}

int ebb__wasi_offload(ebb_host_call_t *call, ebb__wfd *e, int op, uint64_t off, uint64_t len) {
  const ebb_thread_t *me = ebb_host_thread(call);
  int64_t start = ebb_host_deadline(call, 0); /* the same when run again on resume */
  for (;;) {
    bool mine = true;
    pthread_mutex_lock(&e->lock);
    ebb__wjob *j = e->job;
    if (j && !atomic_load_explicit(&j->done, memory_order_acquire)) {
      /* Running: ours from before an interruption, or another call's that
      ** must end before ours starts. */
      mine = j->thread == me && j->start == start && j->op == op && j->off == off &&
             j->len == len;
      atomic_fetch_add_explicit(&j->refs, 1, memory_order_relaxed);
    } else if ((j = job_start(e, op, off, len, me, start))) {
      ebb__wasi_job_put(e->job);
      e->job = j;
    }
    pthread_mutex_unlock(&e->lock);
    if (!j) break; /* no worker: make the call here */
    struct pollfd p = {j->efd, POLLIN, 0};
    int rc;
    do rc = ebb_host_poll(call, &p, 1, INT64_MAX);
    while (rc == 0 || rc == EBB_ESIGNAL); /* a guest signal does not cut a flush short */
    int err = rc < 0 ? errno : 0;
    if (rc > 0 && atomic_load_explicit(&j->done, memory_order_acquire)) err = j->err;
    ebb__wasi_job_put(j);
    if (rc == EBB_EINTR) return EBB__WASI_WAIT_STOP;
    if (rc < 0) return ebb__wasi_errno(err);
    if (mine) return err ? ebb__wasi_errno(err) : 0;
  }
  int err = run_op(op, e->host, off, len);
  return err ? ebb__wasi_errno(err) : 0;
}
