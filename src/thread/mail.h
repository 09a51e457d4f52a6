/*
** mail.h -- thread mailboxes, internal side (the API is in ebb.h, "Thread
** handles and mailboxes"). The queue lives in the thread's handle slot
** (thread/handle.h).
*/
#ifndef EBB_THREAD_MAIL_H
#define EBB_THREAD_MAIL_H

#include "ebb.h"

struct ebb__sync;

/* One message. A posted one is allocated by the post and freed once it ran
** or was cancelled; one sent by ebb_mail_call lives in the sender's frame
** (`sync` set) and its outcome is reported there. */
struct ebb__msg {
  struct ebb__msg *next, *prev;
  ebb_mail_fn fn;
  ebb_mail_cancel_fn cancel;
  void *arg;
  struct ebb__sync *sync;
};

/* Run the thread's queued messages, on its own OS thread, at a safe point
** or in a wait (registers saved, or inside a host call). Returns how many
** ran; stops early when a stop request arrives (the rest run later). */
int ebb__mail_run(ebb_thread_t *t);

/* Close the mailbox: later posts are refused, and the messages queued have
** their cancel functions run here. */
void ebb__mail_close(ebb_thread_t *t);

#endif
