/*
** test_limits.c -- hostile sizes get a clear error quickly and without
** allocating; the store's limits (memory per instance and per store, table
** size, call depth, value stack) give named results; guest accesses at the
** edges of memory and tables trap exactly where the spec says, and a
** trapping access writes nothing.
**
** The .wat modules here become NAME.wat.h at build time (tests/
** CMakeLists.txt); the hostile binaries that no .wat can express are built
** byte by byte.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "check.h"
#include "decode/module.h"
#include "ebb.h"
#include "rt/rt.h"

#include "copies.wat.h"
#include "sandbox.wat.h"
#include "stack.wat.h"

/* ---- Building binaries by hand ------------------------------------------- */

typedef struct bytes {
  uint8_t *b;
  size_t n, cap;
} bytes;

static void put(bytes *b, uint8_t v) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 256;
    b->b = realloc(b->b, b->cap);
    if (!b->b) abort();
  }
  b->b[b->n++] = v;
}

static void put_n(bytes *b, const void *p, size_t n) {
  for (size_t i = 0; i < n; i++) put(b, ((const uint8_t *)p)[i]);
}

static void uleb(bytes *b, uint64_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    put(b, v ? c | 0x80 : c);
  } while (v);
}

static void header(bytes *b) { put_n(b, "\0asm\1\0\0\0", 8); }

/* Append section `id` with the content of c, and empty c. */
static void section(bytes *b, uint8_t id, bytes *c) {
  put(b, id);
  uleb(b, c->n);
  put_n(b, c->b, c->n);
  c->n = 0;
}

/* A module with one function of type [] -> [] whose body (locals and code,
** without the size) is `body`. */
static void one_func(bytes *m, const bytes *body) {
  bytes c = {0};
  header(m);
  put_n(&c, "\1\x60\0\0", 4); /* one type: [] -> [] */
  section(m, 1, &c);
  put_n(&c, "\1\0", 2); /* one function of type 0 */
  section(m, 3, &c);
  put(&c, 1);
  uleb(&c, body->n);
  put_n(&c, body->b, body->n);
  section(m, 10, &c);
  free(c.b);
}

/* A module with just memory `min` [max], or a funcref table. */
static void mem_module(bytes *m, uint64_t min, bool has_max, uint64_t max) {
  bytes c = {0};
  header(m);
  put(&c, 1);
  put(&c, has_max);
  uleb(&c, min);
  if (has_max) uleb(&c, max);
  section(m, 5, &c);
  free(c.b);
}

static void table_module(bytes *m, uint64_t min) {
  bytes c = {0};
  header(m);
  put_n(&c, "\1\x70\0", 3);
  uleb(&c, min);
  section(m, 4, &c);
  free(c.b);
}

/* ---- Measuring "quickly and without allocating" ----------------------------- */

/* CPU seconds of this process: what a load costs, whatever else the
** machine runs. The bounds below catch work that grows out of proportion
** (a quadratic pass over a million items takes minutes); they are not
** timings, and are wide enough for ThreadSanitizer builds. */
#define SLOW_SECONDS 5.0
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long max_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* Load m: expect error `code` with `needle` in its message, without
** disproportionate work (SLOW_SECONDS) and without the process's peak
** memory growing by more than 64 MiB. */
static void expect_load_error(const char *what, const bytes *m, int code, const char *needle) {
  long rss0 = max_rss_kb();
  double t0 = now();
  ebb_module_t *mod = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  int rc = ebb_module_new(m->b, m->n, &mod, &err);
  double dt = now() - t0;
  long grew = max_rss_kb() - rss0;
  if (rc != code || !strstr(err.message, needle) || dt > SLOW_SECONDS || grew > 65536 ||
      getenv("EBB_LIMITS_VERBOSE"))
    fprintf(stderr, "%s: rc %d, \"%s\", %.3f s, peak +%ld KiB\n", what, rc, err.message, dt, grew);
  CHECK_EQ_INT(rc, code);
  CHECK_STR_CONTAINS(err.message, needle);
  CHECK(dt < SLOW_SECONDS);
  CHECK(grew < 65536);
  ebb_module_delete(mod);
}

/* Issue 13, item 9: 60,000 bodies of 49,999 locals each, 8 bytes apiece.
** Locals expanded to a byte each made this 3 GB; kept as the runs the binary
** declares, the module costs a few megabytes. Runs first in main, so that
** no earlier test has raised the peak this measures. */
static void test_declared_locals(void) {
  bytes m = {0}, c = {0};
  header(&m);
  put_n(&c, "\1\x60\0\0", 4);
  section(&m, 1, &c);
  uleb(&c, 60000);
  for (int i = 0; i < 60000; i++) put(&c, 0);
  section(&m, 3, &c);
  uleb(&c, 60000);
  for (int i = 0; i < 60000; i++) {
    put_n(&c, "\6\1", 2); /* size 6, one entry */
    uleb(&c, 49999);
    put_n(&c, "\x7f\x0b", 2);
  }
  section(&m, 10, &c);
  long rss0 = max_rss_kb();
  ebb_module_t *mod = NULL;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(m.b, m.n, &mod, &err), 0);
  long grew = max_rss_kb() - rss0;
  if (grew > 65536) fprintf(stderr, "60,000 x 49,999 locals: peak +%ld KiB\n", grew);
  CHECK(grew < 65536);
  /* The locals are all there: the frames are that big, in the stub a
  ** first call enters and in the compiled code (here all of it at once). */
  CHECK_EQ_INT(mod->stubs[59999].nlocals, 49999);
  CHECK(mod->stubs[59999].frame_size >= 49999);
  ebb_module_delete(mod);
  ebb_module_options_t eager = {.eager = true};
  rss0 = max_rss_kb();
  CHECK_EQ_INT(ebb_module_new_ex(m.b, m.n, &eager, &mod, &err), 0);
  grew = max_rss_kb() - rss0;
  if (grew > 65536) fprintf(stderr, "60,000 x 49,999 locals, compiled: peak +%ld KiB\n", grew);
  CHECK(grew < 65536);
  CHECK_EQ_INT(mod->code[59999].nlocals, 49999);
  CHECK(mod->code[59999].frame_size >= 49999);
  ebb_module_delete(mod);
  free(m.b);
  free(c.b);
}

/* A module whose one function has type 0 of `types` (a type section's
** entries, `ntypes` of them) and body `body` (locals and code). */
static void typed_func(bytes *m, uint32_t ntypes, const bytes *types, const bytes *body) {
  bytes c = {0};
  header(m);
  uleb(&c, ntypes);
  put_n(&c, types->b, types->n);
  section(m, 1, &c);
  put_n(&c, "\1\0", 2);
  section(m, 3, &c);
  put(&c, 1);
  uleb(&c, body->n);
  put_n(&c, body->b, body->n);
  section(m, 10, &c);
  free(c.b);
}

/* Load m, expecting success with the process's peak memory growing by
** less than 256 MiB (what failed grew by gigabytes; ASan's allocator keeps
** what a release build reuses); and again under a module budget of 64 MiB. */
static void expect_loads_small(const char *what, const bytes *m) {
  long rss0 = max_rss_kb();
  ebb_module_t *mod = NULL;
  ebb_error_t err = {0, ""};
  int rc = ebb_module_new(m->b, m->n, &mod, &err);
  long grew = max_rss_kb() - rss0;
  if (rc || grew >= 262144 || getenv("EBB_LIMITS_VERBOSE"))
    fprintf(stderr, "%s: rc %d \"%s\", peak +%ld KiB, holds %llu bytes\n", what, rc, err.message,
            grew, (unsigned long long)ebb_module_host_bytes(mod));
  CHECK_EQ_INT(rc, 0);
  CHECK(grew < 262144);
  ebb_module_delete(mod);
  ebb_module_options_t o = {.max_bytes = 64 << 20};
  CHECK_EQ_INT(ebb_module_new_ex(m->b, m->n, &o, &mod, &err), 0);
  ebb_module_delete(mod);
}

/* Bodies a megabyte long whose every few bytes used to cost the compiler
** kilobytes of code or a walk over a million operands. */
static void test_compile_inflation(void) {
  bytes m = {0}, types = {0}, body = {0};
  /* Type 0: [] -> []; type 1: [] -> [i32 x 1000]. */
  put_n(&types, "\x60\0\0\x60\0", 5);
  uleb(&types, 1000);
  for (int i = 0; i < 1000; i++) put(&types, 0x7f);

  /* 250,000 br_ifs, each carrying 1,000 values one slot above the block's:
  ** 12 KB of copies each, 2.9 GB in all, before COPY_N. */
  put_n(&body, "\1\1\x7f\x02\x01\x41\0", 7);
  for (int i = 0; i < 1000; i++) put_n(&body, "\x20\0", 2);
  for (int i = 0; i < 250000; i++) put_n(&body, "\x20\0\x0d\0", 4);
  put_n(&body, "\x0c\0\x0b", 3);
  for (int i = 0; i < 1000; i++) put(&body, 0x1a);
  put(&body, 0x0b);
  typed_func(&m, 2, &types, &body);
  expect_loads_small("br_if x 250,000 carrying 1,000 values", &m);
  m.n = body.n = 0;

  /* One br_table of a million labels to that block: a stub per label was
  ** 11.7 GB; now one stub per target. */
  put_n(&body, "\1\1\x7f\x02\x01\x41\0", 7);
  for (int i = 0; i < 1000; i++) put_n(&body, "\x20\0", 2);
  put_n(&body, "\x20\0\x0e", 3);
  uleb(&body, 1000000);
  for (int i = 0; i <= 1000000; i++) put(&body, 0);
  put(&body, 0x0b);
  for (int i = 0; i < 1000; i++) put(&body, 0x1a);
  put(&body, 0x0b);
  typed_func(&m, 2, &types, &body);
  expect_loads_small("br_table of 1,000,000 labels", &m);
  m.n = body.n = 0;

  /* Half a million operands, then 100,000 local.sets, then 300,000 empty
  ** blocks: each walked the whole operand stack (minutes); now no walk
  ** covers more than EBB__MAX_LAZY operands. */
  put_n(&body, "\1\2\x7f", 3);
  for (int i = 0; i < 500000; i++) put_n(&body, "\x20\1", 2);
  for (int i = 0; i < 100000; i++) put_n(&body, "\x20\0\x41\0\x21\0", 6);
  for (int i = 0; i < 300000; i++) put_n(&body, "\x02\x40\x0b", 3);
  put_n(&body, "\x0f\x0b", 2);
  typed_func(&m, 2, &types, &body);
  expect_loads_small("500,000 operands, then local.sets and blocks", &m);

  free(m.b);
  free(types.b);
  free(body.b);
}

/* Make `body` the one function of module m, expect the load error, and
** empty both for the next case. */
static void expect_func_error(const char *what, bytes *m, bytes *body, int code,
                              const char *needle) {
  one_func(m, body);
  expect_load_error(what, m, code, needle);
  m->n = body->n = 0;
}

/* ---- Part 1: the decoder and validator against hostile sizes ---------------- */

static void test_hostile_sizes(void) {
  bytes m = {0}, body = {0};

  /* Four billion locals in one entry. */
  put(&body, 1);
  uleb(&body, 0xffffffffu);
  put(&body, 0x7f);
  put(&body, 0x0b);
  expect_func_error("4G locals", &m, &body, EBB_EMALFORMED, "too many locals");

  /* Two entries whose counts overflow 32 bits when added. */
  put(&body, 2);
  uleb(&body, 0x80000000u);
  put(&body, 0x7f);
  uleb(&body, 0x80000000u);
  put(&body, 0x7e);
  put(&body, 0x0b);
  expect_func_error("2 x 2G locals", &m, &body, EBB_EMALFORMED, "too many locals");

  /* The limit itself (EBB__MAX_LOCALS) loads; one more does not. */
  put(&body, 1);
  uleb(&body, EBB__MAX_LOCALS);
  put(&body, 0x7f);
  put(&body, 0x0b);
  one_func(&m, &body);
  {
    ebb_module_t *mod = NULL;
    CHECK_EQ_INT(ebb_module_new(m.b, m.n, &mod, NULL), 0);
    ebb_module_delete(mod);
  }
  m.n = body.n = 0;
  put(&body, 1);
  uleb(&body, EBB__MAX_LOCALS + 1);
  put(&body, 0x7f);
  put(&body, 0x0b);
  expect_func_error("MAX+1 locals", &m, &body, EBB_EMALFORMED, "too many locals");

  /* A 2 GiB data segment in a module of a few bytes. */
  {
    bytes c = {0};
    header(&m);
    put(&c, 1);
    put(&c, 1); /* passive */
    uleb(&c, 0x80000000u);
    put_n(&c, "abcd", 4);
    section(&m, 11, &c);
    free(c.b);
    expect_load_error("2 GiB data", &m, EBB_EMALFORMED, "@0x");
    m.n = 0;
  }

  /* Absurd counts: each section says 4 billion entries. */
  static const struct { uint8_t id; const char *name; } counted[] = {
      {1, "types"}, {2, "imports"}, {3, "functions"}, {4, "tables"}, {5, "memories"},
      {6, "globals"}, {7, "exports"}, {9, "elements"}, {10, "code"}, {11, "data"},
  };
  for (size_t i = 0; i < sizeof counted / sizeof *counted; i++) {
    bytes c = {0};
    header(&m);
    uleb(&c, 0xffffffffu);
    put_n(&c, "\0\0\0\0", 4);
    section(&m, counted[i].id, &c);
    free(c.b);
    expect_load_error(counted[i].name, &m, EBB_EMALFORMED, "@0x");
    m.n = 0;
  }

  /* More functions than EBB__MAX_FUNCS, each one byte: refused by count. */
  {
    bytes c = {0};
    header(&m);
    put_n(&c, "\1\x60\0\0", 4);
    section(&m, 1, &c);
    uleb(&c, EBB__MAX_FUNCS + 1);
    for (uint32_t i = 0; i <= EBB__MAX_FUNCS; i++) put(&c, 0);
    section(&m, 3, &c);
    free(c.b);
    expect_load_error("MAX+1 functions", &m, EBB_EMALFORMED, "too many functions");
    m.n = 0;
  }

  /* A data count of 4 billion with no data section. */
  {
    bytes c = {0};
    header(&m);
    uleb(&c, 0xffffffffu);
    section(&m, 12, &c);
    free(c.b);
    expect_load_error("data count", &m, EBB_EMALFORMED, "");
    m.n = 0;
  }

  /* br_table with 4 billion labels, and select with 4 billion types. */
  put(&body, 0);
  put_n(&body, "\x41\0\x0e", 3);
  uleb(&body, 0xffffffffu);
  put_n(&body, "\0\0\x0b", 3);
  expect_func_error("br_table", &m, &body, EBB_EMALFORMED, "@0x");
  put(&body, 0);
  put_n(&body, "\x41\0\x41\0\x41\0\x1c", 7);
  uleb(&body, 0xffffffffu);
  put_n(&body, "\x7f\x1a\x0b", 3);
  one_func(&m, &body);
  {
    ebb_module_t *mod = NULL;
    ebb_error_t err;
    memset(&err, 0, sizeof err);
    CHECK(ebb_module_new(m.b, m.n, &mod, &err) < 0);
    CHECK(err.message[0] != '\0');
  }
  m.n = body.n = 0;

  /* A name section claiming 4 billion function names is skipped or refused,
  ** never believed. */
  {
    bytes c = {0}, sub = {0};
    put(&body, 0);
    put(&body, 0x0b);
    one_func(&m, &body);
    uleb(&c, 4);
    put_n(&c, "name", 4);
    uleb(&sub, 0xffffffffu);
    put_n(&sub, "\0\1f", 3);
    put(&c, 1); /* function names */
    uleb(&c, sub.n);
    put_n(&c, sub.b, sub.n);
    section(&m, 0, &c);
    long rss0 = max_rss_kb();
    ebb_module_t *mod = NULL;
    int rc = ebb_module_new(m.b, m.n, &mod, NULL);
    CHECK(rc == 0 || rc == EBB_EMALFORMED);
    CHECK(max_rss_kb() - rss0 < 65536);
    ebb_module_delete(mod);
    free(c.b);
    free(sub.b);
    m.n = body.n = 0;
  }

  /* 100,000 custom sections: fine, and quick. */
  {
    header(&m);
    for (int i = 0; i < 100000; i++) put_n(&m, "\0\2\1x", 4);
    double t0 = now();
    ebb_module_t *mod = NULL;
    CHECK_EQ_INT(ebb_module_new(m.b, m.n, &mod, NULL), 0);
    CHECK(now() - t0 < SLOW_SECONDS);
    ebb_module_delete(mod);
    m.n = 0;
  }

  /* One more operand than the validator's limit: EBB_ELIMIT, not a crash. */
  put(&body, 0);
  for (uint32_t i = 0; i <= (1u << 20); i++) put_n(&body, "\x41\0", 2);
  for (uint32_t i = 0; i <= (1u << 20); i++) put(&body, 0x1a);
  put(&body, 0x0b);
  expect_func_error("operands", &m, &body, EBB_ELIMIT, "operand stack");

  /* Blocks nested 100,000 deep load (or are refused by a limit), quickly. */
  put(&body, 0);
  for (int i = 0; i < 100000; i++) put_n(&body, "\x02\x40", 2);
  for (int i = 0; i < 100000; i++) put(&body, 0x0b);
  put(&body, 0x0b);
  one_func(&m, &body);
  {
    double t0 = now();
    ebb_module_t *mod = NULL;
    int rc = ebb_module_new(m.b, m.n, &mod, NULL);
    CHECK(rc == 0 || rc == EBB_ELIMIT);
    CHECK(now() - t0 < SLOW_SECONDS);
    ebb_module_delete(mod);
  }
  m.n = body.n = 0;

  /* A memory of more than 65536 pages is invalid. */
  mem_module(&m, 65537, false, 0);
  expect_load_error("65537 pages", &m, EBB_EINVALID, "");
  m.n = 0;

  free(m.b);
  free(body.b);
}

/* ---- Calling exports ------------------------------------------------------------ */

static ebb_outcome_t out;
static int64_t result;

static ebb_status_t callv(ebb_thread_t *t, ebb_instance_t *inst, const char *name,
                          const int64_t *a, int n) {
  ebb_extern_t ex;
  if (ebb_instance_export(inst, name, &ex) || ex.kind != EBB_EXTERN_FUNC) {
    fprintf(stderr, "no export %s\n", name);
    CHECK(!"export exists");
    return EBB_TRAP;
  }
  ebb_val_t args[4], res[1];
  for (int i = 0; i < n; i++) {
    args[i].kind = ebb_func_param(ex.of.func, (uint32_t)i);
    if (args[i].kind == EBB_I64) args[i].of.i64 = a[i];
    else args[i].of.i32 = (int32_t)a[i];
  }
  ebb_status_t st = ebb_call(t, ex.of.func, args, res, &out);
  result = 0;
  if (st == EBB_OK && ebb_func_result_count(ex.of.func))
    result = res[0].kind == EBB_I64 ? res[0].of.i64 : res[0].of.i32;
  return st;
}

#define ARGS(...) (const int64_t[]){__VA_ARGS__}, (int)(sizeof((int64_t[]){__VA_ARGS__}) / 8)
#define CALL(name, ...) callv(t, inst, name, ARGS(__VA_ARGS__))
#define CALL0(name) callv(t, inst, name, NULL, 0)

#define EXPECT_OK(call, value)                                              \
  do {                                                                      \
    CHECK_EQ_INT(call, EBB_OK);                                             \
    CHECK_EQ_INT(result, value);                                            \
  } while (0)

#define EXPECT_TRAP(call, kind)                                             \
  do {                                                                      \
    CHECK_EQ_INT(call, EBB_TRAP);                                           \
    CHECK_EQ_INT(out.trap, EBB_TRAP_##kind);                                \
  } while (0)

static ebb_instance_t *instantiate(ebb_store_t *s, const uint8_t *b, size_t n, int *rc,
                                   ebb_error_t *err) {
  ebb_module_t *mod = NULL;
  ebb_instance_t *inst = NULL;
  memset(err, 0, sizeof *err);
  *rc = ebb_module_new(b, n, &mod, err);
  if (*rc == 0) *rc = ebb_instance_new(s, mod, NULL, NULL, &inst, err);
  ebb_module_delete(mod); /* the instance holds its own reference */
  return inst;
}

/* ---- Part 2: memory, table and stack limits ------------------------------------ */

static void test_memory_limits(void) {
  ebb_limits_t lim = {.max_memory_pages = 4};
  ebb_store_t *s = ebb_store_new(&lim);
  ebb_thread_t *t = ebb_thread_new(s);
  int rc;
  ebb_error_t err;
  ebb_instance_t *inst = instantiate(s, sandbox_wasm, sizeof sandbox_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);

  /* memory.grow up to the store's per-memory limit, then -1. */
  EXPECT_OK(CALL("grow", 3), 1);
  EXPECT_OK(CALL("grow", 1), -1);
  EXPECT_OK(CALL("grow", 0), 4);
  EXPECT_OK(CALL("grow", -1), -1);
  EXPECT_OK(CALL("grow", 0x10000), -1);
  EXPECT_OK(CALL0("size"), 4);
  /* The last byte of the grown memory is there; one past is not. */
  EXPECT_OK(CALL("store8", 4 * 65536 - 1, 0x5a), 0);
  EXPECT_OK(CALL("load8", 4 * 65536 - 1), 0x5a);
  EXPECT_TRAP(CALL("load8", 4 * 65536), MEMORY_OOB);

  /* A module whose minimum is above the limit does not instantiate. */
  bytes m = {0};
  mem_module(&m, 5, false, 0);
  ebb_instance_t *big = instantiate(s, m.b, m.n, &rc, &err);
  CHECK(big == NULL);
  CHECK_EQ_INT(rc, EBB_ELIMIT);
  CHECK_STR_CONTAINS(err.message, "memory");
  m.n = 0;

  /* A declared maximum below the store's limit is accepted as declared. */
  mem_module(&m, 1, true, 2);
  CHECK(instantiate(s, m.b, m.n, &rc, &err) != NULL);
  m.n = 0;

  ebb_thread_delete(t);
  ebb_store_delete(s);
  free(m.b);
}

static void test_store_memory_cap(void) {
  ebb_limits_t lim = {.max_memory_pages = 8, .max_store_memory_pages = 6};
  ebb_store_t *s = ebb_store_new(&lim);
  ebb_thread_t *t = ebb_thread_new(s);
  int rc;
  ebb_error_t err;
  bytes m = {0};

  /* 1 (sandbox) + 4 = 5 pages of 6. */
  ebb_instance_t *inst = instantiate(s, sandbox_wasm, sizeof sandbox_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  mem_module(&m, 4, false, 0);
  CHECK(instantiate(s, m.b, m.n, &rc, &err) != NULL);
  m.n = 0;
  /* Another 2 would make 7. */
  mem_module(&m, 2, false, 0);
  CHECK(instantiate(s, m.b, m.n, &rc, &err) == NULL);
  CHECK_EQ_INT(rc, EBB_ELIMIT);
  CHECK_STR_CONTAINS(err.message, "memory");
  m.n = 0;
  /* The host cannot go around it either. */
  CHECK(ebb_memory_new(s, 2, 0, false, false) == NULL);
  /* One page is left: grow by 2 fails, by 1 succeeds, then nothing is left. */
  EXPECT_OK(CALL("grow", 2), -1);
  EXPECT_OK(CALL("grow", 1), 1);
  EXPECT_OK(CALL("grow", 1), -1);
  CHECK(ebb_memory_new(s, 1, 0, false, false) == NULL);
  /* Zero-page memories cost nothing. */
  CHECK(ebb_memory_new(s, 0, 0, false, false) != NULL);
  EXPECT_OK(CALL0("size"), 2);

  /* A store of its own has its own budget. */
  ebb_store_t *s2 = ebb_store_new(&lim);
  CHECK(ebb_memory_new(s2, 6, 0, false, false) != NULL);
  CHECK(ebb_memory_new(s2, 1, 0, false, false) == NULL);
  ebb_store_delete(s2);

  /* Unlimited by default. */
  ebb_store_t *s3 = ebb_store_new(NULL);
  for (int i = 0; i < 8; i++) CHECK(ebb_memory_new(s3, 16, 16, true, false) != NULL);
  ebb_store_delete(s3);

  ebb_thread_delete(t);
  ebb_store_delete(s);
  free(m.b);
}

static void test_table_limits(void) {
  ebb_limits_t lim = {.max_table_elems = 100};
  ebb_store_t *s = ebb_store_new(&lim);
  ebb_thread_t *t = ebb_thread_new(s);
  int rc;
  ebb_error_t err;
  bytes m = {0};

  table_module(&m, 101);
  CHECK(instantiate(s, m.b, m.n, &rc, &err) == NULL);
  CHECK_EQ_INT(rc, EBB_ELIMIT);
  CHECK_STR_CONTAINS(err.message, "table");
  m.n = 0;
  /* Four billion elements: valid, refused at once by the limit. */
  table_module(&m, 0xffffffffu);
  {
    long rss0 = max_rss_kb();
    ebb_store_t *dflt = ebb_store_new(NULL);
    CHECK(instantiate(dflt, m.b, m.n, &rc, &err) == NULL);
    CHECK_EQ_INT(rc, EBB_ELIMIT);
    CHECK(max_rss_kb() - rss0 < 65536);
    ebb_store_delete(dflt);
  }
  m.n = 0;
  table_module(&m, 100);
  CHECK(instantiate(s, m.b, m.n, &rc, &err) != NULL);
  m.n = 0;

  /* table.grow: the declared maximum (8) wins over the store's 100. */
  ebb_instance_t *inst = instantiate(s, sandbox_wasm, sizeof sandbox_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  EXPECT_OK(CALL("tgrow", 4), 4);
  EXPECT_OK(CALL("tgrow", 1), -1);
  EXPECT_OK(CALL("tgrow", -1), -1);
  EXPECT_OK(CALL0("tsize"), 8);
  ebb_store_t *small = ebb_store_new(&(ebb_limits_t){.max_table_elems = 6});
  ebb_thread_t *t2 = ebb_thread_new(small);
  ebb_instance_t *inst2 = instantiate(small, sandbox_wasm, sizeof sandbox_wasm, &rc, &err);
  CHECK_EQ_INT(callv(t2, inst2, "tgrow", ARGS(3)), EBB_OK);
  CHECK_EQ_INT(result, -1);
  CHECK_EQ_INT(callv(t2, inst2, "tgrow", ARGS(2)), EBB_OK);
  CHECK_EQ_INT(result, 4);
  ebb_thread_delete(t2);
  ebb_store_delete(small);

  /* Host tables: a maximum below the size is refused. */
  CHECK(ebb_table_new(s, EBB_FUNCREF, 5, 2, true) == NULL);
  CHECK(ebb_table_new(s, EBB_FUNCREF, 101, 0, false) == NULL);
  CHECK(ebb_table_new(s, EBB_FUNCREF, 2, 5, true) != NULL);

  ebb_thread_delete(t);
  ebb_store_delete(s);
  free(m.b);
}

static void test_stack_limits(void) {
  int rc;
  ebb_error_t err;

  /* depth(n) needs n + 1 frames: 100 frames allow depth(99), not depth(100). */
  ebb_store_t *s = ebb_store_new(&(ebb_limits_t){.max_call_depth = 100});
  ebb_thread_t *t = ebb_thread_new(s);
  ebb_instance_t *inst = instantiate(s, stack_wasm, sizeof stack_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  EXPECT_OK(CALL("depth", 99), 99);
  EXPECT_TRAP(CALL("depth", 100), STACK_EXHAUSTED);
  CHECK_STR_CONTAINS(out.message, "call stack exhausted");
  EXPECT_TRAP(CALL("depth", 1000000), STACK_EXHAUSTED);
  EXPECT_OK(CALL("depth", 10), 10); /* the thread is fine afterwards */
  ebb_thread_delete(t);
  ebb_store_delete(s);

  /* The value stack runs out first for big frames: 2000 slots hold fewer
  ** than ten frames of 200 locals. */
  s = ebb_store_new(&(ebb_limits_t){.max_call_depth = 100000, .value_stack_slots = 2000});
  t = ebb_thread_new(s);
  inst = instantiate(s, stack_wasm, sizeof stack_wasm, &rc, &err);
  EXPECT_OK(CALL("fat", 5), 5);
  EXPECT_TRAP(CALL("fat", 10), STACK_EXHAUSTED);
  EXPECT_OK(CALL("depth", 100), 100);
  ebb_thread_delete(t);
  ebb_store_delete(s);

  /* A frame larger than the whole stack: the first call traps. */
  s = ebb_store_new(&(ebb_limits_t){.value_stack_slots = 100});
  t = ebb_thread_new(s);
  inst = instantiate(s, stack_wasm, sizeof stack_wasm, &rc, &err);
  EXPECT_TRAP(CALL("fat", 0), STACK_EXHAUSTED);
  EXPECT_OK(CALL("depth", 3), 3);
  ebb_thread_delete(t);
  ebb_store_delete(s);
}

/* ---- Part 3: the sandbox boundary -------------------------------------------------- */

static void test_memory_edges(void) {
  ebb_store_t *s = ebb_store_new(&(ebb_limits_t){.max_memory_pages = 2});
  ebb_thread_t *t = ebb_thread_new(s);
  int rc;
  ebb_error_t err;
  ebb_instance_t *inst = instantiate(s, sandbox_wasm, sizeof sandbox_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  ebb_extern_t mx;
  CHECK_EQ_INT(ebb_instance_export(inst, "mem", &mx), 0);
  uint8_t *mem = ebb_memory_data(mx.of.memory);
  const int64_t P = 65536;

  /* The last valid byte of each width, and one past. */
  EXPECT_OK(CALL("store8", P - 1, 0xab), 0);
  EXPECT_OK(CALL("load8", P - 1), 0xab);
  EXPECT_TRAP(CALL("load8", P), MEMORY_OOB);
  EXPECT_OK(CALL("load32", P - 4), (int32_t)0xab000000);
  EXPECT_TRAP(CALL("load32", P - 3), MEMORY_OOB);
  EXPECT_OK(CALL("load64", P - 8), (int64_t)0xab00000000000000ull);
  EXPECT_TRAP(CALL("load64", P - 7), MEMORY_OOB);
  EXPECT_TRAP(CALL("load32", -1), MEMORY_OOB);
  EXPECT_TRAP(CALL("load32", 0x80000000), MEMORY_OOB);

  /* A trapping store writes nothing, not even its in-bounds bytes. */
  memset(mem + P - 8, 0x11, 8);
  EXPECT_TRAP(CALL("store32", P - 3, -1), MEMORY_OOB);
  EXPECT_TRAP(CALL("store64", P - 4, -1), MEMORY_OOB);
  EXPECT_TRAP(CALL("store32_off4", P - 6, -1), MEMORY_OOB);
  for (int i = 1; i <= 8; i++) CHECK_EQ_INT(mem[P - i], 0x11);
  EXPECT_OK(CALL("store32_off4", P - 8, 0x01020304), 0);
  CHECK_EQ_INT(mem[P - 4], 4);
  CHECK_EQ_INT(mem[P - 1], 1);

  /* address + offset is computed in 64 bits: no wrap-around to low memory. */
  mem[2] = 0x77;
  EXPECT_TRAP(CALL("load32_off4", -2), MEMORY_OOB);  /* 0xfffffffe + 4 */
  EXPECT_TRAP(CALL("load32_off4", -4), MEMORY_OOB);  /* 0xfffffffc + 4 = 2^32 */
  EXPECT_TRAP(CALL("load32_offmax", 0), MEMORY_OOB); /* huge offset */
  EXPECT_TRAP(CALL("load32_offmax", 3), MEMORY_OOB); /* 2^32 + 2 */
  EXPECT_TRAP(CALL("load8_off64k", 1), MEMORY_OOB);
  EXPECT_OK(CALL("load8_off64k", 0), 1);
  /* ...but an i32.add before the access does wrap, as wasm says. */
  EXPECT_OK(CALL("load32_add8", -8), (int32_t)mem[0] | mem[1] << 8 | 0x77 << 16 | mem[3] << 24);
  EXPECT_OK(CALL("load32_add8", -6), (int32_t)(0x77 | mem[3] << 8 | mem[4] << 16 | mem[5] << 24));
  EXPECT_TRAP(CALL("load32_add8", P - 11), MEMORY_OOB);
  EXPECT_TRAP(CALL("load32_add8", 0x7ffffff8), MEMORY_OOB);

  /* After growing, the new page is there and the old edge is not an edge. */
  EXPECT_OK(CALL("grow", 1), 1);
  mem = ebb_memory_data(mx.of.memory); /* the base never moves, but ask */
  EXPECT_OK(CALL("load32", P - 2), 0x0102);
  EXPECT_OK(CALL("load8", 2 * P - 1), 0);
  EXPECT_TRAP(CALL("load8", 2 * P), MEMORY_OOB);
  EXPECT_OK(CALL("grow", 1), -1); /* the store allows 2 pages */
  EXPECT_TRAP(CALL("load8", 2 * P), MEMORY_OOB);

  /* Bulk memory: bounds are checked before anything is written. */
  memset(mem, 0, 64);
  EXPECT_OK(CALL("fill", 2 * P - 1, 0x42, 1), 0);
  CHECK_EQ_INT(mem[2 * P - 1], 0x42);
  EXPECT_TRAP(CALL("fill", 2 * P - 1, 0x43, 2), MEMORY_OOB);
  CHECK_EQ_INT(mem[2 * P - 1], 0x42);
  EXPECT_OK(CALL("fill", 2 * P, 0, 0), 0); /* empty at the end: fine */
  EXPECT_TRAP(CALL("fill", 2 * P + 1, 0, 0), MEMORY_OOB);
  EXPECT_TRAP(CALL("fill", -1, 0, 2), MEMORY_OOB); /* d + n wraps in 32 bits */
  /* Overlapping copies, both directions. */
  for (int i = 0; i < 16; i++) mem[i] = (uint8_t)i;
  EXPECT_OK(CALL("copy", 2, 0, 8), 0);
  CHECK_EQ_INT(mem[2], 0);
  CHECK_EQ_INT(mem[9], 7);
  EXPECT_OK(CALL("copy", 0, 2, 8), 0);
  CHECK_EQ_INT(mem[0], 0);
  CHECK_EQ_INT(mem[7], 7);
  EXPECT_TRAP(CALL("copy", 0, 2 * P - 4, 8), MEMORY_OOB);
  EXPECT_TRAP(CALL("copy", 2 * P - 4, 0, 8), MEMORY_OOB);
  EXPECT_TRAP(CALL("copy", 0, -1, 2), MEMORY_OOB);
  CHECK_EQ_INT(mem[0], 0);
  EXPECT_OK(CALL("copy", 2 * P, 2 * P, 0), 0);
  EXPECT_TRAP(CALL("copy", 2 * P + 1, 0, 0), MEMORY_OOB);
  /* memory.init: the segment's bounds and the memory's. */
  EXPECT_OK(CALL("init", 100, 2, 6), 0);
  CHECK(memcmp(mem + 100, "cdefgh", 6) == 0);
  EXPECT_TRAP(CALL("init", 200, 2, 7), MEMORY_OOB);
  EXPECT_TRAP(CALL("init", 2 * P - 2, 0, 3), MEMORY_OOB);
  CHECK_EQ_INT(mem[200], 0);
  EXPECT_OK(CALL("init", 300, 8, 0), 0);
  EXPECT_TRAP(CALL("init", 300, 9, 0), MEMORY_OOB);
  EXPECT_OK(CALL0("drop"), 0);
  EXPECT_OK(CALL("init", 300, 0, 0), 0);
  EXPECT_TRAP(CALL("init", 300, 0, 1), MEMORY_OOB);

  ebb_thread_delete(t);
  ebb_store_delete(s);
}

static void test_table_edges(void) {
  ebb_store_t *s = ebb_store_new(NULL);
  ebb_thread_t *t = ebb_thread_new(s);
  int rc;
  ebb_error_t err;
  ebb_instance_t *inst = instantiate(s, sandbox_wasm, sizeof sandbox_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);

  /* Slots: 0 = $one, 1 = $two, 2 and 3 null; size 4, max 8. */
  EXPECT_OK(CALL("tget", 3), 1);
  EXPECT_TRAP(CALL("tget", 4), TABLE_OOB);
  EXPECT_TRAP(CALL("tget", -1), TABLE_OOB);
  EXPECT_OK(CALL("tset", 3), 0);
  EXPECT_TRAP(CALL("tset", 4), TABLE_OOB);
  EXPECT_OK(CALL("callind", 1), 2);
  EXPECT_OK(CALL("callind", 3), 1);
  EXPECT_TRAP(CALL("callind", 2), UNINITIALIZED_ELEMENT);
  EXPECT_TRAP(CALL("callind", 4), UNDEFINED_ELEMENT);
  EXPECT_TRAP(CALL("callind", -1), UNDEFINED_ELEMENT);
  EXPECT_OK(CALL("setwrong", 2), 0);
  EXPECT_TRAP(CALL("callind", 2), INDIRECT_TYPE_MISMATCH);

  /* fill / copy / init: bounds first, no partial effect. */
  EXPECT_OK(CALL("tfill", 3, 1), 0);
  EXPECT_OK(CALL("callind", 3), 2);
  EXPECT_TRAP(CALL("tfill", 3, 2), TABLE_OOB);
  EXPECT_OK(CALL("tfill", 4, 0), 0);
  EXPECT_TRAP(CALL("tfill", 5, 0), TABLE_OOB);
  EXPECT_TRAP(CALL("tcopy", 0, 1, 4), TABLE_OOB);
  EXPECT_TRAP(CALL("tcopy", 3, 0, 2), TABLE_OOB);
  EXPECT_OK(CALL("callind", 0), 1); /* untouched */
  EXPECT_OK(CALL("tcopy", 0, 1, 3), 0); /* overlapping */
  EXPECT_OK(CALL("callind", 0), 2);
  EXPECT_OK(CALL("tinit", 1, 0, 3), 0);
  EXPECT_OK(CALL("callind", 1), 1);
  EXPECT_OK(CALL("callind", 2), 2);
  EXPECT_TRAP(CALL("tinit", 2, 0, 3), TABLE_OOB);
  EXPECT_TRAP(CALL("tinit", 0, 1, 3), TABLE_OOB);
  EXPECT_TRAP(CALL("tinit", 0, -1, 2), TABLE_OOB);

  ebb_thread_delete(t);
  ebb_store_delete(s);
}

/* Values carried by branches and returns (COPY_N), br_table stubs shared
** by labels, and a local overwritten under more operands than stay lazy. */
static void test_copies(void) {
  ebb_store_t *s = ebb_store_new(NULL);
  ebb_thread_t *t = ebb_thread_new(s);
  int rc;
  ebb_error_t err;
  ebb_instance_t *inst = instantiate(s, copies_wasm, sizeof copies_wasm, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  EXPECT_OK(CALL("brif5", 1), 12345);
  EXPECT_OK(CALL("brif5", 0), 67890);
  EXPECT_OK(CALL("brtable5", 0), 12346); /* inner */
  EXPECT_OK(CALL("brtable5", 1), 12345); /* outer */
  EXPECT_OK(CALL("brtable5", 2), 12346);
  EXPECT_OK(CALL("brtable5", 3), 12345);
  EXPECT_OK(CALL("brtable5", 9), 12345); /* the default */
  EXPECT_OK(CALL("ret5", 7), 72345);
  EXPECT_OK(CALL("loop3", 10), 55);
  EXPECT_OK(CALL("loop3", 1000), 500500);
  EXPECT_OK(CALL0("lazy"), 22220);
  ebb_thread_delete(t);
  ebb_store_delete(s);
}

int main(void) {
  test_declared_locals();
  test_hostile_sizes();
  test_memory_limits();
  test_store_memory_cap();
  test_table_limits();
  test_stack_limits();
  test_memory_edges();
  test_table_edges();
  test_copies();
  test_compile_inflation();
  return CHECK_DONE();
}
