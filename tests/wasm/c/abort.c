/* abort() in wasi-libc is `unreachable`: a trap, exit status 134. The
** output written before it must reach stdout (it is flushed by hand: the
** trap skips the libc's buffers). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void give_up(int why) {
  if (why) abort();
}

int main(int argc, char **argv) {
  (void)argv;
  printf("about to abort\n");
  fflush(stdout);
  give_up(argc > 0);
  printf("not reached\n");
  return 0;
}
