/* symlink_create.c -- path_symlink: an absolute target is refused
** (ENOTCAPABLE) and nothing is created, even one naming a file inside the
** sandbox by its guest path; a bad descriptor or a new path that cannot be
** resolved still says so first. Relative targets work as before: to a file, to a
** directory, through `..` that stays inside, dangling, and climbing out
** (stored as data; following it is what is refused). As wasi-testsuite's
** symlink_create, with more cases. Raw calls, so that wasi-libc passes the
** text as given. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static void make_link(const char *target, const char *name) {
  char label[96];
  snprintf(label, sizeof label, "symlink %s -> '%s'", name, target);
  WTRY(label, __wasi_path_symlink(target, 3, name));
}

/* The first line of a file read through `path` (following links). */
static void read_via(const char *path) {
  char buf[64];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("  read %s: %s\n", path, ename(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  printf("  read %s: '%.*s'\n", path, (int)(n > 0 ? n - 1 : 0), buf);
}

static void no_entry(const char *name) {
  struct stat st;
  printf("  %s made: %s\n", name, lstat(name, &st) ? ename(errno) : "yes");
}

int main(void) {
  if (chdir("/sandbox")) {
    perror("chdir");
    return 1;
  }
  int fd = open("target", O_CREAT | O_WRONLY, 0644);
  write(fd, "the target\n", 11);
  close(fd);
  mkdir("dir", 0755);
  mkdir("dir/sub", 0755);

  printf("-- absolute targets\n");
  make_link("/", "abs_root");
  no_entry("abs_root");
  make_link("/sandbox/target", "abs_inside");
  no_entry("abs_inside");
  make_link("/etc/passwd", "abs_host");
  no_entry("abs_host");
  make_link("//target", "abs_double");
  make_link("/..", "abs_dotdot");
  WTRY("bad descriptor first", __wasi_path_symlink("/", 99, "x"));
  WTRY("missing directory first", __wasi_path_symlink("/", 3, "nodir/x"));
  WTRY("existing new path", __wasi_path_symlink("/", 3, "target"));
  WTRY("file as directory", __wasi_path_symlink("/", 3, "target/x"));

  printf("-- relative targets\n");
  make_link("target", "to_file");
  read_via("to_file");
  make_link("dir", "to_dir");
  fd = open("to_dir", O_RDONLY | O_DIRECTORY);
  printf("  open to_dir as a directory: %s\n", fd >= 0 ? "ok" : ename(errno));
  close(fd);
  make_link("dir/sub/../../target", "dotdot_inside");
  read_via("dotdot_inside");
  WTRY("symlink dir/sub/up -> '../../target'", __wasi_path_symlink("../../target", 3, "dir/sub/up"));
  read_via("dir/sub/up");
  make_link("./target", "dot");
  read_via("dot");
  make_link("missing", "dangling");
  read_via("dangling");
  make_link("../outside/secret.txt", "climbing");
  read_via("climbing");
  char buf[64];
  __wasi_size_t used = 0;
  WTRY("readlink climbing", __wasi_path_readlink(3, "climbing", (uint8_t *)buf, sizeof buf, &used));
  printf("  text: '%.*s'\n", (int)used, buf);
  make_link("target", "to_file");
  make_link("", "empty");
  return 0;
}
