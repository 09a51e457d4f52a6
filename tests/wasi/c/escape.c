/* escape.c -- attempts to leave the sandbox. The test script preopens
** TMP/box as /sandbox, puts TMP/outside/secret.txt next to it, plants these
** symlinks in the box, and afterwards checks that nothing outside changed:
**   link_out -> ../outside       link_abs -> TMP/outside (absolute)
**   chain1 -> chain2 -> chain3 -> ../outside
**   sub/up -> ../..              sub/inside -> ../inner   (legitimate)
**   file_link -> ../outside/secret.txt
**   loop1 -> loop2 -> loop1      dotlink -> .             (legitimate)
**   inner/file.txt               (legitimate)
** Every attempt prints its errno; each escape must fail. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static void try_open(const char *path, int flags) {
  int fd = open(path, flags, 0644);
  char buf[32] = "";
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl) *nl = '\0';
    close(fd);
  }
  printf("open %s%s%s: %s%s%s\n", path, (flags & O_CREAT) ? " (create)" : "",
         (flags & O_NOFOLLOW) ? " (nofollow)" : "",
         fd >= 0 ? "ok" : ename(errno), fd >= 0 ? " read " : "", buf);
}

/* The raw call, so libc's own handling of the path cannot hide anything. */
static void raw_open(const char *path, __wasi_lookupflags_t follow) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(3, follow, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  printf("raw open %s%s: %s\n", path, follow ? " (follow)" : "", ename(e));
  if (!e) __wasi_fd_close(fd);
}

int main(void) {
  if (chdir("/sandbox")) {
    perror("chdir");
    return 1;
  }
  printf("-- reading out\n");
  try_open("../outside/secret.txt", O_RDONLY);
  try_open("/sandbox/../outside/secret.txt", O_RDONLY);
  try_open("sub/../../outside/secret.txt", O_RDONLY);
  try_open("link_out/secret.txt", O_RDONLY);
  try_open("link_abs/secret.txt", O_RDONLY);
  try_open("chain1/secret.txt", O_RDONLY);
  try_open("sub/up/outside/secret.txt", O_RDONLY);
  try_open("file_link", O_RDONLY);
  try_open("file_link", O_RDONLY | O_NOFOLLOW);
  try_open("loop1", O_RDONLY);
  raw_open("../outside/secret.txt", 1);
  raw_open("/etc/passwd", 1);
  raw_open("..", 1);
  raw_open("sub/../..", 1);
  raw_open("link_out", 0);
  raw_open("link_out", 1);
  raw_open("link_out/", 0);
  raw_open("chain1/", 0);
  raw_open("file_link", 1);
  raw_open("sub/up", 1);
  struct stat st;
  TRY("stat file_link", stat("file_link", &st));
  TRY("lstat file_link (the link itself)", lstat("file_link", &st));
  TRY("stat link_out/", lstat("link_out/", &st));
  TRY("opendir link_out", (long)opendir("link_out") - 1);
  TRY("opendir sub/up", (long)opendir("sub/up") - 1);
  char buf[64];
  TRY("readlink link_out/secret.txt", readlink("link_out/secret.txt", buf, sizeof buf));

  printf("-- legitimate paths\n");
  try_open("inner/file.txt", O_RDONLY);
  try_open("sub/inside/file.txt", O_RDONLY);
  try_open("dotlink/inner/file.txt", O_RDONLY);
  try_open("inner/../inner/./file.txt", O_RDONLY);
  try_open("sub/../sub/inside/../inner/file.txt", O_RDONLY);

  printf("-- writing out\n");
  try_open("link_out/new.txt", O_CREAT | O_WRONLY);
  try_open("../outside/new.txt", O_CREAT | O_WRONLY);
  try_open("file_link", O_WRONLY | O_TRUNC);
  try_open("chain1/secret.txt", O_WRONLY | O_APPEND);
  TRY("mkdir link_out/newdir", mkdir("link_out/newdir", 0755));
  TRY("mkdir ../newdir", mkdir("../newdir", 0755));
  TRY("mkdir sub/up/newdir", mkdir("sub/up/newdir", 0755));
  TRY("rename into link_out", rename("inner/file.txt", "link_out/stolen.txt"));
  TRY("rename out of link_out", rename("link_out/secret.txt", "stolen.txt"));
  TRY("rename the box's parent", rename("..", "x"));
  TRY("unlink link_out/secret.txt", unlink("link_out/secret.txt"));
  TRY("rmdir link_out/dir", rmdir("link_out/dir"));
  TRY("rmdir sub/up/outside/dir", rmdir("sub/up/outside/dir"));
  /* The raw call: wasi-libc's link()/linkat() with two paths in one
  ** preopen passes the new path for both here. */
  WTRY("link to outside file", __wasi_path_link(3, 0, "link_out/secret.txt", 3, "hard"));
  WTRY("link following file_link",
       __wasi_path_link(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "file_link", 3, "hard"));
  WTRY("link the symlink itself", __wasi_path_link(3, 0, "file_link", 3, "hard"));
  TRY("... which is a symlink to outside", open("hard", O_RDONLY));
  TRY("symlink out (allowed: it is data)", symlink("../outside/secret.txt", "mylink"));
  try_open("mylink", O_RDONLY);
  TRY("symlink into link_out", symlink("x", "link_out/evil"));
  struct timespec ts[2] = {{1, 0}, {1, 0}};
  TRY("utimensat through link_out", utimensat(AT_FDCWD, "link_out/secret.txt", ts, 0));
  TRY("utimensat following file_link", utimensat(AT_FDCWD, "file_link", ts, 0));
  TRY("utimensat file_link itself",
      utimensat(AT_FDCWD, "file_link", ts, AT_SYMLINK_NOFOLLOW));
  TRY("truncate through file_link", truncate("file_link", 0));
  TRY("chdir link_out, then read", chdir("link_out"));
  try_open("secret.txt", O_RDONLY);
  printf("done\n");
  return 0;
}
