/*
** common.c -- the fuzz targets' watchdog, resolver and guarded call.
*/
#include "common.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt/rt.h"

/* Where findings are reported: a copy of stderr made before libFuzzer's
** -close_fd_mask silences the guests' own output on descriptors 1 and 2. */
static int report_fd = 2;

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  int fd = dup(2);
  if (fd >= 0) report_fd = fd;
  return 0;
}

void fuzz_fail(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  dprintf(report_fd, "FUZZ FINDING: %s\n", msg);
  abort();
}

/* ---- Resolver ------------------------------------------------------------- */

/* Imports larger than this are refused (the instantiation then fails with
** "unknown import", which is a fine outcome for a fuzzer). */
enum { MAX_IMPORTED_TABLE = 10000 };

static ebb_status_t host_zero(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  size_t n = (size_t)(uintptr_t)ebb_host_data(call);
  for (size_t i = 0; i < n; i++) results[i] = 0;
  return EBB_OK;
}

int fuzz_resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                 ebb_extern_t *out) {
  fuzz_resolver *r = data;
  const ebb__module *d = r->module->desc;
  for (uint32_t i = 0; i < d->nimports; i++) {
    const ebb__import *im = &d->imports[i];
    if (im->kind != kind || strcmp(im->module, module) || strcmp(im->name, name)) continue;
    out->kind = kind;
    switch (kind) {
    case EBB_EXTERN_FUNC: {
      const ebb__functype *ft = &d->types[im->as.func_type];
      ebb_valkind_t ps[EBB__MAX_PARAMS], rs[EBB__MAX_RESULTS];
      for (uint32_t k = 0; k < ft->nparams; k++) ps[k] = (ebb_valkind_t)EBB__PARAMS(ft)[k];
      uint32_t cells = 0; /* a v128 result is two cells */
      for (uint32_t k = 0; k < ft->nresults; k++) {
        rs[k] = (ebb_valkind_t)EBB__RESULTS(ft)[k];
        cells += rs[k] == EBB_V128 ? 2 : 1;
      }
      out->of.func = ebb_func_new_host(r->store, ps, ft->nparams, rs, ft->nresults, host_zero,
                                       (void *)(uintptr_t)cells);
      return out->of.func ? 0 : EBB_ENOTFOUND;
    }
    case EBB_EXTERN_MEMORY: {
      const ebb__limits *l = &im->as.mem.limits;
      if (l->min > r->store->limits.max_memory_pages) return EBB_ENOTFOUND;
      uint32_t max = l->has_max ? (uint32_t)(l->max < 65536 ? l->max : 65536) : 0;
      out->of.memory = ebb_memory_new(r->store, (uint32_t)l->min, max, l->has_max, l->shared);
      return out->of.memory ? 0 : EBB_ENOTFOUND;
    }
    case EBB_EXTERN_TABLE: {
      const ebb__limits *l = &im->as.table.limits;
      if (l->min > MAX_IMPORTED_TABLE) return EBB_ENOTFOUND;
      out->of.table = ebb_table_new(r->store, (ebb_valkind_t)im->as.table.elem, (uint32_t)l->min,
                                    (uint32_t)l->max, l->has_max);
      return out->of.table ? 0 : EBB_ENOTFOUND;
    }
    case EBB_EXTERN_GLOBAL: {
      ebb_val_t v;
      memset(&v, 0, sizeof v);
      v.kind = (ebb_valkind_t)im->as.global.type;
      out->of.global = ebb_global_new(r->store, v, im->as.global.mutable_);
      return out->of.global ? 0 : EBB_ENOTFOUND;
    }
    }
  }
  return EBB_ENOTFOUND;
}

/* ---- Watchdog ------------------------------------------------------------- */

/* One helper thread for the whole process. It sleeps until a call is armed,
** then until that call's deadline, and interrupts the guest thread if the
** call is still armed then. Disarming after the call returned can race
** with the deadline, so a later call on the same thread may see one stray
** interrupt: fuzz_call_guarded resumes after an interrupt, so that is
** harmless. */
static pthread_once_t wd_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cond;
static ebb_thread_t *wd_target;
static struct timespec wd_deadline;

static bool before(const struct timespec *a, const struct timespec *b) {
  return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *watchdog(void *arg) {
  (void)arg;
  pthread_mutex_lock(&wd_lock);
  for (;;) {
    if (!wd_target) {
      pthread_cond_wait(&wd_cond, &wd_lock);
      continue;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!before(&now, &wd_deadline)) {
      ebb_thread_interrupt(wd_target);
      wd_target = NULL;
      continue;
    }
    pthread_cond_timedwait(&wd_cond, &wd_lock, &wd_deadline);
  }
  return NULL;
}

static void wd_start(void) {
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(&wd_cond, &a);
  pthread_condattr_destroy(&a);
  pthread_t th;
  if (pthread_create(&th, NULL, watchdog, NULL)) fuzz_fail("cannot start the watchdog");
  pthread_detach(th);
}

void fuzz_watchdog_arm(ebb_thread_t *t, unsigned ms) {
  pthread_once(&wd_once, wd_start);
  pthread_mutex_lock(&wd_lock);
  clock_gettime(CLOCK_MONOTONIC, &wd_deadline);
  wd_deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
  wd_deadline.tv_sec += ms / 1000 + wd_deadline.tv_nsec / 1000000000L;
  wd_deadline.tv_nsec %= 1000000000L;
  wd_target = t;
  pthread_cond_signal(&wd_cond);
  pthread_mutex_unlock(&wd_lock);
}

void fuzz_watchdog_disarm(void) {
  pthread_mutex_lock(&wd_lock);
  wd_target = NULL;
  pthread_mutex_unlock(&wd_lock);
}

/* ---- Guarded calls ----------------------------------------------------------- */

static void check_outcome(ebb_status_t st, const ebb_outcome_t *o) {
  if (st != o->status) fuzz_fail("ebb_call returned %d, the outcome says %d", st, o->status);
  switch (st) {
  case EBB_OK:
  case EBB_EXIT:
  case EBB_INTERRUPTED: break;
  case EBB_TRAP:
    if (o->trap <= EBB_TRAP_NONE || o->trap >= EBB_TRAP_COUNT_ || !o->message[0])
      fuzz_fail("trap without a kind or message (%d, \"%s\")", (int)o->trap, o->message);
    break;
  default: fuzz_fail("ebb_call returned %d", (int)st);
  }
}

ebb_status_t fuzz_call_guarded(ebb_thread_t *t, ebb_func_t *f, unsigned ms, ebb_outcome_t *out) {
  uint32_t np = ebb_func_param_count(f), nr = ebb_func_result_count(f);
  ebb_val_t *args = calloc(np + 1, sizeof *args), *res = calloc(nr + 1, sizeof *res);
  if (!args || !res) fuzz_fail("out of memory in the harness");
  for (uint32_t i = 0; i < np; i++) args[i].kind = ebb_func_param(f, i);
  fuzz_watchdog_arm(t, ms);
  ebb_status_t st = ebb_call(t, f, args, res, out);
  fuzz_watchdog_disarm();
  check_outcome(st, out);
  if (st == EBB_INTERRUPTED) {
    fuzz_watchdog_arm(t, ms);
    st = ebb_call_resume(t, res, out);
    fuzz_watchdog_disarm();
    check_outcome(st, out);
    if (st == EBB_INTERRUPTED) ebb_call_abandon(t);
  }
  if (st == EBB_OK)
    for (uint32_t i = 0; i < nr; i++)
      if (res[i].kind != ebb_func_result(f, i))
        fuzz_fail("result %u has kind 0x%x, the type says 0x%x", i, res[i].kind,
                  ebb_func_result(f, i));
  free(args);
  free(res);
  return st;
}
