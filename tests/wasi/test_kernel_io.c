/*
** test_kernel_io.c -- stdio reads and writes that wait inside the kernel
** (src/wasi/kernel_io.c), through the embedding API. Borrowed stdio is a
** pipe here, made to take that path as on a system without /proc
** (ebb__wasi_stdio_fallback); a hook running just before the system call
** makes it wait there for certain:
**   read   another process reading the same pipe takes the data the guest
**          was told of, so the guest's read waits in the kernel; an
**          interrupt ends it (the signal of ebb_wasi_set_interrupt_signal),
**          a second one just before the read (the killed duplicate), and
**          the resumed call reads the next data exactly once;
**   write  the pipe is filled just before the guest's write, which waits
**          in the kernel; interrupted, then resumed with a reader: every
**          byte arrives once, in order;
**   signal as read, but the guest (tests/wasm/signals/read.wat) exports
**          the guest-signal addresses, and ebb_instance_signal comes while
**          it waits in the kernel: its fd_read ends with EINTR, and it sees
**          the number;
**   args   ebb_wasi_set_interrupt_signal refuses signals that could not
**          end a call.
**
**   test_kernel_io BLOCK_WASM SIGNAL_READ_WASM  (tests/wasi/c/block.c,
**                                               tests/wasm/signals/read.wat)
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ebb.h"
#include "poke.h"
#include "wasi/wasi.h"

/* Expect microseconds; allow for a loaded machine (and sanitizers). */
#define MAX_LATENCY_NS 100000000

static int failures;
static uint8_t *wasm, *signal_wasm;
static size_t wasm_size, signal_wasm_size;
static int kick_signo;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                         \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fprintf(stderr, "\n");                                                                       \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)

typedef struct guest {
  ebb_module_t *module;
  ebb_store_t *store;
  ebb_wasi_t *wasi;
  ebb_thread_t *thread;
  ebb_instance_t *inst;
  ebb_func_t *start;
} guest;

static void guest_open_module(guest *g, const uint8_t *bytes, size_t size, int argc,
                              const char *const *argv) {
  memset(g, 0, sizeof *g);
  ebb_error_t err = {0, ""};
  if (ebb_module_new(bytes, size, &g->module, &err)) {
    fprintf(stderr, "module: %s\n", err.message);
    exit(1);
  }
  g->store = ebb_store_new(NULL);
  ebb_wasi_options_t opts = {argc, argv, 0, NULL, 0, NULL, NULL};
  atomic_store(&ebb__wasi_stdio_fallback, 1); /* stdio as without /proc */
  g->wasi = ebb_wasi_new(g->store, &opts);
  atomic_store(&ebb__wasi_stdio_fallback, 0);
  CHECK(ebb_wasi_set_interrupt_signal(g->wasi, kick_signo) == 0, "set the interrupt signal");
  g->thread = ebb_thread_new(g->store);
  ebb_extern_t start;
  if (ebb_instance_new(g->store, g->module, ebb_wasi_resolve, g->wasi, &g->inst, &err) ||
      ebb_instance_export(g->inst, "_start", &start)) {
    fprintf(stderr, "instance: %s\n", err.message);
    exit(1);
  }
  g->start = start.of.func;
}

static void guest_open(guest *g, int argc, const char *const *argv) {
  guest_open_module(g, wasm, wasm_size, argc, argv);
}

static void guest_close(guest *g) {
  ebb_thread_delete(g->thread);
  ebb_wasi_delete(g->wasi);
  ebb_store_delete(g->store);
  ebb_module_delete(g->module);
}


static void expect_interrupted(const char *what, guest *g, bool resume, int delay_ms) {
  poke k = {0, g->thread, delay_ms, 0};
  if (delay_ms >= 0) pthread_create(&k.th, NULL, poke_run, &k);
  ebb_outcome_t out;
  ebb_status_t st = resume ? ebb_call_resume(g->thread, NULL, &out)
                           : ebb_call(g->thread, g->start, NULL, NULL, &out);
  int64_t stopped = ebb_now_ns();
  CHECK(st == EBB_INTERRUPTED, "%s: status %d (%s), expected INTERRUPTED", what, st, out.message);
  if (delay_ms < 0) return;
  pthread_join(k.th, NULL);
  int64_t lat = stopped - k.at;
  fprintf(stderr, "%s: stopped %lld us after the interrupt\n", what, (long long)(lat / 1000));
  CHECK(lat >= 0 && lat < MAX_LATENCY_NS, "%s: took %lld us to stop", what,
        (long long)(lat / 1000));
}

static void expect_exit(const char *what, guest *g, int code) {
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g->thread, NULL, &out);
  bool ok = code == 0 ? st == EBB_OK : st == EBB_EXIT && out.exit_code == code;
  CHECK(ok, "%s: status %d code %d (%s), expected exit %d", what, st, out.exit_code, out.message,
        code);
}

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

/* ---- read: another reader takes the data ------------------------------ */

static int read_calls;        /* kernel reads begun (the hook's count) */
static int take_fd, took_fd;  /* to the other reader: "take"; from it: what it took */
static ebb_thread_t *reading; /* the guest thread, for the second interrupt */

static void read_hook(bool writing) {
  if (writing) return;
  read_calls++;
  if (read_calls == 1) {
    /* The guest was told "readable"; the other reader takes the data. */
    char c = 't', got[64];
    if (write(take_fd, &c, 1) != 1 || read(took_fd, got, sizeof got) <= 0) abort();
  } else if (read_calls == 2) {
    ebb_thread_interrupt(reading); /* before the read: the duplicate is dead */
  }
}

/* The other reader: takes what is in the pipe when told, reports it, ends. */
static void other_reader(int pipe_r, int take, int took) {
  char c, buf[64];
  if (read(take, &c, 1) != 1) _exit(1);
  ssize_t n = read(pipe_r, buf, sizeof buf);
  if (n <= 0 || write(took, buf, (size_t)n) != n) _exit(1);
  _exit(0);
}

/* Stdin a pipe shared with the other reader (a process), stdout a pipe of
** ours for the guest's report; read_hook set. */
typedef struct race {
  int in_w;   /* the write end of stdin's pipe */
  int out_r;  /* the read end of the guest's stdout */
  pid_t other;
  int saved_in, saved_out;
} race;

static void race_open(race *r) {
  int p[2], take[2], took[2], out[2];
  if (pipe(p) || pipe(take) || pipe(took) || pipe(out)) abort();
  r->other = fork();
  if (r->other == 0) other_reader(p[0], take[0], took[1]);
  close(take[0]);
  close(took[1]);
  take_fd = take[1];
  took_fd = took[0];
  r->in_w = p[1];
  r->out_r = out[0];
  r->saved_in = redirect(0, p[0]);
  r->saved_out = redirect(1, out[1]);
  read_calls = 0;
  atomic_store(&ebb__wasi_kernel_hook, read_hook);
}

/* Put stdio back; the guest's report into said; the other reader's exit
** status. */
static int race_close(race *r, char *said, size_t size) {
  atomic_store(&ebb__wasi_kernel_hook, NULL);
  restore(1, r->saved_out);
  restore(0, r->saved_in);
  int st;
  waitpid(r->other, &st, 0);
  ssize_t n = read(r->out_r, said, size - 1);
  said[n > 0 ? n : 0] = '\0';
  close(r->in_w);
  close(r->out_r);
  close(take_fd);
  close(took_fd);
  return st;
}

static void case_read(void) {
  race r;
  race_open(&r);
  static const char *const argv[] = {"block", "read"};
  guest g;
  guest_open(&g, 2, argv);
  reading = g.thread;
  char peek[64];
  if (write(r.in_w, "first\n", 6) != 6) abort();
  expect_interrupted("fd_read waiting in the kernel", &g, false, 100);
  CHECK(read_calls == 1, "the read was begun %d times, expected once", read_calls);
  if (write(r.in_w, "hello\n", 6) != 6) abort();
  expect_interrupted("fd_read interrupted just before the kernel", &g, true, -1);
  CHECK(read_calls == 2, "the read was begun %d times, expected twice", read_calls);
  expect_exit("fd_read resumed", &g, 6);
  guest_close(&g);
  /* Nothing left in the pipe (now descriptor 0): "hello" was read once,
  ** "first" by the other reader. */
  struct pollfd left = {0, POLLIN, 0};
  CHECK(poll(&left, 1, 0) == 0, "data left in the pipe");
  int st = race_close(&r, peek, sizeof peek);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the other reader failed");
  CHECK(!strcmp(peek, "read 6: hello\n\n"), "the guest said '%s'", peek);
  fprintf(stderr, "fd_read: the guest read '%.*s' once; the other reader took 'first'\n", 5,
          peek + 8);
}

/* ---- signal: a guest signal ends a read waiting in the kernel ----------- */

typedef struct signaller {
  pthread_t th;
  guest *g;
  ebb_group_t *group;
} signaller;

static void *signal_later(void *p) {
  signaller *s = p;
  usleep(100000); /* the guest is in the kernel's read by then */
  if (ebb_instance_signal(s->g->inst, s->group, 15)) abort();
  return NULL;
}

static void case_signal(void) {
  race r;
  race_open(&r);
  static const char *const argv[] = {"read"};
  guest g;
  guest_open_module(&g, signal_wasm, signal_wasm_size, 1, argv);
  ebb_group_t *group = ebb_group_new(4);
  if (!group || ebb_group_add(group, g.thread)) abort();
  reading = NULL; /* no interrupt from the hook: its second call never comes */
  if (write(r.in_w, "taken\n", 6) != 6) abort();
  signaller s = {0, &g, group};
  pthread_create(&s.th, NULL, signal_later, &s);
  ebb_outcome_t o;
  ebb_status_t st = ebb_call(g.thread, g.start, NULL, NULL, &o);
  pthread_join(s.th, NULL);
  CHECK(st == EBB_OK, "signal: status %d (%s)", st, o.message);
  CHECK(read_calls == 1, "signal: the read was begun %d times, expected once", read_calls);
  ebb_group_remove(group, g.thread);
  ebb_group_delete(group);
  guest_close(&g);
  char said[64];
  race_close(&r, said, sizeof said);
  /* EINTR is WASI errno 27. */
  CHECK(!strcmp(said, "ready\nread 27 signal 15\n"), "signal: the guest said '%s'", said);
  fprintf(stderr, "signal: the read waiting in the kernel ended with EINTR, signal 15 seen\n");
}

/* ---- write: the pipe fills just before the write ------------------------ */

static int fill_fd;   /* a non-blocking description of the pipe's write end */
static size_t filled; /* bytes of filler ('#') put there */
static int write_calls;

static void write_hook(bool writing) {
  if (!writing || write_calls++) return;
  static char junk[4096];
  memset(junk, '#', sizeof junk);
  for (size_t chunk = sizeof junk; chunk; chunk /= 2) {
    ssize_t n;
    while ((n = write(fill_fd, junk, chunk)) > 0)
      filled += (size_t)n;
  }
}

typedef struct reader {
  pthread_t th;
  int fd;
  size_t filler, total;
  int bad;
} reader;

static void *read_all(void *p) {
  reader *r = p;
  char buf[65536];
  ssize_t n;
  size_t at = 0; /* of the guest's bytes */
  while ((n = read(r->fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '#' && at == 0) {
        r->filler++;
        continue;
      }
      if (buf[i] != (char)('a' + at % 26)) r->bad++;
      at++;
    }
  }
  r->total = at;
  return NULL;
}

static void case_write(void) {
  int p[2];
  if (pipe(p)) abort();
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
  fill_fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fill_fd < 0) {
    fprintf(stderr, "skipping fd_write: no /proc to fill the pipe through\n");
    close(p[0]);
    close(p[1]);
    return;
  }
  int saved = redirect(1, p[1]);
  static const char *const argv[] = {"block", "write", "1048576"};
  guest g;
  guest_open(&g, 3, argv);
  atomic_store(&ebb__wasi_kernel_hook, write_hook);
  expect_interrupted("fd_write waiting in the kernel", &g, false, 100);
  atomic_store(&ebb__wasi_kernel_hook, NULL);
  close(fill_fd);
  reader r = {0, p[0], 0, 0, 0};
  pthread_create(&r.th, NULL, read_all, &r);
  ebb_outcome_t out;
  ebb_status_t st = ebb_call_resume(g.thread, NULL, &out);
  guest_close(&g);
  restore(1, saved);
  pthread_join(r.th, NULL);
  close(p[0]);
  CHECK(st == EBB_OK, "fd_write resumed: status %d (%s)", st, out.message);
  CHECK(r.filler == filled, "filler: %zu bytes read, %zu written", r.filler, filled);
  fprintf(stderr, "fd_write: %zu bytes arrived after %zu of filler, %d out of place\n", r.total,
          r.filler, r.bad);
  CHECK(r.total == 1048576 && r.bad == 0, "write: %zu bytes, %d wrong", r.total, r.bad);
}

/* ---- the signal's checks ---------------------------------------------- */

static void on_kick(int signo) { (void)signo; }

static void case_args(void) {
  static const char *const argv[] = {"block", "read"};
  guest g;
  guest_open(&g, 2, argv);
  struct sigaction sa = {.sa_handler = on_kick, .sa_flags = SA_RESTART}, old;
  sigemptyset(&sa.sa_mask);
  int spare = SIGRTMIN + 5;
  CHECK(ebb_wasi_set_interrupt_signal(NULL, kick_signo) == EBB_EARG, "NULL");
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, SIGKILL) == EBB_EARG, "SIGKILL");
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, -1) == EBB_EARG, "-1");
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, 1000) == EBB_EARG, "1000");
  sigaction(spare, NULL, &old);
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, spare) == EBB_EARG, "a signal with no handler");
  sigaction(spare, &sa, NULL);
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, spare) == EBB_EARG, "a handler with SA_RESTART");
  sa.sa_flags = 0;
  sigaction(spare, &sa, NULL);
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, spare) == 0, "a handler without SA_RESTART");
  CHECK(ebb_wasi_set_interrupt_signal(g.wasi, 0) == 0, "none");
  sigaction(spare, &old, NULL);
  guest_close(&g);
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *bytes = malloc(*size);
  if (!bytes || fread(bytes, 1, *size, f) != *size) exit(1);
  fclose(f);
  return bytes;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_kernel_io BLOCK_WASM SIGNAL_READ_WASM\n");
    return 2;
  }
  wasm = read_file(argv[1], &wasm_size);
  signal_wasm = read_file(argv[2], &signal_wasm_size);
  /* As ebb run does: a handler that only ends the system call. */
  kick_signo = SIGRTMIN + 4;
  struct sigaction sa = {.sa_handler = on_kick};
  sigemptyset(&sa.sa_mask);
  sigaction(kick_signo, &sa, NULL);
  case_args();
  case_read();
  case_signal();
  case_write();
  free(wasm);
  free(signal_wasm);
  fprintf(stderr, "%s: %d failures\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
