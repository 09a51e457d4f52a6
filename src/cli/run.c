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

#include "cli/run_args.h"

#define EXIT_TRAP 134

int ebb__cli_run(int argc, char **argv) {
  ebb__run_args args;
  int rc = ebb__run_args_parse(argc, argv, &args);
  if (rc >= 0) {
    ebb__run_args_free(&args);
    return rc;
  }
  const char *path = args.module_path;
  unsigned char *bytes;
  size_t size;
  if (ebb__cli_read_file(path, &bytes, &size)) {
    fprintf(stderr, "ebb: cannot read %s: %s\n", path, strerror(errno));
    ebb__run_args_free(&args);
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
  ebb_wasi_options_t opts = {args.guest_argc, (const char *const *)args.guest_argv, args.envc,
                             args.envp};
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
  ebb__run_args_free(&args);
  return status;
}
