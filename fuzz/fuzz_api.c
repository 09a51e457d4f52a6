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
**
** This file runs the program: the world, the input, host_fn, the
** operations, the helper OS thread. fuzz_api_model.c is the model and its
** checks; fuzz_api_race.c the racing episodes; fuzz_api.h what they share.
*/
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_api.h"
#include "fuzz_api.wat.h"

/* Small stacks (mapped and unmapped with every thread): room for
** EBB_MAX_NESTED_CALLS levels of `work` and rec(100) above them, and
** rec(BIG_REC) still exhausts them. */
static const ebb_limits_t LIMITS = {
    .max_memory_pages = 16,
    .max_call_depth = 256,
    .value_stack_slots = 4096,
};

/* ---- The world and the model's state -------------------------------------------- */

const struct fninfo FN[F_NFUNCS] = {
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

char host_tags[3];
world w;
mthread th[NTHREADS];
mgroup gr[NGROUPS];
_Thread_local int me;
input in;
bool trace, racing;
uint8_t state_cov[COV_SIZE] __attribute__((section("__libfuzzer_extra_counters"), used));

/* ---- The input ------------------------------------------------------------------- */

uint8_t byte(void) { return in.i < in.n ? in.p[in.i++] : 0; }
bool more(void) { return in.i < in.n && in.ops < MAX_OPS; }

void say(int depth, const char *fmt, ...) {
  if (!trace) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "[%d] %*s", me, 2 * depth, "");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
}

/* ---- Host functions ------------------------------------------------------------ */

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
    entered_call(j, li, f == F_WORK || f == F_SPIN || f == F_REC || f == F_MIX);
  }
  ebb_status_t st = ebb_call(t, fp, pass, res_arg, op);
  if (entered) th[j].owner = -1;
  say(depth_of(h), "call thread %d %s -> %s %s", j, f < F_NFUNCS ? FN[f].name : "-",
      status_name(st), op ? o.message : "");
  model_check_call("ebb_call", j, &ex, st, op, f < F_NFUNCS ? f : -1, res_arg);
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
  model_check_call("ebb_call_resume", j, &ex, st, op, fn, res_arg);
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
  if (rc == 0) model_pop(j);
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
