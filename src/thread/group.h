/*
** group.h -- thread groups (DESIGN.md point 7), internal side.
*/
#ifndef EBB_THREAD_GROUP_H
#define EBB_THREAD_GROUP_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/vec.h"
#include "ebb.h"

struct ebb_group {
  pthread_mutex_t lock;
  pthread_cond_t idle; /* signalled when a started thread finishes */
  uint32_t max_threads;
  EBB__VEC(ebb_thread_t *) members;
  uint32_t running;    /* threads started by ebb__group_spawn, not yet finished */
  atomic_uint next_tid; /* wasi-threads ids: 1, 2, ... below 2^29 */

  atomic_int reason;   /* ebb_end_reason_t; EBB_END_NONE while running */
  bool has_fuel;       /* members draw fuel from the pool */
  _Atomic int64_t fuel_pool;
  int code;
  char message[160];
};

/* Start an OS thread running fn(arg) that the group waits for in
** ebb_group_join. Returns 0 or EBB_ENOMEM / EBB_ELIMIT. */
int ebb__group_spawn(ebb_group_t *g, void *(*fn)(void *), void *arg);

/* A new thread id, or -1 when the 2^29 ids are used up. */
int32_t ebb__group_new_tid(ebb_group_t *g);

#endif
