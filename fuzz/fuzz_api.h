/*
** fuzz_api.h -- what the three parts of fuzz_api share: the world, the model's
** state, the input. fuzz_api.c runs the program of operations; fuzz_api_model.c
** predicts and checks what each does; fuzz_api_race.c runs the racing
** episodes. fuzz_api.c says how it all fits together.
*/
#ifndef EBB_FUZZ_API_H
#define EBB_FUZZ_API_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <pthread.h>

#include "common.h"
#include "ebb.h"

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

/* ---- The world -------------------------------------------------------------- */

enum guest_fn { F_WORK, F_SPIN, F_REC, F_MIX, F_D3, F_D0, F_NFUNCS, F_NULL = F_NFUNCS, F_ALIEN };

/* A function's name and type. */
struct fninfo {
  const char *name;
  uint32_t np, nr;
  ebb_valkind_t p[6], r[3];
};
extern const struct fninfo FN[F_NFUNCS];

/* host_fn's data: which host function it is runs as (h0, d3, d0). */
extern char host_tags[3];

typedef struct world {
  ebb_module_t *module;
  ebb_store_t *other; /* another store, for its function: never accepted */
  ebb_func_t *alien;
  ebb_store_t *store;
  ebb_instance_t *inst;
  ebb_memory_t *mem;
  ebb_func_t *f[F_NFUNCS];
} world;
extern world w;

/* ---- The model's state ------------------------------------------------------- */

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

extern mthread th[NTHREADS];
extern mgroup gr[NGROUPS];
extern _Thread_local int me; /* OS_*: which OS thread this is */

/* A host function's run, for the operations it performs. */
struct hctx {
  ebb_host_call_t *call;
  int j, li, which;
  atomic_int fired; /* runs of its counting handler */
  atomic_int seq;   /* when it last ran, by fire_seq */
  bool counting;    /* the handler installed is the counting one */
};

/* What the host function returns, chosen by the input (or by NEST). */
typedef struct ret {
  ebb_status_t st;
  int32_t r;       /* h0's result */
  uint64_t res[2]; /* d3's results */
} ret;

/* ---- The input ------------------------------------------------------------------- */

typedef struct input {
  const uint8_t *p;
  size_t n, i;
  int ops;
  int auto_nest, auto_policy; /* NEST: host runs that call in without reading input */
  int episodes;
} input;
extern input in;
extern bool trace;
extern bool racing; /* an EPISODE runs: host functions run robust_host */

uint8_t byte(void);
bool more(void);
void say(int depth, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
extern uint8_t state_cov[COV_SIZE];

static inline void cover(unsigned region, unsigned v, unsigned size) {
  if (me == OS_RACER) return;
  state_cov[region + v % size]++;
}

/* ---- fuzz_api_model.c ---------------------------------------------------------- */

uint32_t safe_points(uint32_t turns);
uint32_t hash_loop(uint32_t acc, uint32_t n, uint32_t mul);
int term_code(int j);
mlevel *top_level(int j);
void model_pop(int j);
void advance(int j, int li);
void entered_call(int j, int li, bool guest);
void request(int j, bool terminate);
unsigned thread_sig(int j);
uint64_t val_slot(const ebb_val_t *v);
const char *status_name(int st);
void model_check_call(const char *what, int j, const expect *ex, ebb_status_t st,
                const ebb_outcome_t *o, int fn, const ebb_val_t *res);
void check_world(void);
void counting_handler(void *arg);
void host_returned(int j, int li, const ret *rv);

/* ---- fuzz_api_race.c ----------------------------------------------------------- */

extern pthread_mutex_t cond_m;
extern pthread_cond_t cond_c;
extern ebb_interrupt_cond_t cond_wake;
ebb_status_t robust_host(ebb_host_call_t *call, const uint64_t *args, uint64_t *results);
void episode(int j, uint8_t b);

#endif
