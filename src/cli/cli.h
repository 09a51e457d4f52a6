/*
** cli.h -- the `ebb` command's subcommands. Each returns the process exit
** status.
*/
#ifndef EBB_CLI_CLI_H
#define EBB_CLI_CLI_H

#include <stddef.h>

int ebb__cli_spectest(int argc, char **argv); /* argv[0] is "spectest" */
int ebb__cli_validate(int argc, char **argv);
int ebb__cli_run(int argc, char **argv);

/* Read a whole file into a malloc'd buffer. Returns 0 or EBB_EIO. */
int ebb__cli_read_file(const char *path, unsigned char **data, size_t *size);

#endif
