/*
** run_args.h -- the command line of `ebb run`, parsed. Parsing is kept apart
** from running so that options can be added in one place.
*/
#ifndef EBB_CLI_RUN_ARGS_H
#define EBB_CLI_RUN_ARGS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ebb__run_args {
  const char *module_path;
  int guest_argc;          /* guest argv[0] is the module path */
  char **guest_argv;       /* points into the command's argv */
  int envc;
  const char **envp;       /* "NAME=VALUE", owned array of borrowed strings */
  int ndirs;
  const char **dir_host;   /* preopened host directories, owned arrays */
  const char **dir_guest;  /* their names in the guest */
  int nlisten;
  const char **listen;     /* --tcplisten HOST:PORT, owned array of borrowed strings */
  int64_t timeout_ns;      /* --timeout; -1 for none */
  const char *timeout_text; /* as given, for the message */
  int64_t grace_ns;        /* --grace (default 2 s); 0: end at once */
  bool grace_given;        /* --grace was given (--timeout signals only then) */
  uint64_t fuel;           /* --fuel; 0 for none */
  uint32_t max_threads;    /* --max-threads; 0 for the default */
  uint64_t max_memory;     /* --max-memory in bytes, else ebb__default_max_memory() */
  bool max_memory_given;   /* --max-memory was given: compile the module eagerly */
  bool renumber_any;       /* --wasi-renumber-any */
} ebb__run_args;

/* Parse argv (argv[0] is "run"). Returns -1 when the program should run, or
** the exit status to end with (0 after --help, 2 for a usage error, with
** the message printed). */
int ebb__run_args_parse(int argc, char **argv, ebb__run_args *out);
void ebb__run_args_free(ebb__run_args *a);

/* "500ms", "2s", "1m", "1h", "250us" -> nanoseconds; -1 if malformed. */
int64_t ebb__parse_duration(const char *s);

/* "65536", "64K", "512M", "1.5G", "1T" (K, M, G, T: powers of 1024, an
** optional "B" or "iB" after them) -> bytes; 0 if malformed, zero or
** beyond 2^64. */
uint64_t ebb__parse_size(const char *s);

/* What --max-memory is by default: half the machine's physical memory, or
** half the memory limit of the process's cgroup where that is lower (so a
** container's limit is respected). */
uint64_t ebb__default_max_memory(void);

#endif
