/*
** embed_suspend.c -- pausing a multi-threaded guest, looking at and
** changing its memory, and letting it go on (docs/embedding.md, "Thread
** handles, mailboxes and suspension").
**
**   embed_suspend suspend.wasm
**
** Four guest threads share one memory, each on a pthread of its own and all
** in one group: two spin, counting as fast as they can; two count once and
** sleep in memory.atomic.wait. The embedder suspends the group, waits until
** every member is parked, and then owns the memory: the counters stay still
** while it looks, and it writes a value the guest reads once continued.
** Then it suspends one thread alone by its handle, and at last ends the
** group while it is suspended: a stop request overrides a suspension.
**
** The output is the same on every run: counts and times are checked, not
** printed.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ebb.h"

#define NTHREADS 4
#define NEWS 0      /* byte addresses in the guest's memory (suspend.wat) */
#define COUNTER 64  /* + 4 i */
#define SEEN 128    /* + 4 i */
#define SECOND 1000000000LL

static void die(const char *what) {
  fprintf(stderr, "embed_suspend: %s\n", what);
  exit(1);
}

/* One guest thread and the pthread that runs it. */
typedef struct member {
  ebb_thread_t *thread;
  ebb_func_t *func; /* spin or wait */
  int32_t index;
  ebb_status_t status; /* how its call ended */
  int exit_code;
} member;

static void *member_main(void *arg) {
  member *m = arg;
  ebb_val_t i = {.kind = EBB_I32, .of.i32 = m->index};
  ebb_outcome_t o;
  m->status = ebb_call(m->thread, m->func, &i, NULL, &o); /* runs until the group ends */
  m->exit_code = o.exit_code;
  return NULL;
}

static const char *status_name(ebb_status_t st) {
  static const char *const names[] = {"EBB_OK", "EBB_TRAP", "EBB_EXIT", "EBB_INTERRUPTED",
                                      "EBB_ERROR"};
  return (unsigned)st < 5 ? names[st] : "?";
}

/* Guest memory, read and written by the embedder. While the guest runs,
** atomically (it uses atomics on these words too). */
static uint8_t *mem;

static int32_t load(uint32_t addr) {
  return __atomic_load_n((int32_t *)(mem + addr), __ATOMIC_SEQ_CST);
}

static void snapshot(int32_t out[NTHREADS]) {
  for (int i = 0; i < NTHREADS; i++) out[i] = load(COUNTER + 4 * i);
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

/* Wait (up to 10 s) until every thread's word at base + 4 i is at least
** min[i] (or, with min NULL, non-zero). */
static void wait_until(uint32_t base, const int32_t *min, const char *what) {
  for (int64_t deadline = ebb_now_ns() + 10 * SECOND;;) {
    int ok = 0;
    for (int i = 0; i < NTHREADS; i++)
      ok += min ? load(base + 4 * i) >= min[i] : load(base + 4 * i) != 0;
    if (ok == NTHREADS) return;
    if (ebb_now_ns() > deadline) die(what);
    sleep_ms(1);
  }
}

static int resolve_none(void *data, const char *module, const char *name, ebb_externkind_t kind,
                        ebb_extern_t *out) {
  (void)data, (void)module, (void)name, (void)kind, (void)out;
  return EBB_ENOTFOUND;
}

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = malloc(1 << 16);
  *size = buf ? fread(buf, 1, 1 << 16, f) : 0;
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  size_t size;
  unsigned char *bytes = argc == 2 ? read_file(argv[1], &size) : NULL;
  if (!bytes) {
    fprintf(stderr, "usage: embed_suspend suspend.wasm\n");
    return 2;
  }
  ebb_error_t err = {0, ""};
  ebb_module_t *module;
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_instance_t *inst;
  ebb_extern_t spin, wait, memory;
  if (ebb_module_new(bytes, size, &module, &err) ||
      ebb_instance_new(store, module, resolve_none, NULL, &inst, &err))
    die(err.message);
  if (ebb_instance_export(inst, "spin", &spin) || ebb_instance_export(inst, "wait", &wait) ||
      ebb_instance_export(inst, "mem", &memory))
    die("missing export");
  mem = ebb_memory_data(memory.of.memory);

  /* 1. Four members of one group, each running on its own pthread. */
  ebb_group_t *group = ebb_group_new(NTHREADS);
  member m[NTHREADS];
  pthread_t pt[NTHREADS];
  for (int i = 0; i < NTHREADS; i++) {
    m[i] = (member){ebb_thread_new(store), i < 2 ? spin.of.func : wait.of.func, i, EBB_OK, 0};
    if (!m[i].thread || ebb_group_add(group, m[i].thread)) die("cannot make a member");
    if (pthread_create(&pt[i], NULL, member_main, &m[i])) die("pthread_create failed");
  }
  wait_until(COUNTER, NULL, "the threads did not start");
  printf("1. running: spin(0) and spin(1) count; wait(2) and wait(3) sleep in "
         "memory.atomic.wait\n");

  /* 2. Suspend the group, and wait until every member is parked: a spinning
  ** one at its next safe point, a sleeping one where it sleeps. */
  if (ebb_group_suspend(group, 0)) die("ebb_group_suspend");
  int rc = ebb_group_suspend_wait(group, ebb_now_ns() + 10 * SECOND);
  printf("2. ebb_group_suspend, ebb_group_suspend_wait -> %d: every member is parked\n", rc);
  if (rc) die(ebb_strerror(rc));

  /* 3. Until continued, no member touches the memory: it is ours. */
  int32_t before[NTHREADS], after[NTHREADS];
  snapshot(before);
  sleep_ms(50);
  snapshot(after);
  printf("3. the counters, read 50 ms apart: %s\n",
         memcmp(before, after, sizeof before) ? "CHANGED" : "unchanged");
  /* A sleeper counts once per wake: suspending it did not wake it. */
  printf("   the sleepers' counters: %d and %d (suspending them woke neither)\n", after[2],
         after[3]);
  mem[NEWS] = 42; /* a plain write: nothing else touches memory now */
  printf("   wrote news = 42 into the guest's memory\n");

  /* 4. Continue: every thread goes on where it was. The spinners see the
  ** news and notify; the sleepers wake (no notify is lost) and see it. */
  if (ebb_group_continue(group)) die("ebb_group_continue");
  wait_until(SEEN, NULL, "the news did not reach every thread");
  int seen42 = 0;
  for (int i = 0; i < NTHREADS; i++) seen42 += load(SEEN + 4 * i) == 42;
  printf("4. ebb_group_continue: %d of %d threads read news = 42\n", seen42, NTHREADS);

  /* 5. One thread alone, through its handle (the group is not suspended). */
  ebb_handle_t h0 = ebb_thread_handle(m[0].thread);
  if (ebb_thread_suspend(h0, 0) || ebb_thread_suspend_wait(h0, ebb_now_ns() + 10 * SECOND))
    die("ebb_thread_suspend");
  snapshot(before);
  int32_t more[NTHREADS];
  for (int i = 0; i < NTHREADS; i++) more[i] = before[i] + (i == 0 ? 0 : 1000);
  wait_until(COUNTER, more, "the other threads did not go on");
  snapshot(after);
  printf("5. ebb_thread_suspend(thread 0): its counter %s while the others went on\n",
         after[0] == before[0] ? "stood still" : "MOVED");
  if (ebb_thread_continue(h0)) die("ebb_thread_continue");

  /* 6. Suspend the group again, and end it while suspended: the request to
  ** end overrides the suspension, and every call returns EBB_EXIT. */
  if (ebb_group_suspend(group, 0) ||
      ebb_group_suspend_wait(group, ebb_now_ns() + 10 * SECOND))
    die("ebb_group_suspend");
  ebb_group_end(group, EBB_END_EXIT, 0, "the embedder is done");
  for (int i = 0; i < NTHREADS; i++) pthread_join(pt[i], NULL);
  ebb_group_join(group); /* (it started no threads itself) */
  printf("6. suspended again, then ebb_group_end:");
  for (int i = 0; i < NTHREADS; i++)
    printf("%s%s (exit %d)", i ? ", " : " ", status_name(m[i].status), m[i].exit_code);
  printf("\n");

  for (int i = 0; i < NTHREADS; i++) ebb_thread_delete(m[i].thread); /* leaves the group */
  ebb_group_delete(group);
  ebb_store_delete(store);
  ebb_module_delete(module);
  free(bytes);
  return 0;
}
