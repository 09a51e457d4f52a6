/*
** fuzz_path.c -- the WASI path resolver (src/wasi/path.c) with fuzzed paths
** against a fixture tree full of ways out: `..`, absolute symlinks, symlinks
** climbing out directly, through chains and in intermediate components,
** loops. Whatever the path, a lookup that succeeds must land beneath the
** root: the kernel's own view of the opened descriptor (/proc/self/fd) is
** checked, not the string. Both strategies (openat2 and the component walk)
** are driven, chosen by the first byte.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "wasi/path.h"

static int root_fd = -1;
static char root_real[PATH_MAX];
static char base_dir[PATH_MAX];

static int remove_one(const char *p, const struct stat *st, int type, struct FTW *f) {
  return remove(p);
}

/* The fixture goes when the fuzzer exits. */
static void cleanup(void) {
  if (base_dir[0]) nftw(base_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mk(const char *base, const char *rel, int dir) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", base, rel);
  if (dir) {
    if (mkdir(p, 0755) && errno != EEXIST) fuzz_fail("mkdir %s", p);
  } else {
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) fuzz_fail("create %s", p);
    close(fd);
  }
}

static void ln(const char *base, const char *target, const char *rel) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", base, rel);
  if (symlink(target, p) && errno != EEXIST) fuzz_fail("symlink %s", p);
}

/* base/outside/secret is what must never be reached; base/root is the
** sandbox, with its traps. */
static void setup(void) {
  char tmpl[] = "/tmp/ebb-fuzz-path-XXXXXX";
  char *base = mkdtemp(tmpl);
  if (!base) fuzz_fail("mkdtemp");
  snprintf(base_dir, sizeof base_dir, "%s", base);
  atexit(cleanup);
  mk(base, "outside", 1);
  mk(base, "outside/secret", 0);
  mk(base, "root", 1);
  mk(base, "root/a", 1);
  mk(base, "root/a/b", 1);
  mk(base, "root/a/b/c", 1);
  mk(base, "root/file", 0);
  mk(base, "root/a/b/file", 0);
  ln(base, "../outside", "root/up");
  ln(base, "../outside/secret", "root/up_secret");
  ln(base, "/etc", "root/abs");
  ln(base, "/", "root/slash");
  ln(base, "chain2", "root/chain1");
  ln(base, "a/b/../../../outside", "root/chain2");
  ln(base, "../../..", "root/a/b/up3");
  ln(base, "../file", "root/a/in");
  ln(base, "..", "root/a/dotdot");
  ln(base, "b/c/../../..", "root/a/back");
  ln(base, "loop2", "root/loop1");
  ln(base, "loop1", "root/loop2");
  ln(base, "a/b", "root/ab");
  ln(base, "ab/../../up", "root/via_ab");
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/root", base);
  root_fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0 || !realpath(p, root_real)) fuzz_fail("open root");
}

/* The descriptor must name the root or something beneath it. */
static void check_beneath(int fd, const char *path) {
  char link[64], real[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, real, sizeof real - 1);
  if (n < 0) return; /* no /proc: nothing to compare with */
  real[n] = '\0';
  size_t r = strlen(root_real);
  if (strncmp(real, root_real, r) || (real[r] != '\0' && real[r] != '/'))
    fuzz_fail("path \"%s\" escaped the sandbox to %s", path, real);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (root_fd < 0) setup();
  if (size < 1) return 0;
  unsigned sel = data[0];
  char path[1024];
  size_t n = size - 1 < sizeof path - 1 ? size - 1 : sizeof path - 1;
  memcpy(path, data + 1, n);
  path[n] = '\0';
  ebb__path_set_mode(sel & 1 ? EBB__PATH_WALK : EBB__PATH_AUTO);
  unsigned flags = (sel >> 1) & 3;

  ebb__path p;
  if (ebb__path_resolve(root_fd, path, flags, &p) == 0) {
    check_beneath(p.dir, path);
    if (strchr(p.name, '/')) fuzz_fail("path \"%s\": last component \"%s\" has a slash", path, p.name);
    ebb__path_done(&p);
  }
  int fd;
  int oflags = (sel & 8) ? O_RDONLY | O_DIRECTORY : O_RDONLY;
  if (ebb__path_open(root_fd, path, oflags, 0, flags, &fd) == 0) {
    check_beneath(fd, path);
    close(fd);
  }
  return 0;
}
