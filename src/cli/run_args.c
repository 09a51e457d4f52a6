/* run_args.c -- parsing `ebb run`'s options. */
#include "cli/run_args.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void run_usage(FILE *f) {
  fprintf(f,
          "usage: ebb run [options] [--] MODULE.wasm [ARGS...]\n"
          "\n"
          "Run a WASI command module: run its start function, then its _start\n"
          "export (of type [] -> []) with ARGS as its arguments (argv[0] is\n"
          "MODULE.wasm).\n"
          "\n"
          "options:\n"
          "  --dir HOST[::GUEST]  give the guest the host directory HOST, named GUEST\n"
          "                       (default: the same name); repeatable\n"
          "  --env NAME=VALUE     set an environment variable for the guest; repeatable\n"
          "  --tcplisten HOST:PORT\n"
          "                       listen on HOST:PORT ([IPV6]:PORT) and give the guest\n"
          "                       the socket for sock_accept; repeatable; sockets get\n"
          "                       descriptors 3, 4, ... before the --dir directories\n"
          "  --timeout DURATION   end the program after DURATION (500ms, 2s, 1m, 1h);\n"
          "                       exit status 124\n"
          "  --grace DURATION     a guest that exports __signal_address and\n"
          "                       __terminated_address is told of SIGINT and SIGTERM\n"
          "                       (signal 2 or 15 written there) and ended only if it\n"
          "                       has not finished DURATION later, or at a second\n"
          "                       signal (default 2s; 0 ends it at once). With\n"
          "                       --grace, --timeout tells such a guest 15 first\n"
          "  --fuel N             give the program N units of fuel (see README); running\n"
          "                       out is the trap \"out of fuel\"\n"
          "  --max-threads N      allow at most N threads, main included (default 1024);\n"
          "                       thread-spawn fails beyond that\n"
          "  --max-memory SIZE    bound the host memory the program may use (512M, 4G,\n"
          "                       or bytes; K, M, G, T are powers of 1024): loading the\n"
          "                       module, and then its memories, tables, instances and\n"
          "                       thread stacks together. Beyond it the module does not\n"
          "                       load (exit status 1), memory.grow and table.grow return\n"
          "                       -1, and thread-spawn fails. Default: half the machine's\n"
          "                       memory (or of its cgroup's limit, if lower). With it\n"
          "                       every function is compiled before the program starts\n"
          "                       (without it each is compiled on its first call), so\n"
          "                       that what the code costs is counted at once\n"
          "  --wasi-renumber-any  let fd_renumber move a descriptor to a number that\n"
          "                       is not open (the WASI spec says EBADF); for programs\n"
          "                       that park stdout at a spare number, as Yosys does\n"
          "  -h, --help           show this help\n"
          "\n"
          "limits that always apply: 100,000 frames and 8 MiB of value stack per\n"
          "thread (deeper is the trap \"call stack exhausted\"); 10,000,000 elements\n"
          "per table; 4 GiB per memory. Work the guest sizes (bulk memory, large WASI\n"
          "reads and writes) is done in chunks, so --timeout, SIGINT and SIGTERM end\n"
          "the program promptly whatever it does, even while the module loads. A read\n"
          "or write of stdio that must wait inside the kernel (a pty master as stdin)\n"
          "is ended with SIGRTMIN+4, which ebb handles itself.\n"
          "\n"
          "exit status: the guest's exit code; 134 if it traps (129 if a WASIX\n"
          "context's entry function returns); 124 on --timeout;\n"
          "130 on SIGINT and 143 on SIGTERM; 1 if the module cannot be loaded or\n"
          "linked; 2 for a usage error.\n");
}

int64_t ebb__parse_duration(const char *s) {
  if (!s || !*s) return -1;
  errno = 0;
  char *end;
  double v = strtod(s, &end);
  if (errno || end == s || v < 0) return -1;
  double scale;
  if (!strcmp(end, "ns")) scale = 1;
  else if (!strcmp(end, "us")) scale = 1e3;
  else if (!strcmp(end, "ms")) scale = 1e6;
  else if (!strcmp(end, "s") || !*end) scale = 1e9;
  else if (!strcmp(end, "m")) scale = 60e9;
  else if (!strcmp(end, "h")) scale = 3600e9;
  else return -1;
  double ns = v * scale;
  if (ns >= 9.2e18) return -1;
  return (int64_t)ns;
}

uint64_t ebb__parse_size(const char *s) {
  if (!s || *s < '0' || *s > '9') return 0;
  errno = 0;
  char *end;
  double v = strtod(s, &end);
  if (errno || end == s) return 0;
  double scale = 1;
  const char *units = "KMGT";
  const char *u = *end ? strchr(units, *end >= 'a' ? *end - 32 : *end) : NULL;
  if (u && *end) {
    for (const char *k = units; k <= u; k++) scale *= 1024;
    end++;
    if (*end == 'i' && end[1] == 'B') end += 2;
    else if (*end == 'B') end++;
  } else if (*end == 'B') {
    end++;
  }
  if (*end) return 0;
  double bytes = floor(v * scale);
  if (!(bytes >= 1) || bytes >= 18446744073709551616.0) return 0;
  return (uint64_t)bytes;
}

/* A byte count from the first line of a file (cgroup limits), or 0. */
static uint64_t read_limit(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  unsigned long long v = 0;
  if (fscanf(f, "%llu", &v) != 1) v = 0; /* "max": no limit */
  fclose(f);
  return v;
}

/* The memory limit of the process's cgroup (v2 memory.max, or v1's
** memory.limit_in_bytes), 0 if none is found. */
static uint64_t cgroup_limit(void) {
  uint64_t best = 0;
  FILE *f = fopen("/proc/self/cgroup", "r");
  char line[512], path[700];
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    const char *rest = NULL;
    const char *file = NULL;
    if (!strncmp(line, "0::", 3)) {
      rest = line + 3;
      file = "/sys/fs/cgroup%s/memory.max";
    } else if (strstr(line, ":memory:")) {
      rest = strstr(line, ":memory:") + 8;
      file = "/sys/fs/cgroup/memory%s/memory.limit_in_bytes";
    }
    if (!rest) continue;
    /* The named group, and the root of the view (a container's own). */
    for (int k = 0; k < 2; k++) {
      snprintf(path, sizeof path, file, k ? "" : (strcmp(rest, "/") ? rest : ""));
      uint64_t v = read_limit(path);
      if (v && (!best || v < best)) best = v;
    }
  }
  if (f) fclose(f);
  return best;
}

uint64_t ebb__default_max_memory(void) {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  uint64_t phys = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
  uint64_t cg = cgroup_limit();
  uint64_t total = cg && (!phys || cg < phys) ? cg : phys;
  return total ? total / 2 : (uint64_t)1 << 31; /* unknown: 2 GiB */
}

/* The value of an option given as --opt VALUE or --opt=VALUE. */
static const char *option_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n)) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] == '\0') return *i + 1 < argc ? argv[++*i] : "";
  return NULL;
}

int ebb__run_args_parse(int argc, char **argv, ebb__run_args *o) {
  memset(o, 0, sizeof *o);
  o->timeout_ns = -1;
  o->grace_ns = 2000000000; /* 2 s */
  o->envp = calloc((size_t)argc + 1, sizeof *o->envp);
  o->dir_host = calloc((size_t)argc + 1, sizeof *o->dir_host);
  o->dir_guest = calloc((size_t)argc + 1, sizeof *o->dir_guest);
  o->listen = calloc((size_t)argc + 1, sizeof *o->listen);
  if (!o->envp || !o->dir_host || !o->dir_guest || !o->listen) {
    fprintf(stderr, "ebb: out of memory\n");
    return 1;
  }
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i], *v;
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      run_usage(stdout);
      return 0;
    }
    if (!strcmp(a, "--wasi-renumber-any")) {
      o->renumber_any = true;
    } else if ((v = option_value(argc, argv, &i, "--env"))) {
      if (!strchr(v, '=') || *v == '=') {
        fprintf(stderr, "ebb: --env needs NAME=VALUE, not '%s'\n", v);
        return 2;
      }
      o->envp[o->envc++] = v;
    } else if ((v = option_value(argc, argv, &i, "--dir"))) {
      if (!*v) {
        fprintf(stderr, "ebb: --dir needs a directory\n");
        return 2;
      }
      const char *sep = strstr(v, "::");
      if (sep) {
        o->dir_host[o->ndirs] = strndup(v, (size_t)(sep - v));
        o->dir_guest[o->ndirs] = sep + 2;
      } else {
        o->dir_host[o->ndirs] = strdup(v);
        o->dir_guest[o->ndirs] = v;
      }
      o->ndirs++;
    } else if ((v = option_value(argc, argv, &i, "--tcplisten"))) {
      if (!*v) {
        fprintf(stderr, "ebb: --tcplisten needs HOST:PORT\n");
        return 2;
      }
      o->listen[o->nlisten++] = v;
    } else if ((v = option_value(argc, argv, &i, "--timeout"))) {
      o->timeout_ns = ebb__parse_duration(v);
      o->timeout_text = v;
      if (o->timeout_ns < 0) {
        fprintf(stderr, "ebb: --timeout needs a duration like 500ms, 2s or 1m, not '%s'\n", v);
        return 2;
      }
    } else if ((v = option_value(argc, argv, &i, "--grace"))) {
      o->grace_ns = ebb__parse_duration(v);
      o->grace_given = true;
      if (o->grace_ns < 0) {
        fprintf(stderr, "ebb: --grace needs a duration like 500ms, 2s or 0, not '%s'\n", v);
        return 2;
      }
    } else if ((v = option_value(argc, argv, &i, "--fuel"))) {
      char *end;
      errno = 0;
      unsigned long long f = strtoull(v, &end, 10);
      if (errno || !*v || *end || f == 0 || *v == '-') {
        fprintf(stderr, "ebb: --fuel needs a positive whole number, not '%s'\n", v);
        return 2;
      }
      o->fuel = f;
    } else if ((v = option_value(argc, argv, &i, "--max-threads"))) {
      char *end;
      errno = 0;
      unsigned long n = strtoul(v, &end, 10);
      if (errno || !*v || *end || n == 0 || n > 100000 || *v == '-') {
        fprintf(stderr, "ebb: --max-threads needs a number from 1 to 100000, not '%s'\n", v);
        return 2;
      }
      o->max_threads = (uint32_t)n;
    } else if ((v = option_value(argc, argv, &i, "--max-memory"))) {
      o->max_memory = ebb__parse_size(v);
      o->max_memory_given = true;
      if (!o->max_memory) {
        fprintf(stderr, "ebb: --max-memory needs a size like 512M, 4G or 1048576, not '%s'\n", v);
        return 2;
      }
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "ebb: unknown option '%s' (try 'ebb run --help')\n", a);
      return 2;
    } else {
      break;
    }
  }
  if (i >= argc) {
    run_usage(stderr);
    return 2;
  }
  if (!o->max_memory) o->max_memory = ebb__default_max_memory();
  o->module_path = argv[i];
  o->guest_argc = argc - i;
  o->guest_argv = argv + i;
  return -1;
}

void ebb__run_args_free(ebb__run_args *o) {
  for (int i = 0; i < o->ndirs; i++) free((void *)o->dir_host[i]);
  free(o->envp);
  free(o->dir_host);
  free(o->dir_guest);
  free(o->listen);
}
