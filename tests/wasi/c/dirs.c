/* dirs.c -- mkdir, readdir (sorted, "." and ".." left out: node lists them
** not), rename, rmdir and unlink errors, a directory of 300 entries. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void touch(const char *path) {
  int fd = open(path, O_CREAT | O_WRONLY, 0644);
  if (fd >= 0) close(fd);
}

/* Print a directory's entries sorted, with a type letter. */
static void list(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    printf("list %s: %s\n", path, ename(errno));
    return;
  }
  char *names[512];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 512) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%s%s", e->d_name, e->d_type == DT_DIR ? "/" : e->d_type == DT_REG ? "" : "?");
    names[n++] = s;
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, cmp);
  printf("list %s:", path);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

int main(void) {
  if (chdir("/sandbox")) {
    perror("chdir");
    return 1;
  }
  TRY("mkdir d", mkdir("d", 0755));
  TRY("mkdir d again", mkdir("d", 0755));
  TRY("mkdir d/e", mkdir("d/e", 0755));
  TRY("mkdir d/e/f", mkdir("d/e/f", 0755));
  TRY("mkdir in missing", mkdir("x/y", 0755));
  touch("d/a.txt");
  touch("d/b.txt");
  touch("d/e/c.txt");
  list("d");
  list("d/e");
  list(".");
  TRY("rename dir", rename("d/e", "d/g"));
  list("d");
  list("d/g");
  TRY("rmdir non-empty", rmdir("d"));
  TRY("rmdir a file", rmdir("d/a.txt"));
  TRY("unlink a dir", unlink("d/g"));
  TRY("rmdir missing", rmdir("d/zzz"));
  TRY("opendir missing", (long)opendir("nope") - 1);
  TRY("opendir a file", (long)opendir("d/a.txt") - 1);
  struct stat st;
  TRY("stat dir", stat("d/g", &st));
  printf("is dir: %d\n", S_ISDIR(st.st_mode));

  /* Enough entries that readdir needs several calls. */
  mkdir("many", 0755);
  char name[64];
  for (int i = 0; i < 300; i++) {
    snprintf(name, sizeof name, "many/file-with-a-longish-name-%03d", i);
    touch(name);
  }
  DIR *d = opendir("many");
  int count = 0, sum = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    count++;
    sum += atoi(e->d_name + 25);
  }
  printf("many: %d entries, sum %d\n", count, sum);
  rewinddir(d);
  count = 0;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') count++;
  closedir(d);
  printf("many after rewind: %d\n", count);
  for (int i = 0; i < 300; i++) {
    snprintf(name, sizeof name, "many/file-with-a-longish-name-%03d", i);
    unlink(name);
  }
  TRY("rmdir emptied", rmdir("many"));

  unlink("d/a.txt");
  unlink("d/b.txt");
  unlink("d/g/c.txt");
  TRY("rmdir d/g/f", rmdir("d/g/f"));
  TRY("rmdir d/g", rmdir("d/g"));
  TRY("rmdir d", rmdir("d"));
  TRY("stat removed", stat("d", &st));
  list(".");
  printf("done\n");
  return 0;
}
