/*
** group.h -- thread groups (DESIGN.md point 7), internal side.
*/
#ifndef EBB_THREAD_GROUP_H
#define EBB_THREAD_GROUP_H

#include <pthread.h>
#include <stdatomic.h>

#include "ebb.h"

struct ebb_group {
  pthread_mutex_t lock;
  pthread_cond_t idle; /* signalled when a started thread finishes */
  uint32_t max_threads;
  /* Members, one slot each (NULL: free), read without a lock by
  ** ebb_group_end so that it is async-signal-safe; `enders` counts the
  ** ebb_group_end calls reading them, and a member that leaves waits for
  ** none to be, so none can see it freed. */
  _Atomic(ebb_thread_t *) *slots;
  atomic_uint nmembers;
  atomic_uint enders;
  uint32_t running;     /* threads started by ebb__group_spawn, not yet finished */
  atomic_uint next_tid; /* wasi-threads ids: 1, 2, ... below 2^29 */

  /* EBB_END_NONE while running, GROUP_ENDING while the first ebb_group_end
  ** writes code and message, then the reason. */
  atomic_int reason;
  unsigned suspended;  /* EBB__SUSP_GROUP(_MAIL) while suspended (under lock) */
  bool has_fuel;       /* members draw fuel from the pool */
  _Atomic int64_t fuel_pool;
  int code;
  char message[160];
};

/* Start an OS thread running fn(arg) that the group waits for in
** ebb_group_join. Returns 0 or EBB_ENOMEM / EBB_ELIMIT. */
int ebb__group_spawn(ebb_group_t *g, void *(*fn)(void *), void *arg);

/* t's outermost call is over (exec/call.c): drop a termination request
** left by a group t has since left. */
void ebb__group_call_over(ebb_thread_t *t);

/* Call visit(member, arg) for each member now; members cannot leave (nor
** be freed) meanwhile. Any thread; visit must not block. */
void ebb__group_each(ebb_group_t *g, void (*visit)(ebb_thread_t *t, void *arg), void *arg);

/* The calling OS thread is running a call of a member of g (from a host
** function): waiting for the group from here would wait for itself. */
bool ebb__group_inside(const ebb_group_t *g);

/* A member joined (suspended with the group if it is) or left (thread/suspend.c). */
void ebb__group_joined(ebb_group_t *g, ebb_thread_t *t);
void ebb__group_left(ebb_thread_t *t);

/* A new thread id, or -1 when the 2^29 ids are used up. */
int32_t ebb__group_new_tid(ebb_group_t *g);

#endif
