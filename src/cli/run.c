/*
** run.c -- `ebb run [options] MODULE.wasm [ARGS...]`: instantiate a WASI
** command module and call its `_start` as the main thread of a thread group.
**
** Stopping: SIGINT and SIGTERM are blocked in every thread and taken by a
** watcher thread with sigtimedwait, which also keeps the --timeout deadline.
** Either ends the group: every guest thread stops at its next safe point or,
** if blocked, at once. So the program ends promptly whatever its threads do.
**
** Exit status: the guest's exit code (0 when _start returns); 134 after a
** trap on any thread (as wasmtime); 124 on --timeout; 128+N for signal N
** (130 SIGINT, 143 SIGTERM); 1 when the module cannot be loaded or linked;
** 2 for usage errors.
*/
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/run_args.h"
#include "ebb.h"

#define EXIT_TRAP 134
#define EXIT_TIMEOUT 124
#define EXIT_FAIL 1

/* Signal the watcher uses to learn that the program has ended. */
#define SIG_DONE SIGUSR2

/* Everything imports resolve against: WASI, wasi-threads, and memories the
** module imports (created here from the declared type, as other runtimes
** do for threaded programs). */
typedef struct env {
  ebb_wasi_t *wasi;
  ebb_wasi_threads_t *threads;
  uint32_t nmems;
  ebb_import_info_t mem_info[4];
  ebb_memory_t *mems[4];
} env;

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  env *e = data;
  if (ebb_wasi_resolve(e->wasi, module, name, kind, out) == 0) return 0;
  if (e->threads && ebb_wasi_threads_resolve(e->threads, module, name, kind, out) == 0) return 0;
  for (uint32_t i = 0; i < e->nmems; i++)
    if (kind == EBB_EXTERN_MEMORY && !strcmp(module, e->mem_info[i].module) &&
        !strcmp(name, e->mem_info[i].name)) {
      out->kind = EBB_EXTERN_MEMORY;
      out->of.memory = e->mems[i];
      return 0;
    }
  return EBB_ENOTFOUND;
}

/* Create the memories the module imports; note whether it spawns threads. */
static int prepare_imports(ebb_store_t *store, const ebb_module_t *m, env *e, bool *threads) {
  *threads = false;
  for (uint32_t i = 0; i < ebb_module_import_count(m); i++) {
    ebb_import_info_t info;
    ebb_module_import_at(m, i, &info);
    if (!strcmp(info.module, "wasi") && !strcmp(info.name, "thread-spawn")) *threads = true;
    if (info.kind != EBB_EXTERN_MEMORY || e->nmems == 4) continue;
    ebb_memory_t *mem =
        ebb_memory_new(store, info.mem_min, info.mem_max, info.mem_has_max, info.mem_shared);
    if (!mem) return EBB_ELIMIT;
    e->mem_info[e->nmems] = info;
    e->mems[e->nmems++] = mem;
  }
  return 0;
}

typedef struct watcher {
  pthread_t thread;
  ebb_group_t *group;
  int64_t timeout_ns; /* -1: none */
} watcher;

/* Waits for SIGINT/SIGTERM, the deadline, or SIG_DONE. */
static void *watch(void *p) {
  watcher *w = p;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIG_DONE);
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  if (w->timeout_ns >= 0) {
    int64_t ns = deadline.tv_nsec + w->timeout_ns % 1000000000;
    deadline.tv_sec += (time_t)(w->timeout_ns / 1000000000 + ns / 1000000000);
    deadline.tv_nsec = (long)(ns % 1000000000);
  }
  for (;;) {
    int sig;
    if (w->timeout_ns < 0) {
      sig = sigwaitinfo(&set, NULL);
    } else {
      struct timespec now, left;
      clock_gettime(CLOCK_MONOTONIC, &now);
      int64_t d = (int64_t)(deadline.tv_sec - now.tv_sec) * 1000000000 +
                  (deadline.tv_nsec - now.tv_nsec);
      if (d < 0) d = 0;
      left.tv_sec = (time_t)(d / 1000000000);
      left.tv_nsec = (long)(d % 1000000000);
      sig = sigtimedwait(&set, NULL, &left);
      if (sig < 0 && errno == EAGAIN) {
        ebb_group_end(w->group, EBB_END_TIMEOUT, EXIT_TIMEOUT, NULL);
        return NULL;
      }
    }
    if (sig == SIG_DONE) return NULL;
    if (sig == SIGINT || sig == SIGTERM) {
      ebb_group_end(w->group, EBB_END_SIGNAL, 128 + sig, NULL);
      return NULL;
    }
  }
}

static void stop_watcher(watcher *w, bool *watching) {
  if (!*watching) return;
  pthread_kill(w->thread, SIG_DONE);
  pthread_join(w->thread, NULL);
  *watching = false;
}

/* How the main thread's call ended becomes the group's end, unless another
** thread (or the watcher) ended the group first. */
static void end_from_main(ebb_group_t *g, ebb_status_t st, const ebb_outcome_t *out) {
  switch (st) {
  case EBB_OK: ebb_group_end(g, EBB_END_EXIT, 0, NULL); break;
  case EBB_EXIT: ebb_group_end(g, EBB_END_EXIT, out->exit_code, NULL); break;
  case EBB_TRAP: ebb_group_end(g, EBB_END_TRAP, EXIT_TRAP, out->message); break;
  case EBB_INTERRUPTED: ebb_group_end(g, EBB_END_SIGNAL, 128 + SIGINT, NULL); break;
  }
}

static int exit_status(ebb_group_t *g, const ebb__run_args *args) {
  int code;
  char message[160];
  switch (ebb_group_outcome(g, &code, message, sizeof message)) {
  case EBB_END_TRAP:
    fflush(stdout);
    fprintf(stderr, "ebb: trap: %s\n", message);
    return EXIT_TRAP;
  case EBB_END_TIMEOUT:
    fflush(stdout);
    fprintf(stderr, "ebb: timeout after %s\n", args->timeout_text);
    return EXIT_TIMEOUT;
  case EBB_END_SIGNAL: return code;
  case EBB_END_EXIT: return code;
  default: return 0;
  }
}

int ebb__cli_run(int argc, char **argv) {
  ebb__run_args args;
  int rc = ebb__run_args_parse(argc, argv, &args);
  if (rc >= 0) {
    ebb__run_args_free(&args);
    return rc;
  }
  /* Before any thread exists, so every thread inherits the mask. */
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIG_DONE);
  pthread_sigmask(SIG_BLOCK, &set, &old);

  const char *path = args.module_path;
  int status = EXIT_FAIL;
  unsigned char *bytes = NULL;
  size_t size;
  ebb_error_t err = {0, ""};
  ebb_module_t *module = NULL;
  ebb_store_t *store = NULL;
  ebb_group_t *group = NULL;
  ebb_thread_t *thread = NULL;
  env e;
  memset(&e, 0, sizeof e);
  bool threaded = false, in_group = false, watching = false;
  watcher w = {0, NULL, -1};

  if (ebb__cli_read_file(path, &bytes, &size)) {
    fprintf(stderr, "ebb: cannot read %s: %s\n", path, strerror(errno));
    goto done;
  }
  /* --max-memory bounds the module's structures, then the store's objects
  ** with what the module left. */
  ebb_module_options_t mopts = {.fuel = args.fuel != 0, .max_bytes = args.max_memory};
  if (ebb_module_new_ex(bytes, size, &mopts, &module, &err)) {
    fprintf(stderr, "ebb: %s: %s\n", path, err.message);
    goto done;
  }
  uint64_t held = ebb_module_host_bytes(module);
  ebb_limits_t limits = {.max_store_bytes = args.max_memory > held ? args.max_memory - held : 1};
  store = ebb_store_new(&limits);
  group = ebb_group_new(args.max_threads);
  ebb_wasi_options_t opts = {.argc = args.guest_argc,
                             .argv = (const char *const *)args.guest_argv,
                             .envc = args.envc,
                             .envp = args.envp};
  e.wasi = store ? ebb_wasi_new(store, &opts) : NULL;
  thread = store ? ebb_thread_new(store) : NULL;
  if (store && !thread) {
    fprintf(stderr, "ebb: --max-memory is too small for the main thread's stacks\n");
    goto done;
  }
  if (!store || !group || !e.wasi || !thread) {
    fprintf(stderr, "ebb: out of memory\n");
    goto done;
  }
  /* Sockets first (descriptors 3, 4, ...), then directories, one at a time
  ** so that a failure names which. */
  for (int i = 0; i < args.nlisten; i++) {
    char why[128];
    int fd = ebb__cli_listen(args.listen[i], why, sizeof why);
    if (fd < 0) {
      fprintf(stderr, "ebb: --tcplisten %s: %s\n", args.listen[i], why);
      goto done;
    }
    if (ebb_wasi_preopen_socket(e.wasi, fd, &err)) {
      fprintf(stderr, "ebb: --tcplisten %s: %s\n", args.listen[i], err.message);
      goto done;
    }
  }
  for (int i = 0; i < args.ndirs; i++)
    if (ebb_wasi_preopen_dir(e.wasi, args.dir_host[i], args.dir_guest[i], &err)) {
      fprintf(stderr, "ebb: --dir %s: %s\n", args.dir_host[i], err.message);
      goto done;
    }
  if (prepare_imports(store, module, &e, &threaded)) {
    fprintf(stderr, "ebb: %s: cannot create the memory the module imports\n", path);
    goto done;
  }
  if (threaded && !(e.threads = ebb_wasi_threads_new(store, module, group, resolve, &e))) {
    fprintf(stderr, "ebb: out of memory\n");
    goto done;
  }
  if (args.fuel) ebb_group_set_fuel(group, args.fuel);
  ebb_group_add(group, thread);
  in_group = true;
  /* The watcher starts first: a start function may loop or block too. */
  w = (watcher){0, group, args.timeout_ns};
  watching = pthread_create(&w.thread, NULL, watch, &w) == 0;
  ebb_instance_t *inst;
  ebb_outcome_t out;
  ebb_status_t st;
  rc = ebb_instance_new_ex(store, module, resolve, &e, thread, &inst, &err);
  if (rc == EBB_ETRAP) {
    /* The start function trapped: a trap like any other (exit 134). */
    memset(&out, 0, sizeof out);
    snprintf(out.message, sizeof out.message, "%s", err.message);
    st = EBB_TRAP;
  } else if (rc == EBB_EINTR) {
    st = EBB_EXIT; /* the group ended while the start function ran */
    out.exit_code = 0;
  } else if (rc) {
    fprintf(stderr, "ebb: %s: %s\n", path, err.message);
    goto done;
  } else {
    ebb_extern_t start;
    if (ebb_instance_export(inst, "_start", &start) || start.kind != EBB_EXTERN_FUNC) {
      fprintf(stderr, "ebb: %s: no _start function to run\n", path);
      goto done;
    }
    st = ebb_call(thread, start.of.func, NULL, NULL, &out);
  }
  end_from_main(group, st, &out);
  ebb_group_remove(group, thread);
  in_group = false;
  ebb_group_join(group); /* every spawned thread has stopped */
  stop_watcher(&w, &watching);
  status = exit_status(group, &args);
done:
  if (in_group) {
    /* Failed before the program ran: end it so its threads and the watcher go. */
    ebb_group_end(group, EBB_END_EXIT, status, NULL);
    ebb_group_remove(group, thread);
    ebb_group_join(group);
  }
  stop_watcher(&w, &watching);
  ebb_thread_delete(thread);
  ebb_group_delete(group);
  ebb_wasi_threads_delete(e.threads);
  ebb_wasi_delete(e.wasi);
  ebb_store_delete(store);
  ebb_module_delete(module);
  free(bytes);
  ebb__run_args_free(&args);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return status;
}
