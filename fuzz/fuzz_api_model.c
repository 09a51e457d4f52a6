/*
** fuzz_api_model.c -- fuzz_api's model of ebb.h: what a guest call does
** from where it is (its safe points, its host call, its end), what the
** runtime does with a host function's status, what a request does to a
** thread; and the checks of every outcome against it.
*/
#include <stdio.h>
#include <string.h>

#include "fuzz_api.h"

/* ---- Model: predicting what a guest call does ------------------------------ */

uint32_t safe_points(uint32_t turns) { return turns ? turns - 1 : 0; }

uint32_t hash_loop(uint32_t acc, uint32_t n, uint32_t mul) {
  for (; n; n--) acc = acc * mul + n;
  return acc;
}

/* The exit code a termination request ends a call with. */
int term_code(int j) { return th[j].group >= 0 ? gr[th[j].group].code : 0; }

mlevel *top_level(int j) { return th[j].depth ? &th[j].lv[th[j].depth - 1] : NULL; }

/* The thread's outermost call is over. A termination request left by a
** group it has since left is spent: ebb.h, ebb_group_end, "a member's later
** calls end with EBB_EXIT ... until it leaves the group". */
static void call_over(int j) {
  mthread *mt = &th[j];
  if (mt->depth == 0 && mt->T && !(mt->group >= 0 && gr[mt->group].ended)) mt->T = false;
}

void model_pop(int j) {
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
  model_pop(j);
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
/* A call from the host has begun. A guest function's entry is a safe point:
** a pending request stops it before its first instruction (resumed, it runs
** from there). A host function called directly looks for itself. */
void entered_call(int j, int li, bool guest) {
  mthread *mt = &th[j];
  if (guest && mt->T) {
    finish(j, li, EBB_EXIT, EBB_TRAP_NONE, term_code(j), NULL);
  } else if (guest && mt->I) {
    mt->I = false;
    stop(j, li);
  } else {
    advance(j, li);
  }
}

void advance(int j, int li) {
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
void request(int j, bool terminate) {
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
unsigned thread_sig(int j) {
  const mthread *mt = &th[j];
  if (!mt->t) return 0;
  const mlevel *L = top_level(j);
  return 1u | (L && L->stopped) << 1 | mt->I << 2 | mt->T << 3 | (mt->group >= 0) << 4 |
         (mt->group >= 0 && gr[mt->group].ended) << 5 | (mt->depth > 0) << 6 |
         (mt->depth > 1) << 7 | (mt->owner >= 0 && mt->owner != me) << 8;
}

/* ---- Checking outcomes ------------------------------------------------------- */

uint64_t val_slot(const ebb_val_t *v) {
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

const char *status_name(int st) {
  static const char *const n[] = {"OK", "TRAP", "EXIT", "INTERRUPTED", "ERROR"};
  return st >= 0 && st <= 4 ? n[st] : "?";
}

/* Compare what a call returned with what the model expected. fn is the
** function whose results `res` holds (-1: none). */
void model_check_call(const char *what, int j, const expect *ex, ebb_status_t st,
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
void check_world(void) {
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

static atomic_int fire_seq;

void counting_handler(void *arg) {
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

/* The model's side of ebb__host_invoke after the host function returned. */
void host_returned(int j, int li, const ret *rv) {
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
