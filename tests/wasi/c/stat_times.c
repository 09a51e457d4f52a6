/* stat_times.c -- timestamps set and read back, symlinks and hard links as
** stat and lstat see them, readlink. With the argument "precise", times
** carry nanoseconds and readlink gets a short buffer: ebb keeps both as the
** host does, node rounds times to seconds and fails the short readlink. */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void show(const char *label, const char *path, int follow) {
  struct stat st;
  int rc = follow ? stat(path, &st) : lstat(path, &st);
  if (rc) {
    printf("%s: %s\n", label, ename(errno));
    return;
  }
  const char *type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir"
                     : S_ISLNK(st.st_mode) ? "symlink" : "other";
  printf("%s: %s size=%ld nlink=%ld\n", label, type, (long)st.st_size, (long)st.st_nlink);
}

static void times_of(const char *label, const char *path) {
  struct stat st;
  if (stat(path, &st)) {
    printf("%s: %s\n", label, ename(errno));
    return;
  }
  printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", label, (long long)st.st_atim.tv_sec,
         st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(int argc, char **argv) {
  int precise = argc > 1 && !strcmp(argv[1], "precise");
  if (chdir("/sandbox")) {
    perror("chdir");
    return 1;
  }
  int fd = open("t", O_CREAT | O_WRONLY, 0644);
  write(fd, "12345", 5);
  struct timespec ts[2] = {{1000000000, 0}, {1500000000, 0}};
  if (precise) ts[0].tv_nsec = 123456789, ts[1].tv_nsec = 987654321;
  TRY("utimensat", utimensat(AT_FDCWD, "t", ts, 0));
  times_of("set", "t");
  struct timespec only_m[2] = {{0, UTIME_OMIT}, {2000000000, precise ? 5 : 0}};
  TRY("futimens omit atime", futimens(fd, only_m));
  times_of("mtime only", "t");
  struct timespec before;
  clock_gettime(CLOCK_REALTIME, &before);
  /* (wasi-libc refuses an explicit UTIME_NOW; NULL means "now" for both.) */
  TRY("futimens now", futimens(fd, NULL));
  struct stat st;
  fstat(fd, &st);
  printf("now is recent: %d\n", st.st_mtim.tv_sec >= before.tv_sec - 1 &&
                                    st.st_mtim.tv_sec <= before.tv_sec + 5);
  close(fd);

  TRY("symlink", symlink("t", "lnk"));
  show("lstat link", "lnk", 0);
  show("stat link", "lnk", 1);
  char buf[64];
  ssize_t n = readlink("lnk", buf, sizeof buf);
  printf("readlink: %ld '%.*s'\n", (long)n, (int)(n > 0 ? n : 0), buf);
  if (precise) {
    n = readlink("lnk", buf, 0 + 1);
    printf("readlink short: %ld\n", (long)n);
  }
  TRY("readlink a file", readlink("t", buf, sizeof buf));
  TRY("symlink over existing", symlink("t", "lnk"));
  TRY("dangling symlink", symlink("nowhere", "dangling"));
  show("lstat dangling", "dangling", 0);
  show("stat dangling", "dangling", 1);
  TRY("open dangling", open("dangling", O_RDONLY));

  TRY("link", link("/sandbox/t", "/sandbox/t2"));
  show("after link", "t", 1);
  TRY("link over existing", link("/sandbox/t", "/sandbox/t2"));
  TRY("unlink t2", unlink("t2"));
  show("after unlink", "t", 1);
  mkdir("dir", 0755);
  show("dir", "dir", 1);
  TRY("link a dir", link("/sandbox/dir", "/sandbox/dir2"));
  rmdir("dir");
  unlink("lnk");
  unlink("dangling");
  unlink("t");
  printf("done\n");
  return 0;
}
