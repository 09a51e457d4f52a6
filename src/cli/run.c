/*
** run.c -- `ebb run [options] MODULE.wasm [ARGS...]`: instantiate a WASI
** command module and call its `_start` as the main thread of a thread group.
**
** Stopping: SIGINT and SIGTERM are blocked in every thread and taken by a
** watcher thread with sigtimedwait, which also keeps the --timeout deadline.
** The watcher starts before the module is read: while loading, a deadline
** or signal ends the process at once (no guest runs yet); once the program
** runs, it ends the group, and every guest thread stops at its next safe
** point or, if blocked, at once. So the program ends promptly whatever it
** does, from the first byte read.
**
** The start function is called like `_start`, on the main thread, so that
** its trap, its proc_exit code and a stop all end the program as they would
** from `_start`.
**
** Reads and writes of stdio that can only wait in the kernel (a pty master
** as stdin) are ended by SIG_KICK, sent to the guest thread by WASI's
** interrupt handler (src/wasi/kernel_io.c); it is never blocked.
**
** Exit status: the guest's exit code (0 when _start returns); 134 after a
** trap on any thread (as wasmtime), 129 when a WASIX context's entry
** function returns (it has nowhere to go); 124 on --timeout; 128+N for signal N
** (130 SIGINT, 143 SIGTERM); 1 when the module cannot be loaded or linked;
** 2 for usage errors.
*/
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run_args.h"
#include "ebb.h"

#define EXIT_TRAP 134
#define EXIT_CONTEXT_RETURNED 129
#define EXIT_TIMEOUT 124
#define EXIT_FAIL 1

/* Signal the watcher uses to learn that the program has ended. */
#define SIG_DONE SIGUSR2

/* Signal that ends a WASI read or write waiting in the kernel (a pty master
** as stdin, ebb.h: ebb_wasi_set_interrupt_signal). Past glibc's own
** realtime signals and the first few others tend to take. */
#define SIG_KICK (SIGRTMIN + 4)

/* Its handler: the signal only has to end the system call (no SA_RESTART). */
static void on_kick(int signo) { (void)signo; }

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

/* ---- The watcher ----------------------------------------------------------- */

typedef struct watcher {
  pthread_t thread;
  _Atomic(ebb_group_t *) group; /* NULL until the program runs */
  _Atomic(ebb_instance_t *) inst; /* set once instantiated: guest signals */
  int64_t timeout_ns;           /* -1: none */
  const char *timeout_text;
  int64_t grace_ns;             /* 0: no first phase */
  bool timeout_signals;         /* --grace given: the deadline signals first */
} watcher;

/* The end the watcher decided on. Before the program runs there is nothing
** to stop gracefully: the process ends here and now. */
static void watcher_end(watcher *w, ebb_end_reason_t reason, int code) {
  ebb_group_t *g = atomic_load(&w->group);
  if (g) {
    ebb_group_end(g, reason, code, NULL);
    return;
  }
  if (reason == EBB_END_TIMEOUT) ebb__cli_say("ebb: timeout after %s", w->timeout_text);
  _exit(code);
}

/* The first phase of an end: tell a guest that exports the signal
** addresses, and give it the grace period. False when it cannot be told. */
static bool tell_guest(watcher *w, int signo) {
  ebb_instance_t *inst = atomic_load(&w->inst);
  ebb_group_t *g = atomic_load(&w->group);
  return w->grace_ns > 0 && inst && g && ebb_instance_signal(inst, g, signo) == 0;
}

static struct timespec left_until(int64_t deadline) {
  int64_t d = deadline - ebb_now_ns();
  if (d < 0) d = 0;
  return (struct timespec){(time_t)(d / 1000000000), (long)(d % 1000000000)};
}

/* Waits for SIGINT/SIGTERM, the deadline, or SIG_DONE. An end has two
** phases for a guest with signal addresses (DESIGN.md point 6): it is told,
** then ended when the grace period is over or at a second signal. */
static void *watch(void *p) {
  watcher *w = p;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIG_DONE);
  int64_t timeout_at = w->timeout_ns >= 0 ? ebb_now_ns() + w->timeout_ns : INT64_MAX;
  int64_t grace_at = INT64_MAX;           /* the second phase, once told */
  ebb_end_reason_t pending = EBB_END_NONE; /* what the grace period ends as */
  int pending_code = 0;
  for (;;) {
    int64_t next = timeout_at < grace_at ? timeout_at : grace_at;
    int sig;
    if (next == INT64_MAX) {
      sig = sigwaitinfo(&set, NULL);
    } else {
      struct timespec left = left_until(next);
      sig = sigtimedwait(&set, NULL, &left);
      if (sig < 0 && errno == EAGAIN) {
        if (next == grace_at) {
          watcher_end(w, pending, pending_code);
          return NULL;
        }
        timeout_at = INT64_MAX; /* the deadline: told once, or ended */
        if (pending == EBB_END_NONE && w->timeout_signals && tell_guest(w, SIGTERM)) {
          pending = EBB_END_TIMEOUT;
          pending_code = EXIT_TIMEOUT;
          grace_at = ebb_now_ns() + w->grace_ns;
          continue;
        }
        watcher_end(w, EBB_END_TIMEOUT, EXIT_TIMEOUT);
        return NULL;
      }
    }
    if (sig == SIG_DONE) return NULL;
    if (sig == SIGINT || sig == SIGTERM) {
      if (pending == EBB_END_NONE && tell_guest(w, sig)) {
        pending = EBB_END_SIGNAL;
        pending_code = 128 + sig;
        grace_at = ebb_now_ns() + w->grace_ns;
        continue;
      }
      watcher_end(w, EBB_END_SIGNAL, 128 + sig); /* no signals, or the second */
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

/* ---- Running the program -------------------------------------------------- */

/* How a call on the main thread ended becomes the group's end, unless
** another thread (or the watcher) ended the group first. */
static void end_from_main(ebb_group_t *g, ebb_status_t st, const ebb_outcome_t *out,
                          const char *prefix) {
  char msg[sizeof out->message + 32];
  switch (st) {
  case EBB_OK: ebb_group_end(g, EBB_END_EXIT, 0, NULL); break;
  case EBB_EXIT: ebb_group_end(g, EBB_END_EXIT, out->exit_code, NULL); break;
  case EBB_TRAP:
  case EBB_ERROR: /* cannot happen: the types were checked; a trap if it does */
    snprintf(msg, sizeof msg, "%s%s", prefix, out->message);
    /* A context with nowhere to return to is WASIX's 129. */
    ebb_group_end(g, EBB_END_TRAP,
                  out->trap == EBB_TRAP_CONTEXT_RETURNED ? EXIT_CONTEXT_RETURNED : EXIT_TRAP, msg);
    break;
  case EBB_INTERRUPTED: ebb_group_end(g, EBB_END_SIGNAL, 128 + SIGINT, NULL); break;
  }
}

static int exit_status(ebb_group_t *g, const ebb__run_args *args) {
  int code;
  char message[160];
  switch (ebb_group_outcome(g, &code, message, sizeof message)) {
  case EBB_END_TRAP: ebb__cli_say("ebb: trap: %s", message); return code;
  case EBB_END_TIMEOUT: ebb__cli_say("ebb: timeout after %s", args->timeout_text); return EXIT_TIMEOUT;
  case EBB_END_SIGNAL: return code;
  case EBB_END_EXIT: return code;
  default: return 0;
  }
}

/* "(i32, i64) -> (f32)" */
static void format_type(const ebb_func_t *f, char *buf, size_t size) {
  static const struct {
    ebb_valkind_t k;
    const char *name;
  } names[] = {{EBB_I32, "i32"}, {EBB_I64, "i64"},         {EBB_F32, "f32"},       {EBB_F64, "f64"},
               {EBB_V128, "v128"}, {EBB_FUNCREF, "funcref"}, {EBB_EXTERNREF, "externref"}};
  size_t used = 0;
  for (int side = 0; side < 2; side++) {
    uint32_t n = side ? ebb_func_result_count(f) : ebb_func_param_count(f);
    used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s[", side ? " -> " : "");
    for (uint32_t i = 0; i < n; i++) {
      ebb_valkind_t k = side ? ebb_func_result(f, i) : ebb_func_param(f, i);
      const char *name = "?";
      for (size_t j = 0; j < sizeof names / sizeof names[0]; j++)
        if (names[j].k == k) name = names[j].name;
      used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s", i ? " " : "",
                               name);
    }
    used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "]");
  }
}

/* The command entry point `_start`: a function of type [] -> []. NULL with
** the message printed when there is none or it has another type (ebb_call
** would refuse it; a command module has no arguments to give it). */
static ebb_func_t *find_start(ebb_instance_t *inst, const char *path) {
  ebb_extern_t start;
  if (ebb_instance_export(inst, "_start", &start) || start.kind != EBB_EXTERN_FUNC) {
    ebb__cli_say("ebb: %s: no _start function to run", path);
    return NULL;
  }
  if (ebb_func_param_count(start.of.func) || ebb_func_result_count(start.of.func)) {
    char type[160];
    format_type(start.of.func, type, sizeof type);
    ebb__cli_say("ebb: %s: _start must have type [] -> [], not %s", path, type);
    return NULL;
  }
  return start.of.func;
}

int ebb__cli_run(int argc, char **argv) {
  ebb__run_args args;
  int rc = ebb__run_args_parse(argc, argv, &args);
  if (rc >= 0) {
    ebb__run_args_free(&args);
    return rc;
  }
  /* Before any thread exists, so every thread inherits the mask. A reader
  ** of ours that went away is the write's error, never a fatal signal. */
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIG_DONE);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction kick = {.sa_handler = on_kick}, old_kick;
  sigemptyset(&kick.sa_mask);
  sigaction(SIG_KICK, &kick, &old_kick);

  const char *path = args.module_path;
  int status = EXIT_FAIL;
  ebb__cli_file file = {0};
  ebb_error_t err = {0, ""};
  ebb_module_t *module = NULL;
  ebb_store_t *store = NULL;
  ebb_group_t *group = NULL;
  ebb_thread_t *thread = NULL;
  env e;
  memset(&e, 0, sizeof e);
  bool threaded = false, in_group = false, watching = false;
  /* The watcher runs before the module is read: loading a hostile module
  ** is bounded, but a deadline or Ctrl-C must not wait for it. */
  watcher w = {.timeout_ns = args.timeout_ns,
               .timeout_text = args.timeout_text,
               .grace_ns = args.grace_ns,
               .timeout_signals = args.grace_given};
  atomic_init(&w.group, NULL);
  atomic_init(&w.inst, NULL);
  watching = pthread_create(&w.thread, NULL, watch, &w) == 0;

  if (ebb__cli_file_read(path, &file)) {
    ebb__cli_say("ebb: cannot read %s: %s", path, strerror(errno));
    goto done;
  }
  /* --max-memory bounds the module's structures, then the store's objects
  ** with what the module left: with it given, the module is compiled in
  ** full first, so that no code compiled later adds to what was counted. */
  ebb_module_options_t mopts = {.fuel = args.fuel != 0,
                                .max_bytes = args.max_memory,
                                .eager = args.max_memory_given};
  int loaded = ebb__cli_module_new(&file, &mopts, &module, &err);
  ebb__cli_file_free(&file); /* if it was copied */
  if (loaded) {
    ebb__cli_say("ebb: %s: %s", path, err.message);
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
    ebb__cli_say("ebb: --max-memory is too small for the main thread's stacks");
    goto done;
  }
  if (!store || !group || !e.wasi || !thread) {
    ebb__cli_say("ebb: out of memory");
    goto done;
  }
  ebb_wasi_set_interrupt_signal(e.wasi, SIG_KICK);
  ebb_wasi_set_renumber_to_closed(e.wasi, args.renumber_any);
  /* Sockets first (descriptors 3, 4, ...), then directories, one at a time
  ** so that a failure names which. */
  for (int i = 0; i < args.nlisten; i++) {
    char why[128];
    int fd = ebb__cli_listen(args.listen[i], why, sizeof why);
    if (fd < 0) {
      ebb__cli_say("ebb: --tcplisten %s: %s", args.listen[i], why);
      goto done;
    }
    if (ebb_wasi_preopen_socket(e.wasi, fd, &err)) {
      ebb__cli_say("ebb: --tcplisten %s: %s", args.listen[i], err.message);
      goto done;
    }
  }
  for (int i = 0; i < args.ndirs; i++)
    if (ebb_wasi_preopen_dir(e.wasi, args.dir_host[i], args.dir_guest[i], &err)) {
      ebb__cli_say("ebb: --dir %s: %s", args.dir_host[i], err.message);
      goto done;
    }
  if (prepare_imports(store, module, &e, &threaded)) {
    ebb__cli_say("ebb: %s: cannot create the memory the module imports", path);
    goto done;
  }
  if (threaded && !(e.threads = ebb_wasi_threads_new(store, module, group, resolve, &e))) {
    if (errno == EINVAL)
      ebb__cli_say("ebb: %s: a module that imports thread-spawn must export wasi_thread_start "
                   "of type [i32 i32] -> []", path);
    else
      ebb__cli_say("ebb: out of memory");
    goto done;
  }
  if (args.fuel) ebb_group_set_fuel(group, args.fuel);
  ebb_group_add(group, thread);
  in_group = true;
  atomic_store(&w.group, group); /* from now on the watcher ends the group */

  ebb_instance_t *inst;
  if (ebb_instance_create(store, module, resolve, &e, &inst, &err)) {
    ebb__cli_say("ebb: %s: %s", path, err.message);
    goto done;
  }
  atomic_store(&w.inst, inst); /* SIGINT/SIGTERM may now be told to the guest */
  ebb_func_t *start = find_start(inst, path);
  if (!start) goto done;
  ebb_outcome_t out;
  ebb_status_t st = EBB_OK;
  const char *prefix = "";
  ebb_func_t *init = ebb_instance_start_func(inst);
  if (init) {
    st = ebb_call(thread, init, NULL, NULL, &out);
    prefix = "start function: ";
  }
  if (st == EBB_OK) {
    st = ebb_call(thread, start, NULL, NULL, &out);
    prefix = "";
  }
  /* The program is over: the terminated address says so before its other
  ** threads are released (and no signal is written after it). */
  ebb_instance_mark_terminated(inst);
  end_from_main(group, st, &out, prefix);
  if (ebb_thread_has_stopped_call(thread)) ebb_call_abandon(thread);
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
  ebb__cli_file_free(&file);
  ebb__run_args_free(&args);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  sigaction(SIG_KICK, &old_kick, NULL);
  return status;
}
