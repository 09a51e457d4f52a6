/*
** capi.h -- the standard C API (wasm.h) over ebb.h: the objects behind the
** header's opaque types. This layer calls ebb.h's public API and nothing
** below it.
**
** Handles. Every runtime object the header names -- wasm_func_t,
** wasm_global_t, wasm_table_t, wasm_memory_t, wasm_extern_t, wasm_instance_t,
** wasm_foreign_t, wasm_trap_t, wasm_module_t and wasm_ref_t -- is an
** ebb__capi_handle: a small heap record naming its target. The header's
** structs are never defined; a pointer of any of those types points to a
** handle, and the as_ conversions return the same pointer. A handle is what
** the embedder owns and deletes; the target lives on:
**  - functions, globals, tables, memories and instances are ebb's, owned by
**    the ebb store, freed with it;
**  - foreign objects are entity records of the store (entity.c);
**  - traps and modules are reference-counted cores, freed with their last
**    handle (a module's also outlives handles held by shared tokens).
** Host info lives with the target, not the handle (entity.c, core.c).
*/
#ifndef EBB_CAPI_CAPI_H
#define EBB_CAPI_CAPI_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebb.h"
#include "ebb_wasm.h"
#include "wasm.h"

/* The kinds of target; the first four are wasm_externkind_t's values. */
enum {
  EBB__CAPI_FUNC = WASM_EXTERN_FUNC,
  EBB__CAPI_GLOBAL = WASM_EXTERN_GLOBAL,
  EBB__CAPI_TABLE = WASM_EXTERN_TABLE,
  EBB__CAPI_MEMORY = WASM_EXTERN_MEMORY,
  EBB__CAPI_INSTANCE,
  EBB__CAPI_FOREIGN,
  EBB__CAPI_TRAP,
  EBB__CAPI_MODULE,
};

typedef struct ebb__capi_handle {
  uint8_t kind;
  wasm_store_t *store; /* NULL for traps and modules, which belong to none */
  void *target;
} ebb__capi_handle;

/* Views of one handle under the header's names. */
#define EBB__CAPI_H(p) ((ebb__capi_handle *)(void *)(p))
#define EBB__CAPI_CH(p) ((const ebb__capi_handle *)(const void *)(p))

/* A new handle (its target retained if it is a trap or module); NULL when
** out of memory. */
ebb__capi_handle *ebb__capi_handle_new(uint8_t kind, wasm_store_t *store, void *target);
void ebb__capi_handle_delete(ebb__capi_handle *h);

/* ---- Entities: what the store keeps per target (entity.c) ---------------
** Host info of store objects, and the box an externref points to. A box is
** made when a reference first goes into the guest as an externref and lives
** with the store: the guest may hold it anywhere. For a foreign object the
** entity is the object itself. */
typedef struct ebb__capi_entity {
  uint8_t kind;
  void *target; /* the entity itself for a foreign object */
  void *info;
  void (*finalizer)(void *);
} ebb__capi_entity;

ebb__capi_entity *ebb__capi_entity_find(wasm_store_t *s, const void *target);
/* Find or make; NULL when out of memory. A trap or module is retained. */
ebb__capi_entity *ebb__capi_entity_get(wasm_store_t *s, uint8_t kind, void *target);
ebb__capi_entity *ebb__capi_foreign_make(wasm_store_t *s);
/* Run every finalizer, release retained cores, free the map. */
void ebb__capi_entities_free(wasm_store_t *s);

/* Replace host info, running the old finalizer when it is another one. */
void ebb__capi_info_set(void **info, void (**fin)(void *), void *new_info,
                        void (*new_fin)(void *));

/* ---- Traps and modules: reference-counted cores (core.c) ----------------
** Each begins with an ebb__capi_core, which is all that handles and entities
** see of it: they retain and release through it without naming the kind. */

typedef struct ebb__capi_core {
  atomic_uint refs;
  void *info;
  void (*finalizer)(void *);
  void (*destroy)(struct ebb__capi_core *c); /* the last release: frees the whole core */
} ebb__capi_core;

/* A core with no references yet; the first handle retains it. */
void ebb__capi_core_init(ebb__capi_core *c, void (*destroy)(ebb__capi_core *));
/* Both take NULL as no core, so callers may pass ebb__capi_core_of(...). */
void ebb__capi_core_retain(ebb__capi_core *c);
void ebb__capi_core_release(ebb__capi_core *c);

/* The core a target of this kind is, or NULL for a kind without one. */
static inline ebb__capi_core *ebb__capi_core_of(uint8_t kind, void *target) {
  return kind == EBB__CAPI_TRAP || kind == EBB__CAPI_MODULE ? target : NULL;
}

typedef struct ebb__capi_trapcore {
  ebb__capi_core base; /* first: the core is the trap */
  ebb_capi_trap_cause_t cause;
  ebb_trap_t kind;
  bool has_origin;
  uint32_t func_index;
  size_t len;     /* of message, NUL not counted */
  char message[]; /* NUL-terminated */
} ebb__capi_trapcore;

/* A new trap; NULL when out of memory. len bytes of text are copied. */
wasm_trap_t *ebb__capi_trap_make(ebb_capi_trap_cause_t cause, ebb_trap_t kind, const char *text,
                                 size_t len);
/* The trap of a call refused before anything ran (cause REFUSED); NULL
** when even that cannot be allocated, which wasm_func_call's caller then
** reads as success: the standard leaves no other way to say it. */
wasm_trap_t *ebb__capi_trap_refused(const char *text);

typedef struct ebb__capi_modcore {
  ebb__capi_core base; /* first: the core is the module */
  ebb_module_t *module;
  uint8_t *bytes; /* the binary, for wasm_module_serialize */
  size_t size;
} ebb__capi_modcore;

/* Compile for the store's engine (fuel metering); NULL if invalid. */
wasm_module_t *ebb__capi_module_compile(wasm_store_t *s, const uint8_t *bytes, size_t size);

/* ---- Engine and store ----------------------------------------------------- */

struct wasm_config_t {
  bool fuel;
  ebb_limits_t limits;
};

struct wasm_engine_t {
  struct wasm_config_t config;
};

/* A host function made by wasm_func_new[_with_env]. */
typedef struct ebb__capi_hostfn {
  struct ebb__capi_hostfn *next; /* the store's list */
  wasm_store_t *store;
  wasm_func_callback_t callback;
  wasm_func_callback_with_env_t callback_env;
  void *env;
  void (*finalizer)(void *);
  uint32_t nparams, nresults;
  uint8_t types[]; /* ebb_valkind_t bytes: params, then results */
} ebb__capi_hostfn;

typedef struct ebb__capi_deadline ebb__capi_deadline;

struct wasm_store_t {
  wasm_engine_t *engine;
  ebb_store_t *ebb;
  ebb_thread_t *thread; /* runs every call; fixed for the store's life */
  ebb_func_t *drain;    /* a no-op host function that takes a stale stop */
  ebb__capi_hostfn *hostfns;
  /* Entities, by target: open addressing, NULL empty. */
  ebb__capi_entity **entities;
  size_t nslots, nentities;
  /* Calls: how deep wasm_func_call nests, the trap a host callback returned
  ** (taken by the call it ends), and the stop a nested call met, which every
  ** host callback on the way out turns into its own result. */
  int depth;
  wasm_trap_t *pending_trap;
  ebb_capi_trap_cause_t stop;
  ebb__capi_deadline *deadline; /* NULL until a deadline is first set */
};

/* ---- Calls (call.c, deadline.c) ------------------------------------------ */

/* Run f on the store's thread with its stop rules; o says how it ended.
** On EBB_INTERRUPTED the call is abandoned and *cause says why. */
ebb_status_t ebb__capi_run(wasm_store_t *s, ebb_func_t *f, const ebb_val_t *args,
                           ebb_val_t *results, ebb_outcome_t *o, ebb_capi_trap_cause_t *cause);
/* The trap for an outcome that is not EBB_OK (taking a pending host trap). */
wasm_trap_t *ebb__capi_outcome_trap(wasm_store_t *s, const ebb_outcome_t *o,
                                    ebb_capi_trap_cause_t cause);

/* Arm the deadline for an outermost call, and disarm it after. disarm says
** whether it fired meanwhile. */
void ebb__capi_deadline_arm(wasm_store_t *s);
bool ebb__capi_deadline_disarm(wasm_store_t *s);
bool ebb__capi_deadline_fired(wasm_store_t *s);
void ebb__capi_deadline_free(wasm_store_t *s);

/* ---- Values (val.c) ------------------------------------------------------- */

/* wasm kinds and ebb kinds; 0 for one ebb cannot pass. */
ebb_valkind_t ebb__capi_kind_to_ebb(wasm_valkind_t k);
wasm_valkind_t ebb__capi_kind_from_ebb(ebb_valkind_t k);

/* A wasm value into an ebb value of kind `want`: 0, or -1 when it does not
** fit (another kind, a reference of another store or kind, out of memory). */
int ebb__capi_val_in(wasm_store_t *s, const wasm_val_t *v, ebb_valkind_t want, ebb_val_t *out);
/* An ebb value out as a wasm value owning new handles: 0, or -1 when out of
** memory. */
int ebb__capi_val_out(wasm_store_t *s, ebb_val_t v, wasm_val_t *out);

/* A reference as ebb passes it: a function of the store for funcref, an
** entity box for externref. 0, or -1. */
int ebb__capi_ref_in(wasm_store_t *s, const wasm_ref_t *r, ebb_valkind_t want, void **out);
/* A new handle for a reference ebb gave (NULL stays NULL): 0, or -1. */
int ebb__capi_ref_out(wasm_store_t *s, ebb_valkind_t kind, void *p, wasm_ref_t **out);

/* 8-byte cells of host functions and ebb values. */
ebb_val_t ebb__capi_cell_to_val(uint64_t cell, ebb_valkind_t kind);
uint64_t ebb__capi_val_to_cell(ebb_val_t v);

/* ---- Types (types.c) ------------------------------------------------------ */

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

/* Every extern type starts with this, so the as_ conversions are casts. */
struct wasm_externtype_t {
  wasm_externkind_t kind;
};

struct wasm_functype_t {
  struct wasm_externtype_t ext;
  wasm_valtype_vec_t params, results;
};

struct wasm_globaltype_t {
  struct wasm_externtype_t ext;
  wasm_valtype_t *content;
  wasm_mutability_t mutability;
};

struct wasm_tabletype_t {
  struct wasm_externtype_t ext;
  wasm_valtype_t *element;
  wasm_limits_t limits;
};

struct wasm_memorytype_t {
  struct wasm_externtype_t ext;
  wasm_limits_t limits;
};

struct wasm_importtype_t {
  wasm_name_t module, name;
  wasm_externtype_t *type;
};

struct wasm_exporttype_t {
  wasm_name_t name;
  wasm_externtype_t *type;
};

struct wasm_frame_t {
  uint32_t func_index;
};

struct wasm_shared_module_t {
  ebb__capi_modcore *core;
};

/* The wasm type of an ebb description; NULL when out of memory or for a
** kind the C API cannot name (v128). */
wasm_externtype_t *ebb__capi_externtype_of(const ebb_extern_desc_t *d);
wasm_functype_t *ebb__capi_functype_of(uint32_t np, uint32_t nr, const uint8_t *types);

/* The ebb_extern_t a handle of kind func/global/table/memory stands for. */
ebb_extern_t ebb__capi_extern_of(const ebb__capi_handle *h);

#endif
