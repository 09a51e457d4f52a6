/*
** graceful.c -- a guest that ends gracefully when it is told to (guest
** signals, DESIGN.md point 6; docs/embedding.md, "Two-phase shutdown").
**
** It numbers the lines of its standard input and echoes them, until the end
** of the input or a signal. `ebb run` tells it of SIGINT and SIGTERM by
** writing 2 or 15 at __signal_address; a read blocked on a pipe or terminal
** then returns EINTR, and the program looks at the word, echoes the line it
** has not finished (if any), says goodbye and exits 0, well within the
** grace period (`ebb run --grace`, 2 s by default).
**
**   $ mkfifo in; build/ebb run --grace 5s build/wasm/graceful.wasm < in &
**   $ printf 'alpha\nbeta\ngam' > in     (any writer; then kill -TERM %1)
**   1: alpha
**   2: beta
**   3: gam (unfinished)
**   got signal 15 after 3 lines (14 bytes); bye
**
** The two words are ordinary C variables. The linker exports them as i32
** globals holding their addresses, which is the convention ebb looks for:
**   -Wl,--export=__signal_address,--export=__terminated_address
** (wasm-ld exports a data symbol as an immutable global whose value is the
** symbol's address; the asm labels give the symbols those names.)
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Written by the host, from another OS thread, at any time: volatile so
** that every look reads memory (ebb stores aligned words atomically). The
** host sets the second to 1 when the program has ended; a single-threaded
** program like this one never sees it, other threads of a threaded one do. */
volatile int32_t signal_word __asm__("__signal_address");
volatile int32_t terminated_word __asm__("__terminated_address");

static unsigned long lines, bytes;
static char line[4096];
static size_t len;

/* Write all of it. A write blocked on a full pipe when the signal comes
** returns EINTR, like the read, having written nothing: then try again (the
** point of the signal is to finish, and finishing means writing this). */
static int write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void emit(const char *suffix) {
  char out[sizeof line + 64];
  int n = snprintf(out, sizeof out, "%lu: %.*s%s\n", ++lines, (int)len, line, suffix);
  write_all(out, (size_t)n < sizeof out ? (size_t)n : sizeof out - 1);
  len = 0;
}

int main(void) {
  char buf[512];
  for (;;) {
    /* Look before every read: a signal that comes after this look and
    ** before the read blocks still ends the read (ebb keeps it pending). */
    if (signal_word) break;
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue; /* the look above says why */
    if (n < 0) {
      perror("graceful: read");
      return 1;
    }
    if (n == 0) break; /* the end of the input */
    bytes += (size_t)n;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') emit("");
      else if (len < sizeof line) line[len++] = buf[i];
    }
  }
  /* The graceful part: finish what is pending, then say so. */
  if (len) emit(" (unfinished)");
  char bye[128];
  int32_t sig = signal_word;
  int n = sig ? snprintf(bye, sizeof bye, "got signal %d after %lu lines (%lu bytes); bye\n",
                         (int)sig, lines, bytes)
              : snprintf(bye, sizeof bye, "end of input after %lu lines (%lu bytes); bye\n",
                         lines, bytes);
  return write_all(bye, (size_t)n) ? 1 : 0;
}
