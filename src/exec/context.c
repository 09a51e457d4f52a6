/*
** context.c -- green-thread contexts (context.h): records, ids, the switch
** by copying stacks, and release when the call that made them ends.
**
** Ids: the main context is 0. Others are [tag:24][generation:20][slot:20]:
** the tag is the thread's handle slot + 1 (never 0), so ids of different
** threads differ, and an id of another thread's context is told apart from
** one of this thread that lives no longer; a slot's generation advances at
** each reuse, and a slot whose generation is spent is never reused, so no
** id comes back.
*/
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "exec/context.h"
#include "exec/exec.h"
#include "rt/rt.h"
#include "thread/thread.h"

#define SLOT_BITS 20
#define GEN_BITS 20
#define SLOT_MASK ((1ull << SLOT_BITS) - 1)
#define GEN_MASK ((1ull << GEN_BITS) - 1)
#define MAX_SLOTS (1u << SLOT_BITS)
#define MAIN UINT32_MAX      /* the index that names the main context */
#define NONE (UINT32_MAX - 1) /* no switch pending */

enum { CTX_FREE, CTX_NEW, CTX_SUSPENDED, CTX_ACTIVE };

struct ebb__context {
  uint64_t id;
  uint8_t state;
  uint32_t gen;       /* of the slot: the next id made here carries gen + 1 */
  uint32_t next_free; /* free list link (slot + 1; 0 ends it) */
  ebb_func_t *entry;  /* CTX_NEW: what its first switch runs */
  /* CTX_SUSPENDED: where it continues, relative to the base (below). */
  const uint32_t *pc;
  size_t fp_off, frame_off;
  /* Its saved stacks (capacity kept while it runs, for its next save). */
  uint64_t *slots;
  size_t nslots, slots_cap;
  ebb__frame *frames;
  size_t nframes, frames_cap;
};

struct ebb__contexts {
  uint32_t level;       /* index of the call (level) they belong to */
  uint64_t tag;         /* the thread's id bits */
  ebb__context main;    /* id 0: the call's own stack */
  ebb__context *slot;   /* by slot index */
  uint32_t nslots, cap; /* slots in use so far, allocated */
  uint32_t free_head;   /* slot + 1, or 0 */
  uint32_t live;        /* contexts other than main */
  /* Indexes (MAIN, a slot), not pointers: the slot array moves as it grows. */
  uint32_t active;
  uint32_t pending; /* the switch asked for, applied after the host call; NONE */
  uint64_t charged;      /* bytes charged to the store for all of this */
};

/* ---- Memory, charged to the store ---------------------------------------- */

static bool charge(ebb_thread_t *t, ebb__contexts *c, size_t bytes) {
  if (ebb__store_charge(t->store, bytes)) return false;
  c->charged += bytes;
  return true;
}

static void refund(ebb_thread_t *t, ebb__contexts *c, size_t bytes) {
  ebb__store_refund(t->store, bytes);
  c->charged -= bytes;
}

/* Grow *buf (of elem-sized items) to hold `need`: 0, or EBB_ENOMEM /
** EBB_ELIMIT with nothing changed. */
static int reserve(ebb_thread_t *t, ebb__contexts *c, void **buf, size_t *cap, size_t need,
                   size_t elem) {
  if (need <= *cap) return 0;
  /* Exactly what is needed at first (most contexts stay shallow), then
  ** doubling. */
  size_t n = *cap ? *cap * 2 : need;
  while (n < need) n *= 2;
  if (!charge(t, c, (n - *cap) * elem)) return EBB_ELIMIT;
  void *p = ebb__realloc(*buf, n * elem);
  if (!p) {
    refund(t, c, (n - *cap) * elem);
    return EBB_ENOMEM;
  }
  *buf = p;
  *cap = n;
  return 0;
}

static void drop_buffers(ebb_thread_t *t, ebb__contexts *c, ebb__context *x) {
  refund(t, c, x->slots_cap * sizeof *x->slots + x->frames_cap * sizeof *x->frames);
  ebb__free(x->slots);
  ebb__free(x->frames);
  x->slots = NULL;
  x->frames = NULL;
  x->slots_cap = x->frames_cap = x->nslots = x->nframes = 0;
}

/* ---- Lookup -------------------------------------------------------------- */

static ebb__contexts *contexts_of(ebb_thread_t *t) { return t->contexts; }

static ebb__context *rec(ebb__contexts *c, uint32_t i) { return i == MAIN ? &c->main : &c->slot[i]; }

static uint32_t index_of(ebb__contexts *c, const ebb__context *x) {
  return x == &c->main ? MAIN : (uint32_t)(x - c->slot);
}

/* The live context `id` of c, or NULL. */
static ebb__context *find(ebb__contexts *c, uint64_t id) {
  if (id == 0) return &c->main;
  if ((id >> (SLOT_BITS + GEN_BITS)) != c->tag) return NULL;
  uint64_t i = id & SLOT_MASK;
  if (i >= c->nslots) return NULL;
  ebb__context *x = &c->slot[i];
  return x->state != CTX_FREE && x->id == id ? x : NULL;
}

static uint64_t thread_tag(const ebb_thread_t *t) { return (t->handle & 0xffffffu) + 1; }

/* The call a host call runs in, if it may use contexts: a guest call
** (not a host function the embedder called directly). */
static ebb_thread_t *guest_call(ebb_host_call_t *call, uint32_t *level) {
  if (!call || !ebb__host_call_caller(call)) return NULL;
  *level = ebb__host_call_level(call);
  return ebb_host_thread(call);
}

/* ---- The API -------------------------------------------------------------- */

int ebb_context_create(ebb_host_call_t *call, ebb_func_t *entry, uint64_t *id) {
  uint32_t level;
  ebb_thread_t *t = guest_call(call, &level);
  if (!t || !entry || !id) return EBB_EARG;
  if (entry->host || !ebb__func_code(entry) || entry->store != t->store || entry->type->nparams ||
      entry->type->nresults)
    return EBB_EARG;
  ebb__contexts *c = contexts_of(t);
  if (!c) {
    c = ebb__calloc(1, sizeof *c);
    if (!c) return EBB_ENOMEM;
    if (ebb__store_charge(t->store, sizeof *c)) {
      ebb__free(c);
      return EBB_ELIMIT;
    }
    c->charged = sizeof *c;
    c->level = level;
    c->tag = thread_tag(t);
    c->main.state = CTX_ACTIVE;
    c->active = MAIN;
    c->pending = NONE;
    t->contexts = c;
    t->contexts_free = ebb__contexts_free;
  } else if (c->level != level) {
    return EBB_EARG; /* a nested call (a message, a callback) has none */
  }
  if (c->live >= t->store->limits.max_contexts) return EBB_ELIMIT;
  uint32_t i;
  if (c->free_head) {
    i = c->free_head - 1;
    c->free_head = c->slot[i].next_free;
  } else {
    if (c->nslots == MAX_SLOTS) return EBB_ELIMIT;
    if (c->nslots == c->cap) {
      size_t cap = c->cap;
      void *buf = c->slot;
      int rc = reserve(t, c, &buf, &cap, (size_t)c->nslots + 1, sizeof *c->slot);
      if (rc) return rc;
      c->slot = buf;
      c->cap = (uint32_t)cap;
    }
    i = c->nslots++;
    memset(&c->slot[i], 0, sizeof c->slot[i]);
  }
  ebb__context *x = &c->slot[i];
  x->gen++;
  x->id = c->tag << (SLOT_BITS + GEN_BITS) | (uint64_t)x->gen << SLOT_BITS | i;
  x->state = CTX_NEW;
  x->entry = entry;
  x->next_free = 0;
  c->live++;
  *id = x->id;
  return 0;
}

/* Room in `from` for what is on the stack now, so that the switch itself
** cannot fail. While a guest's host call runs, the thread's base is just
** above its caller's frame (exec/interp.c): that is the top to save. */
static int reserve_save(ebb_thread_t *t, ebb__contexts *c, ebb__context *from) {
  ebb__level *lv = &t->levels[c->level];
  size_t nslots = (size_t)(t->base_fp - lv->base);
  size_t nframes = (size_t)(t->base_frame - lv->outer_base_frame);
  void *s = from->slots, *f = from->frames;
  int rc = reserve(t, c, &s, &from->slots_cap, nslots, sizeof *from->slots);
  from->slots = s;
  if (!rc) rc = reserve(t, c, &f, &from->frames_cap, nframes, sizeof *from->frames);
  from->frames = f;
  return rc;
}

int ebb_context_switch(ebb_host_call_t *call, uint64_t id) {
  uint32_t level;
  ebb_thread_t *t = guest_call(call, &level);
  if (!t) return EBB_EARG;
  ebb__contexts *c = contexts_of(t);
  if (!c || c->level != level) return id == 0 ? 0 : EBB_EARG;
  ebb__context *to = find(c, id);
  if (!to) return EBB_EARG;
  if (index_of(c, to) == c->active) {
    c->pending = NONE;
    return 0;
  }
  if (to->state != CTX_NEW && to->state != CTX_SUSPENDED) return EBB_EARG;
  if (to->state == CTX_NEW) {
    ebb__level *lv = &t->levels[c->level];
    if (lv->base + ebb__func_code(to->entry)->frame_size > t->stack_end ||
        lv->outer_base_frame >= t->frames_end)
      return EBB_ELIMIT;
  }
  int rc = reserve_save(t, c, rec(c, c->active));
  if (rc) return rc;
  c->pending = index_of(c, to);
  return 0;
}

int ebb_context_destroy(ebb_host_call_t *call, uint64_t id) {
  uint32_t level;
  ebb_thread_t *t = guest_call(call, &level);
  if (!t) return EBB_EARG;
  if (id == 0) return EBB_EARG; /* the main context ends with its call */
  /* An id in another thread's part of the id space is that thread's
  ** (alive or not); one with no thread's part was never made. */
  uint64_t tag = id >> (SLOT_BITS + GEN_BITS);
  if (tag != 0 && tag != thread_tag(t)) return EBB_EARG;
  ebb__contexts *c = contexts_of(t);
  if (!c || c->level != level) return 0;
  ebb__context *x = find(c, id);
  if (!x) return 0; /* destroyed already, or never made */
  uint32_t i = index_of(c, x);
  if (i == c->active) return EBB_EARG;
  if (i == c->pending) c->pending = NONE;
  drop_buffers(t, c, x);
  x->state = CTX_FREE;
  x->entry = NULL;
  c->live--;
  if (x->gen < GEN_MASK) { /* else the slot is spent: never reused */
    x->next_free = c->free_head;
    c->free_head = i + 1;
  }
  return 0;
}

uint64_t ebb_context_current(ebb_host_call_t *call) {
  uint32_t level;
  ebb_thread_t *t = guest_call(call, &level);
  ebb__contexts *c = t ? contexts_of(t) : NULL;
  return c && c->level == level ? rec(c, c->active)->id : 0;
}

/* ---- The switch ----------------------------------------------------------- */

bool ebb__context_switch_pending(const ebb_thread_t *t) {
  return t->contexts && t->contexts->pending != NONE;
}

void ebb__context_drop_switch(ebb_thread_t *t) {
  if (t->contexts) t->contexts->pending = NONE;
}

void ebb__context_apply_switch(ebb_thread_t *t, const uint32_t *resume_pc) {
  ebb__contexts *c = t->contexts;
  ebb__context *from = rec(c, c->active), *to = rec(c, c->pending);
  c->active = c->pending;
  c->pending = NONE;
  ebb__level *lv = &t->levels[c->level];
  uint64_t *base = lv->base;
  ebb__frame *fbase = lv->outer_base_frame;

  /* Save the active context: every frame of the call, and its slots up to
  ** the top frame's last; the top frame is the host call's caller, whose
  ** frame ends at the raised base. It continues after the call. */
  ebb__frame *top = t->base_frame - 1;
  from->nslots = (size_t)(t->base_fp - base);
  from->nframes = (size_t)(top - fbase) + 1;
  memcpy(from->slots, base, from->nslots * sizeof *base);
  memcpy(from->frames, fbase, from->nframes * sizeof *fbase);
  from->pc = resume_pc;
  from->fp_off = from->nslots - ebb__func_code(top->func)->frame_size;
  from->frame_off = from->nframes - 1;
  from->state = CTX_SUSPENDED;

  if (to->state == CTX_NEW) {
    /* Its entry function as the bottom frame; returning from it is
    ** caught (EBB__CONTEXT_ENTRY_MARK). */
    const ebb__code_func *cf = ebb__func_code(to->entry);
    fbase->ret_pc = NULL;
    fbase->ret_fp = EBB__CONTEXT_ENTRY_MARK;
    fbase->func = to->entry;
    memset(base, 0, (size_t)cf->nlocals * sizeof *base); /* no params */
    t->pc = cf->code;
    t->fp = base;
    t->frame = fbase;
    to->entry = NULL;
  } else {
    memcpy(base, to->slots, to->nslots * sizeof *base);
    memcpy(fbase, to->frames, to->nframes * sizeof *fbase);
    t->pc = to->pc;
    t->fp = base + to->fp_off;
    t->frame = fbase + to->frame_off;
  }
  to->state = CTX_ACTIVE;
}

void ebb__context_returned(ebb_thread_t *t, ebb_func_t *entry) {
  ebb__contexts *c = t->contexts;
  unsigned long long id = c ? (unsigned long long)rec(c, c->active)->id : 0;
  t->trap = EBB_TRAP_CONTEXT_RETURNED;
  t->trap_func = entry;
  snprintf(t->trap_message, sizeof t->trap_message,
           "the entry function of context %llu returned", id);
}

/* ---- Release ---------------------------------------------------------------- */

void ebb__contexts_free(ebb_thread_t *t) {
  ebb__contexts *c = t->contexts;
  if (!c) return;
  for (uint32_t i = 0; i < c->nslots; i++) {
    ebb__free(c->slot[i].slots);
    ebb__free(c->slot[i].frames);
  }
  ebb__free(c->main.slots);
  ebb__free(c->main.frames);
  ebb__free(c->slot);
  ebb__store_refund(t->store, c->charged);
  ebb__free(c);
  t->contexts = NULL;
}

void ebb__contexts_level_end(ebb_thread_t *t, uint32_t level) {
  if (t->contexts && t->contexts->level == level) ebb__contexts_free(t);
}
