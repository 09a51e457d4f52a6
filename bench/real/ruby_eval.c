/*
** ruby_eval.c -- run a piece of Ruby in CRuby's WebAssembly build from npm
** (@ruby/3.4-wasm-wasi, dist/ruby+stdlib.wasm) under ebb, for bench/real.sh.
**
** That build is a reactor, not a command: it has no _start, it exports
** _initialize and the Ruby API of ruby.wasm's "rb-abi-guest" interface
** (old wit-bindgen canonical ABI, export names such as
** "rb-eval-string-protect: func(str: string) -> tuple<handle<rb-abi-value>, s32>"),
** and besides WASI it imports the JavaScript bridge "rb-js-abi-host" (what
** `require "js"` uses) and three "canonical_abi" resource functions. The
** npm package's own JS (dist/esm/vm.js, bindgen/legacy/rb-abi-guest.js)
** drives it as this program does:
**   1. instantiate with WASI and the bridge; call _initialize;
**   2. ruby-init(args): a list<string> of "ruby.wasm", "-EUTF-8", "-e_=0",
**      each with a NUL byte appended, as (ptr, len) pairs in an array, all
**      allocated in guest memory with the exported cabi_realloc;
**   3. rb-eval-string-protect(ptr, len) -> a return area of (handle, state);
**      state 0 is success and the handle names the result;
**   4. to read it: rb-funcallv-protect(handle, rb-intern("to_s"), []) and
**      rstring-ptr(handle) -> a return area of (ptr, len), released with
**      cabi_post_rstring-ptr.
** The strings given to ruby-init, rb-eval-string-protect and rb-intern end
** with a NUL byte, counted in their length: the guest hands them to C
** functions that read up to the NUL (vm.js appends "\0" to each).
** (The JS side also evaluates a Bundler set-up script after ruby-init; with
** no /bundle directory in the guest it does nothing, so it is left out.)
**
** Handles of Ruby values ("rb-abi-value") live on the host side: the guest
** makes one with canonical_abi.resource_new_rb-abi-value(raw) and reads it
** back with resource_get_rb-abi-value(handle); here they are indices in an
** array. The JavaScript bridge is not needed to evaluate plain Ruby: every
** rb-js-abi-host function, and the drop of a JS value, traps with a message
** naming it (no JavaScript here), so a script that reaches for `JS` fails
** loudly instead of seeing made-up values.
**
** Usage: ebb_ruby_eval [-v] RUBY.wasm [CODE]
**   CODE defaults to `puts (1..20).map { |i| i * i }.sum`. What the script
**   prints goes to stdout (WASI fd 1), then a line "=> " and the result's
**   to_s. Exit status 0 when the evaluation succeeded, 1 when Ruby raised
**   (the exception's inspect is printed), 2 on any other failure.
**   -v prints the time of each step on stderr.
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ebb.h"

#define DEFAULT_CODE "puts (1..20).map { |i| i * i }.sum"

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ebb_ruby_eval: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- host side of rb-abi-value handles ----------------------------------- */

static uint32_t *handles; /* handle -> the guest's raw value */
static uint32_t nhandles, caphandles;

static ebb_status_t resource_new(ebb_host_call_t *call, const uint64_t *args, uint64_t *res) {
  if (nhandles == caphandles) {
    caphandles = caphandles ? 2 * caphandles : 64;
    uint32_t *h = realloc(handles, caphandles * sizeof *h);
    if (!h) return ebb_host_trap(call, "out of memory for rb-abi-value handles");
    handles = h;
  }
  handles[nhandles] = (uint32_t)args[0];
  res[0] = nhandles++;
  return EBB_OK;
}

static ebb_status_t resource_get(ebb_host_call_t *call, const uint64_t *args, uint64_t *res) {
  uint32_t h = (uint32_t)args[0];
  if (h >= nhandles) return ebb_host_trap(call, "resource_get_rb-abi-value: no such handle");
  res[0] = handles[h];
  return EBB_OK;
}

/* Any import of the JavaScript bridge: trap, naming it. */
static ebb_status_t no_js(ebb_host_call_t *call, const uint64_t *args, uint64_t *res) {
  (void)args, (void)res;
  char msg[96];
  snprintf(msg, sizeof msg, "%s called: no JavaScript here", (const char *)ebb_host_data(call));
  return ebb_host_trap(call, msg);
}

/* ---- imports ------------------------------------------------------------- */

typedef struct {
  ebb_wasi_t *wasi;
  ebb_store_t *store;
  const ebb_module_t *module;
  char **labels; /* the no_js functions' names, freed at the end */
  size_t nlabels;
} env_t;

/* A host function with the type of import (module, name), calling fn. */
static ebb_func_t *host_for_import(env_t *e, const char *module, const char *name, ebb_host_fn fn,
                                   void *data) {
  uint32_t n = ebb_module_import_count(e->module);
  for (uint32_t i = 0; i < n; i++) {
    ebb_extern_desc_t d;
    if (ebb_module_import_desc(e->module, i, &d) || d.kind != EBB_EXTERN_FUNC) continue;
    if (strcmp(d.module, module) || strcmp(d.name, name)) continue;
    ebb_valkind_t k[64];
    if (d.nparams + d.nresults > 64) return NULL;
    for (uint32_t j = 0; j < d.nparams + d.nresults; j++) k[j] = (ebb_valkind_t)d.types[j];
    return ebb_func_new_host(e->store, k, d.nparams, k + d.nparams, d.nresults, fn, data);
  }
  return NULL;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  env_t *e = data;
  if (!strcmp(module, "wasi_snapshot_preview1"))
    return ebb_wasi_resolve(e->wasi, module, name, kind, out);
  if (kind != EBB_EXTERN_FUNC) return EBB_ENOTFOUND;
  ebb_func_t *f = NULL;
  if (!strcmp(module, "canonical_abi") && !strcmp(name, "resource_new_rb-abi-value")) {
    f = host_for_import(e, module, name, resource_new, NULL);
  } else if (!strcmp(module, "canonical_abi") && !strcmp(name, "resource_get_rb-abi-value")) {
    f = host_for_import(e, module, name, resource_get, NULL);
  } else if (!strcmp(module, "rb-js-abi-host") || !strcmp(module, "canonical_abi")) {
    /* "eval-js: func(code: string) -> ..." -> "rb-js-abi-host.eval-js" */
    size_t len = strcspn(name, ":");
    char *label = malloc(strlen(module) + len + 2);
    char **l = realloc(e->labels, (e->nlabels + 1) * sizeof *l);
    if (!label || !l) return free(label), EBB_ENOMEM;
    e->labels = l;
    e->labels[e->nlabels++] = label;
    sprintf(label, "%s.%.*s", module, (int)len, name);
    f = host_for_import(e, module, name, no_js, label);
  }
  if (!f) return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = f;
  return 0;
}

/* ---- calls into the guest ------------------------------------------------ */

static ebb_thread_t *thread;
static ebb_instance_t *inst;
static ebb_memory_t *mem;

static ebb_func_t *export_func(const char *name) {
  ebb_extern_t x;
  if (ebb_instance_export(inst, name, &x) || x.kind != EBB_EXTERN_FUNC)
    die("the module exports no function \"%s\"", name);
  return x.of.func;
}

/* Call export `name` with up to 4 i32 arguments; its i32 result, or 0. */
static int32_t call(const char *name, int nargs, ...) {
  ebb_func_t *f = export_func(name);
  ebb_val_t args[4], res[1];
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) args[i] = (ebb_val_t){.kind = EBB_I32, .of.i32 = va_arg(ap, int32_t)};
  va_end(ap);
  ebb_outcome_t o;
  ebb_status_t st = ebb_call(thread, f, args, res, &o);
  int n = (int)strcspn(name, ":"); /* "rb-intern: func(...) -> u32" -> "rb-intern" */
  if (st == EBB_EXIT) die("%.*s: the guest exited with status %d", n, name, o.exit_code);
  if (st != EBB_OK) die("%.*s: %s", n, name, o.message);
  return ebb_func_result_count(f) ? res[0].of.i32 : 0;
}

static uint8_t *at(uint32_t ptr, uint32_t len) {
  if ((uint64_t)ptr + len > ebb_memory_size(mem)) die("guest pointer out of bounds: %u+%u", ptr, len);
  return ebb_memory_data(mem) + ptr; /* fetched again after every call: memory may grow */
}

static uint32_t load32(uint32_t ptr) {
  uint8_t *p = at(ptr, 4);
  return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store32(uint32_t ptr, uint32_t v) {
  uint8_t *p = at(ptr, 4);
  p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

/* cabi_realloc(old, old_size, align, new_size) */
static uint32_t guest_alloc(uint32_t align, uint32_t size) {
  uint32_t p = (uint32_t)call("cabi_realloc", 4, 0, 0, (int32_t)align, (int32_t)size);
  if (!p && size) die("cabi_realloc(%u) failed", size);
  return p;
}

/* `s` and a NUL byte in guest memory, as the JS side's utf8_encode makes
** `s + "\0"`; its length with the NUL is strlen(s) + 1. */
static uint32_t guest_cstring(const char *s) {
  uint32_t len = (uint32_t)strlen(s) + 1;
  uint32_t p = guest_alloc(1, len);
  memcpy(at(p, len), s, len);
  return p;
}

#define F_EVAL "rb-eval-string-protect: func(str: string) -> tuple<handle<rb-abi-value>, s32>"
#define F_FUNCALL                                                                           \
  "rb-funcallv-protect: func(recv: handle<rb-abi-value>, mid: u32, args: "                  \
  "list<handle<rb-abi-value>>) -> tuple<handle<rb-abi-value>, s32>"
#define F_INTERN "rb-intern: func(name: string) -> u32"
#define F_RSTRING "rstring-ptr: func(value: handle<rb-abi-value>) -> string"
#define F_ERRINFO "rb-errinfo: func() -> handle<rb-abi-value>"
#define F_INIT "ruby-init: func(args: list<string>) -> ()"

/* `recv.method` with no arguments, as a string, or NULL when it raised. */
static char *call_to_string(uint32_t recv, const char *method) {
  uint32_t mid = (uint32_t)call(F_INTERN, 2, guest_cstring(method), (int32_t)strlen(method) + 1);
  uint32_t ret = (uint32_t)call(F_FUNCALL, 4, recv, mid, guest_alloc(4, 0), 0);
  if (load32(ret + 4) != 0) return NULL;
  uint32_t str = load32(ret);
  ret = (uint32_t)call(F_RSTRING, 1, str);
  uint32_t ptr = load32(ret), len = load32(ret + 4);
  char *s = malloc(len + 1);
  if (!s) die("out of memory");
  memcpy(s, at(ptr, len), len);
  s[len] = 0;
  call("cabi_post_rstring-ptr", 1, ret);
  return s;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (!b || n < 0 || fread(b, 1, (size_t)n, f) != (size_t)n) die("cannot read %s", path);
  fclose(f);
  *size = (size_t)n;
  return b;
}

int main(int argc, char **argv) {
  int verbose = 0, a = 1;
  if (a < argc && !strcmp(argv[a], "-v")) verbose = 1, a++;
  if (a >= argc || argc - a > 2 || argv[a][0] == '-') {
    fprintf(stderr, "usage: ebb_ruby_eval [-v] RUBY.wasm [CODE]\n"
                    "  (@ruby/3.4-wasm-wasi's dist/ruby+stdlib.wasm; CODE defaults to %s)\n",
            DEFAULT_CODE);
    return 2;
  }
  const char *path = argv[a], *code = a + 1 < argc ? argv[a + 1] : DEFAULT_CODE;

  double t0 = now_s();
  size_t size;
  uint8_t *bytes = read_file(path, &size);
  ebb_module_t *module;
  ebb_error_t err = {0};
  if (ebb_module_new(bytes, size, &module, &err)) die("%s: %s", path, err.message);
  free(bytes);
  double t1 = now_s();

  ebb_store_t *store = ebb_store_new(NULL);
  const char *wargv[] = {"ruby"};
  ebb_wasi_options_t wo = {.argc = 1, .argv = wargv};
  env_t env = {.wasi = store ? ebb_wasi_new(store, &wo) : NULL, .store = store, .module = module};
  thread = store ? ebb_thread_new(store) : NULL;
  if (!env.wasi || !thread) die("out of memory");
  if (ebb_instance_create(store, module, resolve, &env, &inst, &err)) die("instantiate: %s", err.message);
  ebb_extern_t m;
  if (ebb_instance_export(inst, "memory", &m) || m.kind != EBB_EXTERN_MEMORY) die("no memory export");
  mem = m.of.memory;
  ebb_func_t *start = ebb_instance_start_func(inst);
  ebb_outcome_t o;
  if (start && ebb_call(thread, start, NULL, NULL, &o) != EBB_OK) die("start: %s", o.message);
  call("_initialize", 0);
  double t2 = now_s();

  static const char *const rargs[] = {"ruby.wasm", "-EUTF-8", "-e_=0"};
  uint32_t n = sizeof rargs / sizeof rargs[0];
  uint32_t list = guest_alloc(4, n * 8);
  for (uint32_t i = 0; i < n; i++) {
    store32(list + i * 8, guest_cstring(rargs[i]));
    store32(list + i * 8 + 4, (uint32_t)strlen(rargs[i]) + 1);
  }
  call(F_INIT, 2, list, n);
  double t3 = now_s();

  uint32_t ret = (uint32_t)call(F_EVAL, 2, guest_cstring(code), (int32_t)strlen(code) + 1);
  uint32_t result = load32(ret), state = load32(ret + 4);
  int status = 0;
  if (state != 0) {
    uint32_t e = (uint32_t)call(F_ERRINFO, 0);
    char *s = call_to_string(e, "inspect");
    fprintf(stderr, "ebb_ruby_eval: Ruby raised (state %u): %s\n", state, s ? s : "(inspect raised too)");
    free(s);
    status = 1;
  } else {
    char *s = call_to_string(result, "to_s");
    if (!s) die("to_s of the result raised");
    /* Ruby buffers $stdout when it is not a terminal and flushes it when the
    ** VM ends, which a reactor never does: flush it now, before our line. */
    static const char flush[] = "$stdout.flush; $stderr.flush";
    call(F_EVAL, 2, guest_cstring(flush), (int32_t)sizeof flush);
    printf("=> %s\n", s);
    free(s);
  }
  double t4 = now_s();
  if (verbose)
    fprintf(stderr, "load %.3f s, instantiate + _initialize %.3f s, ruby-init %.3f s, eval %.3f s\n",
            t1 - t0, t2 - t1, t3 - t2, t4 - t3);

  ebb_thread_delete(thread);
  ebb_wasi_delete(env.wasi);
  ebb_store_delete(store);
  ebb_module_delete(module);
  for (size_t i = 0; i < env.nlabels; i++) free(env.labels[i]);
  free(env.labels);
  free(handles);
  return status;
}
