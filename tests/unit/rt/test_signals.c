/*
** test_signals.c -- guest signals (ebb.h, "Guest signals"): the number is
** stored little-endian at the signal address (aligned or not), a guest
** spinning on it sees it, one waiting on it in memory.atomic.wait32 wakes,
** a group member blocked in ebb_host_poll returns EBB_ESIGNAL; marking the
** instance terminated stores 1 and closes it to signals; a module without
** the exports has none.
*/
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ebb.h"
#include "signals.wat.h"
#include "signals_unaligned.wat.h"

static atomic_int in_poll;

static ebb_status_t host_poll(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  struct pollfd p = {(int)a[0], POLLIN, 0};
  atomic_store(&in_poll, 1);
  int rc = ebb_host_poll(call, &p, 1, INT64_MAX);
  if (rc == EBB_EINTR) return EBB_INTERRUPTED;
  r[0] = (uint64_t)(int64_t)rc;
  return EBB_OK;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  (void)module, (void)kind;
  ebb_valkind_t i32 = EBB_I32;
  if (strcmp(name, "poll")) return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = ebb_func_new_host(data, &i32, 1, &i32, 1, host_poll, NULL);
  return out->of.func ? 0 : EBB_ENOMEM;
}

static ebb_instance_t *instantiate(ebb_store_t *s, const unsigned char *bytes, size_t n) {
  ebb_module_t *m;
  ebb_instance_t *inst = NULL;
  ebb_error_t err = {0};
  CHECK_EQ_INT(ebb_module_new(bytes, n, &m, &err), 0);
  CHECK_EQ_INT(ebb_instance_new(s, m, resolve, s, &inst, &err), 0);
  ebb_module_delete(m);
  return inst;
}

static uint8_t *mem(ebb_instance_t *inst) {
  ebb_extern_t e;
  ebb_instance_export(inst, "memory", &e);
  return ebb_memory_data(e.of.memory);
}

typedef struct guest {
  pthread_t os;
  ebb_thread_t *t;
  ebb_func_t *f;
  ebb_val_t arg, res;
  ebb_status_t st;
} guest;

static void *run(void *p) {
  guest *g = p;
  ebb_outcome_t o;
  g->st = ebb_call(g->t, g->f, g->f && ebb_func_param_count(g->f) ? &g->arg : NULL, &g->res, &o);
  return NULL;
}

static void start(guest *g, ebb_store_t *s, ebb_instance_t *inst, const char *name, int32_t a) {
  ebb_extern_t e;
  memset(g, 0, sizeof *g);
  CHECK_EQ_INT(ebb_instance_export(inst, name, &e), 0);
  g->t = ebb_thread_new(s);
  g->f = e.of.func;
  g->arg = (ebb_val_t){.kind = EBB_I32, .of.i32 = a};
  pthread_create(&g->os, NULL, run, g);
}

static void pause_ms(int ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

int main(void) {
  ebb_store_t *s = ebb_store_new(NULL);
  ebb_instance_t *inst = instantiate(s, signals_wasm, sizeof signals_wasm);
  CHECK(ebb_instance_has_signals(inst));
  uint8_t *m = mem(inst);

  /* A spinning guest sees the value. */
  guest g;
  start(&g, s, inst, "spin", 0);
  pause_ms(20);
  CHECK_EQ_INT(ebb_instance_signal(inst, NULL, 15), 0);
  pthread_join(g.os, NULL);
  CHECK_EQ_INT(g.st, EBB_OK);
  CHECK_EQ_INT(g.res.of.i32, 15);
  ebb_thread_delete(g.t);

  /* A guest waiting on the address wakes (a notify, not a timeout). */
  memset(m + 16, 0, 4);
  start(&g, s, inst, "wait", 0);
  pause_ms(20);
  CHECK_EQ_INT(ebb_instance_signal(inst, NULL, 2), 0);
  pthread_join(g.os, NULL);
  CHECK_EQ_INT(g.res.of.i32, 2);
  ebb_thread_delete(g.t);

  /* A group member blocked in ebb_host_poll on a pipe: EBB_ESIGNAL. */
  int p[2];
  CHECK_EQ_INT(pipe(p), 0);
  ebb_group_t *grp = ebb_group_new(4);
  start(&g, s, inst, "poll", p[0]);
  CHECK_EQ_INT(ebb_group_add(grp, g.t), 0);
  while (!atomic_load(&in_poll)) pause_ms(1);
  pause_ms(20);
  CHECK_EQ_INT(ebb_instance_signal(inst, grp, 15), 0);
  pthread_join(g.os, NULL);
  CHECK_EQ_INT(g.st, EBB_OK);
  CHECK_EQ_INT(g.res.of.i32, EBB_ESIGNAL);
  ebb_thread_delete(g.t); /* leaves the group */
  ebb_group_delete(grp);
  close(p[0]);
  close(p[1]);

  /* Terminated: 1 at its address, and no signal after it. */
  CHECK_EQ_INT(ebb_instance_mark_terminated(inst), 0);
  uint32_t term;
  memcpy(&term, m + 24, 4);
  CHECK_EQ_INT(term, 1);
  CHECK_EQ_INT(ebb_instance_signal(inst, NULL, 2), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_instance_mark_terminated(inst), 0); /* once is enough; again is harmless */

  /* Unaligned addresses: little-endian bytes, the neighbours untouched. */
  ebb_instance_t *u = instantiate(s, signals_unaligned_wasm, sizeof signals_unaligned_wasm);
  uint8_t *um = mem(u);
  um[16] = 0xaa;
  CHECK_EQ_INT(ebb_instance_signal(u, NULL, 0x01020304), 0);
  CHECK(um[16] == 0xaa && um[17] == 4 && um[18] == 3 && um[19] == 2 && um[20] == 1);
  CHECK_EQ_INT(ebb_instance_mark_terminated(u), 0);
  CHECK(um[21] == 1 && um[22] == 0 && um[23] == 0 && um[24] == 0);
  CHECK(um[17] == 4); /* the signal stays */

  /* No exports, no signals. */
  static const unsigned char empty[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  ebb_instance_t *none = instantiate(s, empty, sizeof empty);
  CHECK(!ebb_instance_has_signals(none));
  CHECK_EQ_INT(ebb_instance_signal(none, NULL, 2), EBB_ENOTFOUND);
  CHECK_EQ_INT(ebb_instance_mark_terminated(none), EBB_ENOTFOUND);
  CHECK_EQ_INT(ebb_instance_signal(NULL, NULL, 2), EBB_ENOTFOUND);

  ebb_store_delete(s);
  return CHECK_DONE();
}
