/*
** load_bench.c -- what loading a module costs, phase by phase:
**   build/bench/ebb_load [--runs N] MODULE.wasm...
** For each module, the median of N runs (default 5) of
**   - decode: copying the bytes and decoding the sections (ebb__decode);
**   - validate on one thread, and on every core (ebb__validate);
**   - load: ebb_module_new as an embedder calls it (decode + validate; bodies
**     are compiled on their first call), and ebb_module_new_owned (no copy);
**   - eager: ebb_module_new_ex with .eager, on one thread and on every core;
**     compile throughput is the bodies' bytes over (eager - load) on one
**     thread.
** Throughputs are in MB/s (10^6 bytes) of the whole module for decode and
** validate, of function bodies for compile. Host bytes are what the module
** holds after loading (ebb_module_host_bytes), lazily and eagerly.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/parallel.h"
#include "decode/module.h"
#include "ebb.h"
#include "valid/valid.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = n > 0 ? malloc((size_t)n) : NULL;
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *size = b ? (size_t)n : 0;
  return b;
}

enum { DECODE, VALID_1, VALID_N, LOAD, OWNED, EAGER_1, EAGER_N, NPHASES };

/* One run of each phase; times[phase] in seconds. 0, or -1 on a failure. */
static int run_once(const unsigned char *bytes, size_t size, double *times, uint64_t *lazy_bytes,
                    uint64_t *eager_bytes) {
  size_t parallel = ebb__parallel_bytes;
  ebb_error_t err = {0, ""};
  ebb__module *m;
  double t = now();
  if (ebb__decode(bytes, size, &m, &err)) return -1;
  times[DECODE] = now() - t;
  ebb__parallel_bytes = SIZE_MAX;
  t = now();
  int rc = ebb__validate(m, &err);
  times[VALID_1] = now() - t;
  ebb__parallel_bytes = parallel;
  t = now();
  rc |= ebb__validate(m, &err);
  times[VALID_N] = now() - t;
  ebb__module_free(m);
  if (rc) return -1;

  ebb_module_t *mod;
  t = now();
  if (ebb_module_new(bytes, size, &mod, &err)) return -1;
  times[LOAD] = now() - t;
  *lazy_bytes = ebb_module_host_bytes(mod);
  ebb_module_delete(mod);

  uint8_t *owned = ebb_module_bytes_alloc(size);
  if (!owned) return -1;
  memcpy(owned, bytes, size); /* not timed: a program reads its file into it */
  t = now();
  if (ebb_module_new_owned(owned, size, NULL, &mod, &err)) return -1;
  times[OWNED] = now() - t;
  ebb_module_delete(mod);

  ebb_module_options_t eager = {.eager = true};
  ebb__parallel_bytes = SIZE_MAX;
  t = now();
  rc = ebb_module_new_ex(bytes, size, &eager, &mod, &err);
  times[EAGER_1] = now() - t;
  ebb__parallel_bytes = parallel;
  if (rc) return -1;
  ebb_module_delete(mod);
  t = now();
  if (ebb_module_new_ex(bytes, size, &eager, &mod, &err)) return -1;
  times[EAGER_N] = now() - t;
  *eager_bytes = ebb_module_host_bytes(mod);
  ebb_module_delete(mod);
  return 0;
}

/* Bytes of function bodies (compile throughput is over these). */
static size_t body_bytes(const unsigned char *bytes, size_t size) {
  ebb__module *m;
  ebb_error_t err = {0, ""};
  if (ebb__decode(bytes, size, &m, &err)) return 0;
  size_t n = 0;
  for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++)
    n += m->funcdefs[i].code_end - m->funcdefs[i].code_start;
  ebb__module_free(m);
  return n;
}

int main(int argc, char **argv) {
  int runs = 5, first = 1;
  if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
    runs = atoi(argv[2]);
    first = 3;
  }
  if (first >= argc || runs < 1 || runs > 100) {
    fprintf(stderr, "usage: ebb_load [--runs N] MODULE.wasm...\n");
    return 2;
  }
  printf("%-22s %7s %7s | %8s %8s %8s | %7s %7s | %7s %7s %8s | %8s %8s\n", "module", "MB",
         "code MB", "decode", "valid/1", "valid/N", "load s", "owned s", "eager/1", "eager/N",
         "compile", "lazy MB", "eager MB");
  printf("%-22s %7s %7s | %8s %8s %8s | %7s %7s | %7s %7s %8s | %8s %8s\n", "", "", "", "MB/s",
         "MB/s", "MB/s", "", "", "s", "s", "MB/s", "held", "held");
  for (int a = first; a < argc; a++) {
    size_t size;
    unsigned char *bytes = read_file(argv[a], &size);
    if (!bytes) {
      fprintf(stderr, "ebb_load: cannot read %s\n", argv[a]);
      return 1;
    }
    double samples[NPHASES][100], med[NPHASES];
    uint64_t lazy_bytes = 0, eager_bytes = 0;
    for (int r = 0; r < runs; r++) {
      double times[NPHASES];
      if (run_once(bytes, size, times, &lazy_bytes, &eager_bytes)) {
        fprintf(stderr, "ebb_load: %s does not load\n", argv[a]);
        return 1;
      }
      for (int p = 0; p < NPHASES; p++) samples[p][r] = times[p];
    }
    for (int p = 0; p < NPHASES; p++) med[p] = median(samples[p], runs);
    double mb = (double)size / 1e6, code = (double)body_bytes(bytes, size) / 1e6;
    const char *name = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
    printf("%-22.22s %7.1f %7.1f | %8.0f %8.0f %8.0f | %7.3f %7.3f | %7.3f %7.3f %8.0f | %8.1f %8.1f\n",
           name, mb, code, mb / med[DECODE], mb / med[VALID_1], mb / med[VALID_N], med[LOAD],
           med[OWNED], med[EAGER_1], med[EAGER_N], code / (med[EAGER_1] - med[LOAD]),
           (double)lazy_bytes / 1e6, (double)eager_bytes / 1e6);
    free(bytes);
  }
  return 0;
}
