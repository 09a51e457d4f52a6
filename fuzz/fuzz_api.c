/*
** fuzz_api.c -- the input is a program of ebb.h calls over a small world (one
** store, the module fuzz_api.wat, three thread slots, two group slots), run
** against a model of what ebb.h promises; any difference is a finding.
**
** The world. The guest functions (fuzz_api.wat) compute values the model
** predicts from their arguments and have safe points it can count: `spin`
** and `rec` loop and recurse, `work` loops, calls the imported host function
** h0, may trap on its result, and loops again; `mix` takes and returns every
** kind. Two host functions the embedder calls directly, d3 (i32 i64 f64 ->
** i64 i32) and d0 (-> nothing), and h0 all run host_fn, which reads its next
** operations from the input too: so a host function calls back into the
** guest on its own thread or another, resumes or abandons an inner call it
** made, interrupts threads, installs and clears interrupt handlers, sleeps,
** asks for its deadline, ends and joins groups, deletes threads, and returns
** a status of the input's choice, bogus ones included.
**
** The model. Per thread: whether it exists, its group, its two request bits
** (interrupt, terminate), which OS thread is inside its calls, and a stack of
** levels mirroring the runtime's nested calls: where each guest call is
** (before its host call, in it, after it; how many safe points remain), its
** host call's handler, deadline and early ebb_host_exit/ebb_host_trap, and
** whether it stopped. The model advances in step with the real calls: when
** a call starts or resumes, and when a host function is entered and returns
** (it predicts the runtime's decision: go on, run the host function again,
** stop, trap, exit), so every callback and every returned outcome is checked
** against it the moment it happens, and after each operation every thread's
** ebb_thread_has_stopped_call and every group's ebb_group_outcome.
**
** OS threads. A helper OS thread runs operations the input hands it while
** the main one waits (REMOTE): calls from a second OS thread into a thread
** busy on the first are refused with EBB_EBUSY, stopped calls move between
** OS threads, requests come from another OS thread while a host function
** waits -- all deterministic, so every finding replays. EPISODE runs real
** races instead (an interrupter hammering ebb_thread_interrupt, a group
** ended at a random moment, a second caller contending for the thread) and
** checks only what holds whatever the timing: a call driven to its end by
** resuming returns exactly what the guest computes, or EBB_EXIT with the
** group's code; every refusal is EBB_EBUSY; nothing traps. It then leaves
** the thread in a known state (a fresh interrupt pending).
**
** Only legal deletions are made, in random legal orders (ebb.h, "Lifetimes");
** the store goes last, after its threads and groups. Everything is bounded:
** operations per input and per host function run, loop counts, nesting (by
** EBB_MAX_NESTED_CALLS), waits. Set FUZZ_API_TRACE=1 to print each operation.
*/
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "ebb.h"
#include "fuzz_api.wat.h"

enum {
  NTHREADS = 3,
  NGROUPS = 2,
  MAX_OPS = 400,     /* operations per input, at every level together */
  MAX_HOST_OPS = 8,  /* operations in one run of a host function */
  MAX_REMOTE_OPS = 4,
  MAX_EPISODES = 2,  /* racing episodes per input (they cost milliseconds) */
  MAX_LEVELS = EBB_MAX_NESTED_CALLS,
  MAGIC = 0x7fffffff, /* h0 returning this makes `work` trap */
  BIG_REC = 100000,   /* rec(BIG_REC) exhausts any thread's frames */
  WAIT_MS = 20000,    /* a hand-over to another OS thread that takes longer is a hang */
};

/* Small stacks (mapped and unmapped with every thread): room for
** EBB_MAX_NESTED_CALLS levels of `work` and rec(100) above them, and
** rec(BIG_REC) still exhausts them. */
static const ebb_limits_t LIMITS = {
    .max_memory_pages = 16,
    .max_call_depth = 256,
    .value_stack_slots = 4096,
};

/* ---- The world -------------------------------------------------------------- */

enum fn { F_WORK, F_SPIN, F_REC, F_MIX, F_D3, F_D0, F_NFUNCS, F_NULL = F_NFUNCS, F_ALIEN };

static const struct fninfo {
  const char *name;
  uint32_t np, nr;
  ebb_valkind_t p[6], r[3];
} FN[F_NFUNCS] = {
    [F_WORK] = {"work", 3, 1, {EBB_I32, EBB_I32, EBB_I32}, {EBB_I32}},
    [F_SPIN] = {"spin", 1, 1, {EBB_I32}, {EBB_I32}},
    [F_REC] = {"rec", 1, 1, {EBB_I32}, {EBB_I32}},
    [F_MIX] = {"mix", 6, 3,
               {EBB_I32, EBB_I64, EBB_F32, EBB_F64, EBB_EXTERNREF, EBB_FUNCREF},
               {EBB_I64, EBB_F64, EBB_EXTERNREF}},
    [F_D3] = {"d3", 3, 2, {EBB_I32, EBB_I64, EBB_F64}, {EBB_I64, EBB_I32}},
    [F_D0] = {"d0", 0, 0, {0}, {0}},
};

/* Loop turns and recursion depths an input picks from. */
static const uint32_t LOOPS[8] = {0, 1, 2, 3, 4, 7, 40, 300};
static const uint32_t RECS[8] = {0, 1, 2, 5, 30, 100, BIG_REC, BIG_REC};

/* host_fn's data: which host function it is runs as (h0, d3, d0). */
static char host_tags[3];

static struct {
  ebb_module_t *module;
  ebb_store_t *other; /* another store, for its function: never accepted */
  ebb_func_t *alien;
  ebb_store_t *store;
  ebb_instance_t *inst;
  ebb_memory_t *mem;
  ebb_func_t *f[F_NFUNCS];
} w;

/* ---- The model ---------------------------------------------------------------- */

/* What one ebb_call / ebb_call_resume must return. */
typedef struct expect {
  bool done; /* predicted (else the model still waits for a host call) */
  ebb_status_t st;
  int error;
  ebb_trap_t trap;
  int exit_code;
  char text[112]; /* a part of the trap message, or "" */
  uint64_t res[3];
} expect;

enum phase { PH_PRE, PH_HOST, PH_POST, PH_LOOP, PH_PLAIN };

typedef struct hctx hctx;

/* One nested call (a level, as thread.h calls it). */
typedef struct mlevel {
  int fn;
  int phase;
  uint32_t rem; /* safe points left in this phase */
  uint32_t x[3];
  uint64_t args[6]; /* direct host functions: what they must be given */
  int32_t r;        /* work: what h0 returned */
  uint64_t res[3];  /* d3: what it wrote */
  bool stopped;
  bool inner_stopped;
  bool want_host; /* the next event must be its host function starting */
  bool in_host;
  expect *ex;
  /* Its host call, for the length of one run (or across runs: dl). */
  bool h_set, h_fired, ran, exited;
  hctx *hc; /* the running host function's context, while it runs */
  int exit_code;
  char text[100];
  bool dl_valid;
  int64_t dl;
} mlevel;

typedef struct mthread {
  ebb_thread_t *t; /* NULL: the slot is free */
  int group;       /* -1 or a group slot */
  bool I, T;       /* interrupt and terminate requests pending */
  int owner;       /* the OS thread inside its calls (OS_*), or -1 */
  int depth;
  mlevel lv[MAX_LEVELS];
} mthread;

typedef struct mgroup {
  ebb_group_t *g;
  uint32_t max, members;
  bool ended;
  ebb_end_reason_t reason;
  int code;
  char msg[24];
} mgroup;

enum { OS_MAIN, OS_HELPER, OS_RACER };

static mthread th[NTHREADS];
static mgroup gr[NGROUPS];
static _Thread_local int me; /* OS_*: which OS thread this is */

/* The input. */
static struct {
  const uint8_t *p;
  size_t n, i;
  int ops;
  int auto_nest, auto_policy; /* NEST: host runs that call in without reading input */
  int episodes;
} in;

static bool trace;
static bool racing; /* an EPISODE runs: host functions run robust_host */
static ebb_status_t robust_host(ebb_host_call_t *call, const uint64_t *args, uint64_t *results);
static void episode(int j, uint8_t b);

static uint8_t byte(void) { return in.i < in.n ? in.p[in.i++] : 0; }
static bool more(void) { return in.i < in.n && in.ops < MAX_OPS; }

static void say(int depth, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int depth, const char *fmt, ...) {
  if (!trace) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "[%d] %*s", me, 2 * depth, "");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
}

#define FAIL(...) fuzz_fail(__VA_ARGS__)

/* State coverage. libFuzzer counts the bytes of this section like edges
** (on Linux), so an input that brings an operation to a new state of the
** model -- a thread stopped, terminated, nested, in an ended group; a host
** function returning a status in a new situation -- is kept even when it
** runs no new code. Bugs of this API hide in such combinations. The
** replay build has the section and no one reading it. */
enum {
  COV_OPS = 0,                    /* operation x the state of its thread */
  COV_RETURNS = 1 << 15,          /* a host function's status x its situation */
  COV_CALLS = COV_RETURNS + 1024, /* a function x its outcome x nesting */
  COV_SIZE = COV_CALLS + 1024,
};
static uint8_t state_cov[COV_SIZE] __attribute__((section("__libfuzzer_extra_counters"), used));

static void cover(unsigned region, unsigned v, unsigned size) {
  if (me == OS_RACER) return;
  state_cov[region + v % size]++;
}

/* ---- Model: predicting what a guest call does ------------------------------ */

static uint32_t safe_points(uint32_t turns) { return turns ? turns - 1 : 0; }

static uint32_t hash_loop(uint32_t acc, uint32_t n, uint32_t mul) {
  for (; n; n--) acc = acc * mul + n;
  return acc;
}

/* The exit code a termination request ends a call with. */
static int term_code(int j) { return th[j].group >= 0 ? gr[th[j].group].code : 0; }

static mlevel *top_level(int j) { return th[j].depth ? &th[j].lv[th[j].depth - 1] : NULL; }

/* The thread's outermost call is over. A termination request left by a
** group it has since left is spent: ebb.h, ebb_group_end, "a member's later
** calls end with EBB_EXIT ... until it leaves the group". */
static void call_over(int j) {
  mthread *mt = &th[j];
  if (mt->depth == 0 && mt->T && !(mt->group >= 0 && gr[mt->group].ended)) mt->T = false;
}

static void pop(int j) {
  th[j].depth--;
  call_over(j);
}

/* The level ends: fill its expectation, and it is gone. */
static void finish(int j, int li, ebb_status_t st, ebb_trap_t trap, int code, const char *text) {
  mlevel *L = &th[j].lv[li];
  if (li != th[j].depth - 1) FAIL("model: level %d of thread %d ends above it", li, j);
  expect *ex = L->ex;
  ex->done = true;
  ex->st = st;
  ex->trap = trap;
  ex->exit_code = code;
  snprintf(ex->text, sizeof ex->text, "%s", text ? text : "");
  memcpy(ex->res, L->res, sizeof ex->res);
  pop(j);
}

static void stop(int j, int li) {
  mlevel *L = &th[j].lv[li];
  L->stopped = true;
  if (li > 0) th[j].lv[li - 1].inner_stopped = true;
  L->ex->done = true;
  L->ex->st = EBB_INTERRUPTED;
}

/* A level whose guest code ran to its end. */
static void done(int j, int li) {
  mlevel *L = &th[j].lv[li];
  switch (L->fn) {
  case F_SPIN: L->res[0] = hash_loop(1, L->x[0], 31); break;
  case F_WORK:
    L->res[0] = (uint32_t)L->r * 7u + hash_loop(hash_loop(1, L->x[0], 31), L->x[2], 37);
    break;
  case F_REC:
    if (L->x[0] >= BIG_REC) {
      finish(j, li, EBB_TRAP, EBB_TRAP_STACK_EXHAUSTED, 0, "call stack exhausted");
      return;
    }
    L->res[0] = (uint32_t)((uint64_t)L->x[0] * (L->x[0] + 1) / 2);
    break;
  case F_MIX: {
    double d;
    float c;
    memcpy(&d, &L->args[3], sizeof d);
    memcpy(&c, &L->args[2], sizeof c);
    L->res[0] = (uint64_t)((int64_t)(int32_t)L->args[0] + (int64_t)L->args[1] +
                           (L->args[5] ? 1000 : 0));
    d += (double)c;
    memcpy(&L->res[1], &d, sizeof d);
    L->res[2] = L->args[4];
    break;
  }
  default: break; /* d3, d0: what the host function wrote */
  }
  finish(j, li, EBB_OK, EBB_TRAP_NONE, 0, NULL);
}

/* Run the level's guest code, as far as the model can without the host:
** to a safe point that stops it, its host call, or its end. */
static void advance(int j, int li) {
  mthread *mt = &th[j];
  mlevel *L = &mt->lv[li];
  for (;;) {
    switch (L->phase) {
    case PH_PRE:
    case PH_POST:
    case PH_LOOP:
      if (L->rem && mt->T) {
        finish(j, li, EBB_EXIT, EBB_TRAP_NONE, term_code(j), NULL);
        return;
      }
      if (L->rem && mt->I) {
        mt->I = false;
        L->rem--;
        stop(j, li);
        return;
      }
      if (L->phase == PH_PRE) {
        L->phase = PH_HOST;
        continue;
      }
      done(j, li);
      return;
    case PH_HOST: L->want_host = true; return;
    default: done(j, li); return;
    }
  }
}

static void check_fired(int j, unsigned newly);

/* A request has reached thread j: the handlers installed on it have run,
** once each, innermost first. */
static void request(int j, bool terminate) {
  if (terminate) th[j].T = true;
  else th[j].I = true;
  unsigned newly = 0;
  for (int i = 0; i < th[j].depth; i++)
    if (th[j].lv[i].h_set && !th[j].lv[i].h_fired) {
      th[j].lv[i].h_fired = true;
      newly |= 1u << (i < 31 ? i : 31);
    }
  check_fired(j, newly);
}

/* What the model knows of thread j, in a few bits (for state coverage). */
static unsigned thread_sig(int j) {
  const mthread *mt = &th[j];
  if (!mt->t) return 0;
  const mlevel *L = top_level(j);
  return 1u | (L && L->stopped) << 1 | mt->I << 2 | mt->T << 3 | (mt->group >= 0) << 4 |
         (mt->group >= 0 && gr[mt->group].ended) << 5 | (mt->depth > 0) << 6 |
         (mt->depth > 1) << 7 | (mt->owner >= 0 && mt->owner != me) << 8;
}

/* ---- Checking outcomes ------------------------------------------------------- */

static uint64_t val_slot(const ebb_val_t *v) {
  switch (v->kind) {
  case EBB_I32: return (uint32_t)v->of.i32;
  case EBB_I64: return (uint64_t)v->of.i64;
  case EBB_F32: {
    uint32_t b;
    memcpy(&b, &v->of.f32, 4);
    return b;
  }
  case EBB_F64: {
    uint64_t b;
    memcpy(&b, &v->of.f64, 8);
    return b;
  }
  default: return (uint64_t)(uintptr_t)v->of.ref;
  }
}

static const char *status_name(int st) {
  static const char *const n[] = {"OK", "TRAP", "EXIT", "INTERRUPTED", "ERROR"};
  return st >= 0 && st <= 4 ? n[st] : "?";
}

/* Compare what a call returned with what the model expected. fn is the
** function whose results `res` holds (-1: none). */
static void check_call(const char *what, int j, const expect *ex, ebb_status_t st,
                       const ebb_outcome_t *o, int fn, const ebb_val_t *res) {
  unsigned nesting = (unsigned)(th[j].depth > 2 ? 2 : th[j].depth);
  cover(COV_CALLS, (unsigned)(fn + 1) | (unsigned)st << 3 | nesting << 6 | (what[8] == '_') << 8,
        1024);
  if (!ex->done)
    FAIL("%s on thread %d returned %s (\"%s\"), but the model waits for a host call", what, j,
         status_name(st), o ? o->message : "");
  if (st != ex->st)
    FAIL("%s on thread %d returned %s (\"%s\"), the model says %s", what, j, status_name(st),
         o ? o->message : "", status_name(ex->st));
  if (!o) return;
  if (o->status != st) FAIL("%s: returned %d, outcome says %d", what, st, o->status);
  switch (st) {
  case EBB_ERROR:
    if (o->error != ex->error)
      FAIL("%s refused with %s (\"%s\"), the model says %s", what, ebb_strerror(o->error),
           o->message, ebb_strerror(ex->error));
    if (!o->message[0]) FAIL("%s refused without a message", what);
    break;
  case EBB_TRAP:
    if (o->trap != ex->trap)
      FAIL("%s trapped with kind %d (\"%s\"), the model says %d (%s)", what, o->trap,
           o->message, ex->trap, ex->text);
    if (!o->message[0]) FAIL("%s: trap without a message", what);
    if (ex->text[0] && !strstr(o->message, ex->text))
      FAIL("%s: trap message \"%s\" lacks \"%s\"", what, o->message, ex->text);
    break;
  case EBB_EXIT:
    if (o->exit_code != ex->exit_code)
      FAIL("%s exited with %d, the model says %d", what, o->exit_code, ex->exit_code);
    break;
  case EBB_OK:
    if (fn >= 0 && res)
      for (uint32_t i = 0; i < FN[fn].nr; i++) {
        if (res[i].kind != FN[fn].r[i])
          FAIL("%s: result %u of %s has kind 0x%x, not 0x%x", what, i, FN[fn].name,
               res[i].kind, FN[fn].r[i]);
        uint64_t got = val_slot(&res[i]);
        if (FN[fn].r[i] == EBB_I32) got = (uint32_t)got;
        if (got != ex->res[i])
          FAIL("%s: result %u of %s is 0x%llx, the model says 0x%llx", what, i, FN[fn].name,
               (unsigned long long)got, (unsigned long long)ex->res[i]);
      }
    break;
  default: break;
  }
}

/* After every operation: what every thread and group says of itself. */
static void check_world(void) {
  for (int j = 0; j < NTHREADS; j++) {
    if (!th[j].t) continue;
    mlevel *L = top_level(j);
    bool want = L && L->stopped;
    if (ebb_thread_has_stopped_call(th[j].t) != want)
      FAIL("ebb_thread_has_stopped_call(thread %d) is %d, the model says %d", j, !want, want);
  }
  if (ebb_thread_has_stopped_call(NULL)) FAIL("ebb_thread_has_stopped_call(NULL) is true");
  for (int k = 0; k < NGROUPS; k++) {
    mgroup *g = &gr[k];
    if (!g->g) continue;
    int code = -1;
    char msg[24];
    ebb_end_reason_t r = ebb_group_outcome(g->g, &code, msg, sizeof msg);
    if (r != (g->ended ? g->reason : EBB_END_NONE))
      FAIL("group %d: outcome %d, the model says %d", k, r, g->ended ? (int)g->reason : 0);
    if (g->ended && (code != g->code || strcmp(msg, g->msg)))
      FAIL("group %d: ended with %d \"%s\", the model says %d \"%s\"", k, code, msg, g->code,
           g->msg);
  }
}

/* ---- Host functions ------------------------------------------------------------ */

/* A host function's run, for the operations it performs. */
struct hctx {
  ebb_host_call_t *call;
  int j, li, which;
  atomic_int fired; /* runs of its counting handler */
  atomic_int seq;   /* when it last ran, by fire_seq */
  bool counting;    /* the handler installed is the counting one */
};

static atomic_int fire_seq;

static void counting_handler(void *arg) {
  hctx *h = arg;
  atomic_fetch_add(&h->fired, 1);
  atomic_store(&h->seq, atomic_fetch_add(&fire_seq, 1) + 1);
}

/* After a request: each counting handler installed on thread j has run
** exactly once if it was armed, those the request ran (newly) innermost
** first. */
static void check_fired(int j, unsigned newly) {
  int last_seq = 0;
  for (int i = th[j].depth - 1; i >= 0; i--) {
    mlevel *L = &th[j].lv[i];
    if (!L->h_set || !L->hc || !L->hc->counting) continue;
    int n = atomic_load(&L->hc->fired);
    if (n != 1)
      FAIL("the counting handler of thread %d level %d ran %d times after a request", j, i, n);
    if (i >= 31 || !(newly & 1u << i)) continue;
    int seq = atomic_load(&L->hc->seq);
    if (seq <= last_seq)
      FAIL("thread %d: the handler of level %d ran before that of level %d above it", j, i,
           i + 1);
    last_seq = seq;
  }
}

static pthread_mutex_t cond_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond_c = PTHREAD_COND_INITIALIZER;
static ebb_interrupt_cond_t cond_wake = {&cond_m, &cond_c};

static int thread_index(const ebb_thread_t *t) {
  for (int j = 0; j < NTHREADS; j++)
    if (t && th[j].t == t) return j;
  return -1;
}

static int depth_of(const hctx *h) { return h ? h->li + 1 : 0; }

static void exec_op(hctx *h, uint8_t op);
static ebb_status_t call_fn(hctx *h, int j, int f, const uint32_t *x, int32_t *result);
static ebb_status_t resume_thread(hctx *h, int j, uint8_t mode);
static void abandon_thread(hctx *h, int j);

/* What the host function returns, chosen by the input (or by NEST). */
typedef struct ret {
  ebb_status_t st;
  int32_t r;       /* h0's result */
  uint64_t res[2]; /* d3's results */
} ret;

static ret make_return(hctx *h, uint8_t sel) {
  mlevel *L = &th[h->j].lv[h->li];
  ret rv = {EBB_OK, 0, {0, 0}};
  uint8_t v = byte();
  switch (sel % 12) {
  case 0:
  case 1:
  case 2:
  case 3: break;
  case 4:
    if (h->which == 0) rv.r = MAGIC;
    break;
  case 5:
  case 6: rv.st = EBB_INTERRUPTED; break;
  case 7: {
    char msg[140];
    if (v & 1) memset(msg, 'x', sizeof msg - 1), msg[sizeof msg - 1] = '\0';
    else snprintf(msg, sizeof msg, "fz-trap-%u", v);
    rv.st = ebb_host_trap(h->call, msg);
    snprintf(L->text, sizeof L->text, "%.95s", msg);
    if (rv.st != EBB_TRAP) FAIL("ebb_host_trap returned %d", rv.st);
    break;
  }
  case 8: rv.st = EBB_TRAP; break;
  case 9:
    rv.st = ebb_host_exit(h->call, v);
    L->exited = true;
    L->exit_code = v;
    if (rv.st != EBB_EXIT) FAIL("ebb_host_exit returned %d", rv.st);
    break;
  case 10: rv.st = EBB_EXIT; break;
  default: {
    static const int bogus[4] = {17, EBB_ERROR, -1, 1000};
    rv.st = (ebb_status_t)bogus[v % 4];
  }
  }
  if (rv.st == EBB_OK && rv.r != MAGIC) {
    rv.r = (int32_t)(v * 3u + (uint32_t)L->x[1]);
    rv.res[0] = (uint64_t)v << 33 | v;
    rv.res[1] = (uint32_t)(v ^ 0x5a);
  }
  return rv;
}

/* NEST: call `work` on the own thread; pass on what it did. */
static ret nest_body(hctx *h) {
  static const uint32_t zero[3] = {0, 0, 0};
  int32_t v = 0;
  ebb_status_t st = call_fn(h, h->j, F_WORK, zero, &v);
  for (int k = 0; st == EBB_INTERRUPTED && in.auto_policy == 1 && k < 8; k++)
    st = resume_thread(h, h->j, 0);
  ret rv = {EBB_OK, v + 1, {0, 0}};
  mlevel *L = &th[h->j].lv[h->li];
  switch (st) {
  case EBB_OK: break;
  case EBB_INTERRUPTED:
    if (in.auto_policy == 2) {
      abandon_thread(h, h->j);
      rv.r = 0;
    } else {
      rv.st = EBB_INTERRUPTED; /* passes the stop on (or leaves it for the runtime) */
    }
    break;
  case EBB_TRAP:
    rv.st = ebb_host_trap(h->call, "fz-deep");
    snprintf(L->text, sizeof L->text, "fz-deep");
    break;
  case EBB_EXIT:
    if (th[h->j].T) {
      rv.st = EBB_INTERRUPTED;
    } else {
      rv.st = ebb_host_exit(h->call, 77);
      L->exited = true;
      L->exit_code = 77;
    }
    break;
  default: rv.r = -1; break;
  }
  return rv;
}

static bool is_return_op(uint8_t op);

static ret script_body(hctx *h) {
  for (int k = 0; k < MAX_HOST_OPS && more(); k++) {
    uint8_t op = byte();
    in.ops++;
    if (is_return_op(op)) return make_return(h, byte());
    exec_op(h, op);
  }
  return make_return(h, 0);
}

/* The model's side of ebb__host_invoke after the host function returned. */
static void host_returned(int j, int li, const ret *rv) {
  mthread *mt = &th[j];
  mlevel *L = &mt->lv[li];
  unsigned cls = rv->st >= EBB_OK && rv->st <= EBB_INTERRUPTED ? (unsigned)rv->st : 4;
  cover(COV_RETURNS,
        cls | (L->exited || L->text[0]) << 3 | mt->T << 4 | mt->I << 5 | L->inner_stopped << 6 |
            (L->ran || (L->h_set && L->h_fired)) << 7 | (L->fn != F_WORK) << 8 |
            (mt->depth > li + 1) << 9,
        1024);
  if (L->h_set) { /* left installed: taken back */
    if (L->h_fired) L->ran = true;
    L->h_set = false;
  }
  while (mt->depth > li + 1) { /* inner calls it left stopped are abandoned */
    if (!mt->lv[mt->depth - 1].stopped) FAIL("model: a running level above a host call");
    mt->depth--;
  }
  L->in_host = false;
  bool direct = L->fn != F_WORK;
  char why[64];
  switch ((int)rv->st) {
  case EBB_OK:
    L->dl_valid = false;
    if (direct) {
      L->res[0] = rv->res[0];
      L->res[1] = rv->res[1];
      done(j, li);
    } else if (rv->r == MAGIC) {
      finish(j, li, EBB_TRAP, EBB_TRAP_UNREACHABLE, 0, NULL);
    } else {
      L->r = rv->r;
      L->phase = PH_POST;
      L->rem = safe_points(L->x[2]);
      advance(j, li);
    }
    return;
  case EBB_TRAP:
    L->dl_valid = false;
    finish(j, li, EBB_TRAP, EBB_TRAP_HOST, 0, L->text);
    return;
  case EBB_EXIT:
    L->dl_valid = false;
    if (L->exited) finish(j, li, EBB_EXIT, EBB_TRAP_NONE, L->exit_code, NULL);
    else finish(j, li, EBB_TRAP, EBB_TRAP_HOST, 0, "without ebb_host_exit");
    return;
  case EBB_INTERRUPTED:
    if (mt->T) {
      L->dl_valid = false;
      finish(j, li, EBB_EXIT, EBB_TRAP_NONE, term_code(j), NULL);
    } else if (mt->I) {
      mt->I = false;
      stop(j, li);
    } else if (L->inner_stopped) {
      L->inner_stopped = false;
      stop(j, li);
    } else if (L->ran) {
      L->ran = false;
      L->want_host = true; /* run again at once */
    } else {
      L->dl_valid = false;
      finish(j, li, EBB_TRAP, EBB_TRAP_HOST, 0, "with no stop request");
    }
    return;
  default:
    L->dl_valid = false;
    snprintf(why, sizeof why, "returned %d", (int)rv->st);
    finish(j, li, EBB_TRAP, EBB_TRAP_HOST, 0, why);
  }
}

static ebb_status_t host_fn(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  if (racing) return robust_host(call, args, results);
  hctx h = {call, -1, -1, (int)((char *)ebb_host_data(call) - host_tags), 0, 0, false};
  ebb_thread_t *t = ebb_host_thread(call);
  h.j = thread_index(t);
  if (h.j < 0) FAIL("a host function runs on a thread the model does not know");
  mthread *mt = &th[h.j];
  h.li = mt->depth - 1;
  mlevel *L = h.li >= 0 ? &mt->lv[h.li] : NULL;
  static const int fn_of[3] = {F_WORK, F_D3, F_D0};
  if (!L || !L->want_host || L->in_host || L->fn != fn_of[h.which])
    FAIL("host function %d ran on thread %d (level %d), the model expects no host call here",
         h.which, h.j, h.li);
  if (mt->owner != me) FAIL("host function on OS thread %d, the model says %d", me, mt->owner);
  /* Its arguments, now and after whatever it does. */
  uint64_t want[3] = {0, 0, 0};
  uint32_t np = h.which == 0 ? 2 : FN[fn_of[h.which]].np;
  if (h.which == 0) {
    want[0] = L->x[1];
    want[1] = L->x[0];
  } else {
    memcpy(want, L->args, np * sizeof *want);
  }
  for (uint32_t i = 0; i < np; i++) {
    uint64_t got = FN[fn_of[h.which]].p[i] == EBB_I32 || h.which == 0 ? (uint32_t)args[i] : args[i];
    if (got != want[i])
      FAIL("host function %d: argument %u is 0x%llx, the model says 0x%llx", h.which, i,
           (unsigned long long)got, (unsigned long long)want[i]);
  }
  if (ebb_host_memory(call) != (h.which == 0 ? w.mem : NULL))
    FAIL("ebb_host_memory is wrong for host function %d", h.which);
  L->want_host = false;
  L->in_host = true;
  L->hc = &h;
  /* What ebb__host_invoke resets for each run. */
  L->ran = L->inner_stopped = L->exited = L->h_set = L->h_fired = false;
  L->text[0] = '\0';
  say(depth_of(&h), "host %d on thread %d level %d", h.which, h.j, h.li);

  ret rv;
  if (in.auto_nest > 0 && h.which == 0) {
    in.auto_nest--;
    rv = nest_body(&h);
  } else {
    rv = script_body(&h);
  }
  for (uint32_t i = 0; i < np; i++) {
    uint64_t got = FN[fn_of[h.which]].p[i] == EBB_I32 || h.which == 0 ? (uint32_t)args[i] : args[i];
    if (got != want[i])
      FAIL("host function %d: argument %u changed to 0x%llx during its run", h.which, i,
           (unsigned long long)got);
  }
  if (h.counting && L->h_set && atomic_load(&h.fired) != (L->h_fired ? 1 : 0))
    FAIL("the counting handler ran %d times, the model says %d", atomic_load(&h.fired),
         L->h_fired);
  L->hc = NULL;
  say(depth_of(&h), "host %d returns %d", h.which, rv.st);
  host_returned(h.j, h.li, &rv);
  if (rv.st == EBB_OK) {
    if (h.which == 0) results[0] = (uint32_t)rv.r;
    if (h.which == 1) {
      results[0] = rv.res[0];
      results[1] = rv.res[1];
    }
  }
  return rv.st;
}

/* ---- Operations: calls ---------------------------------------------------------- */

/* A thread slot from a selector byte: 3 is the host function's own thread. */
static int pick_thread(const hctx *h, uint8_t b) {
  b %= 4;
  if (b == 3) return h ? h->j : 0;
  return b;
}

static const int FN_PICK[16] = {F_WORK, F_WORK, F_WORK, F_WORK, F_WORK, F_SPIN, F_SPIN, F_REC,
                                F_REC,  F_MIX,  F_D3,   F_D3,   F_D0,   F_D0,   F_NULL, F_ALIEN};

static ebb_func_t *func_ptr(int f) {
  if (f == F_NULL) return NULL;
  if (f == F_ALIEN) return w.alien;
  return w.f[f];
}

/* Who may call into thread j from here, ebb.h's order of refusals. 0 if
** the call may start. */
static int refusal(int j) {
  mthread *mt = &th[j];
  if (mt->owner >= 0 && mt->owner != me) return EBB_EBUSY;
  mlevel *L = top_level(j);
  if (L && L->stopped) return EBB_EBUSY;
  return 0;
}

static const ebb_valkind_t KINDS[9] = {EBB_I32,       EBB_I64,     EBB_F32,
                                       EBB_F64,       EBB_V128,    EBB_FUNCREF,
                                       EBB_EXTERNREF, (ebb_valkind_t)0x42, EBB_NOKIND};

/* The arguments of a call of f, read from the input (x given: work with
** those and nothing read). Returns true if ebb must refuse them. */
static bool make_args(int f, ebb_val_t *a, uint64_t *slots, uint32_t *x, bool given) {
  if (f >= F_NFUNCS) return true;
  const struct fninfo *fi = &FN[f];
  for (uint32_t i = 0; i < fi->np; i++) a[i].kind = fi->p[i];
  bool bad = false;
  switch (f) {
  case F_WORK:
    if (!given) {
      x[0] = LOOPS[byte() % 8];
      x[1] = byte();
      x[2] = LOOPS[byte() % 8];
    }
    for (int i = 0; i < 3; i++) a[i].of.i32 = (int32_t)x[i];
    break;
  case F_SPIN: x[0] = LOOPS[byte() % 8]; a[0].of.i32 = (int32_t)x[0]; break;
  case F_REC: x[0] = RECS[byte() % 8]; a[0].of.i32 = (int32_t)x[0]; break;
  case F_MIX: {
    uint8_t s = byte();
    a[0].of.i32 = (int8_t)byte();
    a[1].of.i64 = (int64_t)(int8_t)byte() * (1 << 20);
    a[2].of.f32 = (float)(int8_t)byte();
    a[3].of.f64 = (double)(int8_t)byte() / 4;
    a[4].of.ref = s & 1 ? (void *)(uintptr_t)(0x1000 + byte()) : NULL;
    static const int refs[4] = {-1, F_WORK, F_D0, F_ALIEN};
    int rf = refs[(s >> 1) % 4];
    a[5].of.func = rf < 0 ? NULL : func_ptr(rf);
    if (rf == F_ALIEN) bad = true;
    break;
  }
  case F_D3:
    a[0].of.i32 = (int32_t)(byte() * 0x01010101u);
    a[1].of.i64 = (int64_t)byte() << 40 | byte();
    a[2].of.f64 = (double)byte() + 0.5;
    break;
  default: break;
  }
  for (uint32_t i = 0; i < fi->np; i++) slots[i] = val_slot(&a[i]);
  return bad;
}

/* ebb_call(thread j, f) from here, checked against the model; the outcome,
** and for work its i32 result in *result. x: work's arguments (NULL: read
** them and the way to pass them from the input). */
static ebb_status_t call_fn(hctx *h, int j, int f, const uint32_t *given, int32_t *result) {
  uint8_t mode = given ? 0 : byte();
  ebb_thread_t *t = th[j].t;
  ebb_func_t *fp = func_ptr(f);
  uint32_t np = f < F_NFUNCS ? FN[f].np : 1, nr = f < F_NFUNCS ? FN[f].nr : 1;
  /* Exactly sized, so that ASan sees a read or write past them. */
  ebb_val_t *args = malloc((np ? np : 1) * sizeof *args);
  ebb_val_t *res = malloc((nr ? nr : 1) * sizeof *res);
  uint64_t slots[6] = {0};
  uint32_t x[3] = {0, 0, 0};
  if (given) memcpy(x, given, sizeof x);
  bool bad = make_args(f, args, slots, x, given != NULL);
  const ebb_val_t *pass = args;
  if (mode & 0x20) pass = NULL; /* args NULL: wrong unless there are none */
  if (np && (mode & 0x1c) == 0x1c) { /* one argument of a wrong kind */
    uint32_t i = byte() % np;
    ebb_valkind_t k = KINDS[byte() % 9];
    if (k == args[i].kind) k = (ebb_valkind_t)0x42;
    args[i].kind = k;
    bad = true;
  }
  if (!pass && np) bad = true;
  ebb_val_t *res_arg = mode & 0x40 ? NULL : res;
  ebb_outcome_t o, *op = mode & 0x80 ? NULL : &o;

  expect ex = {0};
  int err = 0;
  if (!t || !fp || f == F_ALIEN || bad) err = EBB_EARG;
  else err = refusal(j);
  say(depth_of(h), "call thread %d %s(%u %u %u) mode %02x%s", j,
      f < F_NFUNCS ? FN[f].name : f == F_NULL ? "NULL" : "alien", x[0], x[1], x[2], mode,
      err ? " (refused)" : "");
  bool entered = false;
  if (err) {
    ex.done = true;
    ex.st = EBB_ERROR;
    ex.error = err;
  } else if (th[j].depth == MAX_LEVELS) {
    ex.done = true;
    ex.st = EBB_TRAP;
    ex.trap = EBB_TRAP_STACK_EXHAUSTED;
  } else {
    mthread *mt = &th[j];
    int li = mt->depth++;
    mlevel *L = &mt->lv[li];
    memset(L, 0, sizeof *L);
    L->fn = f;
    L->ex = &ex;
    memcpy(L->x, x, sizeof x);
    memcpy(L->args, slots, sizeof slots);
    switch (f) {
    case F_WORK: L->phase = PH_PRE; L->rem = safe_points(x[0]); break;
    case F_SPIN: L->phase = PH_LOOP; L->rem = safe_points(x[0]); break;
    case F_REC: L->phase = PH_LOOP; L->rem = x[0]; break;
    case F_MIX: L->phase = PH_PLAIN; break;
    default: L->phase = PH_HOST; break;
    }
    if (mt->owner < 0) {
      mt->owner = me;
      entered = true;
    }
    /* A guest function's entry is a safe point of a call from the host:
    ** a pending request stops it before its first instruction (resumed, it
    ** runs from there). Host functions called directly look for themselves. */
    bool guest = f == F_WORK || f == F_SPIN || f == F_REC || f == F_MIX;
    if (guest && mt->T) finish(j, li, EBB_EXIT, EBB_TRAP_NONE, term_code(j), NULL);
    else if (guest && mt->I) {
      mt->I = false;
      stop(j, li);
    } else {
      advance(j, li);
    }
  }
  ebb_status_t st = ebb_call(t, fp, pass, res_arg, op);
  if (entered) th[j].owner = -1;
  say(depth_of(h), "call thread %d %s -> %s %s", j, f < F_NFUNCS ? FN[f].name : "-",
      status_name(st), op ? o.message : "");
  check_call("ebb_call", j, &ex, st, op, f < F_NFUNCS ? f : -1, res_arg);
  if (result) *result = st == EBB_OK && f == F_WORK ? res[0].of.i32 : 0;
  free(args);
  free(res);
  return st;
}

/* ebb_call_resume(thread j) from here. */
static ebb_status_t resume_thread(hctx *h, int j, uint8_t mode) {
  ebb_thread_t *t = th[j].t;
  mlevel *L = t ? top_level(j) : NULL;
  int fn = L && L->stopped ? L->fn : -1;
  uint32_t nr = fn >= 0 ? FN[fn].nr : 1;
  ebb_val_t *res = malloc((nr ? nr : 1) * sizeof *res);
  ebb_val_t *res_arg = mode & 0x40 ? NULL : res;
  ebb_outcome_t o, *op = mode & 0x80 ? NULL : &o;
  expect ex = {0};
  bool entered = false;
  if (!t) {
    ex.done = true, ex.st = EBB_ERROR, ex.error = EBB_EARG;
  } else if (th[j].owner >= 0 && th[j].owner != me) {
    ex.done = true, ex.st = EBB_ERROR, ex.error = EBB_EBUSY;
  } else if (fn < 0) {
    ex.done = true, ex.st = EBB_ERROR, ex.error = EBB_EARG;
  } else {
    int li = th[j].depth - 1;
    L->stopped = false;
    if (li > 0) th[j].lv[li - 1].inner_stopped = false;
    L->ex = &ex;
    if (th[j].owner < 0) {
      th[j].owner = me;
      entered = true;
    }
    advance(j, li);
  }
  say(depth_of(h), "resume thread %d%s", j, ex.done && ex.st == EBB_ERROR ? " (refused)" : "");
  ebb_status_t st = ebb_call_resume(t, res_arg, op);
  if (entered) th[j].owner = -1;
  say(depth_of(h), "resume thread %d -> %s %s", j, status_name(st), op ? o.message : "");
  check_call("ebb_call_resume", j, &ex, st, op, fn, res_arg);
  free(res);
  return st;
}

static void abandon_thread(hctx *h, int j) {
  ebb_thread_t *t = th[j].t;
  mlevel *L = t ? top_level(j) : NULL;
  int want;
  if (!t) want = EBB_EARG;
  else if (th[j].owner >= 0 && th[j].owner != me) want = EBB_EBUSY;
  else if (!L || !L->stopped) want = EBB_EARG;
  else want = 0;
  int rc = ebb_call_abandon(t);
  say(depth_of(h), "abandon thread %d -> %d", j, rc);
  if (rc != want) FAIL("ebb_call_abandon(thread %d) returned %d, the model says %d", j, rc, want);
  if (rc == 0) pop(j);
}

/* ---- Operations: threads and groups ------------------------------------------- */

static void thread_op(hctx *h, int j) {
  mthread *mt = &th[j];
  if (!mt->t) {
    mt->t = ebb_thread_new(w.store);
    if (!mt->t) FAIL("ebb_thread_new failed");
    mt->group = -1;
    mt->I = mt->T = false;
    mt->owner = -1;
    mt->depth = 0;
    say(depth_of(h), "thread %d new", j);
    return;
  }
  if (mt->owner >= 0) return; /* a call runs on it: deleting it is forbidden */
  say(depth_of(h), "thread %d delete (group %d, depth %d)", j, mt->group, mt->depth);
  ebb_thread_delete(mt->t);
  if (mt->group >= 0) gr[mt->group].members--;
  mt->t = NULL;
}

static void group_op(hctx *h, int k, uint8_t b) {
  mgroup *g = &gr[k];
  if (!g->g) {
    static const uint32_t maxes[4] = {1, 2, 3, 0};
    g->max = maxes[b % 4];
    g->g = ebb_group_new(g->max);
    if (!g->g) FAIL("ebb_group_new failed");
    if (!g->max) g->max = 1024;
    g->members = 0;
    g->ended = false;
    g->code = 0; /* what a terminated member that joins it exits with */
    g->msg[0] = '\0';
    say(depth_of(h), "group %d new (max %u)", k, g->max);
    return;
  }
  if (g->members) return; /* deleting a group with members aborts */
  say(depth_of(h), "group %d delete", k);
  ebb_group_delete(g->g);
  g->g = NULL;
}

static void group_add(hctx *h, int k, int j) {
  mgroup *g = &gr[k];
  mthread *mt = &th[j];
  int want;
  if (!g->g || !mt->t) want = EBB_EARG;
  else if (mt->group >= 0) want = EBB_EBUSY;
  else if (g->ended) want = EBB_EBUSY;
  else if (g->members >= g->max) want = EBB_ELIMIT;
  else want = 0;
  int rc = ebb_group_add(g->g, mt->t);
  say(depth_of(h), "group %d add thread %d -> %d", k, j, rc);
  if (rc != want) FAIL("ebb_group_add(group %d, thread %d) returned %d, the model says %d", k, j,
                       rc, want);
  if (rc == 0) {
    mt->group = k;
    g->members++;
  }
}

static void group_remove(hctx *h, int k, int j) {
  mgroup *g = &gr[k];
  mthread *mt = &th[j];
  if (mt->t && mt->owner >= 0 && mt->owner != me) return; /* forbidden */
  say(depth_of(h), "group %d remove thread %d", k, j);
  ebb_group_remove(g->g, mt->t);
  if (g->g && mt->t && mt->group == k) {
    mt->group = -1;
    g->members--;
    if (mt->depth == 0) mt->T = false;
  }
}

static void group_end(hctx *h, int k, uint8_t b) {
  mgroup *g = &gr[k];
  static const ebb_end_reason_t reasons[4] = {EBB_END_EXIT, EBB_END_TRAP, EBB_END_TIMEOUT,
                                              EBB_END_SIGNAL};
  char msg[24];
  snprintf(msg, sizeof msg, "end-%u", b);
  int code = b % 7 == 0 ? 0 : b;
  say(depth_of(h), "group %d end %d", k, code);
  ebb_group_end(g->g, reasons[b % 4], code, msg);
  if (!g->g || g->ended) return;
  g->ended = true;
  g->reason = reasons[b % 4];
  g->code = code;
  snprintf(g->msg, sizeof g->msg, "%s", msg);
  for (int j = 0; j < NTHREADS; j++)
    if (th[j].t && th[j].group == k) request(j, true);
}

static void group_join(hctx *h, int k) {
  mgroup *g = &gr[k];
  int want = g->g ? 0 : EBB_EARG;
  for (int j = 0; g->g && j < NTHREADS; j++)
    if (th[j].t && th[j].group == k && th[j].owner == me) want = EBB_EBUSY;
  int rc = ebb_group_join(g->g);
  say(depth_of(h), "group %d join -> %d", k, rc);
  if (rc != want) FAIL("ebb_group_join(group %d) returned %d, the model says %d", k, rc, want);
}

/* ---- Operations inside a host function ----------------------------------------- */

static void handler_op(hctx *h, uint8_t b) {
  mthread *mt = &th[h->j];
  mlevel *L = &mt->lv[h->li];
  if (b & 1) { /* clear */
    bool ran = L->h_set && L->h_fired;
    int want = ran || mt->I || mt->T ? EBB_EINTR : 0;
    if (L->h_set && h->counting && atomic_load(&h->fired) != (L->h_fired ? 1 : 0))
      FAIL("the counting handler ran %d times before it was cleared, the model says %d",
           atomic_load(&h->fired), L->h_fired);
    int rc = ebb_host_clear_interrupt_handler(h->call);
    say(depth_of(h), "clear handler -> %d", rc);
    if (rc != want) FAIL("ebb_host_clear_interrupt_handler returned %d, the model says %d", rc,
                         want);
    if (L->h_set) {
      if (L->h_fired) L->ran = true;
      L->h_set = false;
    }
    return;
  }
  int kind = (b >> 1) % 4; /* 0, 1: counting; 2: ebb_interrupt_cond; 3: NULL */
  int want;
  if (kind == 3 || L->h_set) want = EBB_EARG;
  else if (mt->I || mt->T) want = EBB_EINTR;
  else want = 0;
  int rc;
  if (kind == 3) {
    rc = ebb_host_set_interrupt_handler(h->call, NULL, NULL);
  } else if (kind == 2) {
    rc = ebb_host_set_interrupt_handler(h->call, ebb_interrupt_cond, &cond_wake);
  } else {
    if (!L->h_set) atomic_store(&h->fired, 0);
    rc = ebb_host_set_interrupt_handler(h->call, counting_handler, h);
  }
  say(depth_of(h), "set handler %d -> %d", kind, rc);
  if (rc != want) FAIL("ebb_host_set_interrupt_handler returned %d, the model says %d", rc,
                       want);
  if (rc == 0) {
    L->h_set = true;
    L->h_fired = false;
    h->counting = kind < 2;
  }
}

/* Deadlines, sleeping and polling, and ebb_host_stop_requested. */
static void wait_op(hctx *h, uint8_t b) {
  mthread *mt = &th[h->j];
  mlevel *L = &mt->lv[h->li];
  bool stop = mt->I || mt->T;
  if (ebb_host_stop_requested(h->call) != stop)
    FAIL("ebb_host_stop_requested is %d, the model says %d", !stop, stop);
  static const int64_t timeouts[4] = {0, 1000, 100000, -1};
  int64_t to = timeouts[(b >> 2) % 4];
  int64_t before = ebb_now_ns();
  int64_t d = ebb_host_deadline(h->call, to);
  int64_t after = ebb_now_ns();
  if (L->dl_valid) {
    if (d != L->dl)
      FAIL("ebb_host_deadline gave %lld, not the deadline this host call had (%lld)",
           (long long)d, (long long)L->dl);
  } else {
    bool ok = to < 0 ? d == INT64_MAX : d >= before + to && d <= after + to;
    if (!ok) FAIL("ebb_host_deadline(%lld) gave %lld at %lld", (long long)to, (long long)d,
                  (long long)before);
    L->dl_valid = true;
    L->dl = d;
  }
  if (b % 4 == 0) return;
  /* Wait only when it is short, or a request makes it end at once. */
  if (!stop && (d == INT64_MAX || d > ebb_now_ns() + 200000)) return;
  int rc = b % 4 == 1 ? ebb_host_sleep_until(h->call, d) : ebb_host_poll(h->call, NULL, 0, d);
  say(depth_of(h), "wait -> %d", rc);
  if (rc != (stop ? EBB_EINTR : 0))
    FAIL("a host wait returned %d, the model says %d", rc, stop ? EBB_EINTR : 0);
  if (!stop && ebb_now_ns() < d) FAIL("a host wait returned before its deadline");
}

/* ebb_host_exit / ebb_host_trap called before more work, not at the return. */
static void early_op(hctx *h, uint8_t b) {
  mlevel *L = &th[h->j].lv[h->li];
  if (b & 1) {
    if (ebb_host_exit(h->call, b) != EBB_EXIT) FAIL("ebb_host_exit did not return EBB_EXIT");
    L->exited = true;
    L->exit_code = b;
  } else {
    char msg[32];
    snprintf(msg, sizeof msg, "fz-early-%u", b);
    if (ebb_host_trap(h->call, msg) != EBB_TRAP) FAIL("ebb_host_trap did not return EBB_TRAP");
    snprintf(L->text, sizeof L->text, "%s", msg);
  }
}

/* ---- Another OS thread ---------------------------------------------------------- */

/* The helper runs the operations it is handed while the hander waits, so
** what it does is as deterministic as if the hander did it itself. */
static struct {
  pthread_mutex_t m;
  pthread_cond_t c;
  int state; /* 0 idle, 1 work handed over, 2 done */
  int nops;
} helper = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void *helper_main(void *arg) {
  (void)arg;
  me = OS_HELPER;
  pthread_mutex_lock(&helper.m);
  for (;;) {
    while (helper.state != 1) pthread_cond_wait(&helper.c, &helper.m);
    pthread_mutex_unlock(&helper.m);
    for (int k = 0; k < helper.nops && more(); k++) {
      uint8_t op = byte();
      in.ops++;
      exec_op(NULL, op);
    }
    pthread_mutex_lock(&helper.m);
    helper.state = 2;
    pthread_cond_broadcast(&helper.c);
  }
  return NULL;
}

static pthread_once_t helper_once = PTHREAD_ONCE_INIT;
static void helper_start(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, helper_main, NULL)) FAIL("cannot start the helper");
  pthread_detach(t);
}

static struct timespec deadline_in(unsigned ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
  return ts;
}

static void remote(hctx *h, int n) {
  if (me != OS_MAIN) return;
  pthread_once(&helper_once, helper_start);
  say(depth_of(h), "remote %d ops {", n);
  pthread_mutex_lock(&helper.m);
  helper.nops = n;
  helper.state = 1;
  pthread_cond_broadcast(&helper.c);
  struct timespec until = deadline_in(WAIT_MS);
  while (helper.state != 2)
    if (pthread_cond_timedwait(&helper.c, &helper.m, &until) == ETIMEDOUT)
      FAIL("the helper OS thread did not finish its operations in %d ms", WAIT_MS);
  helper.state = 0;
  pthread_mutex_unlock(&helper.m);
  say(depth_of(h), "} remote");
}

/* ---- Real races ---------------------------------------------------------------- */

/* EPISODE: `work` calls on one thread, driven to their end by resuming,
** while a racer OS thread interrupts it, ends its group, or competes for
** it. The host functions then run robust_host, which uses no input and
** does only what is right whatever the timing. Checked: each call ends with
** exactly the guest's result, or EBB_EXIT with the group's code when the
** group was ended; a call stops no more often than it was asked to; a
** refusal is EBB_EBUSY (or EBB_EARG for "nothing stopped"); nothing traps. */
enum { RACE_HAMMER, RACE_END, RACE_CONTEND };
enum { RH_NEST = 1, RH_PASS = 2, RH_COND = 4, RH_SLEEP = 8 };

static struct {
  int kind, host_mode, nest;
  ebb_thread_t *t;
  ebb_group_t *g;
  int n;               /* interrupts the hammer sends */
  unsigned gap_ns, end_after_ns;
  int code;
  bool may_exit;       /* the thread is terminated, or its group is ended meanwhile */
  atomic_int done;     /* the main OS thread has finished its calls */
  atomic_int sent;     /* interrupts sent so far */
} race;

static uint32_t work_result(uint32_t pre, uint32_t a, uint32_t post) {
  return (a * 3u + 1u) * 7u + hash_loop(hash_loop(1, pre, 31), post, 37);
}

static void spin_ns(unsigned ns) {
  int64_t until = ebb_now_ns() + ns;
  while (ebb_now_ns() < until) sched_yield();
}

/* Run work(pre, a, post) on t to its end: resume (or abandon and call again)
** after each stop. Returns EBB_OK with *r, or EBB_EXIT with *r the code. */
static ebb_status_t race_call(ebb_thread_t *t, uint32_t pre, uint32_t a, uint32_t post,
                              bool abandon, bool nested, int32_t *r) {
  ebb_val_t args[3] = {{.kind = EBB_I32, .of.i32 = (int32_t)pre},
                       {.kind = EBB_I32, .of.i32 = (int32_t)a},
                       {.kind = EBB_I32, .of.i32 = (int32_t)post}};
  ebb_val_t res;
  ebb_outcome_t o;
  int stops = 0;
  int64_t give_up = ebb_now_ns() + (int64_t)WAIT_MS * 1000000;
  ebb_status_t st = ebb_call(t, w.f[F_WORK], args, &res, &o);
  for (;;) {
    if (st == EBB_ERROR) {
      /* Only a racer inside the thread refuses us, for a moment. */
      if (nested || race.kind != RACE_CONTEND || o.error != EBB_EBUSY)
        FAIL("race: a call was refused: %s (%s)", o.message, ebb_strerror(o.error));
      if (ebb_now_ns() > give_up) FAIL("race: the thread stayed busy for %d ms", WAIT_MS);
      sched_yield();
      st = stops ? ebb_call_resume(t, &res, &o) : ebb_call(t, w.f[F_WORK], args, &res, &o);
      continue;
    }
    if (st != EBB_INTERRUPTED) break;
    if (++stops > race.n + 8)
      FAIL("race: %d stops for at most %d interrupts", stops, race.n + 1);
    if (nested && (race.host_mode & RH_PASS)) return EBB_INTERRUPTED;
    if (abandon && !nested) {
      int rc = ebb_call_abandon(t);
      if (rc) FAIL("race: ebb_call_abandon returned %d", rc);
      stops = 0;
      st = ebb_call(t, w.f[F_WORK], args, &res, &o);
    } else {
      st = ebb_call_resume(t, &res, &o);
    }
  }
  if (st == EBB_OK) {
    if ((uint32_t)res.of.i32 != work_result(pre, a, post))
      FAIL("race: work(%u, %u, %u) = %u after %d stops, not %u", pre, a, post,
           (uint32_t)res.of.i32, stops, work_result(pre, a, post));
    *r = res.of.i32;
    return st;
  }
  if (st == EBB_EXIT && race.may_exit) {
    if (o.exit_code != race.code)
      FAIL("race: exit code %d, the group's is %d", o.exit_code, race.code);
    *r = o.exit_code;
    return st;
  }
  FAIL("race: work(%u, %u, %u) ended %s: %s", pre, a, post, status_name(st), o.message);
}

static ebb_status_t robust_host(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  ebb_thread_t *t = ebb_host_thread(call);
  uint32_t a = (uint32_t)args[0];
  if (ebb_host_data(call) != &host_tags[0]) FAIL("race: a direct host function ran");
  if ((race.host_mode & RH_NEST) && race.nest < 2) {
    race.nest++;
    int32_t v;
    ebb_status_t st = race_call(t, 20, a + 1, 7, false, true, &v);
    race.nest--;
    if (st == EBB_INTERRUPTED) return EBB_INTERRUPTED; /* pass it on */
    if (st == EBB_EXIT) {
      if (!ebb_host_stop_requested(call)) FAIL("race: an inner call exited, no stop pending");
      return EBB_INTERRUPTED;
    }
  }
  if (race.host_mode & RH_COND) {
    if (ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &cond_wake))
      return EBB_INTERRUPTED;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100000;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&cond_m);
    while (!ebb_host_stop_requested(call))
      if (pthread_cond_timedwait(&cond_c, &cond_m, &until) == ETIMEDOUT) break;
    pthread_mutex_unlock(&cond_m);
    if (ebb_host_clear_interrupt_handler(call)) return EBB_INTERRUPTED;
  }
  if (race.host_mode & RH_SLEEP) {
    if (ebb_host_sleep_until(call, ebb_host_deadline(call, 50000)) == EBB_EINTR)
      return EBB_INTERRUPTED;
  }
  results[0] = a * 3u + 1u;
  return EBB_OK;
}

static void *racer_main(void *arg) {
  (void)arg;
  me = OS_RACER;
  switch (race.kind) {
  case RACE_HAMMER:
    for (int i = 0; i < race.n && !atomic_load(&race.done); i++) {
      ebb_thread_interrupt(race.t);
      atomic_fetch_add(&race.sent, 1);
      spin_ns(race.gap_ns);
    }
    break;
  case RACE_END:
    spin_ns(race.end_after_ns);
    for (int i = 0; i < 3; i++) ebb_group_end(race.g, EBB_END_SIGNAL, race.code, "race");
    break;
  case RACE_CONTEND: {
    ebb_val_t arg3 = {.kind = EBB_I32, .of.i32 = 3}, r;
    ebb_outcome_t o;
    while (!atomic_load(&race.done)) {
      ebb_status_t st = ebb_call(race.t, w.f[F_SPIN], &arg3, &r, &o);
      if (st == EBB_OK && (uint32_t)r.of.i32 != hash_loop(1, 3, 31))
        FAIL("race: spin(3) = %d on the racer", r.of.i32);
      if (st != EBB_OK && !(st == EBB_ERROR && o.error == EBB_EBUSY))
        FAIL("race: the racer's call ended %s: %s", status_name(st), o.message);
      st = ebb_call_resume(race.t, &r, &o);
      if (st != EBB_ERROR || (o.error != EBB_EBUSY && o.error != EBB_EARG))
        FAIL("race: the racer's resume ended %s: %s", status_name(st), o.message);
      int rc = ebb_call_abandon(race.t);
      if (rc != EBB_EBUSY && rc != EBB_EARG) FAIL("race: the racer's abandon returned %d", rc);
      spin_ns(race.gap_ns);
    }
    break;
  }
  }
  return NULL;
}

static void episode(int j, uint8_t b) {
  mthread *mt = &th[j];
  if (!mt->t || mt->depth || mt->owner >= 0 || in.episodes >= MAX_EPISODES) return;
  static const uint32_t loops[8] = {0, 1, 3, 20, 50, 300, 1000, 2000};
  int kind = b % 3;
  if (kind == RACE_END && mt->group < 0) kind = RACE_HAMMER;
  if (kind == RACE_CONTEND && (mt->I || mt->T)) kind = RACE_HAMMER;
  memset(&race, 0, sizeof race);
  race.kind = kind;
  race.t = mt->t;
  race.host_mode = byte() % 16;
  race.n = 1 + byte() % 64;
  race.gap_ns = (byte() % 16) * 1000u;
  race.end_after_ns = byte() * 4000u;
  race.code = 1 + byte() % 100;
  if (kind == RACE_END) race.g = gr[mt->group].g;
  race.may_exit = kind == RACE_END || mt->T;
  if (mt->T || (mt->group >= 0 && gr[mt->group].ended)) race.code = term_code(j);
  if (kind != RACE_HAMMER) race.n = mt->I ? 1 : 0; /* the only interrupt there may be */
  int calls = 1 + byte() % 3;
  uint8_t shape[3][4];
  for (int i = 0; i < calls; i++)
    for (int k = 0; k < 4; k++) shape[i][k] = byte();
  say(0, "episode %d on thread %d host mode %x n %d", kind, j, race.host_mode, race.n);
  in.episodes++;
  racing = true;
  pthread_t racer;
  if (pthread_create(&racer, NULL, racer_main, NULL)) FAIL("cannot start the racer");
  bool exited = false;
  for (int i = 0; i < calls && !exited; i++) {
    int32_t v;
    ebb_status_t st = race_call(mt->t, loops[shape[i][0] % 8], shape[i][1],
                                loops[shape[i][2] % 8], shape[i][3] & 1, false, &v);
    exited = st == EBB_EXIT;
  }
  atomic_store(&race.done, 1);
  pthread_join(racer, NULL);
  racing = false;
  if (ebb_thread_has_stopped_call(mt->t)) FAIL("race: a call is left stopped");
  /* Back to a state the model knows: the group has ended (if it was to),
  ** and an interrupt is pending (whether the last one was consumed or not). */
  if (kind == RACE_END) {
    mgroup *g = &gr[mt->group];
    if (!g->ended) {
      g->ended = true;
      g->reason = EBB_END_SIGNAL;
      g->code = race.code;
      snprintf(g->msg, sizeof g->msg, "race");
      for (int k = 0; k < NTHREADS; k++)
        if (th[k].t && th[k].group == mt->group) th[k].T = true;
    }
  }
  if (kind != RACE_CONTEND) {
    ebb_thread_interrupt(mt->t);
    mt->I = true;
  }
}

/* ---- The operation dispatcher -------------------------------------------------- */

enum op {
  OP_CALL,
  OP_RESUME,
  OP_ABANDON,
  OP_INTERRUPT,
  OP_THREAD,
  OP_GROUP,
  OP_ADD,
  OP_REMOVE,
  OP_END,
  OP_JOIN,
  OP_REMOTE,
  OP_NEST,
  OP_EPISODE,
  OP_HANDLER, /* host functions only, from here on */
  OP_WAIT,
  OP_EARLY,
  OP_RETURN,
};

/* Opcode bytes, weighted: calls and returns are what the rest is about. */
static const uint8_t OPS[32] = {
    OP_CALL,   OP_CALL,    OP_CALL,   OP_CALL,   OP_CALL,    OP_RESUME, OP_RESUME, OP_RESUME,
    OP_ABANDON, OP_ABANDON, OP_INTERRUPT, OP_INTERRUPT, OP_INTERRUPT, OP_THREAD, OP_GROUP,
    OP_ADD,    OP_ADD,     OP_REMOVE, OP_END,    OP_END,     OP_JOIN,   OP_REMOTE, OP_REMOTE,
    OP_NEST,   OP_EPISODE, OP_HANDLER, OP_HANDLER, OP_WAIT,  OP_WAIT,   OP_EARLY,  OP_RETURN,
    OP_RETURN,
};

static bool is_return_op(uint8_t op) { return OPS[op % 32] == OP_RETURN; }

static void exec_op(hctx *h, uint8_t opb) {
  int op = OPS[opb % 32];
  uint8_t a = byte();
  int j = pick_thread(h, a), k = (a >> 2) % NGROUPS;
  cover(COV_OPS, (unsigned)op | thread_sig(j) << 5 | (h != NULL) << 14, 1u << 15);
  switch (op) {
  case OP_CALL: call_fn(h, j, FN_PICK[(a >> 2) % 16], NULL, NULL); break;
  case OP_RESUME: resume_thread(h, j, a); break;
  case OP_ABANDON: abandon_thread(h, j); break;
  case OP_INTERRUPT:
    say(depth_of(h), "interrupt thread %d", j);
    ebb_thread_interrupt(th[j].t);
    if (th[j].t) request(j, false);
    break;
  case OP_THREAD: thread_op(h, j); break;
  case OP_GROUP: group_op(h, k, a >> 3); break;
  case OP_ADD: group_add(h, k, j); break;
  case OP_REMOVE: group_remove(h, k, j); break;
  case OP_END: group_end(h, k, byte()); break;
  case OP_JOIN: group_join(h, k); break;
  case OP_REMOTE: remote(h, 1 + (a >> 2) % MAX_REMOTE_OPS); break;
  case OP_NEST: {
    static const uint32_t zero[3] = {0, 0, 0};
    in.auto_nest = (a >> 2) % 4 == 3 ? MAX_LEVELS + 2 : 1 + byte() % (MAX_LEVELS + 4);
    in.auto_policy = (a >> 4) % 3;
    say(depth_of(h), "nest %d policy %d", in.auto_nest, in.auto_policy);
    call_fn(h, j, F_WORK, zero, NULL);
    in.auto_nest = 0;
    break;
  }
  case OP_EPISODE:
    if (!h && me == OS_MAIN) episode(j, a >> 2);
    break;
  case OP_HANDLER:
    if (h) handler_op(h, a);
    break;
  case OP_WAIT:
    if (h) wait_op(h, a);
    break;
  case OP_EARLY:
    if (h) early_op(h, a);
    break;
  default: break; /* OP_RETURN at the top: nothing */
  }
  check_world();
}

/* ---- One input ------------------------------------------------------------------- */

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  (void)data;
  if (kind != EBB_EXTERN_FUNC || strcmp(module, "host") || strcmp(name, "h0"))
    return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  ebb_valkind_t p[2] = {EBB_I32, EBB_I32}, r = EBB_I32;
  out->of.func = ebb_func_new_host(w.store, p, 2, &r, 1, host_fn, &host_tags[0]);
  return out->of.func ? 0 : EBB_ENOMEM;
}

static ebb_status_t alien_fn(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  FAIL("a function of another store ran");
}

static void setup_once(void) {
  trace = getenv("FUZZ_API_TRACE") != NULL;
  ebb_error_t err = {0, ""};
  if (ebb_module_new(fuzz_api_wasm, sizeof fuzz_api_wasm, &w.module, &err))
    FAIL("fuzz_api.wat does not load: %s", err.message);
  w.other = ebb_store_new(NULL);
  w.alien = ebb_func_new_host(w.other, NULL, 0, NULL, 0, alien_fn, NULL);
  if (!w.other || !w.alien) FAIL("cannot make the other store");
}

static ebb_func_t *export_func(const char *name) {
  ebb_extern_t e;
  if (ebb_instance_export(w.inst, name, &e) || e.kind != EBB_EXTERN_FUNC)
    FAIL("no export %s", name);
  return e.of.func;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, setup_once);
  me = OS_MAIN;
  memset(&in, 0, sizeof in);
  in.p = data;
  in.n = size;
  memset(th, 0, sizeof th);
  memset(gr, 0, sizeof gr);

  w.store = ebb_store_new(&LIMITS);
  if (!w.store) FAIL("ebb_store_new failed");
  ebb_error_t err = {0, ""};
  memset(w.f, 0, sizeof w.f);
  if (ebb_instance_new(w.store, w.module, resolve, NULL, &w.inst, &err))
    FAIL("instantiation failed: %s", err.message);
  w.f[F_WORK] = export_func("work");
  w.f[F_SPIN] = export_func("spin");
  w.f[F_REC] = export_func("rec");
  w.f[F_MIX] = export_func("mix");
  ebb_extern_t e;
  if (ebb_instance_export(w.inst, "memory", &e) || e.kind != EBB_EXTERN_MEMORY)
    FAIL("no memory export");
  w.mem = e.of.memory;
  ebb_valkind_t p3[3] = {EBB_I32, EBB_I64, EBB_F64}, r3[2] = {EBB_I64, EBB_I32};
  w.f[F_D3] = ebb_func_new_host(w.store, p3, 3, r3, 2, host_fn, &host_tags[1]);
  w.f[F_D0] = ebb_func_new_host(w.store, NULL, 0, NULL, 0, host_fn, &host_tags[2]);
  for (int j = 0; j < NTHREADS; j++) {
    th[j].owner = -1;
    th[j].group = -1;
  }
  /* Two threads to start with; the program makes and deletes the rest. */
  thread_op(NULL, 0);
  thread_op(NULL, 1);

  while (more()) {
    uint8_t op = byte();
    in.ops++;
    exec_op(NULL, op);
  }

  /* Teardown in a legal order: threads (leaving their groups, abandoning
  ** stopped calls), then groups, then the store. */
  for (int j = 0; j < NTHREADS; j++)
    if (th[j].t) thread_op(NULL, j);
  for (int k = 0; k < NGROUPS; k++)
    if (gr[k].g) {
      if (gr[k].members) FAIL("model: group %d has members after its threads went", k);
      group_op(NULL, k, 0);
    }
  ebb_store_delete(w.store);
  w.store = NULL;
  return 0;
}
