/*
** wasi_thread.c -- wasi-threads: `thread-spawn(start_arg) -> tid`.
**
** Each spawned thread gets a new instance of the same module in the same
** store (sharing the imported shared memory) and its own ebb_thread_t and
** OS thread, and joins the program's group, so proc_exit or a trap on any
** thread ends them all. When the thread ends, its instance is freed with
** it -- if the module cannot have handed a reference to the instance's own
** functions or objects to anyone (ebb__module_refs_confined: no imported
** tables, reference globals or reference-taking functions); otherwise it
** stays in the store until the store is deleted. So a program that spawns
** threads all its life does not grow by one instance per thread.
*/
#include <string.h>

#include "base/alloc.h"
#include "rt/rt.h"
#include "thread/group.h"
#include "thread/thread.h"

struct ebb_wasi_threads {
  ebb_store_t *store;
  const ebb_module_t *module;
  ebb_group_t *group;
  ebb_resolver_fn resolve;
  void *data;
  ebb_func_t *spawn_func;
  bool free_instances; /* a finished thread's instance can be freed */
};

typedef struct job {
  ebb_wasi_threads_t *wt;
  ebb_thread_t *thread;
  ebb_instance_t *inst;
  ebb_func_t *start;
  int32_t tid, arg;
} job;

/* Runs on the new OS thread. */
static void *run_thread(void *p) {
  job *j = p;
  ebb_group_t *g = j->wt->group;
  ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = j->tid}, {.kind = EBB_I32, .of.i32 = j->arg}};
  ebb_outcome_t out;
  switch (ebb_call(j->thread, j->start, args, NULL, &out)) {
  case EBB_TRAP: ebb_group_end(g, EBB_END_TRAP, 134, out.message); break;
  case EBB_EXIT: ebb_group_end(g, EBB_END_EXIT, out.exit_code, NULL); break;
  case EBB_INTERRUPTED: ebb_call_abandon(j->thread); break;
  case EBB_OK: break; /* a thread returning ends only itself */
  }
  ebb_group_remove(g, j->thread);
  ebb_thread_delete(j->thread);
  if (j->wt->free_instances) ebb__instance_delete(j->inst);
  ebb__free(j);
  return NULL;
}

/* Returns the new thread's id, or -1. */
static int32_t spawn(ebb_wasi_threads_t *wt, int32_t arg) {
  ebb_group_t *g = wt->group;
  int32_t tid = ebb__group_new_tid(g);
  if (tid < 0) return -1;
  ebb_thread_t *t = ebb_thread_new(wt->store);
  if (!t) return -1;
  if (ebb_group_add(g, t)) {
    ebb_thread_delete(t);
    return -1;
  }
  ebb_instance_t *inst = NULL;
  ebb_extern_t start;
  job *j = NULL;
  if (ebb_instance_new_ex(wt->store, wt->module, wt->resolve, wt->data, t, &inst, NULL) ||
      ebb_instance_export(inst, "wasi_thread_start", &start) || start.kind != EBB_EXTERN_FUNC ||
      ebb_func_param_count(start.of.func) != 2 || !(j = ebb__malloc(sizeof *j)))
    goto fail;
  *j = (job){wt, t, inst, start.of.func, tid, arg};
  if (ebb__group_spawn(g, run_thread, j)) goto fail;
  return tid;
fail:
  ebb__free(j);
  ebb_group_remove(g, t);
  ebb_thread_delete(t);
  if (wt->free_instances) ebb__instance_delete(inst);
  return -1;
}

static ebb_status_t thread_spawn(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  r[0] = (uint32_t)spawn(ebb_host_data(call), (int32_t)a[0]);
  return EBB_OK;
}

ebb_wasi_threads_t *ebb_wasi_threads_new(ebb_store_t *store, const ebb_module_t *module,
                                         ebb_group_t *group, ebb_resolver_fn resolve,
                                         void *data) {
  ebb_wasi_threads_t *wt = ebb__calloc(1, sizeof *wt);
  if (!wt) return NULL;
  *wt = (ebb_wasi_threads_t){store, module, group, resolve, data, NULL,
                             ebb__module_refs_confined(module)};
  ebb_valkind_t i32 = EBB_I32;
  wt->spawn_func = ebb_func_new_host(store, &i32, 1, &i32, 1, thread_spawn, wt);
  if (!wt->spawn_func) {
    ebb__free(wt);
    return NULL;
  }
  return wt;
}

void ebb_wasi_threads_delete(ebb_wasi_threads_t *wt) { ebb__free(wt); }

int ebb_wasi_threads_resolve(void *data, const char *module, const char *name,
                             ebb_externkind_t kind, ebb_extern_t *out) {
  ebb_wasi_threads_t *wt = data;
  if (strcmp(module, "wasi") || strcmp(name, "thread-spawn") || kind != EBB_EXTERN_FUNC)
    return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = wt->spawn_func;
  return 0;
}
