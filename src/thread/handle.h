/*
** handle.h -- generation-counted thread handles (DESIGN.md point 5).
**
** A handle is a plain 64-bit value: a slot index and the slot's generation.
** Slots live in one process-wide table and are never freed, only reused by
** later threads with the generation advanced, so a handle kept after its
** thread is gone finds a slot whose generation differs and answers "closed"
** without touching freed memory. The table grows with the most threads
** alive at once, never with the number that have lived.
**
** A slot also holds its thread's mailbox (thread/mail.c): the queue lives
** in memory that outlives the thread, so a sender holding the slot lock
** cannot race the thread's free.
*/
#ifndef EBB_THREAD_HANDLE_H
#define EBB_THREAD_HANDLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ebb.h"

typedef struct ebb__msg ebb__msg;

typedef struct ebb__slot {
  pthread_mutex_t lock; /* guards everything below */
  uint64_t gen;         /* the generation its live handle carries */
  ebb_thread_t *thread; /* NULL while the slot is free */
  bool open;            /* the mailbox takes messages */
  ebb__msg *head, *tail;
  uint32_t next_free; /* free list link (index + 1; 0 ends it) */
} ebb__slot;

/* Give t a slot and its handle (t->handle), mailbox open. 0 or EBB_ENOMEM
** / EBB_ELIMIT (16M threads alive at once). */
int ebb__handle_acquire(ebb_thread_t *t);

/* t is being freed: its handle goes stale (mailbox must be closed). */
void ebb__handle_release(ebb_thread_t *t);

/* The slot a handle names, locked, if the handle is current; else NULL. */
ebb__slot *ebb__handle_lock(ebb_handle_t h);

/* How many slots the table has made: the most threads alive at once. */
uint32_t ebb__handle_slots_made(void);

/* t's own slot (not locked). */
ebb__slot *ebb__handle_slot(const ebb_thread_t *t);

#endif
