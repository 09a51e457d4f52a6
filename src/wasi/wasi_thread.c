/*
** wasi_thread.c -- wasi-threads: `thread-spawn(start_arg) -> tid`.
**
** Each spawned thread gets a new instance of the same module in the same
** store (sharing the imported shared memory) and its own ebb_thread_t and
** OS thread, and joins the program's group, so proc_exit or a trap on any
** thread ends them all.
**
** The spawning thread only builds the instance; the new OS thread runs its
** start function and then `wasi_thread_start`. So a start function that
** spawns does not recurse on the spawner's C stack (a chain of threads
** bounded by the group's size instead), and the start function's trap or
** proc_exit ends the program like any thread's.
**
** When the thread ends, its instance is freed with it -- if the module
** cannot have handed a reference to the instance's own functions or
** objects to anyone (ebb__module_refs_confined); otherwise it stays in the
** store until the store is deleted.
**
** Lifetime: the object is counted. The embedder's reference goes with
** ebb_wasi_threads_delete (after which nothing spawns), each running thread
** holds one, and the `thread-spawn` function holds one until the store frees
** it; so deleting it while its threads run, or while the guest can still
** call `thread-spawn`, is safe.
*/
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
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
  atomic_uint refs;
  pthread_mutex_t lock; /* a spawn against ebb_wasi_threads_delete */
  bool deleted;
};

typedef struct job {
  ebb_wasi_threads_t *wt;
  ebb_thread_t *thread;
  ebb_instance_t *inst;
  ebb_func_t *start, *entry; /* the start function (or NULL), wasi_thread_start */
  int32_t tid, arg;
} job;

static void release(void *p) {
  ebb_wasi_threads_t *wt = p;
  if (atomic_fetch_sub(&wt->refs, 1) != 1) return;
  pthread_mutex_destroy(&wt->lock);
  ebb__free(wt);
}

/* The entry point's exact type is [i32 i32] -> []: anything else would get
** the two i32s of thread-spawn as other kinds (references: pointers). */
static bool entry_type_ok(const ebb__functype *ft) {
  return ft->nparams == 2 && ft->nresults == 0 && ft->types[0] == EBB__I32 &&
         ft->types[1] == EBB__I32;
}

static const ebb__functype *export_func_type(const ebb__module *m, const char *name) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const ebb__export *e = &m->exports[i];
    if (e->kind == EBB_EXTERN_FUNC && !strcmp(e->name, name) && strlen(name) == e->name_len)
      return &m->types[m->func_types[e->index]];
  }
  return NULL;
}

/* How the thread's call ended becomes the group's end. */
static bool end_group(ebb_group_t *g, ebb_status_t st, const ebb_outcome_t *o, bool start) {
  char msg[sizeof o->message + 20];
  switch (st) {
  case EBB_OK: return false;
  case EBB_TRAP:
  case EBB_ERROR:
    snprintf(msg, sizeof msg, "%s%s", start ? "start function: " : "", o->message);
    ebb_group_end(g, EBB_END_TRAP, o->trap == EBB_TRAP_CONTEXT_RETURNED ? 129 : 134, msg);
    return true;
  case EBB_EXIT: ebb_group_end(g, EBB_END_EXIT, o->exit_code, NULL); return true;
  case EBB_INTERRUPTED: return true; /* stopped by its embedder: the thread ends */
  }
  return true;
}

/* Runs on the new OS thread. */
static void *run_thread(void *p) {
  job *j = p;
  ebb_group_t *g = j->wt->group;
  ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = j->tid}, {.kind = EBB_I32, .of.i32 = j->arg}};
  ebb_outcome_t out;
  bool ended = false;
  if (j->start) ended = end_group(g, ebb_call(j->thread, j->start, NULL, NULL, &out), &out, true);
  if (!ended) end_group(g, ebb_call(j->thread, j->entry, args, NULL, &out), &out, false);
  if (ebb_thread_has_stopped_call(j->thread)) ebb_call_abandon(j->thread);
  ebb_thread_delete(j->thread); /* leaves the group */
  if (j->wt->free_instances) ebb__instance_delete(j->inst);
  release(j->wt);
  ebb__free(j);
  return NULL;
}

/* Returns the new thread's id, or -1. Under wt->lock. */
static int32_t spawn_locked(ebb_wasi_threads_t *wt, int32_t arg) {
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
  ebb_extern_t entry;
  job *j = NULL;
  if (ebb_instance_create(wt->store, wt->module, wt->resolve, wt->data, &inst, NULL) ||
      ebb_instance_export(inst, "wasi_thread_start", &entry) || entry.kind != EBB_EXTERN_FUNC ||
      !entry_type_ok(entry.of.func->type) || !(j = ebb__malloc(sizeof *j)))
    goto fail;
  *j = (job){wt, t, inst, ebb_instance_start_func(inst), entry.of.func, tid, arg};
  atomic_fetch_add(&wt->refs, 1);
  if (ebb__group_spawn(g, run_thread, j)) {
    atomic_fetch_sub(&wt->refs, 1); /* ours is not the last: the embedder's is held */
    goto fail;
  }
  return tid;
fail:
  ebb__free(j);
  ebb_thread_delete(t);
  if (wt->free_instances) ebb__instance_delete(inst);
  return -1;
}

static ebb_status_t thread_spawn(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_threads_t *wt = ebb_host_data(call);
  int32_t tid = -1;
  pthread_mutex_lock(&wt->lock);
  if (!wt->deleted) tid = spawn_locked(wt, (int32_t)a[0]);
  pthread_mutex_unlock(&wt->lock);
  r[0] = (uint32_t)tid;
  return EBB_OK;
}

ebb_wasi_threads_t *ebb_wasi_threads_new(ebb_store_t *store, const ebb_module_t *module,
                                         ebb_group_t *group, ebb_resolver_fn resolve,
                                         void *data) {
  if (!store || !module || !group) {
    errno = EINVAL;
    return NULL;
  }
  const ebb__functype *ft = export_func_type(module->desc, "wasi_thread_start");
  if (!ft || !entry_type_ok(ft)) {
    errno = EINVAL; /* no entry point, or one of the wrong type */
    return NULL;
  }
  ebb_wasi_threads_t *wt = ebb__calloc(1, sizeof *wt);
  if (!wt) return NULL;
  wt->store = store;
  wt->module = module;
  wt->group = group;
  wt->resolve = resolve;
  wt->data = data;
  wt->free_instances = ebb__module_refs_confined(module);
  atomic_init(&wt->refs, 1);
  pthread_mutex_init(&wt->lock, NULL);
  ebb_valkind_t i32 = EBB_I32;
  wt->spawn_func = ebb_func_new_host(store, &i32, 1, &i32, 1, thread_spawn, wt);
  if (!wt->spawn_func) {
    release(wt);
    errno = ENOMEM;
    return NULL;
  }
  atomic_fetch_add(&wt->refs, 1);
  ebb__func_set_finalizer(wt->spawn_func, release);
  return wt;
}

void ebb_wasi_threads_delete(ebb_wasi_threads_t *wt) {
  if (!wt) return;
  pthread_mutex_lock(&wt->lock);
  wt->deleted = true; /* a spawn after this returns -1 */
  pthread_mutex_unlock(&wt->lock);
  release(wt);
}

int ebb_wasi_threads_resolve(void *data, const char *module, const char *name,
                             ebb_externkind_t kind, ebb_extern_t *out) {
  ebb_wasi_threads_t *wt = data;
  if (strcmp(module, "wasi") || strcmp(name, "thread-spawn") || kind != EBB_EXTERN_FUNC)
    return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = wt->spawn_func;
  return 0;
}
