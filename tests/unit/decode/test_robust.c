/*
** test_robust.c -- hostile input: valid modules truncated at every length,
** with every bit flipped, with bytes replaced and with random mutations.
** The decoder must answer 0 with a module or an error with none, and never
** crash, read out of bounds or leak (run it under ASan). Modules that still
** decode have their bodies walked with ebb__read_instr, as the validator
** will.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode/instr.h"
#include "decode/module.h"

static const uint8_t everything[] = {
#include "everything.inc"
};

static long decoded, rejected;

static void walk_bodies(const ebb__module *m) {
  for (uint32_t i = 0; i + m->nimported_funcs < m->nfuncs; i++) {
    const ebb__funcdef *f = &m->funcdefs[i];
    CHECK(f->body_start < f->code_start && f->code_start < f->code_end && f->code_end <= m->size);
    ebb__reader r;
    ebb__reader_init(&r, m->bytes, m->bytes + f->code_start, m->bytes + f->code_end);
    ebb__instr in;
    while (!ebb__reader_eof(&r) && ebb__read_instr(&r, &in) == 0) {
    }
    (void)ebb__module_func_name(m, m->nimported_funcs + i);
  }
  for (uint32_t i = 0; i < m->ndatas; i++)
    CHECK((uint64_t)m->datas[i].start + m->datas[i].size <= m->size);
  for (uint32_t i = 0; i < m->ncustoms; i++)
    CHECK((uint64_t)m->customs[i].start + m->customs[i].size <= m->size);
}

/* Decodes a heap copy of exactly n bytes, so ASan sees any overrun. */
static void try_decode(const uint8_t *b, size_t n) {
  uint8_t *copy = malloc(n ? n : 1);
  memcpy(copy, b, n);
  ebb__module *m = (ebb__module *)1;
  ebb_error_t err = {0};
  int rc = ebb__decode(copy, n, &m, &err);
  free(copy);
  if (rc == 0) {
    CHECK(m != NULL);
    decoded++;
    if (m) walk_bodies(m);
    ebb__module_free(m);
  } else {
    CHECK(m == NULL);
    CHECK(rc == EBB_EMALFORMED);
    CHECK(err.code == rc && err.message[0] != '\0');
    rejected++;
  }
}

static void torture(const uint8_t *b, size_t n) {
  uint8_t *w = malloc(n);
  static const uint8_t repl[] = {0x00, 0x80, 0xff};
  for (size_t len = 0; len < n; len++) try_decode(b, len);
  for (size_t i = 0; i < n; i++) {
    memcpy(w, b, n);
    for (int bit = 0; bit < 8; bit++) {
      w[i] = b[i] ^ (uint8_t)(1u << bit);
      try_decode(w, n);
    }
    for (size_t k = 0; k < sizeof repl; k++) {
      w[i] = repl[k];
      try_decode(w, n);
    }
  }
  /* A few random bytes changed at once (a fixed LCG: reproducible). */
  static uint32_t seed = 12345;
  for (int iter = 0; iter < 3000; iter++) {
    memcpy(w, b, n);
    int changes = 1 + iter % 4;
    for (int c = 0; c < changes; c++) {
      seed = seed * 1103515245u + 12345u;
      size_t pos = (seed >> 8) % n;
      seed = seed * 1103515245u + 12345u;
      w[pos] = (uint8_t)(seed >> 16);
    }
    try_decode(w, n);
  }
  free(w);
}

static uint8_t *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return b;
}

int main(void) {
  torture(everything, sizeof everything);

  /* Some spec modules, when the suite is next to the repository. */
  static const char *const spec[] = {
      "elem/elem.0.wasm",         "data/data.0.wasm",         "imports/imports.0.wasm",
      "call_indirect/call_indirect.0.wasm", "table_init/table_init.0.wasm",
      "memory_init/memory_init.0.wasm", "global/global.0.wasm",
  };
  char dir[1024], path[1400];
  const char *env = getenv("EBB_SPEC_DIR");
  snprintf(dir, sizeof dir, "%s", env ? env : __FILE__);
  char *p = env ? NULL : strstr(dir, "/tests/unit/decode/");
  if (p) snprintf(p, sizeof dir - (size_t)(p - dir), "/../shared/spec");
  int found = 0;
  for (size_t i = 0; i < sizeof spec / sizeof *spec; i++) {
    size_t n;
    snprintf(path, sizeof path, "%s/core/%s", dir, spec[i]);
    uint8_t *b = slurp(path, &n);
    if (!b) continue;
    found++;
    torture(b, n);
    free(b);
  }
  if (!found) printf("note: spec suite not found; only the built-in module was used\n");
  printf("variants: %ld decoded, %ld rejected\n", decoded, rejected);
  CHECK(decoded > 0 && rejected > 0);
  return CHECK_DONE();
}
