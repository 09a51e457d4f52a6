/*
** test_pwrite.c -- fd_pwrite on descriptors with O_APPEND (src/wasi/wasi_rw.c)
** both ways: RWF_NOAPPEND where the kernel has it (Linux 6.9), and the
** fallback for older kernels, a second open file description without
** O_APPEND, forced here with ebb__wasi_noappend = -1:
**  - ebb__wasi_pwrite on host descriptors writes at the offset and leaves
**    the size and the position alone, and write(2) still appends; the
**    fallback makes its description once, only for an O_APPEND description
**    that can write, notices O_APPEND set after the descriptor was made, and
**    answers ENOTSUP, writing nothing, when the file cannot be reopened;
**  - the guest c/pwrite_append.c run through the API with the fallback
**    prints what it prints under `ebb run` (expected/pwrite_append.stdout).
**
**   test_pwrite PWRITE_APPEND_WASM EXPECTED_STDOUT
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ebb.h"
#include "wasi/wasi.h"

static int failures;
static char dir[64];

#define CHECK(cond, ...)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                               \
      fprintf(stderr, __VA_ARGS__);                                                      \
      fprintf(stderr, "\n");                                                             \
      failures++;                                                                        \
    }                                                                                    \
  } while (0)

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  *len = fread(buf, 1, (size_t)n, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

/* The file's content is the string literal `want` (which may hold NULs). */
#define expect_file(what, path, want) expect_bytes(what, path, want, sizeof(want) - 1)
static void expect_bytes(const char *what, const char *path, const char *want, size_t len) {
  size_t n;
  char *got = read_all(path, &n);
  CHECK(got && n == len && !memcmp(got, want, n), "%s: file holds '%s' (%zu bytes), expected '%s'",
        what, got ? got : "(none)", got ? n : 0, want);
  free(got);
}

/* A file holding "helloworld", opened with `flags`. */
static int fresh(const char *path, int flags) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, "helloworld", 10) != 10) {
    perror(path);
    exit(1);
  }
  close(fd);
  fd = open(path, flags | O_CLOEXEC);
  if (fd < 0) {
    perror(path);
    exit(1);
  }
  return fd;
}

static ssize_t pw(ebb__wfd *e, const char *s, off_t off) {
  struct iovec iov = {(void *)s, strlen(s)};
  return ebb__wasi_pwrite(e, &iov, 1, off);
}

/* In place, past the end, and an append after them; `owned` as for a
** guest's own file, else as borrowed stdio. */
static void case_in_place(const char *mode, bool owned) {
  char path[96], what[96];
  snprintf(path, sizeof path, "%s/f", dir);
  int fd = fresh(path, O_RDWR | O_APPEND);
  ebb__wfd *e = ebb__wfd_new(fd, owned);
  lseek(fd, 3, SEEK_SET);
  snprintf(what, sizeof what, "%s, %s: pwrite at 0", mode, owned ? "owned" : "borrowed");
  CHECK(pw(e, "HE", 0) == 2, "%s: %s", what, strerror(errno));
  expect_file(what, path, "HElloworld");
  CHECK(lseek(fd, 0, SEEK_CUR) == 3, "%s: the position moved", what);
  CHECK(pw(e, "XY", 12) == 2, "%s past the end: %s", what, strerror(errno));
  CHECK(write(fd, "!", 1) == 1, "%s: write", what);
  expect_file(what, path, "HElloworld\0\0XY!");
  int second = e->nonappend;
  CHECK(pw(e, "h", 0) == 1, "%s again: %s", what, strerror(errno));
  CHECK(e->nonappend == second, "%s: a second description was made", what);
  CHECK((e->nonappend >= 0) == (atomic_load(&ebb__wasi_noappend) < 0),
        "%s: description %d, where the fallback is %s", what, e->nonappend,
        atomic_load(&ebb__wasi_noappend) < 0 ? "on" : "off");
  ebb__fd_put(e);
  if (second >= 0) CHECK(fcntl(second, F_GETFD) < 0, "%s: description left open", what);
  if (!owned) close(fd);
}

/* The fallback alone: a description only when O_APPEND is set (also when
** set after the descriptor was made), never for a read-only one. */
static void case_fallback_when(void) {
  char path[96];
  snprintf(path, sizeof path, "%s/f", dir);
  int fd = fresh(path, O_RDWR);
  ebb__wfd *e = ebb__wfd_new(fd, true);
  CHECK(pw(e, "H", 0) == 1 && e->nonappend < 0, "no O_APPEND: wrote through a second description");
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
  CHECK(pw(e, "E", 1) == 1 && e->nonappend >= 0, "O_APPEND set later: %s", strerror(errno));
  expect_file("O_APPEND set later", path, "HElloworld");
  ebb__fd_put(e);

  fd = fresh(path, O_RDONLY | O_APPEND);
  e = ebb__wfd_new(fd, true);
  errno = 0;
  CHECK(pw(e, "H", 0) < 0 && errno == EBADF, "read-only: wrote, or errno %d", errno);
  CHECK(e->nonappend < 0, "read-only: reopened");
  ebb__fd_put(e);
  expect_file("read-only", path, "helloworld");
}

/* A file that cannot be opened again (no permission): ENOTSUP, nothing
** written. Root may open it anyway, so this needs another user. */
static void case_no_reopen(void) {
  if (geteuid() == 0) {
    fprintf(stderr, "no reopen: skipped (root opens files whatever their mode)\n");
    return;
  }
  char path[96];
  snprintf(path, sizeof path, "%s/f", dir);
  int fd = fresh(path, O_WRONLY | O_APPEND);
  chmod(path, 0);
  ebb__wfd *e = ebb__wfd_new(fd, true);
  errno = 0;
  CHECK(pw(e, "H", 0) < 0 && errno == ENOTSUP, "no reopen: wrote, or errno %d", errno);
  ebb__fd_put(e);
  chmod(path, 0644);
  expect_file("no reopen", path, "helloworld");
}

/* c/pwrite_append.c through the API, its stdout in a file. */
static void case_guest(const char *wasm_path, const char *expected_path) {
  size_t wasm_size, want_len, got_len;
  uint8_t *wasm = (uint8_t *)read_all(wasm_path, &wasm_size);
  char *want = read_all(expected_path, &want_len);
  if (!wasm || !want) {
    fprintf(stderr, "cannot read %s or %s\n", wasm_path, expected_path);
    exit(1);
  }
  char out[96];
  snprintf(out, sizeof out, "%s/stdout", dir);
  int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  fflush(stdout);
  int saved = dup(1);
  dup2(fd, 1);
  close(fd);

  ebb_error_t err = {0, ""};
  ebb_module_t *module;
  if (ebb_module_new(wasm, wasm_size, &module, &err)) {
    fprintf(stderr, "module: %s\n", err.message);
    exit(1);
  }
  ebb_store_t *store = ebb_store_new(NULL);
  static const char *argv[] = {"pwrite_append"};
  const char *host[] = {dir}, *name[] = {"/sandbox"};
  ebb_wasi_options_t opts = {1, argv, 0, NULL, 1, host, name};
  ebb_wasi_t *wasi = ebb_wasi_new(store, &opts);
  ebb_thread_t *thread = ebb_thread_new(store);
  ebb_instance_t *inst;
  ebb_extern_t start;
  if (!wasi || ebb_instance_new(store, module, ebb_wasi_resolve, wasi, &inst, &err) ||
      ebb_instance_export(inst, "_start", &start)) {
    fprintf(stderr, "instance: %s\n", err.message);
    exit(1);
  }
  ebb_outcome_t oc;
  ebb_status_t st = ebb_call(thread, start.of.func, NULL, NULL, &oc);
  ebb_thread_delete(thread);
  ebb_wasi_delete(wasi);
  ebb_store_delete(store);
  ebb_module_delete(module);

  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  char *got = read_all(out, &got_len);
  CHECK(st == EBB_OK || (st == EBB_EXIT && oc.exit_code == 0), "guest: status %d (%s)", st,
        oc.message);
  CHECK(got && got_len == want_len && !memcmp(got, want, want_len),
        "guest with the fallback printed:\n%s\nexpected:\n%s", got ? got : "(nothing)", want);
  free(got);
  free(want);
  free(wasm);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_pwrite PWRITE_APPEND_WASM EXPECTED_STDOUT\n");
    return 2;
  }
  snprintf(dir, sizeof dir, "/tmp/ebb-pwrite.XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  case_in_place("default", true);
  if (atomic_load(&ebb__wasi_noappend) < 0)
    fprintf(stderr, "this kernel lacks RWF_NOAPPEND: the fallback was tested twice\n");
  atomic_store(&ebb__wasi_noappend, -1);
  case_in_place("fallback", true);
  case_in_place("fallback", false);
  case_fallback_when();
  case_no_reopen();
  char path[96];
  snprintf(path, sizeof path, "%s/f", dir);
  unlink(path);
  case_guest(argv[1], argv[2]);
  snprintf(path, sizeof path, "%s/log", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/stdout", dir);
  unlink(path);
  rmdir(dir);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  fprintf(stderr, "all passed\n");
  return 0;
}
