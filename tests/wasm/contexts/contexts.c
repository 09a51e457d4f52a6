/* contexts.c -- WASIX context switching from C, one case per argument:
** ping-pong, a generator, a round-robin scheduler of 1,000 contexts,
** three-way switching, recursion and switching from deep recursion,
** destroying suspended and never-started contexts, every error, the limit
** of live contexts, and the two endings: an entry function that returns
** (exit 129) and a trap in a context (134). Output is exact. */
#include <stdio.h>
#include <string.h>

#include "wasix_context.h"

#define CHECK(expr)                                                         \
  do {                                                                      \
    if (!(expr)) {                                                          \
      printf("FAILED line %d: %s\n", __LINE__, #expr);                      \
      exit(1);                                                              \
    }                                                                       \
  } while (0)

enum { STACK = 64 * 1024 };

/* ---- ping-pong: an exact count over a million round trips ---- */
static wasix_context_id_t pong_id;
static long pong_count;

static void pong(void *arg) {
  (void)arg;
  for (;;) {
    pong_count++;
    CHECK(ctx_switch(WASIX_CONTEXT_MAIN) == 0);
  }
}

static void case_pingpong(void) {
  static ctx_start_rec rec;
  CHECK(ctx_start(&pong_id, &rec, pong, NULL, STACK) == 0);
  CHECK(ctx_first_switch(pong_id, &rec) == 0);
  for (long i = 1; i < 1000000; i++) CHECK(ctx_switch(pong_id) == 0);
  printf("pong ran %ld times\n", pong_count);
  CHECK(wasix_context_destroy(pong_id) == 0);
}

/* ---- a generator of Fibonacci numbers ---- */
static wasix_context_id_t gen_id;
static long gen_value;

static void fib_gen(void *arg) {
  long a = 0, b = 1, limit = *(long *)arg;
  for (long i = 0; i < limit; i++) {
    gen_value = a;
    ctx_switch(WASIX_CONTEXT_MAIN);
    long c = a + b;
    a = b;
    b = c;
  }
  gen_value = -1;
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static void case_generator(void) {
  static ctx_start_rec rec;
  static long limit = 15;
  CHECK(ctx_start(&gen_id, &rec, fib_gen, &limit, STACK) == 0);
  CHECK(ctx_first_switch(gen_id, &rec) == 0);
  printf("fib:");
  while (gen_value >= 0) {
    printf(" %ld", gen_value);
    CHECK(ctx_switch(gen_id) == 0);
  }
  printf("\n");
  CHECK(wasix_context_destroy(gen_id) == 0);
}

/* ---- round-robin over 1,000 contexts ---- */
enum { NTASKS = 1000, TURNS = 50 };
static wasix_context_id_t task_id[NTASKS];
static ctx_start_rec task_rec[NTASKS];
static long task_sum[NTASKS];
static int task_done;
static int current_task;

static void task(void *arg) {
  int me = (int)(intptr_t)arg;
  for (int turn = 1; turn <= TURNS; turn++) {
    task_sum[me] += (long)turn * (me + 1);
    ctx_switch(WASIX_CONTEXT_MAIN); /* back to the scheduler */
  }
  task_done++;
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static void case_roundrobin(void) {
  for (int i = 0; i < NTASKS; i++)
    CHECK(ctx_start(&task_id[i], &task_rec[i], task, (void *)(intptr_t)i, 4096) == 0);
  for (int i = 0; i < NTASKS; i++) CHECK(ctx_first_switch(task_id[i], &task_rec[i]) == 0);
  long switches = NTASKS;
  while (task_done < NTASKS) {
    for (current_task = 0; current_task < NTASKS; current_task++) {
      CHECK(ctx_switch(task_id[current_task]) == 0);
      switches++;
    }
  }
  long total = 0;
  for (int i = 0; i < NTASKS; i++) total += task_sum[i];
  printf("%d tasks done after %ld switches, total %ld\n", task_done, switches, total);
  for (int i = 0; i < NTASKS; i++) CHECK(wasix_context_destroy(task_id[i]) == 0);
}

/* ---- three-way: main -> a -> b -> a -> main, then b again ---- */
static wasix_context_id_t a_id, b_id;
static char trail[64];

static void note(char c) { trail[strlen(trail)] = c; }

static void ctx_a(void *arg) {
  (void)arg;
  note('a');
  CHECK(ctx_first_switch(b_id, (ctx_start_rec *)arg) == 0);
  note('A');
  CHECK(ctx_switch(WASIX_CONTEXT_MAIN) == 0);
  note('!');
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static void ctx_b(void *arg) {
  (void)arg;
  note('b');
  CHECK(ctx_switch(a_id) == 0);
  note('B');
  CHECK(ctx_switch(WASIX_CONTEXT_MAIN) == 0);
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static void case_threeway(void) {
  static ctx_start_rec ra, rb;
  CHECK(ctx_start(&a_id, &ra, ctx_a, &rb, STACK) == 0);
  CHECK(ctx_start(&b_id, &rb, ctx_b, NULL, STACK) == 0);
  note('m');
  CHECK(ctx_first_switch(a_id, &ra) == 0); /* a starts b, b goes back to a */
  note('M');
  CHECK(ctx_switch(b_id) == 0);
  note('N');
  printf("trail %s\n", trail);
  CHECK(ctx_switch(WASIX_CONTEXT_MAIN) == 0); /* to itself: nothing */
  CHECK(wasix_context_destroy(a_id) == 0);
  CHECK(wasix_context_destroy(b_id) == 0);
}

/* ---- recursion in a context, switching from the deepest call ---- */
static wasix_context_id_t deep_id;
static int deepest;

static long descend(int n) {
  volatile char pad[32]; /* a shadow-stack frame at every level */
  pad[0] = (char)n;
  if (n == 0) {
    deepest = 1;
    CHECK(ctx_switch(WASIX_CONTEXT_MAIN) == 0); /* from 20,000 calls down */
    return pad[0];
  }
  return n + descend(n - 1) + pad[0] - (char)n;
}

static void deep(void *arg) {
  long r = descend(*(int *)arg);
  printf("recursion sum %ld\n", r);
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static void case_recursion(void) {
  static ctx_start_rec rec;
  static int depth = 20000;
  CHECK(ctx_start(&deep_id, &rec, deep, &depth, 2 << 20) == 0);
  CHECK(ctx_first_switch(deep_id, &rec) == 0);
  printf("main ran while the context was %s\n", deepest ? "at the bottom" : "elsewhere");
  CHECK(ctx_switch(deep_id) == 0);
  CHECK(wasix_context_destroy(deep_id) == 0);
}

/* ---- destroy: a suspended context, a never-started one ---- */
static int ran_after_destroy;

static void never_again(void *arg) {
  (void)arg;
  ctx_switch(WASIX_CONTEXT_MAIN);
  ran_after_destroy = 1;
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static void case_destroy(void) {
  static ctx_start_rec r1, r2;
  wasix_context_id_t suspended, unstarted;
  CHECK(ctx_start(&suspended, &r1, never_again, NULL, STACK) == 0);
  CHECK(ctx_start(&unstarted, &r2, never_again, NULL, STACK) == 0);
  CHECK(ctx_first_switch(suspended, &r1) == 0);
  printf("destroy suspended: %d\n", wasix_context_destroy(suspended));
  printf("destroy unstarted: %d\n", wasix_context_destroy(unstarted));
  printf("switch to destroyed: %d\n", ctx_switch(suspended));
  printf("switch to unstarted destroyed: %d\n", ctx_switch(unstarted));
  printf("destroy again: %d\n", wasix_context_destroy(suspended));
  wasix_context_id_t fresh;
  CHECK(ctx_start(&fresh, &r1, never_again, NULL, STACK) == 0);
  printf("a new id differs from both: %d\n", fresh != suspended && fresh != unstarted);
  printf("ran after destroy: %d\n", ran_after_destroy);
}

/* ---- every error ---- */
static wasix_context_id_t self_id;
static int32_t self_destroy, self_switch;

static void destroys_itself(void *arg) {
  (void)arg;
  self_destroy = wasix_context_destroy(self_id);
  self_switch = ctx_switch(self_id);
  for (;;) ctx_switch(WASIX_CONTEXT_MAIN);
}

static int takes_int(int x) { return x + 1; }

static void case_errors(void) {
  static ctx_start_rec rec;
  wasix_context_id_t id = 12345;
  printf("switch to main from main: %d\n", ctx_switch(WASIX_CONTEXT_MAIN));
  printf("switch to an unknown id: %d\n", ctx_switch(777));
  printf("destroy main: %d\n", wasix_context_destroy(WASIX_CONTEXT_MAIN));
  printf("destroy an id never made: %d\n", wasix_context_destroy(777));
  /* A function of another type, by its table index. */
  int (*wrong)(int) = takes_int;
  printf("create with a [i32] -> [i32] entry: %d\n",
         wasix_context_create(&id, (void (*)(void))wrong));
  printf("create with an index past the table: %d\n",
         wasix_context_create(&id, (void (*)(void))(uintptr_t)0x7fffffff));
  printf("create with a null entry: %d\n", wasix_context_create(&id, (void (*)(void))0));
  printf("create with a bad pointer: %d\n",
         wasix_context_create((wasix_context_id_t *)(uintptr_t)0xfffffffc, ctx_trampoline));
  printf("id left alone: %d\n", id == 12345);
  CHECK(ctx_start(&self_id, &rec, destroys_itself, NULL, STACK) == 0);
  CHECK(ctx_first_switch(self_id, &rec) == 0);
  printf("destroy the running context: %d\n", self_destroy);
  printf("switch to the running context: %d\n", self_switch);
  /* An id of this thread with another generation: never made. */
  printf("destroy a never-made id of this thread: %d\n", wasix_context_destroy(self_id ^ (1ull << 20)));
  printf("switch to it: %d\n", ctx_switch(self_id ^ (1ull << 20)));
  printf("destroy an id of another thread: %d\n", wasix_context_destroy(self_id ^ (1ull << 50)));
}

/* ---- the limit of live contexts (default 100,000) ---- */
static void idle(void) {}

static void case_limit(void) {
  static wasix_context_id_t ids[100001];
  int made = 0;
  int32_t err = 0;
  for (int i = 0; i < 100001; i++) {
    err = wasix_context_create(&ids[i], idle);
    if (err) break;
    made++;
  }
  printf("made %d, then %d\n", made, err);
  CHECK(wasix_context_destroy(ids[0]) == 0);
  printf("after one destroy: %d\n", wasix_context_create(&ids[0], idle));
  for (int i = 0; i < made; i++) CHECK(wasix_context_destroy(ids[i]) == 0);
  printf("all destroyed\n");
}

/* ---- endings ---- */
static void returns(void *arg) { (void)arg; }

static void plain_return(void) { printf("entry ran\n"); fflush(stdout); }

static void case_returns(void) {
  wasix_context_id_t id;
  CHECK(wasix_context_create(&id, plain_return) == 0);
  (void)returns;
  ctx_switch(id);
  printf("main resumed normally\n"); /* must not happen */
}

static void traps(void) { __builtin_trap(); }

static void case_trap(void) {
  wasix_context_id_t id;
  CHECK(wasix_context_create(&id, traps) == 0);
  ctx_switch(id);
  printf("main resumed normally\n");
}

/* ---- spin forever in a context (for --timeout and signals) ---- */
static volatile long spins;
static void spin(void) {
  for (;;) spins++;
}

static void case_spin(void) {
  wasix_context_id_t id;
  CHECK(wasix_context_create(&id, spin) == 0);
  printf("spinning\n");
  fflush(stdout);
  ctx_switch(id);
}

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    void (*run)(void);
  } cases[] = {
      {"pingpong", case_pingpong},   {"generator", case_generator}, {"roundrobin", case_roundrobin},
      {"threeway", case_threeway},   {"recursion", case_recursion}, {"destroy", case_destroy},
      {"errors", case_errors},       {"limit", case_limit},         {"returns", case_returns},
      {"trap", case_trap},           {"spin", case_spin},
  };
  for (size_t i = 0; argc > 1 && i < sizeof cases / sizeof cases[0]; i++) {
    if (strcmp(argv[1], cases[i].name)) continue;
    cases[i].run();
    return 0;
  }
  printf("usage: contexts CASE\n");
  return 2;
}
