/*
** rt.h -- the runtime's objects: store, module, instance, function, memory,
** table, global. The interpreter reads these structures directly, so they
** live in one header; each has its own .c file for its operations.
**
** Ownership: a store owns every instance, host function, memory, table and
** global created in it, and frees them in ebb_store_delete. A module is
** reference-counted: each instance holds a reference, so deleting a module
** while instances of it live is safe.
*/
#ifndef EBB_RT_RT_H
#define EBB_RT_RT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/alloc.h"
#include "base/report.h"
#include "base/vec.h"
#include "compile/code.h"
#include "decode/module.h"
#include "ebb.h"

#define EBB__PAGE_SIZE 65536u

/* A module's functions are compiled on their first call (rt/module_code.c),
** or all while it is built (ebb_module_options_t.eager). */
struct ebb_module {
  ebb__module *desc;      /* decoded and validated description */
  ebb__code_func *code;   /* per defined function: its code, once compiled[i] */
  ebb__code_func *stubs;  /* per defined function: what runs before (NULL: eager) */
  atomic_uchar *compiled; /* per defined function: code[i] is published */
  pthread_mutex_t compile_lock; /* one function compiled at a time, on first calls */
  atomic_uint refs;       /* the creator's reference plus one per instance */
  bool metered;           /* compiled with fuel metering */
  ebb__alloc_budget budget; /* its heap: max_bytes, and what it holds */
};

struct ebb_func {
  const ebb__functype *type; /* the store's interned copy */
  uint32_t type_id;          /* interned id: equal ids are equal types in one store */
  ebb_store_t *store;        /* the store it belongs to */
  ebb_instance_t *inst;      /* owning instance; NULL for host functions */
  /* Wasm functions: the compiled body, or the module's stub until the first
  ** call compiles it (ebb__func_code reads it, ebb__func_compile sets it). */
  _Atomic(const ebb__code_func *) code;
  uint32_t index;            /* index in its module's function space */
  ebb_host_fn host;          /* host functions */
  void *host_data;
  void (*host_finalizer)(void *data); /* run on host_data when the store goes */
};

struct ebb_memory {
  uint8_t *data;        /* base of the reservation; never moves */
  atomic_size_t size;   /* current size in bytes (a multiple of the page size) */
  uint64_t max_pages;   /* declared maximum, or the store's limit */
  size_t reserved;      /* bytes of address space reserved at data */
  bool shared;
  bool has_max;
};

struct ebb_table {
  ebb__valtype elem;
  uint32_t size, max; /* max is the declared maximum or the store's limit */
  bool has_max;
  void **elems;       /* ebb_func_t* for funcref, host pointers for externref */
  ebb_store_t *store; /* its store, whose account the elements are charged to */
  uint32_t charged;   /* elements of room charged (>= size): the array's length */
};

struct ebb_global {
  ebb_store_t *store;
  uint64_t value; /* the value's bits, as in an interpreter slot */
  uint64_t value_hi; /* a v128's high half (its second slot) */
  ebb__valtype type;
  bool mutable_;
};

/* An element segment as an instance sees it; dropping sets count to 0. */
typedef struct ebb__elem_inst {
  uint32_t count;
  void **refs;
} ebb__elem_inst;

typedef struct ebb__data_inst {
  const uint8_t *bytes;
  uint32_t size; /* 0 once dropped */
} ebb__data_inst;

struct ebb_instance {
  ebb_store_t *store;
  ebb_module_t *module;
  ebb_func_t **funcs;     /* the whole function space, imports first */
  ebb_table_t **tables;
  ebb_memory_t **mems;
  ebb_global_t **globals;
  uint32_t *type_ids;     /* module type index -> store type id */
  ebb__elem_inst *elems;
  ebb__data_inst *datas;
  ebb_func_t *own_funcs;  /* storage for the defined functions */
  ebb_memory_t *mem0;     /* mems[0] or NULL, for the interpreter's fast path */
  uint64_t charged;       /* bytes charged to the store for the above */
  /* Guest signals (rt/signal.c): the two addresses in memory 0, and
  ** whether the program was marked terminated (signal_lock guards both). */
  bool has_signals, terminated;
  uint32_t signal_addr, terminated_addr;
  pthread_mutex_t signal_lock;
};

/* Find and check the signal exports of a new instance (rt/signal.c). */
int ebb__signals_setup(ebb_instance_t *inst, ebb_error_t *err);

/* A store-wide set of function types, so call_indirect compares ids. */
typedef struct ebb__typeset {
  ebb__functype **types; /* owned copies, indexed by id */
  uint32_t count, cap;
  uint32_t *buckets;     /* open addressing: id + 1, 0 = empty */
  uint32_t nbuckets;
} ebb__typeset;

struct ebb_store {
  /* Threads of one program instantiate and create objects concurrently
  ** (wasi-threads); this recursive lock guards the vectors and type set. */
  pthread_mutex_t lock;
  ebb_limits_t limits;
  ebb__typeset types;
  EBB__VEC(ebb_instance_t *) instances;
  EBB__VEC(ebb_func_t *) host_funcs;
  EBB__VEC(ebb_memory_t *) memories;
  EBB__VEC(ebb_table_t *) tables;
  EBB__VEC(ebb_global_t *) globals;
  atomic_uint nthreads; /* live ebb_thread_t of this store (deleted before it) */
};

void ebb__store_lock(ebb_store_t *s);
void ebb__store_unlock(ebb_store_t *s);

/* The store's byte account (ebb_limits_t.max_store_bytes): charge before
** allocating what the store's objects hold, refund the same amount when it
** is freed. Charging returns 0, or EBB_ELIMIT having taken nothing;
** ebb__store_charge_for also reports "<what> needs N bytes, more than the M
** left of the store's limit of L bytes (max_store_bytes)". Any thread. */
int ebb__store_charge(ebb_store_t *s, uint64_t bytes);
int ebb__store_charge_for(ebb_store_t *s, uint64_t bytes, ebb_error_t *err, const char *what_fmt,
                          ...) EBB__PRINTF(4, 5);
void ebb__store_refund(ebb_store_t *s, uint64_t bytes);
uint64_t ebb__store_bytes(const ebb_store_t *s); /* charged now */

/* Memory pages, charged to both the page account (max_store_memory_pages)
** and, at 64 KiB each, the byte account. 0 or EBB_ELIMIT. */
int ebb__store_charge_pages(ebb_store_t *s, uint64_t pages);
int ebb__store_charge_pages_for(ebb_store_t *s, uint64_t pages, ebb_error_t *err,
                                const char *what);
void ebb__store_refund_pages(ebb_store_t *s, uint64_t pages);

/* Interned id of a function type (copied on first sight, and charged to the
** store); EBB_ENOMEM or EBB_ELIMIT (negative) if it cannot be. */
int64_t ebb__store_intern_type(ebb_store_t *store, const ebb__functype *type);
const ebb__functype *ebb__store_type(const ebb_store_t *store, uint32_t id);

/* Memories and tables created for an instance; errors say which one by
** `what` ("memory 0"). Registered with the store like the public ones. */
int ebb__memory_create(ebb_store_t *store, const ebb__memtype *type, const char *what,
                       ebb_memory_t **out, ebb_error_t *err);
int ebb__table_create(ebb_store_t *store, const ebb__tabletype *type, const char *what,
                      ebb_table_t **out, ebb_error_t *err);

/* Free a global of the store, refunding its descriptor (NULL is fine). */
void ebb__global_free(ebb_store_t *store, ebb_global_t *g);

/* memory.grow: returns the old size in pages, or -1. Thread-safe for shared
** memories. */
int64_t ebb__memory_grow(ebb_memory_t *mem, uint64_t delta_pages);

/* Bytes [at, at + bytes) of mem are about to be written in full (a large
** active data segment): fault their pages in with one system call rather
** than one page fault each (about 20 ms for 17 MB on a VM). Only a hint. */
void ebb__memory_prefault(ebb_memory_t *mem, uint64_t at, uint64_t bytes);

/* table.grow: returns the old size, or -1. New elements are `init`. */
int64_t ebb__table_grow(ebb_table_t *table, uint32_t delta, void *init);

/* The value kinds ebb can pass and run (ebb_valkind_t values). */
bool ebb__valkind_runs(uint8_t kind);

/* A value to its slots (slot_hi only for a v128; returns 1 or 2), and back
** (global.c). */
uint32_t ebb__val_to_slots(ebb_val_t v, uint64_t *slot, uint64_t *slot_hi);
ebb_val_t ebb__slots_to_val(const uint64_t *slots, ebb__valtype type);

/* Host functions: run `finalizer(host_data)` when the store frees the
** function; free one. */
void ebb__func_set_finalizer(ebb_func_t *f, void (*finalizer)(void *data));
void ebb__func_free(ebb_func_t *f);

/* True if f is a function of a live store (a host function or one of its
** instances'): a linear search of every store, for EBB_ENABLE_CHECKS
** builds only (elsewhere no store is registered and it says false). */
bool ebb__func_is_live(const ebb_func_t *f);

/* The store a memory's pages are charged to (memory.c). */
ebb_store_t *ebb__memory_store(const ebb_memory_t *m);

/* The first half of table.grow: room for `delta` more elements past the
** size, which stays as it is; 0, or -1 when the table may not grow so much
** or memory is short. The caller sets the new elements, then the size
** (exec/bulk.c does that in chunks, so a large grow can stop half-way). */
int ebb__table_reserve(ebb_table_t *table, uint32_t delta);

/* Module reference counting. */
void ebb__module_retain(ebb_module_t *m);
void ebb__module_release(ebb_module_t *m);

/* A module's code (rt/module_code.c). ebb__module_code_init gets every
** defined function ready to run: compiled now (eager, on several threads for
** a large module), or a stub each. 0, or the error of the lowest function
** that failed, *failed naming it (UINT32_MAX: no function, memory for the
** module's arrays). ebb__module_code_free frees what either made. */
int ebb__module_code_init(ebb_module_t *mod, bool eager, uint32_t *failed);
void ebb__module_code_free(ebb_module_t *mod);

/* What a new instance's function `defidx` starts with: its compiled code if
** some thread has compiled it, else its stub. */
const ebb__code_func *ebb__module_entry_code(ebb_module_t *mod, uint32_t defidx);

/* A wasm function's code as the interpreter enters it: compiled, or the
** stub of one not compiled yet. Acquire: the compiled code's cells and
** counts were written before it was published. */
static inline const ebb__code_func *ebb__func_code(const ebb_func_t *f) {
  return atomic_load_explicit(&f->code, memory_order_acquire);
}

/* The compiled code of wasm function f, compiling its body first if no
** thread has (one at a time per module, under the module's byte budget);
** f's code then points at it. NULL when out of memory or past the module's
** max_bytes: the call traps (EBB_TRAP_COMPILE_FAILED). Bounded by the size
** of one body; the interpreter passes a safe point before and after. */
const ebb__code_func *ebb__func_compile(ebb_func_t *f);

void ebb__instance_free(ebb_instance_t *inst);
void ebb__memory_free(ebb_memory_t *m); /* unmaps, refunds the store */
void ebb__table_free(ebb_table_t *t);   /* refunds the store */

/* Free an instance before its store, with the tables, memories and globals
** it defined (imported ones stay). Only for an instance nothing else can
** reach any more: no running call, and no reference to its functions or
** objects held elsewhere (see ebb__module_refs_confined). */
void ebb__instance_delete(ebb_instance_t *inst);

/* True if an instance of the module cannot hand a reference to one of its
** own functions or objects to anything outside it, except by export: it
** imports no table, no global of a reference type and no function taking a
** reference. Its exports are then the only way in. */
bool ebb__module_refs_confined(const ebb_module_t *module);

#endif
