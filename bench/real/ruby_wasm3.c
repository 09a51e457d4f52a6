/*
** ruby_wasm3.c -- the wasm3 counterpart of ruby_eval.c, for bench/real.sh's
** CRuby row under wasm3: the same calls into @ruby/3.4-wasm-wasi's
** ruby+stdlib.wasm, made through wasm3's embedding API. Nothing of wasm3 is
** in this repository: bench/real.sh compiles this file against a wasm3
** checkout's headers and links the libm3.a of the wasm3 build given to it
** (--wasm3-src, --wasm3).
**
** The call sequence and the host side of rb-abi-value handles are those of
** ruby_eval.c (see there). Two things differ, both because of wasm3:
**  - the wasm3 command line cannot drive a reactor (it calls one export,
**    with number arguments), hence this program;
**  - wasm3's own WASI (BUILD_WASI=simple) lacks 19 of the 35 WASI functions
**    this module imports (fd_filestat_get, path_filestat_get, fd_readdir,
**    poll_oneoff, ...), and wasm3 refuses to compile a function that calls
**    an import left unlinked ("function body is missing"). Each of those is
**    linked here to a stub that returns ENOSYS (52), and the program says
**    how many. Ruby's standard library is inside the module (wasi-vfs), so
**    the boot and the default script run without them; ebb runs the real
**    calls, so the two runs are close, not identical.
** It reads wasm3's module structure (m3_env.h) to list the imports, so it
** is tied to the wasm3 version the README names.
**
** Usage: ruby_wasm3 [-v] RUBY.wasm [CODE]   (as ebb_ruby_eval)
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "m3_api_wasi.h"
#include "m3_env.h"
#include "wasm3.h"

#define DEFAULT_CODE "puts (1..20).map { |i| i * i }.sum"
#define STACK_BYTES (1u << 20)

static IM3Runtime rt;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ruby_wasm3: ", stderr);
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

static void check(M3Result r, const char *what) {
  if (!r) return;
  M3ErrorInfo info;
  m3_GetErrorInfo(rt, &info);
  die("%.*s: %s%s%s", (int)strcspn(what, ":"), what, r, info.message ? " " : "",
      info.message ? info.message : "");
}

/* ---- imports ------------------------------------------------------------- */

static uint32_t *handles;
static uint32_t nhandles, caphandles;

m3ApiRawFunction(resource_new) {
  m3ApiReturnType(int32_t);
  m3ApiGetArg(int32_t, raw);
  if (nhandles == caphandles) {
    caphandles = caphandles ? 2 * caphandles : 64;
    handles = realloc(handles, caphandles * sizeof *handles);
    if (!handles) m3ApiTrap("out of memory for rb-abi-value handles");
  }
  handles[nhandles] = (uint32_t)raw;
  m3ApiReturn((int32_t)nhandles++);
}

m3ApiRawFunction(resource_get) {
  m3ApiReturnType(int32_t);
  m3ApiGetArg(uint32_t, h);
  if (h >= nhandles) m3ApiTrap("resource_get_rb-abi-value: no such handle");
  m3ApiReturn((int32_t)handles[h]);
}

m3ApiRawFunction(no_js) {
  fprintf(stderr, "ruby_wasm3: %s.%s called: no JavaScript here\n", _ctx->function->import.moduleUtf8,
          _ctx->function->import.fieldUtf8);
  m3ApiTrap("a JavaScript bridge function was called");
}

m3ApiRawFunction(enosys) {
  m3ApiReturnType(int32_t);
  m3ApiReturn(52); /* WASI ENOSYS */
}

/* ---- calls --------------------------------------------------------------- */

static int32_t call(const char *name, int nargs, ...) {
  IM3Function f;
  check(m3_FindFunction(&f, rt, name), name);
  char buf[4][16];
  const char *argv[4];
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) {
    snprintf(buf[i], sizeof buf[i], "%d", va_arg(ap, int32_t));
    argv[i] = buf[i];
  }
  va_end(ap);
  check(m3_CallArgv(f, (uint32_t)nargs, argv), name);
  int32_t ret = 0;
  if (m3_GetRetCount(f)) check(m3_GetResultsV(f, &ret), name);
  return ret;
}

static uint8_t *at(uint32_t ptr, uint32_t len) {
  uint32_t size;
  uint8_t *m = m3_GetMemory(rt, &size, 0); /* again after every call: memory may grow */
  if (!m || (uint64_t)ptr + len > size) die("guest pointer out of bounds: %u+%u", ptr, len);
  return m + ptr;
}

static uint32_t load32(uint32_t p) {
  uint8_t *b = at(p, 4);
  return b[0] | b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void store32(uint32_t p, uint32_t v) {
  uint8_t *b = at(p, 4);
  b[0] = v, b[1] = v >> 8, b[2] = v >> 16, b[3] = v >> 24;
}

static uint32_t guest_alloc(uint32_t align, uint32_t size) {
  uint32_t p = (uint32_t)call("cabi_realloc", 4, 0, 0, (int32_t)align, (int32_t)size);
  if (!p && size) die("cabi_realloc(%u) failed", size);
  return p;
}

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

static char *call_to_string(uint32_t recv, const char *method) {
  uint32_t mid = (uint32_t)call(F_INTERN, 2, guest_cstring(method), (int32_t)strlen(method) + 1);
  uint32_t ret = (uint32_t)call(F_FUNCALL, 4, recv, mid, guest_alloc(4, 0), 0);
  if (load32(ret + 4) != 0) return NULL;
  ret = (uint32_t)call(F_RSTRING, 1, load32(ret));
  uint32_t ptr = load32(ret), len = load32(ret + 4);
  char *s = malloc(len + 1);
  if (!s) die("out of memory");
  memcpy(s, at(ptr, len), len);
  s[len] = 0;
  call("cabi_post_rstring-ptr", 1, ret);
  return s;
}

int main(int argc, char **argv) {
  int verbose = 0, a = 1;
  if (a < argc && !strcmp(argv[a], "-v")) verbose = 1, a++;
  if (a >= argc || argc - a > 2 || argv[a][0] == '-') {
    fprintf(stderr, "usage: ruby_wasm3 [-v] RUBY.wasm [CODE]\n");
    return 2;
  }
  const char *path = argv[a], *code = a + 1 < argc ? argv[a + 1] : DEFAULT_CODE;

  double t0 = now_s();
  FILE *fp = fopen(path, "rb");
  if (!fp) die("cannot open %s", path);
  fseek(fp, 0, SEEK_END);
  long size = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  uint8_t *bytes = malloc(size > 0 ? (size_t)size : 1); /* wasm3 keeps using them */
  if (!bytes || size <= 0 || fread(bytes, 1, (size_t)size, fp) != (size_t)size) die("cannot read %s", path);
  fclose(fp);

  IM3Environment env = m3_NewEnvironment();
  rt = env ? m3_NewRuntime(env, STACK_BYTES, NULL) : NULL;
  if (!rt) die("out of memory");
  IM3Module mod;
  check(m3_ParseModule(env, &mod, bytes, (uint32_t)size), "parse");
  check(m3_LoadModule(rt, mod), "load");
  check(m3_LinkWASI(mod), "link WASI");
  unsigned stubs = 0;
  for (uint32_t i = 0; i < mod->numFuncImports; i++) {
    IM3Function f = &mod->functions[i];
    const char *m = f->import.moduleUtf8, *n = f->import.fieldUtf8;
    M3RawCall fn = NULL;
    if (!strcmp(m, "canonical_abi") && !strcmp(n, "resource_new_rb-abi-value")) fn = resource_new;
    else if (!strcmp(m, "canonical_abi") && !strcmp(n, "resource_get_rb-abi-value")) fn = resource_get;
    else if (!strcmp(m, "rb-js-abi-host") || !strcmp(m, "canonical_abi")) fn = no_js;
    else if (!f->compiled && !strcmp(m, "wasi_snapshot_preview1")) fn = enosys, stubs++;
    if (fn) check(m3_LinkRawFunction(mod, m, n, NULL, fn), n);
  }
  double t1 = now_s();
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
    char *s = call_to_string((uint32_t)call(F_ERRINFO, 0), "inspect");
    fprintf(stderr, "ruby_wasm3: Ruby raised (state %u): %s\n", state, s ? s : "(inspect raised too)");
    free(s);
    status = 1;
  } else {
    char *s = call_to_string(result, "to_s");
    if (!s) die("to_s of the result raised");
    static const char flush[] = "$stdout.flush; $stderr.flush";
    call(F_EVAL, 2, guest_cstring(flush), (int32_t)sizeof flush);
    printf("=> %s\n", s);
    free(s);
  }
  double t4 = now_s();
  if (verbose)
    fprintf(stderr,
            "load %.3f s, _initialize %.3f s, ruby-init %.3f s, eval %.3f s; "
            "%u WASI imports wasm3 lacks stubbed with ENOSYS\n",
            t1 - t0, t2 - t1, t3 - t2, t4 - t3, stubs);
  m3_FreeRuntime(rt);
  m3_FreeEnvironment(env);
  free(bytes);
  free(handles);
  return status;
}
