/*
** replay_main.c -- a main() for building the fuzz targets without libFuzzer
** (any C compiler, e.g. gcc with -fsanitize=address,undefined): runs every
** file named on the command line, and every file in every directory named
** (not recursively), through LLVMFuzzerTestOneInput once.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf) {
    fprintf(stderr, "%s: out of memory\n", path);
    return 1;
  }
  /* A copy of exactly n bytes, so ASan sees reads past the end. */
  uint8_t *exact = malloc(n ? n : 1);
  memcpy(exact, buf, n);
  free(buf);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

int main(int argc, char **argv) {
  int fails = 0, runs = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st)) {
      perror(argv[i]);
      fails++;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      fails += run_file(argv[i]);
      runs++;
      continue;
    }
    DIR *dir = opendir(argv[i]);
    if (!dir) {
      perror(argv[i]);
      fails++;
      continue;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
      if (e->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
      if (stat(path, &st) || S_ISDIR(st.st_mode)) continue;
      fails += run_file(path);
      runs++;
    }
    closedir(dir);
  }
  printf("replayed %d inputs, %d unreadable\n", runs, fails);
  return fails ? 1 : 0;
}
