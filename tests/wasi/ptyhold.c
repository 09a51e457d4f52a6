/*
** ptyhold.c -- runs a command with a pty master as its stdin or stdout, the
** way a terminal emulator or `expect` holds one, for ptymaster.sh:
**
**   ptyhold MODE LINES LIMIT DIR -- COMMAND [ARGS...]
**
**   MODE   stdin   the command's stdin is the master; after 300 ms, LINES
**                  lines "line N" are written to the slave 20 ms apart (they
**                  come out of the master), then nothing more
**          stdout  the command's stdout is the master; nobody reads the
**                  slave (set raw, so its input buffer fills and a write to
**                  the master waits, as on a stopped terminal)
**   LIMIT  seconds after which the command is killed (SIGKILL: status 137)
**   DIR    gets `pid` (the command's) at the start and `sent` after the lines
**
** Both ends stay open here until the command has ended. Then it prints
** "mode unchanged" if the master's open file description (which the
** command shared) has the flags it had, and the terminal the termios it
** had, or says what changed. Exits with the command's status (128+N when a
** signal N ended it).
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void note(const char *dir, const char *name, long value) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(3);
  }
  fprintf(f, "%ld\n", value);
  fclose(f);
}

static void pause_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
  while (nanosleep(&t, &t) && errno == EINTR) {
  }
}

int main(int argc, char **argv) {
  if (argc < 7 || strcmp(argv[5], "--") ||
      (strcmp(argv[1], "stdin") && strcmp(argv[1], "stdout"))) {
    fprintf(stderr, "usage: ptyhold stdin|stdout LINES LIMIT DIR -- COMMAND [ARGS...]\n");
    return 2;
  }
  bool in = !strcmp(argv[1], "stdin");
  int lines = atoi(argv[2]), limit = atoi(argv[3]);
  const char *dir = argv[4];
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) || unlockpt(m)) {
    perror("posix_openpt");
    return 3;
  }
  int s = open(ptsname(m), O_RDWR | O_NOCTTY);
  struct termios t0, t1;
  if (s < 0 || tcgetattr(s, &t0)) {
    perror("pty slave");
    return 3;
  }
  if (!in) {
    cfmakeraw(&t0);
    tcsetattr(s, TCSANOW, &t0);
    tcgetattr(s, &t0);
  }
  int fl0 = fcntl(m, F_GETFL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(m, in ? 0 : 1);
    close(m);
    close(s);
    execvp(argv[6], argv + 6);
    perror(argv[6]);
    _exit(127);
  }
  note(dir, "pid", (long)pid);
  int status = 0;
  long waited_ms = 0;
  if (in) {
    pause_ms(300);
    waited_ms += 300;
    for (int i = 1; i <= lines; i++) {
      char line[32];
      int n = snprintf(line, sizeof line, "line %d\n", i);
      if (write(s, line, (size_t)n) != n) perror("write to the slave");
      pause_ms(20);
      waited_ms += 20;
    }
    note(dir, "sent", lines);
  }
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      perror("waitpid");
      return 3;
    }
    if (waited_ms >= (long)limit * 1000) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      printf("killed after %d s\n", limit);
      break;
    }
    pause_ms(10);
    waited_ms += 10;
  }
  int fl1 = fcntl(m, F_GETFL);
  tcgetattr(s, &t1);
  bool same = t0.c_iflag == t1.c_iflag && t0.c_oflag == t1.c_oflag && t0.c_cflag == t1.c_cflag &&
              t0.c_lflag == t1.c_lflag && !memcmp(t0.c_cc, t1.c_cc, sizeof t0.c_cc);
  if (fl0 == fl1 && same) printf("mode unchanged\n");
  if (fl0 != fl1) printf("the master's flags changed: %#o -> %#o\n", fl0, fl1);
  if (!same) printf("the terminal's termios changed\n");
  fflush(stdout);
  close(s);
  close(m);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
