/*
** wasm.h -- the standard WebAssembly C API, as ebb implements it.
**
** The interface is the one of the WebAssembly/wasm-c-api project, which
** wasmtime, wasmer, WAMR and V8 also implement: the same function names,
** types and ownership rules, so a program written against any of them
** builds against ebb. This text is ebb's own. docs/capi.md is the guide; ebb's
** additions (interrupts, deadlines, fuel) are in ebb_wasm.h.
**
** Ownership. `own` marks what changes hands:
**  - an `own T*` result is the caller's, to give back with wasm_T_delete;
**  - an `own T*` parameter is taken by the callee;
**  - an `own` parameter named `out` is filled by the callee and then owned by
**    the caller (vectors and values are returned this way);
**  - an own vector owns its elements too: deleting it deletes them;
**  - anything unmarked is borrowed, for the duration of the call, or, for a
**    result, for as long as the object it came from.
** Deleting a reference (a wasm_func_t*, wasm_extern_t*, ...) deletes the
** handle, not necessarily the object: in ebb every function, global, table,
** memory, instance and foreign object belongs to its store and lives until
** wasm_store_delete. Host-info finalizers and function environments'
** finalizers run exactly once, then, or when the last handle of a module or
** trap goes.
**
** Threads. An engine and a shared module may be used from any thread. A
** store and everything in it are used by one thread at a time (ebb_wasm.h's
** ebb_capi_store_interrupt is the exception). Stores of one engine may run on
** different threads at once.
*/
#ifndef WASM_H
#define WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef WASM_API_EXTERN
#if defined(__GNUC__)
#define WASM_API_EXTERN __attribute__((visibility("default")))
#else
#define WASM_API_EXTERN
#endif
#endif

/* `own` is a marker for readers; it means nothing to the compiler. */
#ifndef own
#define own
#define EBB_WASM_OWN_DEFINED_
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef char byte_t;
typedef float float32_t;
typedef double float64_t;

/* ---- Declaration patterns -----------------------------------------------
** Every object kind follows one of a few patterns; these macros spell them
** out once. NAME is the kind without its wasm_ prefix. */

/* An owned object: created by some function, released by wasm_NAME_delete. */
#define EBB_WASM_DECLARE_OWN_(NAME)                                            \
  typedef struct wasm_##NAME##_t wasm_##NAME##_t;                              \
  WASM_API_EXTERN void wasm_##NAME##_delete(own wasm_##NAME##_t *);

/* A vector {size, data}. new_empty gives {0, NULL}; new_uninitialized room
** for n elements (zeroed); new copies the n elements' pointers or values and
** takes ownership of what they point to; copy deep-copies; delete deletes
** the elements, then the array. */
#define EBB_WASM_DECLARE_VEC_(NAME, PTR)                                       \
  typedef struct wasm_##NAME##_vec_t {                                         \
    size_t size;                                                               \
    wasm_##NAME##_t PTR *data;                                                 \
  } wasm_##NAME##_vec_t;                                                       \
  WASM_API_EXTERN void wasm_##NAME##_vec_new_empty(own wasm_##NAME##_vec_t *out); \
  WASM_API_EXTERN void wasm_##NAME##_vec_new_uninitialized(                     \
      own wasm_##NAME##_vec_t *out, size_t size);                              \
  WASM_API_EXTERN void wasm_##NAME##_vec_new(own wasm_##NAME##_vec_t *out,      \
                                             size_t size,                      \
                                             own wasm_##NAME##_t PTR const[]); \
  WASM_API_EXTERN void wasm_##NAME##_vec_copy(own wasm_##NAME##_vec_t *out,     \
                                              const wasm_##NAME##_vec_t *src); \
  WASM_API_EXTERN void wasm_##NAME##_vec_delete(own wasm_##NAME##_vec_t *);

/* A type description: owned, copyable, with a vector of pointers. */
#define EBB_WASM_DECLARE_TYPE_(NAME)                                           \
  EBB_WASM_DECLARE_OWN_(NAME)                                                  \
  EBB_WASM_DECLARE_VEC_(NAME, *)                                               \
  WASM_API_EXTERN own wasm_##NAME##_t *wasm_##NAME##_copy(const wasm_##NAME##_t *);

/* A reference to a runtime object. copy makes another handle to the same
** object; same says whether two handles name one object; host info is one
** pointer the embedder attaches to the object (not the handle), with an
** optional finalizer run once when the object goes. */
#define EBB_WASM_DECLARE_REF_BASE_(NAME)                                       \
  EBB_WASM_DECLARE_OWN_(NAME)                                                  \
  WASM_API_EXTERN own wasm_##NAME##_t *wasm_##NAME##_copy(const wasm_##NAME##_t *); \
  WASM_API_EXTERN bool wasm_##NAME##_same(const wasm_##NAME##_t *,             \
                                          const wasm_##NAME##_t *);            \
  WASM_API_EXTERN void *wasm_##NAME##_get_host_info(const wasm_##NAME##_t *);  \
  WASM_API_EXTERN void wasm_##NAME##_set_host_info(wasm_##NAME##_t *, void *); \
  WASM_API_EXTERN void wasm_##NAME##_set_host_info_with_finalizer(             \
      wasm_##NAME##_t *, void *, void (*)(void *));

/* ...that can also be seen as a wasm_ref_t. The views are borrowed: they
** are the same handle, not new ones. ref_as_NAME is NULL for another kind. */
#define EBB_WASM_DECLARE_REF_(NAME)                                            \
  EBB_WASM_DECLARE_REF_BASE_(NAME)                                             \
  WASM_API_EXTERN wasm_ref_t *wasm_##NAME##_as_ref(wasm_##NAME##_t *);         \
  WASM_API_EXTERN wasm_##NAME##_t *wasm_ref_as_##NAME(wasm_ref_t *);           \
  WASM_API_EXTERN const wasm_ref_t *wasm_##NAME##_as_ref_const(const wasm_##NAME##_t *); \
  WASM_API_EXTERN const wasm_##NAME##_t *wasm_ref_as_##NAME##_const(const wasm_ref_t *);

/* ...that can also be handed to another thread: share gives a
** thread-independent token, obtain a handle in a store of that thread. */
#define EBB_WASM_DECLARE_SHARABLE_REF_(NAME)                                   \
  EBB_WASM_DECLARE_REF_(NAME)                                                  \
  EBB_WASM_DECLARE_OWN_(shared_##NAME)                                         \
  WASM_API_EXTERN own wasm_shared_##NAME##_t *wasm_##NAME##_share(const wasm_##NAME##_t *); \
  WASM_API_EXTERN own wasm_##NAME##_t *wasm_##NAME##_obtain(                   \
      wasm_store_t *, const wasm_shared_##NAME##_t *);

/* ---- Bytes and names ---------------------------------------------------- */

typedef byte_t wasm_byte_t;
EBB_WASM_DECLARE_VEC_(byte, )

/* A name is a byte vector, not NUL-terminated (it may hold NUL bytes). */
typedef wasm_byte_vec_t wasm_name_t;
#define wasm_name wasm_byte_vec
#define wasm_name_new wasm_byte_vec_new
#define wasm_name_new_empty wasm_byte_vec_new_empty
#define wasm_name_new_new_uninitialized wasm_byte_vec_new_uninitialized
#define wasm_name_copy wasm_byte_vec_copy
#define wasm_name_delete wasm_byte_vec_delete

static inline void wasm_name_new_from_string(own wasm_name_t *out, const char *s) {
  wasm_name_new(out, strlen(s), s);
}

/* The same with the terminating NUL counted: a wasm_message_t. */
static inline void wasm_name_new_from_string_nt(own wasm_name_t *out, const char *s) {
  wasm_name_new(out, strlen(s) + 1, s);
}

/* ---- Configuration, engine, store -------------------------------------- */

/* Engine settings; ebb_wasm.h has ebb's (fuel metering, store limits). */
EBB_WASM_DECLARE_OWN_(config)
WASM_API_EXTERN own wasm_config_t *wasm_config_new(void);

/* An engine holds settings shared by its stores. Delete it after them. */
EBB_WASM_DECLARE_OWN_(engine)
WASM_API_EXTERN own wasm_engine_t *wasm_engine_new(void);
WASM_API_EXTERN own wasm_engine_t *wasm_engine_new_with_config(own wasm_config_t *);

/* A store owns the runtime objects created in it and frees them, running
** their finalizers, when deleted. Delete it after every handle into it. */
EBB_WASM_DECLARE_OWN_(store)
WASM_API_EXTERN own wasm_store_t *wasm_store_new(wasm_engine_t *);

/* ---- Types -------------------------------------------------------------- */

typedef uint8_t wasm_mutability_t;
enum wasm_mutability_enum {
  WASM_CONST,
  WASM_VAR,
};

/* Limits of a table (elements) or memory (64 KiB pages). A max of
** wasm_limits_max_default means "no maximum". */
typedef struct wasm_limits_t {
  uint32_t min;
  uint32_t max;
} wasm_limits_t;

static const uint32_t wasm_limits_max_default = 0xffffffff;

EBB_WASM_DECLARE_TYPE_(valtype)

typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
  WASM_I32,
  WASM_I64,
  WASM_F32,
  WASM_F64,
  WASM_EXTERNREF = 128,
  WASM_FUNCREF,
};

WASM_API_EXTERN own wasm_valtype_t *wasm_valtype_new(wasm_valkind_t);
WASM_API_EXTERN wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *);

static inline bool wasm_valkind_is_num(wasm_valkind_t k) { return k < WASM_EXTERNREF; }
static inline bool wasm_valkind_is_ref(wasm_valkind_t k) { return k >= WASM_EXTERNREF; }
static inline bool wasm_valtype_is_num(const wasm_valtype_t *t) {
  return wasm_valkind_is_num(wasm_valtype_kind(t));
}
static inline bool wasm_valtype_is_ref(const wasm_valtype_t *t) {
  return wasm_valkind_is_ref(wasm_valtype_kind(t));
}

/* A function type takes both vectors (their contents included). */
EBB_WASM_DECLARE_TYPE_(functype)
WASM_API_EXTERN own wasm_functype_t *wasm_functype_new(own wasm_valtype_vec_t *params,
                                                       own wasm_valtype_vec_t *results);
WASM_API_EXTERN const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *);
WASM_API_EXTERN const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *);

EBB_WASM_DECLARE_TYPE_(globaltype)
WASM_API_EXTERN own wasm_globaltype_t *wasm_globaltype_new(own wasm_valtype_t *,
                                                           wasm_mutability_t);
WASM_API_EXTERN const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *);
WASM_API_EXTERN wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *);

EBB_WASM_DECLARE_TYPE_(tabletype)
WASM_API_EXTERN own wasm_tabletype_t *wasm_tabletype_new(own wasm_valtype_t *,
                                                         const wasm_limits_t *);
WASM_API_EXTERN const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *);
WASM_API_EXTERN const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *);

EBB_WASM_DECLARE_TYPE_(memorytype)
WASM_API_EXTERN own wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *);
WASM_API_EXTERN const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *);

/* An extern type is any of the four above; the as_ conversions are views
** of the same object (NULL when it is of another kind). */
EBB_WASM_DECLARE_TYPE_(externtype)

typedef uint8_t wasm_externkind_t;
enum wasm_externkind_enum {
  WASM_EXTERN_FUNC,
  WASM_EXTERN_GLOBAL,
  WASM_EXTERN_TABLE,
  WASM_EXTERN_MEMORY,
};

WASM_API_EXTERN wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *);

WASM_API_EXTERN wasm_externtype_t *wasm_functype_as_externtype(wasm_functype_t *);
WASM_API_EXTERN wasm_externtype_t *wasm_globaltype_as_externtype(wasm_globaltype_t *);
WASM_API_EXTERN wasm_externtype_t *wasm_tabletype_as_externtype(wasm_tabletype_t *);
WASM_API_EXTERN wasm_externtype_t *wasm_memorytype_as_externtype(wasm_memorytype_t *);
WASM_API_EXTERN wasm_functype_t *wasm_externtype_as_functype(wasm_externtype_t *);
WASM_API_EXTERN wasm_globaltype_t *wasm_externtype_as_globaltype(wasm_externtype_t *);
WASM_API_EXTERN wasm_tabletype_t *wasm_externtype_as_tabletype(wasm_externtype_t *);
WASM_API_EXTERN wasm_memorytype_t *wasm_externtype_as_memorytype(wasm_externtype_t *);

WASM_API_EXTERN const wasm_externtype_t *wasm_functype_as_externtype_const(const wasm_functype_t *);
WASM_API_EXTERN const wasm_externtype_t *wasm_globaltype_as_externtype_const(const wasm_globaltype_t *);
WASM_API_EXTERN const wasm_externtype_t *wasm_tabletype_as_externtype_const(const wasm_tabletype_t *);
WASM_API_EXTERN const wasm_externtype_t *wasm_memorytype_as_externtype_const(const wasm_memorytype_t *);
WASM_API_EXTERN const wasm_functype_t *wasm_externtype_as_functype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_globaltype_t *wasm_externtype_as_globaltype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_tabletype_t *wasm_externtype_as_tabletype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_memorytype_t *wasm_externtype_as_memorytype_const(const wasm_externtype_t *);

/* An import: module name, field name, type (all three taken). */
EBB_WASM_DECLARE_TYPE_(importtype)
WASM_API_EXTERN own wasm_importtype_t *wasm_importtype_new(own wasm_name_t *module,
                                                           own wasm_name_t *name,
                                                           own wasm_externtype_t *);
WASM_API_EXTERN const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *);
WASM_API_EXTERN const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *);
WASM_API_EXTERN const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *);

EBB_WASM_DECLARE_TYPE_(exporttype)
WASM_API_EXTERN own wasm_exporttype_t *wasm_exporttype_new(own wasm_name_t *,
                                                           own wasm_externtype_t *);
WASM_API_EXTERN const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *);
WASM_API_EXTERN const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *);

/* ---- Values ------------------------------------------------------------- */

struct wasm_ref_t;

/* A value of one of the kinds above; of.ref is NULL for a null reference.
** A value holding a reference owns it when the value is own. */
typedef struct wasm_val_t {
  wasm_valkind_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float32_t f32;
    float64_t f64;
    struct wasm_ref_t *ref;
  } of;
} wasm_val_t;

WASM_API_EXTERN void wasm_val_delete(own wasm_val_t *v);
WASM_API_EXTERN void wasm_val_copy(own wasm_val_t *out, const wasm_val_t *);

EBB_WASM_DECLARE_VEC_(val, )

/* ---- References --------------------------------------------------------- */

/* Any reference: a function, global, table, memory, instance, trap, module,
** extern or foreign object. */
EBB_WASM_DECLARE_REF_BASE_(ref)

/* A frame of a trap's trace. ebb knows the function where a guest trap
** happened (func_index); it does not know the instance (NULL) nor byte
** offsets (0). */
EBB_WASM_DECLARE_OWN_(frame)
EBB_WASM_DECLARE_VEC_(frame, *)
WASM_API_EXTERN own wasm_frame_t *wasm_frame_copy(const wasm_frame_t *);
WASM_API_EXTERN struct wasm_instance_t *wasm_frame_instance(const wasm_frame_t *);
WASM_API_EXTERN uint32_t wasm_frame_func_index(const wasm_frame_t *);
WASM_API_EXTERN size_t wasm_frame_func_offset(const wasm_frame_t *);
WASM_API_EXTERN size_t wasm_frame_module_offset(const wasm_frame_t *);

/* A trap: a message (NUL-terminated: its size counts the NUL) and, for a
** trap in guest code, its origin. A stop asked for through ebb_wasm.h is a
** trap too ("interrupted", "deadline exceeded", "out of fuel"). */
typedef wasm_name_t wasm_message_t;

EBB_WASM_DECLARE_REF_(trap)
WASM_API_EXTERN own wasm_trap_t *wasm_trap_new(wasm_store_t *store, const wasm_message_t *);
WASM_API_EXTERN void wasm_trap_message(const wasm_trap_t *, own wasm_message_t *out);
/* NULL when ebb does not know where it happened (host traps, stops). */
WASM_API_EXTERN own wasm_frame_t *wasm_trap_origin(const wasm_trap_t *);
/* The origin alone when known, else empty: ebb keeps no call stack. */
WASM_API_EXTERN void wasm_trap_trace(const wasm_trap_t *, own wasm_frame_vec_t *out);

/* A foreign object: an opaque reference the host makes, holding host info,
** that guest code can keep and pass back as an externref. */
EBB_WASM_DECLARE_REF_(foreign)
WASM_API_EXTERN own wasm_foreign_t *wasm_foreign_new(wasm_store_t *);

/* ---- Modules ------------------------------------------------------------ */

/* A module is compiled once and may be instantiated in any store of the
** engine. wasm_module_share gives a token another thread may pass to
** wasm_module_obtain to get the same module in its own store. */
EBB_WASM_DECLARE_SHARABLE_REF_(module)

/* NULL when the binary is malformed or invalid. */
WASM_API_EXTERN own wasm_module_t *wasm_module_new(wasm_store_t *, const wasm_byte_vec_t *binary);
WASM_API_EXTERN bool wasm_module_validate(wasm_store_t *, const wasm_byte_vec_t *binary);
WASM_API_EXTERN void wasm_module_imports(const wasm_module_t *, own wasm_importtype_vec_t *out);
WASM_API_EXTERN void wasm_module_exports(const wasm_module_t *, own wasm_exporttype_vec_t *out);

/* ebb's serialized form is a 16-byte header (magic, version, length,
** checksum) and the module's binary; deserializing checks all of it and
** compiles the binary again. NULL for anything else. */
WASM_API_EXTERN void wasm_module_serialize(const wasm_module_t *, own wasm_byte_vec_t *out);
WASM_API_EXTERN own wasm_module_t *wasm_module_deserialize(wasm_store_t *, const wasm_byte_vec_t *);

/* ---- Functions ---------------------------------------------------------- */

EBB_WASM_DECLARE_REF_(func)

/* A host function. args holds the parameters (borrowed: copy a reference to
** keep it); results arrives with room for exactly the results, which the
** callback fills (references in it are taken). Return NULL, or a trap
** (taken) to make the call trap with it. */
typedef own wasm_trap_t *(*wasm_func_callback_t)(const wasm_val_vec_t *args,
                                                 own wasm_val_vec_t *results);
typedef own wasm_trap_t *(*wasm_func_callback_with_env_t)(void *env, const wasm_val_vec_t *args,
                                                          wasm_val_vec_t *results);

/* NULL when the type has a kind ebb cannot pass or memory runs out. With an
** environment, finalizer(env) (may be NULL) runs once, when the store is
** deleted, or at once if the function could not be made. */
WASM_API_EXTERN own wasm_func_t *wasm_func_new(wasm_store_t *, const wasm_functype_t *,
                                               wasm_func_callback_t);
WASM_API_EXTERN own wasm_func_t *wasm_func_new_with_env(wasm_store_t *, const wasm_functype_t *type,
                                                        wasm_func_callback_with_env_t, void *env,
                                                        void (*finalizer)(void *));

WASM_API_EXTERN own wasm_functype_t *wasm_func_type(const wasm_func_t *);
WASM_API_EXTERN size_t wasm_func_param_arity(const wasm_func_t *);
WASM_API_EXTERN size_t wasm_func_result_arity(const wasm_func_t *);

/* Call: args must match the parameters; results must have room for the
** results (results->size at least the arity), which are written there
** (references in them the caller's). NULL on success, else the trap, the
** caller's to delete (results are then left as they were). The call runs on
** the store's ebb thread: ebb_wasm.h's interrupt, deadline and fuel stop it.
** A host function may call back in (nested calls). */
WASM_API_EXTERN own wasm_trap_t *wasm_func_call(const wasm_func_t *, const wasm_val_vec_t *args,
                                                wasm_val_vec_t *results);

/* ---- Globals, tables, memories ------------------------------------------ */

EBB_WASM_DECLARE_REF_(global)

WASM_API_EXTERN own wasm_global_t *wasm_global_new(wasm_store_t *, const wasm_globaltype_t *,
                                                   const wasm_val_t *);
WASM_API_EXTERN own wasm_globaltype_t *wasm_global_type(const wasm_global_t *);
WASM_API_EXTERN void wasm_global_get(const wasm_global_t *, own wasm_val_t *out);
/* Ignored for an immutable global or a value of another kind. */
WASM_API_EXTERN void wasm_global_set(wasm_global_t *, const wasm_val_t *);

EBB_WASM_DECLARE_REF_(table)

typedef uint32_t wasm_table_size_t;

WASM_API_EXTERN own wasm_table_t *wasm_table_new(wasm_store_t *, const wasm_tabletype_t *,
                                                 wasm_ref_t *init);
WASM_API_EXTERN own wasm_tabletype_t *wasm_table_type(const wasm_table_t *);
/* NULL for a null element or an index out of bounds. */
WASM_API_EXTERN own wasm_ref_t *wasm_table_get(const wasm_table_t *, wasm_table_size_t index);
/* false for an index out of bounds or a reference of the wrong kind. */
WASM_API_EXTERN bool wasm_table_set(wasm_table_t *, wasm_table_size_t index, wasm_ref_t *);
WASM_API_EXTERN wasm_table_size_t wasm_table_size(const wasm_table_t *);
WASM_API_EXTERN bool wasm_table_grow(wasm_table_t *, wasm_table_size_t delta, wasm_ref_t *init);

EBB_WASM_DECLARE_REF_(memory)

typedef uint32_t wasm_memory_pages_t;

static const size_t MEMORY_PAGE_SIZE = 0x10000;

WASM_API_EXTERN own wasm_memory_t *wasm_memory_new(wasm_store_t *, const wasm_memorytype_t *);
WASM_API_EXTERN own wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *);
/* The base never moves, growth included: it stays valid with the store. */
WASM_API_EXTERN byte_t *wasm_memory_data(wasm_memory_t *);
WASM_API_EXTERN size_t wasm_memory_data_size(const wasm_memory_t *);
WASM_API_EXTERN wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *);
WASM_API_EXTERN bool wasm_memory_grow(wasm_memory_t *, wasm_memory_pages_t delta);

/* ---- Externals ---------------------------------------------------------- */

/* An extern is a function, global, table or memory; the as_ conversions are
** views of the same handle (NULL for another kind). */
EBB_WASM_DECLARE_REF_(extern)
EBB_WASM_DECLARE_VEC_(extern, *)

WASM_API_EXTERN wasm_externkind_t wasm_extern_kind(const wasm_extern_t *);
WASM_API_EXTERN own wasm_externtype_t *wasm_extern_type(const wasm_extern_t *);

WASM_API_EXTERN wasm_extern_t *wasm_func_as_extern(wasm_func_t *);
WASM_API_EXTERN wasm_extern_t *wasm_global_as_extern(wasm_global_t *);
WASM_API_EXTERN wasm_extern_t *wasm_table_as_extern(wasm_table_t *);
WASM_API_EXTERN wasm_extern_t *wasm_memory_as_extern(wasm_memory_t *);
WASM_API_EXTERN wasm_func_t *wasm_extern_as_func(wasm_extern_t *);
WASM_API_EXTERN wasm_global_t *wasm_extern_as_global(wasm_extern_t *);
WASM_API_EXTERN wasm_table_t *wasm_extern_as_table(wasm_extern_t *);
WASM_API_EXTERN wasm_memory_t *wasm_extern_as_memory(wasm_extern_t *);

WASM_API_EXTERN const wasm_extern_t *wasm_func_as_extern_const(const wasm_func_t *);
WASM_API_EXTERN const wasm_extern_t *wasm_global_as_extern_const(const wasm_global_t *);
WASM_API_EXTERN const wasm_extern_t *wasm_table_as_extern_const(const wasm_table_t *);
WASM_API_EXTERN const wasm_extern_t *wasm_memory_as_extern_const(const wasm_memory_t *);
WASM_API_EXTERN const wasm_func_t *wasm_extern_as_func_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_global_t *wasm_extern_as_global_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_table_t *wasm_extern_as_table_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_memory_t *wasm_extern_as_memory_const(const wasm_extern_t *);

/* ---- Instances ---------------------------------------------------------- */

EBB_WASM_DECLARE_REF_(instance)

/* Instantiate with imports in the order of wasm_module_imports, and run the
** start function. NULL on failure: a missing or mistyped import, a segment
** out of bounds, a start function that trapped or was stopped. Then, when
** trap is not NULL, *trap is a trap saying why (the caller's), else NULL. */
WASM_API_EXTERN own wasm_instance_t *wasm_instance_new(wasm_store_t *, const wasm_module_t *,
                                                       const wasm_extern_vec_t *imports,
                                                       own wasm_trap_t **trap);

/* The exports, in the module's order, as new handles. */
WASM_API_EXTERN void wasm_instance_exports(const wasm_instance_t *, own wasm_extern_vec_t *out);

/* ---- Conveniences ------------------------------------------------------- */

#define WASM_EMPTY_VEC {0, NULL}
#define WASM_ARRAY_VEC(array) {sizeof(array) / sizeof(*(array)), array}

static inline own wasm_valtype_t *wasm_valtype_new_i32(void) { return wasm_valtype_new(WASM_I32); }
static inline own wasm_valtype_t *wasm_valtype_new_i64(void) { return wasm_valtype_new(WASM_I64); }
static inline own wasm_valtype_t *wasm_valtype_new_f32(void) { return wasm_valtype_new(WASM_F32); }
static inline own wasm_valtype_t *wasm_valtype_new_f64(void) { return wasm_valtype_new(WASM_F64); }
static inline own wasm_valtype_t *wasm_valtype_new_externref(void) {
  return wasm_valtype_new(WASM_EXTERNREF);
}
static inline own wasm_valtype_t *wasm_valtype_new_funcref(void) {
  return wasm_valtype_new(WASM_FUNCREF);
}

/* wasm_functype_new_P_R: P parameters then R results, all taken. */
static inline own wasm_functype_t *ebb_wasm_functype_of_(size_t np, wasm_valtype_t **ps,
                                                         size_t nr, wasm_valtype_t **rs) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, np, ps);
  wasm_valtype_vec_new(&results, nr, rs);
  return wasm_functype_new(&params, &results);
}
static inline own wasm_functype_t *wasm_functype_new_0_0(void) {
  return ebb_wasm_functype_of_(0, NULL, 0, NULL);
}
static inline own wasm_functype_t *wasm_functype_new_1_0(own wasm_valtype_t *p) {
  wasm_valtype_t *ps[1] = {p};
  return ebb_wasm_functype_of_(1, ps, 0, NULL);
}
static inline own wasm_functype_t *wasm_functype_new_2_0(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2) {
  wasm_valtype_t *ps[2] = {p1, p2};
  return ebb_wasm_functype_of_(2, ps, 0, NULL);
}
static inline own wasm_functype_t *wasm_functype_new_3_0(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *p3) {
  wasm_valtype_t *ps[3] = {p1, p2, p3};
  return ebb_wasm_functype_of_(3, ps, 0, NULL);
}
static inline own wasm_functype_t *wasm_functype_new_0_1(own wasm_valtype_t *r) {
  wasm_valtype_t *rs[1] = {r};
  return ebb_wasm_functype_of_(0, NULL, 1, rs);
}
static inline own wasm_functype_t *wasm_functype_new_1_1(own wasm_valtype_t *p,
                                                         own wasm_valtype_t *r) {
  wasm_valtype_t *ps[1] = {p}, *rs[1] = {r};
  return ebb_wasm_functype_of_(1, ps, 1, rs);
}
static inline own wasm_functype_t *wasm_functype_new_2_1(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *r) {
  wasm_valtype_t *ps[2] = {p1, p2}, *rs[1] = {r};
  return ebb_wasm_functype_of_(2, ps, 1, rs);
}
static inline own wasm_functype_t *wasm_functype_new_3_1(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *p3,
                                                         own wasm_valtype_t *r) {
  wasm_valtype_t *ps[3] = {p1, p2, p3}, *rs[1] = {r};
  return ebb_wasm_functype_of_(3, ps, 1, rs);
}
static inline own wasm_functype_t *wasm_functype_new_0_2(own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *rs[2] = {r1, r2};
  return ebb_wasm_functype_of_(0, NULL, 2, rs);
}
static inline own wasm_functype_t *wasm_functype_new_1_2(own wasm_valtype_t *p,
                                                         own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *ps[1] = {p}, *rs[2] = {r1, r2};
  return ebb_wasm_functype_of_(1, ps, 2, rs);
}
static inline own wasm_functype_t *wasm_functype_new_2_2(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *ps[2] = {p1, p2}, *rs[2] = {r1, r2};
  return ebb_wasm_functype_of_(2, ps, 2, rs);
}
static inline own wasm_functype_t *wasm_functype_new_3_2(own wasm_valtype_t *p1,
                                                         own wasm_valtype_t *p2,
                                                         own wasm_valtype_t *p3,
                                                         own wasm_valtype_t *r1,
                                                         own wasm_valtype_t *r2) {
  wasm_valtype_t *ps[3] = {p1, p2, p3}, *rs[2] = {r1, r2};
  return ebb_wasm_functype_of_(3, ps, 2, rs);
}

/* A host pointer carried as an integer value of pointer width. */
static inline void wasm_val_init_ptr(own wasm_val_t *out, void *p) {
#if UINTPTR_MAX == UINT32_MAX
  out->kind = WASM_I32;
  out->of.i32 = (int32_t)(intptr_t)p;
#else
  out->kind = WASM_I64;
  out->of.i64 = (int64_t)(intptr_t)p;
#endif
}
static inline void *wasm_val_ptr(const wasm_val_t *val) {
#if UINTPTR_MAX == UINT32_MAX
  return (void *)(intptr_t)val->of.i32;
#else
  return (void *)(intptr_t)val->of.i64;
#endif
}

#define WASM_I32_VAL(x) {.kind = WASM_I32, .of = {.i32 = (x)}}
#define WASM_I64_VAL(x) {.kind = WASM_I64, .of = {.i64 = (x)}}
#define WASM_F32_VAL(x) {.kind = WASM_F32, .of = {.f32 = (x)}}
#define WASM_F64_VAL(x) {.kind = WASM_F64, .of = {.f64 = (x)}}
#define WASM_REF_VAL(r) {.kind = WASM_EXTERNREF, .of = {.ref = (r)}}
#define WASM_INIT_VAL {.kind = WASM_EXTERNREF, .of = {.ref = NULL}}

#ifdef __cplusplus
}
#endif

#ifdef EBB_WASM_OWN_DEFINED_
#undef own
#undef EBB_WASM_OWN_DEFINED_
#endif

#endif /* WASM_H */
