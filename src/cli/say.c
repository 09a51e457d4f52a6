/*
** say.c -- ebb's own messages to stderr ("ebb: trap: ..."). They are
** written after the guest has gone, so they must not keep ebb alive: a
** write to a stopped terminal (^S) or a full pipe nobody reads would block
** for ever. So a terminal or pipe gets a private non-blocking open file
** description (its O_NONBLOCK flag is its own, not the parent shell's), a
** socket MSG_DONTWAIT, and the message is dropped if it cannot go out
** within SAY_WAIT_MS. A regular file is written as it is: that never
** blocks for long, and a reopen would not append.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

#define SAY_WAIT_MS 200

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write all of buf to fd without blocking, waiting for room until the
** deadline. */
static void put(int fd, bool sock, const char *buf, size_t len, long long deadline) {
  while (len) {
    ssize_t n = sock ? send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) : write(fd, buf, len);
    if (n > 0) {
      buf += n;
      len -= (size_t)n;
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return;
    long long left = deadline - now_ms();
    if (left <= 0) return;
    struct pollfd p = {fd, POLLOUT, 0};
    if (poll(&p, 1, (int)left) < 0 && errno != EINTR) return;
  }
}

void ebb__cli_say(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  size_t len = (size_t)n < sizeof buf - 1 ? (size_t)n : sizeof buf - 2;
  buf[len++] = '\n';
  fflush(stdout);
  long long deadline = now_ms() + SAY_WAIT_MS;
  struct stat st;
  if (fstat(STDERR_FILENO, &st)) return;
  if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
    put(STDERR_FILENO, false, buf, len, deadline);
  } else if (S_ISSOCK(st.st_mode)) {
    put(STDERR_FILENO, true, buf, len, deadline);
  } else {
    int fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
      /* No /proc: a message of at most PIPE_BUF bytes fits once the pipe
      ** or terminal says it has room. */
      struct pollfd p = {STDERR_FILENO, POLLOUT, 0};
      if (poll(&p, 1, SAY_WAIT_MS) == 1) put(STDERR_FILENO, false, buf, len, deadline);
      return;
    }
    put(fd, false, buf, len, deadline);
    close(fd);
  }
}
