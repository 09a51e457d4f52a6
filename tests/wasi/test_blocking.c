/*
** test_blocking.c -- guests blocked in WASI calls, interrupted through the
** embedding API (ebb_thread_interrupt from another thread) and resumed
** (ebb_call_resume). Each blocked call must stop promptly with
** EBB_INTERRUPTED, and the resumed program must finish as if it had never
** stopped: nothing read twice or lost, a sleep ending at its first deadline,
** a connection accepted once, every byte written once.
**
**   test_blocking BLOCK_WASM     (tests/wasi/c/block.c)
*/
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ebb.h"
#include "poke.h"

/* Expect microseconds; allow for a loaded machine, where the woken thread
** may wait for a CPU. */
#define MAX_LATENCY_NS 100000000

static int failures;
static uint8_t *wasm;
static size_t wasm_size;

#define CHECK(cond, ...)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                        \
      fprintf(stderr, __VA_ARGS__);                                                               \
      fprintf(stderr, "\n");                                                                      \
      failures++;                                                                        \
    }                                                                                    \
  } while (0)

typedef struct guest {
  ebb_module_t *module;
  ebb_store_t *store;
  ebb_wasi_t *wasi;
  ebb_thread_t *thread;
  ebb_func_t *start;
} guest;

static void guest_open(guest *g, int argc, const char *const *argv, int listen_fd) {
  memset(g, 0, sizeof *g);
  ebb_error_t err = {0, ""};
  if (ebb_module_new(wasm, wasm_size, &g->module, &err)) {
    fprintf(stderr, "module: %s\n", err.message);
    exit(1);
  }
  g->store = ebb_store_new(NULL);
  ebb_wasi_options_t opts = {argc, argv, 0, NULL, 0, NULL, NULL};
  g->wasi = ebb_wasi_new(g->store, &opts);
  if (listen_fd >= 0 && ebb_wasi_preopen_socket(g->wasi, listen_fd, &err)) {
    fprintf(stderr, "preopen socket: %s\n", err.message);
    exit(1);
  }
  g->thread = ebb_thread_new(g->store);
  ebb_instance_t *inst;
  ebb_extern_t start;
  if (ebb_instance_new(g->store, g->module, ebb_wasi_resolve, g->wasi, &inst, &err) ||
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


/* Run (or resume) the guest with an interrupt after delay_ms; it must stop
** with EBB_INTERRUPTED, promptly. */
static void expect_interrupted(const char *what, guest *g, bool resume, int delay_ms) {
  poke k = {0, g->thread, delay_ms, 0};
  pthread_create(&k.th, NULL, poke_run, &k);
  ebb_outcome_t out;
  ebb_status_t st = resume ? ebb_call_resume(g->thread, NULL, &out)
                           : ebb_call(g->thread, g->start, NULL, NULL, &out);
  int64_t stopped = ebb_now_ns();
  pthread_join(k.th, NULL);
  CHECK(st == EBB_INTERRUPTED, "%s: status %d (%s), expected INTERRUPTED", what, st, out.message);
  int64_t lat = stopped - k.at;
  fprintf(stderr, "%s: stopped %lld us after the interrupt\n", what, (long long)(lat / 1000));
  CHECK(lat >= 0 && lat < MAX_LATENCY_NS, "%s: took %lld us to stop", what,
        (long long)(lat / 1000));
}

static void expect_exit(const char *what, guest *g, int code) {
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g->thread, NULL, &out);
  /* wasi-libc's _start returns normally when main returns 0. */
  bool ok = code == 0 ? st == EBB_OK : st == EBB_EXIT && out.exit_code == code;
  CHECK(ok, "%s: status %d code %d (%s), expected exit %d", what, st, out.exit_code,
        out.message, code);
}

/* Swap a pipe in for the process's descriptor `fd`; returns the saved one. */
static int redirect(int fd, int to) {
  fflush(stdout);
  int saved = dup(fd);
  dup2(to, fd);
  close(to);
  return saved;
}

static void restore(int fd, int saved) {
  fflush(stdout);
  dup2(saved, fd);
  close(saved);
}

/* fd_read on a pipe: interrupted twice while empty, then fed and resumed:
** the guest reads exactly what was written, once. */
static void case_read(void) {
  int p[2];
  if (pipe(p)) abort();
  int saved = redirect(0, p[0]);
  static const char *const argv[] = {"block", "read"};
  guest g;
  guest_open(&g, 2, argv, -1);
  expect_interrupted("fd_read", &g, false, 100);
  expect_interrupted("fd_read resumed, still empty", &g, true, 50);
  if (write(p[1], "hello\n", 6) != 6) abort();
  expect_exit("fd_read fed", &g, 6);
  guest_close(&g);
  close(p[1]);
  restore(0, saved);
}

/* poll_oneoff on a pipe, the same way. */
static void case_poll(void) {
  int p[2];
  if (pipe(p)) abort();
  int saved = redirect(0, p[0]);
  static const char *const argv[] = {"block", "poll-read"};
  guest g;
  guest_open(&g, 2, argv, -1);
  expect_interrupted("poll_oneoff fd", &g, false, 100);
  if (write(p[1], "x", 1) != 1) abort();
  expect_exit("poll_oneoff fed", &g, 0);
  guest_close(&g);
  close(p[1]);
  restore(0, saved);
}

/* A sleep interrupted and resumed ends at its first deadline: the resumed
** call waits only for what was left. */
static void case_sleep(void) {
  static const char *const argv[] = {"block", "sleep-ms", "600"};
  guest g;
  guest_open(&g, 3, argv, -1);
  int64_t t0 = ebb_now_ns();
  expect_interrupted("sleep", &g, false, 100);
  /* Stopped for long enough that each wrong answer leaves the bound:
  ** waiting the time left at the interrupt ends near 1000 ms, starting over
  ** near 1100 ms; the deadline kept ends at 600 ms. */
  usleep(400000);
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g.thread, NULL, &out);
  int64_t ms = (ebb_now_ns() - t0) / 1000000;
  fprintf(stderr, "sleep of 600 ms, interrupted at 100 ms, resumed at 500 ms: ended at %lld ms\n",
         (long long)ms);
  CHECK(st == EBB_OK, "sleep resumed: status %d", st);
  CHECK(ms >= 600 && ms < 800, "sleep ended at %lld ms, expected about 600", (long long)ms);
  guest_close(&g);
}

/* sock_accept on a preopened listening socket: interrupted, then a client
** connects and the resumed guest accepts it once and talks to it. */
static void case_accept(void) {
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof a;
  if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 4) ||
      getsockname(ls, (struct sockaddr *)&a, &alen)) {
    fprintf(stderr, "skipping sock_accept: no loopback socket (%s)\n", strerror(errno));
    close(ls);
    return;
  }
  static const char *const argv[] = {"block", "accept"};
  guest g;
  guest_open(&g, 2, argv, ls); /* the environment owns ls now */
  expect_interrupted("sock_accept", &g, false, 100);
  int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (connect(c, (struct sockaddr *)&a, sizeof a) || write(c, "ping", 4) != 4) abort();
  expect_exit("sock_accept after a connection", &g, 4);
  char buf[16] = "";
  ssize_t n = read(c, buf, sizeof buf);
  CHECK(n == 4 && !memcmp(buf, "pong", 4), "client got %zd bytes '%.*s'", n,
        (int)(n > 0 ? n : 0), buf);
  close(c);
  guest_close(&g);
}

/* fd_write of 1 MiB into a pipe nobody reads yet: interrupted while
** blocked, then resumed with a reader: every byte arrives once, in order. */
typedef struct reader {
  pthread_t th;
  int fd;
  size_t total;
  int bad;
} reader;

static void *read_all(void *p) {
  reader *r = p;
  char buf[65536];
  ssize_t n;
  while ((n = read(r->fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++)
      if (buf[i] != (char)('a' + (r->total + (size_t)i) % 26)) r->bad++;
    r->total += (size_t)n;
  }
  return NULL;
}

static void case_write(void) {
  int p[2];
  if (pipe(p)) abort();
  int saved = redirect(1, p[1]);
  static const char *const argv[] = {"block", "write", "1048576"};
  guest g;
  guest_open(&g, 3, argv, -1);
  expect_interrupted("fd_write to a full pipe", &g, false, 100);
  reader r = {0, p[0], 0, 0};
  pthread_create(&r.th, NULL, read_all, &r);
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g.thread, NULL, &out);
  guest_close(&g);
  restore(1, saved); /* closes the last write end: the reader sees the end */
  pthread_join(r.th, NULL);
  close(p[0]);
  CHECK(st == EBB_OK, "fd_write resumed: status %d (%s)", st, out.message);
  fprintf(stderr, "fd_write: %zu bytes arrived, %d out of place\n", r.total, r.bad);
  CHECK(r.total == 1048576 && r.bad == 0, "write: %zu bytes, %d wrong", r.total, r.bad);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_blocking BLOCK_WASM\n");
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
  case_read();
  case_poll();
  case_sleep();
  case_accept();
  case_write();
  free(wasm);
  fprintf(stderr, "%s: %d failures\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
