/* main returns 3: wasi-libc's _start flushes stdio and calls proc_exit(3). */
#include <stdio.h>

int main(void) {
  printf("returning 3 from main\n");
  return 3;
}
