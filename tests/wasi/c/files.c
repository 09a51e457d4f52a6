/* files.c -- create, write, read, seek/tell, pread/pwrite, append, truncate,
** rename, unlink, stdio streams; inside the preopened /sandbox. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static long size_of(const char *path) {
  struct stat st;
  return stat(path, &st) ? -1 : (long)st.st_size;
}

int main(void) {
  if (chdir("/sandbox")) {
    perror("chdir");
    return 1;
  }
  char buf[256];

  int fd = open("data.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  printf("open for writing: %s\n", fd >= 0 ? "ok" : ename(errno));
  printf("write: %ld\n", (long)write(fd, "hello, world\n", 13));
  struct stat st;
  fstat(fd, &st);
  printf("fstat: regular=%d size=%ld\n", S_ISREG(st.st_mode), (long)st.st_size);
  TRY("read on write-only", read(fd, buf, 1));
  close(fd);

  fd = open("data.txt", O_RDWR);
  ssize_t n = read(fd, buf, sizeof buf);
  printf("read: %ld '%.*s'\n", (long)n, (int)n - 1, buf);
  printf("read at end: %ld\n", (long)read(fd, buf, sizeof buf));
  printf("seek set 7: %ld\n", (long)lseek(fd, 7, SEEK_SET));
  n = read(fd, buf, 5);
  printf("read 5: '%.*s'\n", (int)n, buf);
  printf("tell: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  printf("seek end -6: %ld\n", (long)lseek(fd, -6, SEEK_END));
  printf("seek cur +2: %ld\n", (long)lseek(fd, 2, SEEK_CUR));
  TRY("seek before start", lseek(fd, -100, SEEK_SET));
  printf("pwrite: %ld\n", (long)pwrite(fd, "W", 1, 7));
  n = pread(fd, buf, 5, 7);
  printf("pread: '%.*s'\n", (int)n, buf);
  printf("tell after pread: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  printf("seek past end: %ld\n", (long)lseek(fd, 100, SEEK_SET));
  printf("write past end: %ld\n", (long)write(fd, "x", 1));
  printf("size with hole: %ld\n", size_of("data.txt"));
  n = pread(fd, buf, 4, 50);
  printf("hole reads zeros: %ld %d%d%d%d\n", (long)n, buf[0], buf[1], buf[2], buf[3]);
  printf("ftruncate 5: %d\n", ftruncate(fd, 5));
  printf("size after truncate: %ld\n", size_of("data.txt"));
  n = pread(fd, buf, sizeof buf, 0);
  printf("content: '%.*s'\n", (int)n, buf);
  printf("isatty(file): %d\n", isatty(fd));
  printf("close: %d\n", close(fd));
  TRY("close again", close(fd));

  fd = open("log", O_CREAT | O_WRONLY | O_APPEND, 0644);
  write(fd, "a\n", 2);
  lseek(fd, 0, SEEK_SET);
  write(fd, "b\n", 2);
  close(fd);
  fd = open("log", O_RDONLY);
  n = read(fd, buf, sizeof buf);
  printf("appended: %ld '%c%c'\n", (long)n, buf[0], buf[2]);
  TRY("write on read-only", write(fd, "z", 1));
  close(fd);

  TRY("create existing with O_EXCL", open("log", O_CREAT | O_EXCL | O_WRONLY, 0644));
  TRY("open missing", open("missing", O_RDONLY));
  TRY("open under a file", open("data.txt/x", O_RDONLY));
  TRY("open dir for writing", open(".", O_WRONLY));
  TRY("open file as directory", open("data.txt", O_RDONLY | O_DIRECTORY));
  TRY("rename", rename("log", "log2"));
  TRY("old name gone", access("log", F_OK));
  printf("new name size: %ld\n", size_of("log2"));
  TRY("rename missing", rename("nothing", "else"));
  TRY("unlink", unlink("log2"));
  TRY("unlink again", unlink("log2"));

  FILE *f = fopen("lines.txt", "w");
  for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
  fclose(f);
  f = fopen("lines.txt", "r");
  long lines = 0, sum = 0;
  while (fgets(buf, sizeof buf, f)) {
    lines++;
    sum += atoi(buf + 5);
  }
  fclose(f);
  printf("stdio: %ld lines, sum %ld, size %ld\n", lines, sum, size_of("lines.txt"));

  /* Many descriptors at once, then all closed. */
  int fds[200];
  int opened = 0;
  for (int i = 0; i < 200; i++)
    if ((fds[i] = open("lines.txt", O_RDONLY)) >= 0) opened++;
  for (int i = 0; i < 200; i++) close(fds[i]);
  printf("opened at once: %d\n", opened);

  unlink("data.txt");
  unlink("lines.txt");
  printf("done\n");
  return 0;
}
