/* run.c -- `ebb run`: placeholder until the WASI slice lands. */
#include <stdio.h>

#include "cli/cli.h"

int ebb__cli_run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "ebb: run is not built yet\n");
  return 2;
}
