/*
** context.h -- green-thread contexts: several call stacks in one guest
** thread (DESIGN.md, the interpreter is stackless; include/ebb.h,
** "Contexts").
**
** All contexts of a thread run in the same place: the part of the thread's
** value and frame stacks that belongs to the call (level) that made the
** first of them. Only the active context is there; a switch copies the
** active one's frames and slots out to its own buffer and the target's in,
** at the same addresses, so every pointer saved in a frame (ret_fp) stays
** right. An idle context costs what it had on the stack, and a context
** that never ran costs its record. The copy is as long as the two stacks
** are deep: a few hundred bytes for the coroutines programs write.
*/
#ifndef EBB_EXEC_CONTEXT_H
#define EBB_EXEC_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "ebb.h"

typedef struct ebb__context ebb__context;
typedef struct ebb__contexts ebb__contexts;

/* A host function asked for a switch (ebb_context_switch), and has
** returned EBB_OK: make the target active. Cannot fail: the room was
** reserved when the switch was asked for. The interpreter then runs from
** the thread's registers. */
void ebb__context_apply_switch(ebb_thread_t *t, const uint32_t *resume_pc);

/* A switch is pending: apply it if the host function returned EBB_OK,
** else drop it (the call traps, exits, or runs again). */
bool ebb__context_switch_pending(const ebb_thread_t *t);
void ebb__context_drop_switch(ebb_thread_t *t);

/* The active context's entry function returned (its bottom frame, marked
** by ebb__context_entry_mark): set the thread's trap. */
void ebb__context_returned(ebb_thread_t *t, ebb_func_t *entry);

/* ret_fp of a context's bottom frame (ret_pc is NULL, as for the bottom
** frame of a call, whose ret_fp is NULL). */
#define EBB__CONTEXT_ENTRY_MARK ((uint64_t *)(uintptr_t)8)

/* The call at level index `level` ended: release the contexts it made. */
void ebb__contexts_level_end(ebb_thread_t *t, uint32_t level);

/* Free every context of t (ebb_thread_delete). */
void ebb__contexts_free(ebb_thread_t *t);

#endif
