/*
** embed_mailbox.c -- proxying work to a guest thread that may exit
** (docs/embedding.md, "Thread handles, mailboxes and suspension").
**
**   embed_mailbox mailbox.wasm
**
** A guest thread runs the guest's serve() on a pthread of its own: serve()
** waits in memory.atomic.wait until asked to quit. Other threads reach it
** only through its handle, a plain value, by sending messages; each message
** runs on the guest thread and calls into the guest there (a nested call of
** add or quit). Then the thread exits while a message is still queued for
** it: that message's cancel function runs instead. Afterwards the handle
** answers "closed" -- it never dangles -- and a race of senders against the
** thread's exit shows that every message has exactly one outcome.
**
** Lines printed on a guest thread (by its pthread, or by a message running
** on it) are indented and marked [guest thread]. The output is the same on
** every run: nothing is printed whose order or value depends on timing.
*/
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebb.h"

/* The guest's exports. */
typedef struct guest {
  ebb_func_t *serve, *add, *quit;
  ebb_memory_t *mem;
} guest;

static void die(const char *what) {
  fprintf(stderr, "embed_mailbox: %s\n", what);
  exit(1);
}

/* add(n) on thread t: from a message, a nested call on the thread the
** message runs on. */
static int32_t call_add(ebb_thread_t *t, const guest *g, int32_t n) {
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = n}, total;
  ebb_outcome_t o;
  if (ebb_call(t, g->add, &arg, &total, &o) != EBB_OK) die(o.message);
  return total.of.i32;
}

static const char *mail_result_name(ebb_mail_result_t r) {
  static const char *const names[] = {"EBB_MAIL_RAN",         "EBB_MAIL_CANCELLED",
                                      "EBB_MAIL_CLOSED",      "EBB_MAIL_TIMEDOUT",
                                      "EBB_MAIL_INTERRUPTED", "EBB_MAIL_SELF"};
  return (unsigned)r < sizeof names / sizeof *names ? names[r] : "?";
}

/* ---- Messages ---------------------------------------------------------- */

/* A posted message: add n. Exactly one of run and cancel is called. */
typedef struct add_msg {
  const guest *g;
  int32_t n;
  int ran, cancelled;
} add_msg;

static void add_run(ebb_thread_t *t, void *arg) {
  add_msg *m = arg;
  int32_t total = call_add(t, m->g, m->n);
  printf("  [guest thread] message: add(%d) = %d\n", m->n, total);
  m->ran++;
}

static void add_cancel(void *arg) {
  add_msg *m = arg;
  printf("  [guest thread] cancel: the thread exited before add(%d) ran\n", m->n);
  m->cancelled++;
}

/* A message sent with ebb_mail_call: it may live on the sender's stack,
** since ebb_mail_call returns only once it has run (or will never run). */
typedef struct call_msg {
  const guest *g;
  int32_t n, total;
  ebb_mail_result_t to_self;
} call_msg;

static void nothing(ebb_thread_t *t, void *arg) {
  (void)t;
  (void)arg;
}

static void call_run(ebb_thread_t *t, void *arg) {
  call_msg *m = arg;
  /* Waiting for a message to our own thread would wait for ever: refused. */
  m->to_self = ebb_mail_call(ebb_thread_handle(t), nothing, NULL, INT64_MAX);
  m->total = call_add(t, m->g, m->n);
  printf("  [guest thread] message: add(%d) = %d\n", m->n, m->total);
}

/* Ask serve() to return: the guest's quit() stores 1 and notifies. */
static void quit_run(ebb_thread_t *t, void *arg) {
  const guest *g = arg;
  ebb_outcome_t o;
  if (ebb_call(t, g->quit, NULL, NULL, &o) != EBB_OK) die(o.message);
}

/* ---- The guest thread's pthread -----------------------------------------
** It runs serve() and then deletes its thread: that closes the mailbox, and
** the messages still queued have their cancel functions run here. */

typedef struct worker {
  ebb_thread_t *thread;
  const guest *g;
  int32_t total;      /* what serve() returned */
  bool verbose;       /* print, and wait for main between return and delete */
  sem_t returned, go; /* serve() returned; main says: delete now */
} worker;

static void *worker_main(void *arg) {
  worker *w = arg;
  ebb_val_t r;
  ebb_outcome_t o;
  if (ebb_call(w->thread, w->g->serve, NULL, &r, &o) != EBB_OK) die(o.message);
  w->total = r.of.i32;
  if (w->verbose) {
    printf("  [guest thread] serve() returned %d\n", w->total);
    sem_post(&w->returned);
    sem_wait(&w->go); /* the thread has no call running now: messages wait */
    printf("  [guest thread] ebb_thread_delete\n");
  }
  ebb_thread_delete(w->thread);
  return NULL;
}

static void worker_start(worker *w, pthread_t *pt, ebb_store_t *store, const guest *g,
                         bool verbose) {
  w->thread = ebb_thread_new(store);
  w->g = g;
  w->verbose = verbose;
  if (!w->thread) die("ebb_thread_new failed");
  sem_init(&w->returned, 0, 0);
  sem_init(&w->go, 0, 0);
  if (pthread_create(pt, NULL, worker_main, w)) die("pthread_create failed");
}

/* ---- A race: senders post while the thread exits ------------------------ */

#define RACE_SENDERS 2
#define RACE_POSTS 20000 /* each sender posts at most this many */

typedef struct race_cell {
  const guest *g;
  atomic_int accepted, ran, cancelled;
} race_cell;

typedef struct sender {
  ebb_handle_t to;
  race_cell *cells; /* RACE_POSTS of them */
} sender;

static void race_run(ebb_thread_t *t, void *arg) {
  race_cell *c = arg;
  call_add(t, c->g, 1);
  atomic_fetch_add(&c->ran, 1);
}

static void race_cancel(void *arg) { atomic_fetch_add(&((race_cell *)arg)->cancelled, 1); }

static void *sender_main(void *arg) {
  sender *s = arg;
  for (int i = 0; i < RACE_POSTS; i++) {
    race_cell *c = &s->cells[i];
    /* Mark it first: once posted, it may run (and be checked) at once. */
    atomic_store(&c->accepted, 1);
    int rc = ebb_mail_post(s->to, race_run, race_cancel, c);
    if (rc == EBB_ECLOSED) {
      atomic_store(&c->accepted, 0);
      break; /* the thread is gone: every later post would say so too */
    }
    if (rc) die(ebb_strerror(rc));
  }
  return NULL;
}

/* Every message posted, whatever the timing, ran or was cancelled, once;
** every refused one did neither; the guest counted exactly those that ran. */
static void race(ebb_store_t *store, const guest *g, int32_t before) {
  static race_cell cells[RACE_SENDERS][RACE_POSTS];
  __atomic_store_n((int32_t *)ebb_memory_data(g->mem), 0, __ATOMIC_SEQ_CST); /* serve again */
  worker w;
  pthread_t wt, st[RACE_SENDERS];
  worker_start(&w, &wt, store, g, false);
  sender s[RACE_SENDERS];
  for (int k = 0; k < RACE_SENDERS; k++) {
    for (int i = 0; i < RACE_POSTS; i++) cells[k][i].g = g;
    s[k] = (sender){ebb_thread_handle(w.thread), cells[k]};
    if (pthread_create(&st[k], NULL, sender_main, &s[k])) die("pthread_create failed");
  }
  /* quit() goes behind whatever the senders queued so far. */
  if (ebb_mail_post(ebb_thread_handle(w.thread), quit_run, NULL, (void *)g)) die("post quit");
  for (int k = 0; k < RACE_SENDERS; k++) pthread_join(st[k], NULL);
  pthread_join(wt, NULL);

  int ran = 0;
  for (int k = 0; k < RACE_SENDERS; k++)
    for (int i = 0; i < RACE_POSTS; i++) {
      race_cell *c = &cells[k][i];
      int outcomes = atomic_load(&c->ran) + atomic_load(&c->cancelled);
      if (outcomes != atomic_load(&c->accepted)) die("a message had no outcome, or two");
      ran += atomic_load(&c->ran);
    }
  /* serve() returned once the thread had run its last message. */
  if (w.total != before + ran) die("the guest's total does not count the messages that ran");
}

/* ---- The walk-through ---------------------------------------------------- */

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

static ebb_func_t *export_func(ebb_instance_t *inst, const char *name) {
  ebb_extern_t e;
  if (ebb_instance_export(inst, name, &e) || e.kind != EBB_EXTERN_FUNC) die(name);
  return e.of.func;
}

int main(int argc, char **argv) {
  size_t size;
  unsigned char *bytes = argc == 2 ? read_file(argv[1], &size) : NULL;
  if (!bytes) {
    fprintf(stderr, "usage: embed_mailbox mailbox.wasm\n");
    return 2;
  }
  ebb_error_t err = {0, ""};
  ebb_module_t *module;
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_instance_t *inst;
  if (ebb_module_new(bytes, size, &module, &err) ||
      ebb_instance_new(store, module, resolve_none, NULL, &inst, &err))
    die(err.message);
  guest g = {export_func(inst, "serve"), export_func(inst, "add"), export_func(inst, "quit"),
             NULL};
  ebb_extern_t mem;
  if (ebb_instance_export(inst, "mem", &mem)) die("mem");
  g.mem = mem.of.memory;

  /* 1. The guest thread starts and blocks in memory.atomic.wait. Messages
  ** reach it through its handle; they run in order, on that thread. */
  worker w;
  pthread_t wt;
  worker_start(&w, &wt, store, &g, true);
  ebb_handle_t h = ebb_thread_handle(w.thread);
  printf("1. main: ebb_mail_post(add 5), then ebb_mail_call(add 100)\n");
  add_msg five = {&g, 5, 0, 0};
  int rc = ebb_mail_post(h, add_run, add_cancel, &five);
  if (rc) die(ebb_strerror(rc));

  /* 2. A synchronous message: ebb_mail_call returns once it ran. Messages
  ** run in the order they were sent, so the posted one ran before it. */
  call_msg hundred = {&g, 100, 0, EBB_MAIL_RAN};
  ebb_mail_result_t r = ebb_mail_call(h, call_run, &hundred, INT64_MAX);
  printf("2. main: ebb_mail_call -> %s; the total is %d; add(5) ran %d time\n",
         mail_result_name(r), hundred.total, five.ran);
  printf("   inside the message, ebb_mail_call to its own thread -> %s\n",
         mail_result_name(hundred.to_self));

  /* 3. The guest thread exits. serve() returns; before the thread is
  ** deleted a message is still accepted (the mailbox is open), but it can
  ** no longer run: deleting the thread cancels it. */
  printf("3. main: ebb_mail_post(quit)\n");
  if ((rc = ebb_mail_post(h, quit_run, NULL, &g))) die(ebb_strerror(rc));
  sem_wait(&w.returned);
  add_msg late = {&g, 1000, 0, 0};
  rc = ebb_mail_post(h, add_run, add_cancel, &late);
  printf("   main: serve() has returned, the thread is not deleted yet: "
         "ebb_mail_post(add 1000) -> %d\n", rc);
  sem_post(&w.go);
  pthread_join(wt, NULL);
  printf("   main: add(1000) ran %d times and was cancelled %d time\n", late.ran,
         late.cancelled);

  /* 4. The handle is stale: every use answers at once, without touching
  ** the freed thread. A new thread may reuse the slot, never the handle. */
  add_msg stale = {&g, 1, 0, 0};
  rc = ebb_mail_post(h, add_run, add_cancel, &stale);
  printf("4. main: ebb_mail_post to the stale handle -> %s\n", ebb_strerror(rc));
  r = ebb_mail_call(h, call_run, &hundred, INT64_MAX);
  printf("   main: ebb_mail_call to the stale handle -> %s\n", mail_result_name(r));
  ebb_thread_t *t2 = ebb_thread_new(store);
  ebb_handle_t h2 = ebb_thread_handle(t2);
  add_msg one = {&g, 1, 0, 0};
  printf("   main: a new thread's handle %s the old one; posting add(1) to it\n",
         h2 == h ? "equals" : "differs from");
  if ((rc = ebb_mail_post(h2, add_run, add_cancel, &one))) die(ebb_strerror(rc));
  if (ebb_mail_post(h, add_run, add_cancel, &stale) != EBB_ECLOSED) die("stale handle lives");
  /* No call runs on t2: its messages wait until one does, or until its
  ** owner runs them -- here, on this OS thread. */
  int n = ebb_thread_run_mail(t2);
  printf("   main: ebb_thread_run_mail ran %d message; the old handle still says %s\n", n,
         ebb_strerror(ebb_mail_post(h, add_run, add_cancel, &stale)));
  ebb_thread_delete(t2);

  if (stale.ran || stale.cancelled) die("a refused message had an outcome");

  /* 5. The same promise under a race. */
  race(store, &g, 106); /* how many ran depends on timing: checked, not printed */
  printf("5. %d senders posted until the thread exited: every accepted message ran or was "
         "cancelled, exactly once\n", RACE_SENDERS);

  ebb_store_delete(store); /* its threads are all deleted */
  ebb_module_delete(module);
  free(bytes);
  return 0;
}
