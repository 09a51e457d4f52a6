/*
** test_bounded.c -- WASI calls that do a lot of work, or wait on the kernel
** where nothing can interrupt it, interrupted through the embedding API
** (ebb_thread_interrupt from another thread) and resumed or abandoned:
**  - fd_sync, fd_datasync, fd_allocate, fd_filestat_set_size run on a worker
**    (src/wasi/wasi_worker.c); a test hook makes each worker's system call
**    last a second, as on a slow disk. The guest must stop within
**    MAX_LATENCY of the interrupt (it used to wait out the call), and when
**    resumed, twice, its call must wait for the same job, not start
**    another: one system call in all, and its result reaches the guest;
**  - abandoning such a call and deleting everything while the worker still
**    runs leaves nothing behind (ASan's leak check; the worker ends alone);
**  - fd_read of ~4 GiB from a regular file and random_get of ~4 GiB stop
**    within a chunk (src/wasi/wasi_rw.c, wasi_clock.c): the read returns a
**    short count, the random fill runs again on resume.
**
**   test_bounded HOSTILE_WASM     (tests/wasi/c/hostile.c)
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ebb.h"
#include "poke.h"
#include "wasi/wasi.h"

/* Expect milliseconds; allow for a loaded machine. The calls stopped here
** took a second (the hook) to many seconds before. */
#define MAX_LATENCY_NS 400000000
#define SLOW_MS 1000

static int failures;
static uint8_t *wasm;
static size_t wasm_size;
static char dir[64];

#define CHECK(cond, ...)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                               \
      fprintf(stderr, __VA_ARGS__);                                                      \
      fprintf(stderr, "\n");                                                             \
      failures++;                                                                        \
    }                                                                                    \
  } while (0)

/* The hook: count the system calls made by workers, make each slow. */
static atomic_int slow_calls;
static void slow_hook(int op) {
  (void)op;
  atomic_fetch_add(&slow_calls, 1);
  usleep(SLOW_MS * 1000);
}

typedef struct guest {
  ebb_module_t *module;
  ebb_store_t *store;
  ebb_wasi_t *wasi;
  ebb_thread_t *thread;
  ebb_func_t *start;
} guest;

static void guest_open(guest *g, int argc, const char *const *argv) {
  memset(g, 0, sizeof *g);
  ebb_error_t err = {0, ""};
  if (ebb_module_new(wasm, wasm_size, &g->module, &err)) {
    fprintf(stderr, "module: %s\n", err.message);
    exit(1);
  }
  g->store = ebb_store_new(NULL);
  const char *host[] = {dir}, *name[] = {"/sandbox"};
  ebb_wasi_options_t opts = {argc, argv, 0, NULL, 1, host, name};
  g->wasi = ebb_wasi_new(g->store, &opts);
  g->thread = ebb_thread_new(g->store);
  ebb_instance_t *inst;
  ebb_extern_t start;
  if (!g->wasi ||
      ebb_instance_new(g->store, g->module, ebb_wasi_resolve, g->wasi, &inst, &err) ||
      ebb_instance_export(inst, "_start", &start)) {
    fprintf(stderr, "instance: %s\n", err.message);
    exit(1);
  }
  g->start = start.of.func;
}

static void guest_close(guest *g) {
  ebb_thread_delete(g->thread);
  ebb_wasi_delete(g->wasi);
  ebb_store_delete(g->store);
  ebb_module_delete(g->module);
}


static void expect_interrupted(const char *what, guest *g, bool resume, int delay_ms) {
  poke k = {0, g->thread, delay_ms, 0};
  pthread_create(&k.th, NULL, poke_run, &k);
  ebb_outcome_t out;
  ebb_status_t st = resume ? ebb_call_resume(g->thread, NULL, &out)
                           : ebb_call(g->thread, g->start, NULL, NULL, &out);
  int64_t stopped = ebb_now_ns();
  pthread_join(k.th, NULL);
  CHECK(st == EBB_INTERRUPTED, "%s: status %d (%s), expected INTERRUPTED", what, st,
        out.message);
  int64_t lat = stopped - k.at;
  fprintf(stderr, "%s: stopped %lld us after the interrupt\n", what, (long long)(lat / 1000));
  CHECK(lat >= 0 && lat < MAX_LATENCY_NS, "%s: took %lld us to stop", what,
        (long long)(lat / 1000));
}

/* The guest ran to its end: hostile.c's `once` exits with proc_exit(0). */
static bool exited(ebb_status_t st, const ebb_outcome_t *out) {
  return st == EBB_EXIT && out->exit_code == 0;
}

/* The guest's stdout goes to a file while it runs; returns what it wrote. */
typedef struct capture {
  int saved;
  char path[96];
  char text[256];
} capture;

static void capture_begin(capture *c) {
  snprintf(c->path, sizeof c->path, "%s/stdout", dir);
  int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  fflush(stdout);
  c->saved = dup(1);
  dup2(fd, 1);
  close(fd);
}

static const char *capture_end(capture *c) {
  fflush(stdout);
  dup2(c->saved, 1);
  close(c->saved);
  FILE *f = fopen(c->path, "r");
  size_t n = f ? fread(c->text, 1, sizeof c->text - 1, f) : 0;
  c->text[n] = '\0';
  if (f) fclose(f);
  unlink(c->path);
  return c->text;
}

/* A call on a worker: interrupted twice while the worker is in its slow
** system call, resumed each time, then it completes with that call's
** result; one system call in all. */
static void case_offload(const char *mode) {
  static const char *argv[] = {"hostile", "once", NULL};
  argv[2] = mode;
  char what[64], want[64];
  atomic_store(&slow_calls, 0);
  atomic_store(&ebb__wasi_worker_hook, slow_hook);
  capture c;
  capture_begin(&c);
  guest g;
  guest_open(&g, 3, argv);
  int64_t t0 = ebb_now_ns();
  snprintf(what, sizeof what, "%s on a slow disk", mode);
  expect_interrupted(what, &g, false, 200);
  snprintf(what, sizeof what, "%s resumed", mode);
  expect_interrupted(what, &g, true, 200);
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g.thread, NULL, &out);
  int64_t ms = (ebb_now_ns() - t0) / 1000000;
  guest_close(&g);
  const char *text = capture_end(&c);
  atomic_store(&ebb__wasi_worker_hook, NULL);
  snprintf(want, sizeof want, "%s: ok 0\n", mode);
  CHECK(exited(st, &out), "%s: status %d (%s)", mode, st, out.message);
  CHECK(!strcmp(text, want), "%s: the guest said '%s', expected '%s'", mode, text, want);
  int calls = atomic_load(&slow_calls);
  fprintf(stderr, "%s: done after %lld ms, %d system call(s)\n", mode, (long long)ms, calls);
  CHECK(calls == 1, "%s: %d system calls, expected 1 (the resumed call waits for its job)",
        mode, calls);
  CHECK(ms >= SLOW_MS, "%s: done after %lld ms, before its system call could end", mode,
        (long long)ms);
  char path[96];
  struct stat st_file;
  snprintf(path, sizeof path, "%s/file", dir);
  CHECK(stat(path, &st_file) == 0, "%s: no file", mode);
  if (!strcmp(mode, "truncate"))
    CHECK(st_file.st_size == 0, "truncate: size %lld", (long long)st_file.st_size);
  if (!strcmp(mode, "allocate"))
    CHECK(st_file.st_size == 1 << 20, "allocate: size %lld", (long long)st_file.st_size);
}

/* A call on a worker, interrupted and abandoned; everything is deleted
** while the worker still runs. It finishes alone (and ASan would report a
** leak or a use after free). */
static void case_abandon(void) {
  static const char *const argv[] = {"hostile", "once", "sync"};
  atomic_store(&slow_calls, 0);
  atomic_store(&ebb__wasi_worker_hook, slow_hook);
  capture c;
  capture_begin(&c);
  guest g;
  guest_open(&g, 3, argv);
  expect_interrupted("sync, then abandoned", &g, false, 200);
  ebb_call_abandon(g.thread);
  guest_close(&g);
  const char *text = capture_end(&c);
  CHECK(!strcmp(text, ""), "abandoned sync: the guest said '%s'", text);
  usleep((SLOW_MS + 300) * 1000); /* the worker ends */
  atomic_store(&ebb__wasi_worker_hook, NULL);
  CHECK(atomic_load(&slow_calls) == 1, "abandoned sync: %d system calls",
        atomic_load(&slow_calls));
}

/* fd_read of ~4 GiB from a sparse file: stopped within a chunk, the call
** returns a short count which the resumed guest prints. */
static void case_read_file(void) {
  char path[96];
  snprintf(path, sizeof path, "%s/sparse", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ftruncate(fd, (off_t)5 << 30)) abort();
  fflush(stdout);
  int saved_in = dup(0);
  dup2(fd, 0);
  close(fd);
  static const char *const argv[] = {"hostile", "once", "read-big"};
  capture c;
  capture_begin(&c);
  guest g;
  guest_open(&g, 3, argv);
  expect_interrupted("fd_read of 4 GiB from a file", &g, false, 30);
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g.thread, NULL, &out);
  guest_close(&g);
  const char *text = capture_end(&c);
  dup2(saved_in, 0);
  close(saved_in);
  unlink(path);
  unsigned long long n = 0;
  CHECK(exited(st, &out), "read-big resumed: status %d (%s)", st, out.message);
  CHECK(sscanf(text, "read-big: ok %llu", &n) == 1, "read-big: the guest said '%s'", text);
  fprintf(stderr, "fd_read of 4 GiB: returned %llu bytes after the interrupt\n", n);
  CHECK(n > 0 && n < 0xf0000000ull, "read-big: %llu bytes: not a short read", n);
}

/* random_get of ~4 GiB (about 20 s of work): stopped within a chunk. */
static void case_random(void) {
  static const char *const argv[] = {"hostile", "once", "random"};
  capture c;
  capture_begin(&c);
  guest g;
  guest_open(&g, 3, argv);
  expect_interrupted("random_get of 4 GiB", &g, false, 30);
  expect_interrupted("random_get resumed", &g, true, 30);
  ebb_call_abandon(g.thread);
  guest_close(&g);
  capture_end(&c);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_bounded HOSTILE_WASM\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  wasm_size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm = malloc(wasm_size);
  if (fread(wasm, 1, wasm_size, f) != wasm_size) return 1;
  fclose(f);
  const char *tmpdir = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/ebb-bounded.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  case_offload("sync");
  case_offload("datasync");
  case_offload("allocate");
  case_offload("truncate");
  case_abandon();
  case_read_file();
  case_random();
  char path[96];
  snprintf(path, sizeof path, "%s/file", dir);
  unlink(path);
  rmdir(dir);
  free(wasm);
  fprintf(stderr, "%s: %d failures\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
