/* proc_exit from deep inside the call stack: the runtime must unwind every
** guest frame and report the code. Buffered output is flushed first by hand,
** since __wasi_proc_exit skips the libc's exit handlers. */
#include <stdio.h>
#include <wasi/api.h>

static int depth_reached;

static void dive(int depth) {
  if (depth == 100) {
    depth_reached = depth;
    printf("exiting with 42 at depth %d\n", depth_reached);
    fflush(stdout);
    __wasi_proc_exit(42);
  }
  dive(depth + 1);
  printf("not reached\n");
}

int main(void) {
  dive(0);
  return 0;
}
