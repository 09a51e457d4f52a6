/*
** main.c -- the `ebb` command: dispatch to subcommands.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ebb.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: ebb <command> [options] [args]\n"
          "\n"
          "commands:\n"
          "  run [options] MODULE.wasm [ARGS...]   run a WASI command module\n"
          "  validate MODULE.wasm...               check that modules decode and validate\n"
          "  spectest [-v] FILE.json...            run wast2json spec test scripts\n"
          "\n"
          "options:\n"
          "  -h, --help      show this help (ebb run --help for run's options)\n"
          "  -V, --version   show the version\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("ebb %s\n", EBB_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "run")) return ebb__cli_run(argc - 1, argv + 1);
  if (!strcmp(cmd, "validate")) return ebb__cli_validate(argc - 1, argv + 1);
  if (!strcmp(cmd, "spectest")) return ebb__cli_spectest(argc - 1, argv + 1);
  fprintf(stderr, "ebb: unknown command '%s' (try 'ebb --help')\n", cmd);
  return 2;
}
