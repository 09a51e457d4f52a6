/*
** wasi_list.h -- the WASI preview1 functions ebb provides: all of
** wasi_snapshot_preview1, as X(name, params, results) with one letter per
** value (i = i32, I = i64). Each has a handler `ebb__wasi_<name>` in the
** wasi_*.c file named in the comment before its group.
*/
#ifndef EBB_WASI_LIST_H
#define EBB_WASI_LIST_H

#define EBB__WASI_LIST(X)                                                            \
  /* wasi_args.c */                                                                  \
  X(args_get, "ii", "i")                                                             \
  X(args_sizes_get, "ii", "i")                                                       \
  X(environ_get, "ii", "i")                                                          \
  X(environ_sizes_get, "ii", "i")                                                    \
  /* wasi_clock.c */                                                                 \
  X(clock_res_get, "ii", "i")                                                        \
  X(clock_time_get, "iIi", "i")                                                      \
  X(random_get, "ii", "i")                                                           \
  /* wasi_fd.c: the descriptor table */                                              \
  X(fd_close, "i", "i")                                                              \
  X(fd_fdstat_get, "ii", "i")                                                        \
  X(fd_fdstat_set_flags, "ii", "i")                                                  \
  X(fd_fdstat_set_rights, "iII", "i")                                                \
  X(fd_prestat_get, "ii", "i")                                                       \
  X(fd_prestat_dir_name, "iii", "i")                                                 \
  X(fd_renumber, "ii", "i")                                                          \
  /* wasi_file.c: positions, sizes, times, syncing */                                \
  X(fd_advise, "iIIi", "i")                                                          \
  X(fd_allocate, "iII", "i")                                                         \
  X(fd_datasync, "i", "i")                                                           \
  X(fd_sync, "i", "i")                                                               \
  X(fd_seek, "iIii", "i")                                                            \
  X(fd_tell, "ii", "i")                                                              \
  X(fd_filestat_get, "ii", "i")                                                      \
  X(fd_filestat_set_size, "iI", "i")                                                 \
  X(fd_filestat_set_times, "iIIi", "i")                                              \
  /* wasi_rw.c: reading and writing (interruptible where they block) */             \
  X(fd_read, "iiii", "i")                                                            \
  X(fd_write, "iiii", "i")                                                           \
  X(fd_pread, "iiiIi", "i")                                                          \
  X(fd_pwrite, "iiiIi", "i")                                                         \
  /* wasi_dir.c */                                                                   \
  X(fd_readdir, "iiiIi", "i")                                                        \
  /* wasi_path.c: everything named by a path (resolved by path.c) */                 \
  X(path_create_directory, "iii", "i")                                               \
  X(path_filestat_get, "iiiii", "i")                                                 \
  X(path_filestat_set_times, "iiiiIIi", "i")                                         \
  X(path_link, "iiiiiii", "i")                                                       \
  X(path_open, "iiiiiIIii", "i")                                                     \
  X(path_readlink, "iiiiii", "i")                                                    \
  X(path_remove_directory, "iii", "i")                                               \
  X(path_rename, "iiiiii", "i")                                                      \
  X(path_symlink, "iiiii", "i")                                                      \
  X(path_unlink_file, "iii", "i")                                                    \
  /* wasi_poll.c */                                                                  \
  X(poll_oneoff, "iiii", "i")                                                        \
  /* wasi_proc.c */                                                                  \
  X(proc_exit, "i", "")                                                              \
  X(proc_raise, "i", "i")                                                            \
  X(sched_yield, "", "i")                                                            \
  /* wasi_sock.c */                                                                  \
  X(sock_accept, "iii", "i")                                                         \
  X(sock_recv, "iiiiii", "i")                                                        \
  X(sock_send, "iiiii", "i")                                                         \
  X(sock_shutdown, "ii", "i")

#endif
