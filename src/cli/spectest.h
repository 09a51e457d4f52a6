/*
** spectest.h -- internals of `ebb spectest`, the runner for wabt's
** wast2json command scripts: values as the scripts spell them, the
** `spectest` host module, and the trap-text rule. Shared by the runner's
** files and their unit tests; nothing here is public API.
*/
#ifndef EBB_CLI_SPECTEST_H
#define EBB_CLI_SPECTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebb.h"
#include "json.h"

/* ---- Values (spectest_value.c) ----------------------------------------- */

/* How an expected value (or one v128 lane of it) is compared. */
typedef enum ebb__spec_match {
  EBB__SPEC_EXACT,          /* the same bits */
  EBB__SPEC_NAN_CANONICAL,  /* any NaN whose payload is only the quiet bit */
  EBB__SPEC_NAN_ARITHMETIC, /* any NaN with the quiet bit set */
  EBB__SPEC_NONNULL,        /* any non-null reference */
} ebb__spec_match_t;

/* A value from a script: an argument, or an expected result. */
typedef struct ebb__spec_value {
  ebb_val_t val;  /* kind and bits (NaN patterns hold 0) */
  uint8_t lane_bits;  /* v128 only: 8, 16, 32 or 64 */
  bool lane_float;    /* v128 only: lanes are f32 or f64 */
  ebb__spec_match_t match[16]; /* per lane for v128; match[0] for scalars */
} ebb__spec_value_t;

/* Parses {"type": T, "value": V} (and "lane_type" for v128). Patterns
** (nan:canonical, nan:arithmetic, a non-null funcref) are accepted only
** when `expected` is true. Returns 0, or -1 with a message in err. */
int ebb__spec_value_parse(const ebb__json_t *j, bool expected, ebb__spec_value_t *out,
                          char *err, size_t err_size);

/* Whether a result matches an expected value, kind included. */
bool ebb__spec_value_matches(const ebb__spec_value_t *expected, const ebb_val_t *got);

/* Short readable forms, e.g. "i32:42", "f32:1.5(0x3fc00000)",
** "f64:nan:canonical", "externref:7", "v128:i32x4[1 2 3 4]". A v128 is shown
** in the lane shape of `shape` (may be NULL: i32x4). */
void ebb__spec_value_format(const ebb_val_t *v, const ebb__spec_value_t *shape, char *buf,
                            size_t size);
void ebb__spec_expected_format(const ebb__spec_value_t *e, char *buf, size_t size);

/* The host pointer that stands for script externref N, and back. N+1, so
** that externref 0 is not the null reference. */
void *ebb__spec_externref(uint64_t n);
bool ebb__spec_externref_number(const void *ref, uint64_t *n);

/* Whether a trap's message satisfies an assert_trap's "text": either
** contains the other ("uninitialized element 2" vs "uninitialized
** element"), so only a different kind of trap is a mismatch. */
bool ebb__spec_trap_text_matches(const char *expected, const char *actual);

/* Parses a decimal integer as wast2json writes them ("4294967295"; a
** leading '-' is accepted too) into 64 bits, rejecting anything outside
** [-2^63, 2^64). */
bool ebb__spec_parse_u64(const char *s, uint64_t *out);

/* ---- The spectest host module (spectest_host.c) ------------------------ */

typedef struct ebb__spec_host {
  ebb_func_t *print, *print_i32, *print_i64, *print_f32, *print_f64, *print_i32_f32,
      *print_f64_f64;
  ebb_global_t *global_i32, *global_i64, *global_f32, *global_f64;
  ebb_table_t *table;
  ebb_memory_t *memory, *shared_memory;
  bool verbose;
} ebb__spec_host_t;

/* Creates the host module's objects in a store (they belong to it). An
** object the runtime cannot make is left NULL and its import will not
** resolve (e.g. shared_memory without threads). The print functions keep a
** pointer to `host` (they print their arguments when host->verbose), so it
** must outlive the store. */
void ebb__spec_host_init(ebb__spec_host_t *host, ebb_store_t *store, bool verbose);

/* Resolves spectest.<name> of the given kind: 0 or EBB_ENOTFOUND. */
int ebb__spec_host_lookup(const ebb__spec_host_t *host, const char *name,
                          ebb_externkind_t kind, ebb_extern_t *out);

#endif
