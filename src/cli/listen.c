/* listen.c -- the listening sockets of `ebb run --tcplisten`. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli.h"

enum { BACKLOG = 128 };

int ebb__cli_listen(const char *spec, char *why, size_t why_size) {
  /* HOST:PORT, with an IPv6 host in brackets: [::1]:8080. */
  char host[256];
  const char *port;
  if (spec[0] == '[') {
    const char *close = strchr(spec, ']');
    if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host) {
      snprintf(why, why_size, "expected [IPV6]:PORT");
      return -1;
    }
    memcpy(host, spec + 1, (size_t)(close - spec - 1));
    host[close - spec - 1] = '\0';
    port = close + 2;
  } else {
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof host) {
      snprintf(why, why_size, "expected HOST:PORT");
      return -1;
    }
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    port = colon + 1;
  }
  if (!*port || strspn(port, "0123456789") != strlen(port)) {
    snprintf(why, why_size, "the port must be a number");
    return -1;
  }
  struct addrinfo hints, *list;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  int gai = getaddrinfo(host, port, &hints, &list);
  if (gai) {
    snprintf(why, why_size, "%s", gai_strerror(gai));
    return -1;
  }
  int fd = -1, err = 0;
  for (struct addrinfo *a = list; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    /* A restarted server must not wait for old connections' TIME_WAIT. */
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) || listen(fd, BACKLOG)) {
      err = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(list);
  if (fd < 0) snprintf(why, why_size, "%s", strerror(err));
  return fd;
}
