/* exit(N) runs atexit handlers and flushes stdio before proc_exit. */
#include <stdio.h>
#include <stdlib.h>

static void goodbye(void) { printf("atexit handler ran\n"); }

int main(void) {
  atexit(goodbye);
  printf("calling exit(255)\n");
  exit(255);
}
