/* validate.c -- `ebb validate FILE...`: decode and validate, report errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ebb.h"

int ebb__cli_validate(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: ebb validate MODULE.wasm...\n");
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    ebb__cli_file file;
    if (ebb__cli_file_read(argv[i], &file)) {
      fprintf(stderr, "ebb: cannot read %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    ebb_module_t *m;
    ebb_error_t err = {0, ""};
    if (ebb__cli_module_new(&file, NULL, &m, &err)) {
      fprintf(stderr, "ebb: %s: %s\n", argv[i], err.message);
      status = 1;
    } else {
      ebb_module_delete(m);
    }
    ebb__cli_file_free(&file);
  }
  return status;
}
