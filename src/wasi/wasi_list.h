/*
** wasi_list.h -- the WASI preview1 functions ebb provides:
** X(name, params, results) with one letter per value (i = i32, I = i64).
** Each has a handler `wasi_<name>` in the wasi_*.c files.
*/
#ifndef EBB_WASI_LIST_H
#define EBB_WASI_LIST_H

#define EBB__WASI_LIST(X)                                                            \
  X(args_get, "ii", "i")                                                             \
  X(args_sizes_get, "ii", "i")                                                       \
  X(environ_get, "ii", "i")                                                          \
  X(environ_sizes_get, "ii", "i")                                                    \
  X(clock_res_get, "ii", "i")                                                        \
  X(clock_time_get, "iIi", "i")                                                      \
  X(random_get, "ii", "i")                                                           \
  X(fd_write, "iiii", "i")                                                           \
  X(fd_close, "i", "i")                                                              \
  X(fd_fdstat_get, "ii", "i")                                                        \
  X(fd_seek, "iIii", "i")                                                            \
  X(proc_exit, "i", "")

#endif
