/*
** cli.h -- the `ebb` command's subcommands. Each returns the process exit
** status.
*/
#ifndef EBB_CLI_CLI_H
#define EBB_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "ebb.h"

int ebb__cli_spectest(int argc, char **argv); /* argv[0] is "spectest" */
int ebb__cli_validate(int argc, char **argv);
int ebb__cli_run(int argc, char **argv);

/* Bind and listen on HOST:PORT ([IPV6]:PORT) for `ebb run --tcplisten`.
** Returns the descriptor, or -1 with the reason in why. */
int ebb__cli_listen(const char *spec, char *why, size_t why_size);

/* Print "<formatted>\n" to stderr without ever blocking for long: ebb's
** own messages must not keep it alive on a stopped terminal (say.c). */
void ebb__cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A whole module file's bytes: a regular file's in memory from
** ebb_module_bytes_alloc (module_bytes), anything else's (a pipe) malloc'd. */
typedef struct ebb__cli_file {
  unsigned char *data;
  size_t size;
  bool module_bytes;
} ebb__cli_file;

/* Returns 0 or EBB_EIO (errno says why); ebb__cli_file_free releases. */
int ebb__cli_file_read(const char *path, ebb__cli_file *out);
void ebb__cli_file_free(ebb__cli_file *f);

/* Load the file as a module: its memory is given to the module when it can
** be (ebb_module_new_owned; f is then empty), else copied. */
int ebb__cli_module_new(ebb__cli_file *f, const ebb_module_options_t *opts, ebb_module_t **out,
                        ebb_error_t *err);

#endif
