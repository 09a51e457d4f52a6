/*
** run.c -- `ebb run [options] MODULE.wasm [ARGS...]`: instantiate a WASI
** command module and call its `_start`. Exit status: the guest's proc_exit
** code, 0 when _start returns, 134 after a trap (as wasmtime), 1 when the
** module cannot be loaded or linked, 2 for usage errors.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ebb.h"

#define EXIT_TRAP 134

static void run_usage(FILE *f) {
  fprintf(f,
          "usage: ebb run [options] [--] MODULE.wasm [ARGS...]\n"
          "\n"
          "Run a WASI command module: call its _start export with ARGS as its\n"
          "arguments (argv[0] is MODULE.wasm).\n"
          "\n"
          "options:\n"
          "  --env NAME=VALUE   set an environment variable for the guest (repeatable)\n"
          "  -h, --help         show this help\n"
          "\n"
          "exit status: the guest's exit code; 134 if it traps; 1 if the module\n"
          "cannot be loaded or linked; 2 for a usage error.\n");
}

int ebb__cli_run(int argc, char **argv) {
  const char **envp = calloc((size_t)argc + 1, sizeof *envp);
  int envc = 0, i = 1;
  if (!envp) return 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      run_usage(stdout);
      free(envp);
      return 0;
    }
    if (!strcmp(a, "--env") || !strncmp(a, "--env=", 6)) {
      const char *v = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || !strchr(v, '=')) {
        fprintf(stderr, "ebb: --env needs NAME=VALUE\n");
        free(envp);
        return 2;
      }
      envp[envc++] = v;
      continue;
    }
    if (a[0] == '-' && a[1]) {
      fprintf(stderr, "ebb: unknown option '%s' (try 'ebb run --help')\n", a);
      free(envp);
      return 2;
    }
    break;
  }
  if (i >= argc) {
    run_usage(stderr);
    free(envp);
    return 2;
  }
  const char *path = argv[i];
  unsigned char *bytes;
  size_t size;
  if (ebb__cli_read_file(path, &bytes, &size)) {
    fprintf(stderr, "ebb: cannot read %s: %s\n", path, strerror(errno));
    free(envp);
    return 1;
  }
  int status = 1;
  ebb_error_t err = {0, ""};
  ebb_module_t *module = NULL;
  ebb_store_t *store = NULL;
  ebb_wasi_t *wasi = NULL;
  ebb_thread_t *thread = NULL;
  if (ebb_module_new(bytes, size, &module, &err)) {
    fprintf(stderr, "ebb: %s: %s\n", path, err.message);
    goto done;
  }
  store = ebb_store_new(NULL);
  ebb_wasi_options_t opts = {argc - i, (const char *const *)argv + i, envc, envp};
  wasi = store ? ebb_wasi_new(store, &opts) : NULL;
  thread = store ? ebb_thread_new(store) : NULL;
  if (!store || !wasi || !thread) {
    fprintf(stderr, "ebb: out of memory\n");
    goto done;
  }
  ebb_instance_t *inst;
  if (ebb_instance_new(store, module, ebb_wasi_resolve, wasi, &inst, &err)) {
    fprintf(stderr, "ebb: %s: %s\n", path, err.message);
    goto done;
  }
  ebb_extern_t start;
  if (ebb_instance_export(inst, "_start", &start) || start.kind != EBB_EXTERN_FUNC) {
    fprintf(stderr, "ebb: %s: no _start function to run\n", path);
    goto done;
  }
  ebb_outcome_t out;
  switch (ebb_call(thread, start.of.func, NULL, NULL, &out)) {
  case EBB_OK: status = 0; break;
  case EBB_EXIT: status = out.exit_code; break;
  case EBB_TRAP:
    fflush(stdout);
    fprintf(stderr, "ebb: trap: %s\n", out.message);
    status = EXIT_TRAP;
    break;
  case EBB_INTERRUPTED:
    fprintf(stderr, "ebb: interrupted\n");
    status = 130;
    break;
  }
done:
  ebb_thread_delete(thread);
  ebb_wasi_delete(wasi);
  ebb_store_delete(store);
  ebb_module_delete(module);
  free(bytes);
  free(envp);
  return status;
}
