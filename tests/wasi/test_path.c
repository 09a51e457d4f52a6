/*
** test_path.c -- the sandbox's path resolver (src/wasi/path.c) on its own,
** with both strategies (openat2 and the component walk): a table of paths
** that must resolve, or fail with a given errno, in a directory tree with
** symlinks leading out in every way; then a race in which another thread
** keeps swapping a directory component for a symlink to the outside while
** lookups run, which must never reach the outside.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/path.h"
#include "wasi/wasi_types.h"

static int failures;
static char tmp[256];

static void mk(const char *rel, const char *content) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", tmp, rel);
  if (content) {
    FILE *f = fopen(p, "w");
    fputs(content, f);
    fclose(f);
  } else {
    mkdir(p, 0755);
  }
}

static void ln(const char *target, const char *rel) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", tmp, rel);
  if (symlink(target, p)) perror(p);
}

typedef struct ocase {
  const char *path;
  unsigned flags;
  int oflags;
  uint16_t err;
  const char *content; /* first line expected when it opens a file */
} ocase;

#define NOT EBB__WASI_ENOTCAPABLE
static const ocase opens[] = {
    {"inner/file.txt", EBB__PATH_FOLLOW, O_RDONLY, 0, "inside"},
    {"inner/file.txt", 0, O_RDONLY, 0, "inside"},
    {"../outside/secret.txt", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"/etc/passwd", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"", EBB__PATH_FOLLOW, O_RDONLY, EBB__WASI_ENOENT, NULL},
    {"..", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"sub/../..", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"sub/..", EBB__PATH_FOLLOW, O_RDONLY, 0, NULL},
    {".", 0, O_RDONLY, 0, NULL},
    {"link_out/secret.txt", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"link_out/secret.txt", 0, O_RDONLY, NOT, NULL}, /* intermediate: always followed */
    {"link_abs/secret.txt", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"abs_in/file.txt", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL}, /* absolute, even inside */
    {"chain1/secret.txt", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"sub/up/outside/secret.txt", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"file_link", EBB__PATH_FOLLOW, O_RDONLY, NOT, NULL},
    {"file_link", 0, O_RDONLY, EBB__WASI_ELOOP, NULL},
    {"loop1", EBB__PATH_FOLLOW, O_RDONLY, EBB__WASI_ELOOP, NULL},
    {"loop1/x", 0, O_RDONLY, EBB__WASI_ELOOP, NULL},
    {"sub/inside/file.txt", EBB__PATH_FOLLOW, O_RDONLY, 0, "inside"},
    {"dotlink/dotlink/inner/file.txt", EBB__PATH_FOLLOW, O_RDONLY, 0, "inside"},
    {"inner/../inner/./file.txt", EBB__PATH_FOLLOW, O_RDONLY, 0, "inside"},
    {"link_in/file.txt", 0, O_RDONLY, 0, "inside"},
    {"chain_in1", EBB__PATH_FOLLOW, O_RDONLY, 0, "inside"},
    {"inner/file.txt/", EBB__PATH_FOLLOW, O_RDONLY, EBB__WASI_ENOTDIR, NULL},
    {"inner/file.txt/x", EBB__PATH_FOLLOW, O_RDONLY, EBB__WASI_ENOTDIR, NULL},
    {"inner/", 0, O_RDONLY, 0, NULL},
    {"link_in/", 0, O_RDONLY, 0, NULL}, /* a trailing slash follows */
    {"link_out/", 0, O_RDONLY, NOT, NULL},
    {"missing/x", EBB__PATH_FOLLOW, O_RDONLY, EBB__WASI_ENOENT, NULL},
    {"dangling", EBB__PATH_FOLLOW, O_RDONLY, EBB__WASI_ENOENT, NULL},
    {"up_dangling", EBB__PATH_FOLLOW, O_RDONLY | O_CREAT, NOT, NULL},
    {"inner/new.txt", 0, O_WRONLY | O_CREAT, 0, NULL},
    {"link_out/new.txt", EBB__PATH_FOLLOW, O_WRONLY | O_CREAT, NOT, NULL},
};

typedef struct rcase {
  const char *path;
  unsigned flags;
  uint16_t err;
  const char *name;
  int slash;
} rcase;

static const rcase resolves[] = {
    {"inner/file.txt", 0, 0, "file.txt", 0},
    {"link_out", 0, 0, "link_out", 0},
    {"link_out", EBB__PATH_FOLLOW, NOT, NULL, 0},
    {"link_out/", EBB__PATH_FOLLOW_SLASH, NOT, NULL, 0},
    {"link_out/", 0, 0, "link_out", 1}, /* for rmdir/unlink, which do not follow */
    {"link_in", EBB__PATH_FOLLOW, 0, "inner", 0},
    {"link_in/", EBB__PATH_FOLLOW_SLASH, 0, "inner", 1},
    {"sub/..", 0, 0, ".", 0},
    {"sub/../", 0, 0, ".", 1},
    {".", 0, 0, ".", 0},
    {"new_file", 0, 0, "new_file", 0},
    {"missing/new", 0, EBB__WASI_ENOENT, NULL, 0},
    {"file_link", EBB__PATH_FOLLOW, NOT, NULL, 0},
    {"file_link", 0, 0, "file_link", 0},
    {"dangling", EBB__PATH_FOLLOW, 0, "nowhere", 0},
    {"chain_in1", EBB__PATH_FOLLOW, 0, "file.txt", 0},
    {"sub/up/x", 0, NOT, NULL, 0},
    {"../x", 0, NOT, NULL, 0},
    {"/x", 0, NOT, NULL, 0},
    {"loop1", EBB__PATH_FOLLOW, EBB__WASI_ELOOP, NULL, 0},
    {"inner//file.txt", 0, 0, "file.txt", 0},
};

static void check_opens(int root, const char *mode) {
  for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++) {
    const ocase *c = &opens[i];
    int fd = -1;
    uint16_t err = ebb__path_open(root, c->path, c->oflags, 0644, c->flags, &fd);
    char line[64] = "";
    if (!err && c->content) {
      ssize_t n = pread(fd, line, sizeof line - 1, 0);
      line[n > 0 ? n : 0] = '\0';
      char *nl = strchr(line, '\n');
      if (nl) *nl = '\0';
    }
    if (fd >= 0) close(fd);
    if (err != c->err || (c->content && !err && strcmp(line, c->content))) {
      printf("FAIL [%s] open '%s' flags %u: errno %u, expected %u (read '%s')\n", mode,
             c->path, c->flags, err, c->err, line);
      failures++;
    }
  }
}

static void check_resolves(int root, const char *mode) {
  for (size_t i = 0; i < sizeof resolves / sizeof resolves[0]; i++) {
    const rcase *c = &resolves[i];
    ebb__path p;
    uint16_t err = ebb__path_resolve(root, c->path, c->flags, &p);
    bool ok = err == c->err && (err || (!strcmp(p.name, c->name) && p.slash == c->slash));
    if (!ok) {
      printf("FAIL [%s] resolve '%s' flags %u: errno %u name '%s' slash %d, expected %u '%s' %d\n",
             mode, c->path, c->flags, err, err ? "" : p.name, err ? 0 : p.slash, c->err,
             c->name ? c->name : "", c->slash);
      failures++;
    }
    if (!err) ebb__path_done(&p);
  }
}

/* The race: "swap" is exchanged over and over between a real directory
** (holding secret.txt "inside") and a symlink to ../outside. */
static atomic_int stop;

static void *swapper(void *arg) {
  (void)arg;
  char a[512], b[512], t[512];
  snprintf(a, sizeof a, "%s/box/swap", tmp);
  snprintf(b, sizeof b, "%s/box/swap_other", tmp);
  snprintf(t, sizeof t, "%s/box/swap_tmp", tmp);
  for (unsigned i = 0; !atomic_load(&stop); i++) {
    /* Now and then let a whole lookup see one state, so that some succeed
    ** (the check that the inside case is exercised at all). */
    if (i % 3 == 0) usleep(20); /* every third swap: both states get their turn */
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)) {
      rename(a, t); /* no RENAME_EXCHANGE here: three renames do */
      rename(b, a);
      rename(t, b);
    }
  }
  return NULL;
}

static void race(int root, const char *mode) {
  int opened = 0, escaped = 0, refused = 0;
  struct stat out;
  char secret[512];
  snprintf(secret, sizeof secret, "%s/outside/secret.txt", tmp);
  stat(secret, &out);
  for (int i = 0; i < 20000; i++) {
    int fd;
    unsigned flags = (i & 1) ? EBB__PATH_FOLLOW : 0;
    uint16_t err = ebb__path_open(root, "swap/secret.txt", O_RDONLY, 0, flags, &fd);
    if (err == 0) {
      struct stat st;
      fstat(fd, &st);
      if (st.st_ino == out.st_ino && st.st_dev == out.st_dev) escaped++;
      else opened++;
      close(fd);
    } else if (err == EBB__WASI_ENOTCAPABLE) {
      refused++;
    }
    ebb__path p;
    if (ebb__path_resolve(root, "swap/secret.txt", flags, &p) == 0) {
      struct stat st;
      if (fstatat(p.dir, p.name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_ino == out.st_ino &&
          st.st_dev == out.st_dev)
        escaped++;
      ebb__path_done(&p);
    }
  }
  printf("[%s] race: %d opens inside, %d refused, %d escapes\n", mode, opened, refused, escaped);
  if (escaped || !opened || !refused) failures++;
}

int main(void) {
  snprintf(tmp, sizeof tmp, "%s/ebb-path.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  mk("box", NULL);
  mk("outside", NULL);
  mk("outside/secret.txt", "top secret\n");
  mk("box/inner", NULL);
  mk("box/inner/file.txt", "inside\n");
  mk("box/sub", NULL);
  ln("../outside", "box/link_out");
  char abs[512];
  snprintf(abs, sizeof abs, "%s/outside", tmp);
  ln(abs, "box/link_abs");
  snprintf(abs, sizeof abs, "%s/box/inner", tmp);
  ln(abs, "box/abs_in");
  ln("chain2", "box/chain1");
  ln("chain3", "box/chain2");
  ln("../outside", "box/chain3");
  ln("../..", "box/sub/up");
  ln("../inner", "box/sub/inside");
  ln("../outside/secret.txt", "box/file_link");
  ln("loop2", "box/loop1");
  ln("loop1", "box/loop2");
  ln(".", "box/dotlink");
  ln("inner", "box/link_in");
  ln("chain_in2", "box/chain_in1");
  ln("inner/file.txt", "box/chain_in2");
  ln("nowhere", "box/dangling");
  ln("../outside/new.txt", "box/up_dangling");
  mk("box/swap", NULL);
  mk("box/swap/secret.txt", "inside\n");
  ln("../outside", "box/swap_other");

  char box[512];
  snprintf(box, sizeof box, "%s/box", tmp);
  int root = open(box, O_RDONLY | O_DIRECTORY);
  static const struct {
    int mode;
    const char *name;
  } modes[] = {{EBB__PATH_AUTO, "openat2"}, {EBB__PATH_WALK, "walk"}};
  for (int m = 0; m < 2; m++) {
    ebb__path_set_mode(modes[m].mode);
    check_opens(root, modes[m].name);
    check_resolves(root, modes[m].name);
    unlink(strcat(strcpy(abs, box), "/inner/new.txt"));
  }

  pthread_t th;
  pthread_create(&th, NULL, swapper, NULL);
  for (int m = 0; m < 2; m++) {
    ebb__path_set_mode(modes[m].mode);
    race(root, modes[m].name);
  }
  atomic_store(&stop, 1);
  pthread_join(th, NULL);
  close(root);

  struct stat st;
  char p[600];
  snprintf(p, sizeof p, "%s/outside/new.txt", tmp);
  if (stat(p, &st) == 0) {
    printf("FAIL: a file was created outside\n");
    failures++;
  }
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  if (system(cmd)) perror("rm");
  printf("%s: %d failures\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
