/*
** suspend.h -- how busy a thread is, and parking it while it is suspended
** (the API is in ebb.h, "Suspending and continuing").
**
** `busy` is 1 while the thread may run code or touch guest memory, and 0
** while it is idle, blocked in one of ebb's waits, or parked. A suspender
** sets SUSPEND and then reads `busy`; the thread changes `busy` and then
** reads SUSPEND (all sequentially consistent), so a suspender that saw 0
** can count on the thread seeing SUSPEND before it runs again.
*/
#ifndef EBB_THREAD_SUSPEND_H
#define EBB_THREAD_SUSPEND_H

#include <stdbool.h>

#include "ebb.h"

/* Who suspended a thread (ebb_thread_t.suspended). */
enum {
  EBB__SUSP_THREAD = 1u,      /* ebb_thread_suspend */
  EBB__SUSP_GROUP = 2u,       /* ebb_group_suspend */
  EBB__SUSP_THREAD_MAIL = 4u, /* ... with EBB_SUSPEND_RUN_MAIL */
  EBB__SUSP_GROUP_MAIL = 8u,
};

/* The thread starts to run (its outermost call, or the end of a wait): if
** it is suspended, it parks first, until continued or asked to stop. */
void ebb__busy_enter(ebb_thread_t *t);

/* The thread stops running (its call ended, or it blocks in a wait). */
void ebb__busy_leave(ebb_thread_t *t);

/* SUSPEND is pending and applies here (not inside a message the
** suspension lets run). On the thread itself. */
bool ebb__must_park(const ebb_thread_t *t);

/* Park while suspended (a safe point saw SUSPEND): returns when continued
** or when a stop request is pending. Runs messages if the suspension
** allows it. */
void ebb__suspend_park(ebb_thread_t *t);

/* Messages may run now: the thread is not suspended, or every suspension
** of it allows them. */
bool ebb__mail_allowed(const ebb_thread_t *t);

/* On the thread itself: messages are queued and may run here and now --
** allowed by any suspension, and no message is running already (messages
** run one at a time; only a wait in ebb_mail_call runs them nested). */
bool ebb__mail_due(const ebb_thread_t *t);

/* A blocking wait woke (or is about to block): run the messages that are
** due, and say whether a stop request is pending (the wait must end).
** `nested`: run them even inside a message (ebb_mail_call's wait, so two
** threads calling each other from messages do not deadlock). */
bool ebb__wait_check(ebb_thread_t *t, bool nested);

/* A suspension of t changed (`suspended` bits under its slot lock): set or
** clear SUSPEND to match, and wake it if it may run again. */
void ebb__suspend_update(ebb_thread_t *t);

#endif
