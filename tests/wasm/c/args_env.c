/* Echo the arguments and the environment the runtime passed in: argc, the
** basename of argv[0] (the path differs between machines), every further
** argument verbatim, then every environment variable, then getenv results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  const char *slash = strrchr(argv[0], '/');
  printf("argc=%d\n", argc);
  printf("argv[0] basename=%s\n", slash ? slash + 1 : argv[0]);
  for (int i = 1; i < argc; i++) printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
  int n = 0;
  for (char **e = environ; e && *e; e++, n++) printf("env[%d]=[%s]\n", n, *e);
  printf("envc=%d\n", n);
  const char *a = getenv("A"), *missing = getenv("EBB_SURELY_UNSET");
  printf("getenv(A)=%s\n", a ? a : "(null)");
  printf("getenv(EBB_SURELY_UNSET)=%s\n", missing ? missing : "(null)");
  return 0;
}
