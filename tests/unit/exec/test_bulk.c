/*
** test_bulk.c -- bulk instructions larger than one chunk (exec/bulk.c) stop
** between two chunks for a request and, resumed, end exactly as a run that
** was never stopped: memory.copy both ways with overlapping ranges,
** memory.fill, memory.init, table.copy both ways, table.fill, table.init and
** table.grow.
**
** Each case runs three ways from the same contents: straight; with a request
** before the call and before every resume, so each resume does exactly one
** chunk (this also checks, inside the thread, that the call stopped on the
** bulk instruction with its progress kept); and with another OS thread
** interrupting every 50 us. Every result is compared byte for byte with a
** model computed here with memmove/memset. Then: a group's end (TERMINATE)
** stops after one chunk, a request the thread ignores does not stop it, an
** abandoned stop leaves nothing behind, and bounds traps write nothing.
*/
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "compile/code.h"
#include "ebb.h"
#include "exec/bulk.h"
#include "rt/rt.h"
#include "thread/thread.h"

#define MIB (1u << 20)
#define MEM_BYTES (16u * MIB)
#define CHUNK_REFS (EBB__BULK_CHUNK / sizeof(void *))
#define MODEL_REFS 2000000u /* room for the table and all its grows */

/* The segments of bulk.wat (tests/CMakeLists.txt makes them). */
#define DATA_BYTES (251u * 4200u)
#define ELEM_COUNT 70000u
static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static uint8_t data_byte(uint32_t i) {
  uint32_t k = i % 251;
  return (uint8_t)alpha[(k * 37 + k / 7) % 62];
}

static ebb_store_t *store;
static ebb_instance_t *inst;
static uint8_t *mem;
static ebb_table_t *tab;
static ebb_func_t *fn[7]; /* f0 .. f6, the functions the table holds */

static uint8_t *model_mem;
static void **model_tab;
static uint32_t model_size;

/* ---- Cases ---------------------------------------------------------------- */

typedef struct bulk_case {
  const char *name; /* the export that runs it */
  unsigned nargs;
  uint32_t a[3];
  int op;         /* EBB_IOP_*: the instruction the call stops on */
  uint64_t units; /* bytes (memory) or elements (table) it handles */
} bulk_case;

static const bulk_case cases[] = {
    /* memory.copy, overlapping: forwards (dst below src), backwards (above),
    ** and shifted by one byte each way, so that chunks overlap each other. */
    {"copy", 3, {MIB + 5, 3 * MIB + 77, 12 * MIB + 123}, EBB_IOP_MEMORY_COPY, 12 * MIB + 123},
    {"copy", 3, {3 * MIB + 77, MIB + 5, 12 * MIB + 123}, EBB_IOP_MEMORY_COPY, 12 * MIB + 123},
    {"copy", 3, {1001, 1000, 15 * MIB}, EBB_IOP_MEMORY_COPY, 15 * MIB},
    {"copy", 3, {1000, 1001, 15 * MIB}, EBB_IOP_MEMORY_COPY, 15 * MIB},
    {"fill", 3, {7, 0xa5, 15 * MIB + 3}, EBB_IOP_MEMORY_FILL, 15 * MIB + 3},
    {"init", 3, {12345, 17, DATA_BYTES - 18}, EBB_IOP_MEMORY_INIT, DATA_BYTES - 18},
    {"tcopy", 3, {10, 1000, 250000}, EBB_IOP_TABLE_COPY, 250000},
    {"tcopy", 3, {1000, 10, 250000}, EBB_IOP_TABLE_COPY, 250000},
    {"tcopy", 3, {501, 500, 290000}, EBB_IOP_TABLE_COPY, 290000},
    {"tfill", 2, {2, 290000}, EBB_IOP_TABLE_FILL, 290000},
    {"tinit", 3, {5, 3, ELEM_COUNT - 4}, EBB_IOP_TABLE_INIT, ELEM_COUNT - 4},
    {"tgrow", 1, {100001}, EBB_IOP_TABLE_GROW, 100001},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* What the case does, applied to the model. */
static void model_apply(const bulk_case *c) {
  const uint32_t *a = c->a;
  if (!strcmp(c->name, "copy")) {
    memmove(model_mem + a[0], model_mem + a[1], a[2]);
  } else if (!strcmp(c->name, "fill")) {
    memset(model_mem + a[0], (int)a[1], a[2]);
  } else if (!strcmp(c->name, "init")) {
    for (uint32_t i = 0; i < a[2]; i++)
      model_mem[a[0] + i] = data_byte(a[1] + i);
  } else if (!strcmp(c->name, "tcopy")) {
    memmove(model_tab + a[0], model_tab + a[1], a[2] * sizeof(void *));
  } else if (!strcmp(c->name, "tfill")) {
    for (uint32_t i = 0; i < a[1]; i++)
      model_tab[a[0] + i] = fn[5];
  } else if (!strcmp(c->name, "tinit")) {
    for (uint32_t i = 0; i < a[2]; i++)
      model_tab[a[0] + i] = fn[(a[1] + i) % 7];
  } else if (!strcmp(c->name, "tgrow")) {
    for (uint32_t i = 0; i < a[0]; i++)
      model_tab[model_size + i] = fn[3];
    model_size += a[0];
  }
}

/* Fresh contents, the same in the instance and the model: pseudo-random
** bytes, and a table of the seven functions and nulls in a long period. */
static void reset(void) {
  uint64_t x = 0x9e3779b97f4a7c15u;
  for (uint32_t i = 0; i < MEM_BYTES; i += 8) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    memcpy(mem + i, &x, 8);
  }
  memcpy(model_mem, mem, MEM_BYTES);
  for (uint32_t i = 0; i < tab->size; i++)
    tab->elems[i] = i % 11 == 0 ? NULL : fn[(i * 3 + i / 5) % 7];
  model_size = tab->size;
  memcpy(model_tab, tab->elems, (size_t)tab->size * sizeof(void *));
}

static int matches_model(void) {
  return memcmp(mem, model_mem, MEM_BYTES) == 0 && tab->size == model_size &&
         memcmp(tab->elems, model_tab, (size_t)model_size * sizeof(void *)) == 0;
}

static ebb_func_t *export_func(const char *name) {
  ebb_extern_t e;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &e), 0);
  return e.of.func;
}

static void args_of(const bulk_case *c, ebb_val_t *args) {
  for (unsigned i = 0; i < c->nargs; i++)
    args[i] = (ebb_val_t){.kind = EBB_I32, .of.i32 = (int32_t)c->a[i]};
}

/* True when t is stopped on case c's instruction with its progress kept. */
static int stopped_on(ebb_thread_t *t, const bulk_case *c) {
  return t->pc && t->restart_pc == t->pc && (int32_t)t->pc[0] == ebb__dispatch_table()[c->op];
}

static int on_memory(const bulk_case *c) {
  return c->op == EBB_IOP_MEMORY_COPY || c->op == EBB_IOP_MEMORY_FILL ||
         c->op == EBB_IOP_MEMORY_INIT;
}

/* What one chunk of the case does, as t->restart_done counts it: bytes for
** the moves (copy, init) and memory.fill, elements for table.fill and
** table.grow. */
static uint64_t chunk_units(const bulk_case *c) {
  return c->op == EBB_IOP_TABLE_FILL || c->op == EBB_IOP_TABLE_GROW ? CHUNK_REFS : EBB__BULK_CHUNK;
}

/* What the case does, in chunk_units. */
static uint64_t work_units(const bulk_case *c) {
  return c->op == EBB_IOP_TABLE_COPY || c->op == EBB_IOP_TABLE_INIT ? c->units * sizeof(void *)
                                                                    : c->units;
}

/* tgrow returns the old size, every other case nothing. */
static void check_result(const bulk_case *c, uint32_t old_size, const ebb_val_t *res) {
  if (c->op == EBB_IOP_TABLE_GROW) CHECK_EQ_INT((uint32_t)res->of.i32, old_size);
}

/* ---- Three ways to run a case ----------------------------------------------- */

static void run_straight(const bulk_case *c) {
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t args[3], res = {0};
  args_of(c, args);
  reset();
  uint32_t old_size = tab->size;
  model_apply(c);
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(t, export_func(c->name), args, &res, &o), EBB_OK);
  check_result(c, old_size, &res);
  CHECK(matches_model());
  ebb_thread_delete(t);
}

/* A call from the host checks for requests at function entry: a request
** made before ebb_call stops the call there, before the instruction. To
** have a request land on the instruction, start the call, stopped at its
** entry; the caller then makes its request and resumes. */
static void stop_at_entry(ebb_thread_t *t, const char *name, ebb_val_t *args, ebb_val_t *res) {
  ebb_outcome_t o;
  ebb_thread_interrupt(t);
  CHECK_EQ_INT(ebb_call(t, export_func(name), args, res, &o), EBB_INTERRUPTED);
}

/* A request before the call and before each resume: every resume does one
** chunk and stops again, until the last chunk. */
static void run_stepped(const bulk_case *c) {
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t args[3], res = {0};
  args_of(c, args);
  reset();
  uint32_t old_size = tab->size;
  model_apply(c);
  uint64_t unit = chunk_units(c), stops = 0;
  uint64_t want = (work_units(c) + unit - 1) / unit - 1; /* one fewer than chunks */
  ebb_outcome_t o;
  stop_at_entry(t, c->name, args, &res);
  ebb_thread_interrupt(t);
  ebb_status_t st = ebb_call_resume(t, &res, &o);
  while (st == EBB_INTERRUPTED && stops <= want) {
    stops++;
    CHECK(stopped_on(t, c));
    CHECK_EQ_INT(t->restart_done, stops * unit);
    /* A grow half-way is not seen: the table keeps its old size. */
    if (c->op == EBB_IOP_TABLE_GROW) CHECK_EQ_INT(tab->size, old_size);
    ebb_thread_interrupt(t);
    st = ebb_call_resume(t, &res, &o);
  }
  CHECK_EQ_INT(st, EBB_OK);
  CHECK_EQ_INT(stops, want);
  CHECK(t->restart_pc == NULL);
  check_result(c, old_size, &res);
  CHECK(matches_model());
  ebb_thread_delete(t);
}

static atomic_int stop_requester, requests;

static void *requester(void *arg) {
  ebb_thread_t *t = arg;
  struct timespec pause = {0, 50000}; /* 50 us between requests */
  while (!atomic_load(&stop_requester)) {
    ebb_thread_interrupt(t);
    atomic_fetch_add(&requests, 1);
    nanosleep(&pause, NULL);
  }
  return NULL;
}

/* Interrupted from another OS thread until the call completes. Returns how
** many times it stopped on the bulk instruction. */
static int run_async(const bulk_case *c) {
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t args[3], res = {0};
  args_of(c, args);
  reset();
  uint32_t old_size = tab->size;
  model_apply(c);
  pthread_t req;
  atomic_store(&stop_requester, 0);
  atomic_store(&requests, 0);
  pthread_create(&req, NULL, requester, t);
  /* The whole instruction takes about a millisecond: start it once the
  ** requests have begun, or it may be over before the first. */
  while (!atomic_load(&requests))
    sched_yield();
  ebb_outcome_t o;
  int on_op = 0, stops = 0;
  ebb_status_t st = ebb_call(t, export_func(c->name), args, &res, &o);
  while (st == EBB_INTERRUPTED && stops < 100000) {
    stops++;
    on_op += stopped_on(t, c);
    st = ebb_call_resume(t, &res, &o);
  }
  atomic_store(&stop_requester, 1);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_OK);
  check_result(c, old_size, &res);
  CHECK(matches_model());
  ebb_thread_delete(t);
  return on_op;
}

/* ---- Requests other than INTERRUPT, abandoning, traps --------------------------- */

/* TERMINATE (a group ending) stops the instruction after one chunk, with
** EBB_EXIT, and the progress is dropped: the call will not resume. */
static void terminate_stops_after_one_chunk(void) {
  const bulk_case *c = &cases[1]; /* copy backwards */
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t args[3];
  args_of(c, args);
  reset();
  uint64_t n = c->a[2], k = EBB__BULK_CHUNK;
  memmove(model_mem + c->a[0] + n - k, model_mem + c->a[1] + n - k, k); /* the last chunk */
  stop_at_entry(t, c->name, args, NULL);
  ebb__thread_request(t, EBB__REQ_TERMINATE);
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call_resume(t, NULL, &o), EBB_EXIT);
  CHECK(t->restart_pc == NULL);
  CHECK(matches_model());
  ebb_thread_delete(t);
}

/* A request the thread does not act on (MAIL today) is seen between chunks
** and cleared; the instruction goes on and the call is not stopped. */
static void ignored_request_does_not_stop(void) {
  const bulk_case *c = &cases[0];
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t args[3];
  args_of(c, args);
  reset();
  model_apply(c);
  stop_at_entry(t, c->name, args, NULL);
  ebb__thread_request(t, EBB__REQ_MAIL);
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call_resume(t, NULL, &o), EBB_OK);
  CHECK_EQ_INT(atomic_load(&t->interrupt), 0);
  CHECK(t->restart_pc == NULL);
  CHECK(matches_model());
  ebb_thread_delete(t);
}

/* A call abandoned half-way through a copy leaves no progress behind: the
** same instruction called afresh does all of its work. */
static void abandoned_stop_is_forgotten(void) {
  const bulk_case *c = &cases[1];
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t args[3];
  args_of(c, args);
  reset();
  ebb_outcome_t o;
  stop_at_entry(t, c->name, args, NULL);
  ebb_thread_interrupt(t);
  CHECK_EQ_INT(ebb_call_resume(t, NULL, &o), EBB_INTERRUPTED);
  CHECK(stopped_on(t, c));
  ebb_call_abandon(t);
  CHECK(t->restart_pc == NULL);
  reset();
  model_apply(c);
  CHECK_EQ_INT(ebb_call(t, export_func(c->name), args, NULL, &o), EBB_OK);
  CHECK(matches_model());
  ebb_thread_delete(t);
}

/* Out of bounds by one: the trap comes before anything is written, however
** large the instruction. table.grow past the limit returns -1. */
static void traps_write_nothing(void) {
  uint32_t n = tab->size; /* the grows above changed it */
  const bulk_case oob[] = {
      {"copy", 3, {0, MIB, 15 * MIB + 1}, EBB_IOP_MEMORY_COPY, 0},
      {"copy", 3, {MIB, 0, 15 * MIB + 1}, EBB_IOP_MEMORY_COPY, 0},
      {"fill", 3, {1, 0, MEM_BYTES}, EBB_IOP_MEMORY_FILL, 0},
      {"init", 3, {0, 1, DATA_BYTES}, EBB_IOP_MEMORY_INIT, 0},
      {"init", 3, {MEM_BYTES - DATA_BYTES + 1, 0, DATA_BYTES}, EBB_IOP_MEMORY_INIT, 0},
      {"tcopy", 3, {0, 1, n}, EBB_IOP_TABLE_COPY, 0},
      {"tcopy", 3, {1, 0, n}, EBB_IOP_TABLE_COPY, 0},
      {"tfill", 2, {1, n}, EBB_IOP_TABLE_FILL, 0},
      {"tinit", 3, {0, 1, ELEM_COUNT}, EBB_IOP_TABLE_INIT, 0},
      {"tinit", 3, {n - ELEM_COUNT + 1, 0, ELEM_COUNT}, EBB_IOP_TABLE_INIT, 0},
  };
  ebb_thread_t *t = ebb_thread_new(store);
  for (size_t i = 0; i < sizeof oob / sizeof oob[0]; i++) {
    ebb_val_t args[3];
    args_of(&oob[i], args);
    reset();
    ebb_outcome_t o;
    CHECK_EQ_INT(ebb_call(t, export_func(oob[i].name), args, NULL, &o), EBB_TRAP);
    CHECK_EQ_INT(o.trap, on_memory(&oob[i]) ? EBB_TRAP_MEMORY_OOB : EBB_TRAP_TABLE_OOB);
    CHECK(matches_model());
  }
  /* Past the store's limit of 10,000,000 elements: -1, nothing changes. */
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 10000000}, res;
  ebb_outcome_t o;
  reset();
  CHECK_EQ_INT(ebb_call(t, export_func("tgrow"), &arg, &res, &o), EBB_OK);
  CHECK_EQ_INT(res.of.i32, -1);
  CHECK(matches_model());
  ebb_thread_delete(t);
}

/* ---- Main -------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)n);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return b;
}

int main(void) {
  size_t size;
  uint8_t *bytes = read_file(EBB_TEST_BULK_WASM, &size);
  CHECK(bytes != NULL);
  if (!bytes) return CHECK_DONE();
  store = ebb_store_new(NULL);
  ebb_module_t *mod;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(bytes, size, &mod, &err), 0);
  free(bytes);
  CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
  ebb_extern_t e;
  CHECK_EQ_INT(ebb_instance_export(inst, "mem", &e), 0);
  mem = ebb_memory_data(e.of.memory);
  CHECK_EQ_INT(ebb_memory_size(e.of.memory), MEM_BYTES);
  CHECK_EQ_INT(ebb_instance_export(inst, "tab", &e), 0);
  tab = e.of.table;
  for (int i = 0; i < 7; i++) {
    char name[3] = {'f', (char)('0' + i), 0};
    fn[i] = export_func(name);
  }
  model_mem = malloc(MEM_BYTES);
  model_tab = malloc(MODEL_REFS * sizeof(void *));

  int on_op = 0;
  for (size_t i = 0; i < NCASES; i++) {
    const bulk_case *c = &cases[i];
    CHECK(work_units(c) > chunk_units(c)); /* or it would not be split */
    run_straight(c);
    run_stepped(c);
    int n = run_async(c);
    printf("%-5s %10u %10u %10u: stopped %d times on the instruction\n", c->name, c->a[0], c->a[1],
           c->a[2], n);
    on_op += n;
  }
  /* Timing decides how often: at least once over all the cases. */
  CHECK(on_op > 0);
  CHECK(tab->size <= MODEL_REFS);

  terminate_stops_after_one_chunk();
  ignored_request_does_not_stop();
  abandoned_stop_is_forgotten();
  traps_write_nothing();

  free(model_mem);
  free(model_tab);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  return CHECK_DONE();
}
