/*
** ebb.h -- the public embedding API of the ebb WebAssembly runtime.
**
** This is the only header an embedder includes. Conventions:
**  - Errors are `int`: 0 on success or a negative EBB_E* code; ebb_strerror()
**    names it, and an ebb_error_t filled by the failing call carries the detail
**    (section, function index, byte offset).
**  - `own` marks a pointer whose ownership passes with the call; an unmarked
**    pointer is borrowed for the duration of the call.
**  - A guest call ends in one of four ebb_status_t values. Only
**    EBB_INTERRUPTED is restartable (see ebb_call_resume).
**  - Unless a function says otherwise it may be called from any thread, but
**    objects of one store must not be used by two threads at once.
*/
#ifndef EBB_H
#define EBB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EBB_API __attribute__((visibility("default")))
#else
#define EBB_API
#endif

#define own

#define EBB_VERSION "0.1.0"

/* ---- Errors ------------------------------------------------------------ */

enum {
  EBB_OK_ = 0,
  EBB_ENOMEM = -1,       /* out of memory */
  EBB_EMALFORMED = -2,   /* the binary is not well-formed */
  EBB_EINVALID = -3,     /* the module does not validate */
  EBB_EUNLINKABLE = -4,  /* an import is missing or has the wrong type */
  EBB_ETRAP = -5,        /* instantiation trapped (segment out of bounds, start trapped) */
  EBB_ELIMIT = -6,       /* a configured limit was exceeded */
  EBB_EIO = -7,          /* a file could not be read */
  EBB_EARG = -8,         /* bad argument to an API call */
  EBB_ENOTFOUND = -9,    /* no such export */
  EBB_EBUSY = -10,       /* the object is in use (a call is running) */
  EBB_EINTR = -11,       /* a blocking wait ended because a request is pending */
};

/* Details of an error. The first error reported into a record wins. */
typedef struct ebb_error {
  int code;
  char message[256];
} ebb_error_t;

/* A static string naming an error code; never NULL. */
EBB_API const char *ebb_strerror(int code);

/* ---- Values ------------------------------------------------------------ */

typedef enum ebb_valkind {
  EBB_I32 = 0x7f,
  EBB_I64 = 0x7e,
  EBB_F32 = 0x7d,
  EBB_F64 = 0x7c,
  EBB_V128 = 0x7b,
  EBB_FUNCREF = 0x70,
  EBB_EXTERNREF = 0x6f,
} ebb_valkind_t;

typedef struct ebb_func ebb_func_t;

/* A typed value. References are pointers: a funcref is an ebb_func_t*, an
** externref is the embedder's own pointer; NULL is the null reference. */
typedef struct ebb_val {
  ebb_valkind_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    ebb_func_t *func;
    void *ref;
  } of;
} ebb_val_t;

/* ---- Traps and call outcomes ------------------------------------------ */

#define EBB_TRAP_LIST(X)                                                   \
  X(NONE, "no trap")                                                       \
  X(UNREACHABLE, "unreachable")                                            \
  X(MEMORY_OOB, "out of bounds memory access")                             \
  X(TABLE_OOB, "out of bounds table access")                               \
  X(INT_DIV_ZERO, "integer divide by zero")                                \
  X(INT_OVERFLOW, "integer overflow")                                      \
  X(INVALID_CONVERSION, "invalid conversion to integer")                   \
  X(UNDEFINED_ELEMENT, "undefined element")                                \
  X(UNINITIALIZED_ELEMENT, "uninitialized element")                        \
  X(INDIRECT_TYPE_MISMATCH, "indirect call type mismatch")                 \
  X(STACK_EXHAUSTED, "call stack exhausted")                               \
  X(UNALIGNED_ATOMIC, "unaligned atomic")                                  \
  X(EXPECTED_SHARED_MEMORY, "expected shared memory")                      \
  X(OUT_OF_FUEL, "out of fuel")                                            \
  X(HOST, "host function failed")

typedef enum ebb_trap {
#define EBB_TRAP_ENUM_(name, msg) EBB_TRAP_##name,
  EBB_TRAP_LIST(EBB_TRAP_ENUM_)
#undef EBB_TRAP_ENUM_
  EBB_TRAP_COUNT_
} ebb_trap_t;

/* The spec's message for a trap kind, e.g. "integer divide by zero". */
EBB_API const char *ebb_trap_message(ebb_trap_t trap);

typedef enum ebb_status {
  EBB_OK = 0,          /* the call returned; results are valid */
  EBB_TRAP = 1,        /* the guest trapped; see trap, func_index, func_name */
  EBB_EXIT = 2,        /* the guest asked to exit (proc_exit); see exit_code */
  EBB_INTERRUPTED = 3, /* stopped at a safe point; ebb_call_resume continues */
} ebb_status_t;

/* How a call into the guest ended. Filled by ebb_call / ebb_call_resume. */
typedef struct ebb_outcome {
  ebb_status_t status;
  ebb_trap_t trap;
  int exit_code;
  uint32_t func_index;   /* function where the trap happened */
  const char *func_name; /* its name from the name section, or NULL; valid
                            while the module lives */
  char message[160];     /* "integer divide by zero in func 3 (fac)" */
} ebb_outcome_t;

/* ---- Engine objects ---------------------------------------------------- */

typedef struct ebb_store ebb_store_t;
typedef struct ebb_module ebb_module_t;
typedef struct ebb_instance ebb_instance_t;
typedef struct ebb_memory ebb_memory_t;
typedef struct ebb_table ebb_table_t;
typedef struct ebb_global ebb_global_t;
typedef struct ebb_thread ebb_thread_t;

/* Limits a store applies to everything created in it. Zero means default.
** The stack limits are clamped to EBB_MAX_CALL_DEPTH and EBB_MAX_STACK_SLOTS,
** so that a limit cannot itself let a guest take the host's memory. */
typedef struct ebb_limits {
  uint64_t max_memory_pages;  /* per memory; default and at most 65536 (4 GiB) */
  uint32_t max_table_elems;   /* per table; default 10,000,000 */
  uint32_t max_call_depth;    /* frames per thread; default 100,000; at most
                                 EBB_MAX_CALL_DEPTH */
  uint32_t value_stack_slots; /* 8-byte slots per thread; default 1 Mi; at
                                 most EBB_MAX_STACK_SLOTS */
  uint64_t max_store_memory_pages; /* all memories of the store together (their
                                      current sizes); default unlimited. Beyond
                                      it memory.grow returns -1 and creating a
                                      memory fails with EBB_ELIMIT. */
  /* The host memory all objects of the store may hold together, in bytes;
  ** 0: unlimited. It counts
  **  - each linear memory: its current size (pages x 64 KiB) and descriptor;
  **  - each table: 8 bytes per element (at least one) and its descriptor;
  **  - each instance: its descriptor and its own arrays -- the function space
  **    (8 bytes per function, imports included), its defined functions (one
  **    ebb_func_t each), its table, memory and global indices, type ids,
  **    element and data segment records, and the references of its passive
  **    element segments (8 bytes per element);
  **  - each global and host function: its descriptor;
  **  - each function type the store interns (once per distinct type);
  **  - each thread (ebb_thread_new): its value and frame stacks as mapped,
  **    value_stack_slots x 8 + (max_call_depth + 1) x 24 bytes, and its
  **    descriptor, although pages are touched only as deep as calls go.
  ** Not counted: modules (see ebb_module_options_t.max_bytes), WASI state,
  ** thread groups, allocator overhead. Everything is given back when freed
  ** (a memory or table with its instance, a thread by ebb_thread_delete).
  ** Beyond the budget memory.grow and table.grow return -1, creating a
  ** memory, table or instance fails with EBB_ELIMIT (the message names what
  ** and the limit), and ebb_memory_new, ebb_table_new, ebb_global_new,
  ** ebb_func_new_host and ebb_thread_new return NULL (so wasi-threads'
  ** thread-spawn returns a negative value to the guest). Threads of one
  ** store may create and grow objects concurrently: the account is atomic. */
  uint64_t max_store_bytes;
} ebb_limits_t;

#define EBB_MAX_CALL_DEPTH 1000000u         /* frames: 24 MB of frame stack */
#define EBB_MAX_STACK_SLOTS (256u << 20)    /* 8-byte slots: 2 GiB of value stack */

/* A store owns instances and everything they create. */
EBB_API own ebb_store_t *ebb_store_new(const ebb_limits_t *limits /* may be NULL */);
EBB_API void ebb_store_delete(own ebb_store_t *store);

/* Decode, validate and compile a binary module. The bytes are copied.
** The module may be instantiated any number of times, in any store. */
EBB_API int ebb_module_new(const uint8_t *bytes, size_t size, own ebb_module_t **out,
                           ebb_error_t *err /* may be NULL */);
EBB_API void ebb_module_delete(own ebb_module_t *module);

/* The heap bytes the module holds (its description, the copy of its bytes,
** its compiled code), as counted against ebb_module_options_t.max_bytes. */
EBB_API uint64_t ebb_module_host_bytes(const ebb_module_t *module);

/* How a module is compiled. */
typedef struct ebb_module_options {
  /* Meter fuel: one unit per wasm instruction, charged when a basic block
  ** (a straight run of instructions with no branch in or out) starts, so a
  ** block left early by a trap was charged in full. Code compiled without
  ** it never pays for metering. See ebb_thread_set_fuel, ebb_group_set_fuel. */
  bool fuel;
  /* The most host memory (heap bytes, as the allocator hands them out) that
  ** decoding, validating and compiling the module may hold at any moment,
  ** the copy of its bytes and its compiled code included; 0: unlimited.
  ** Beyond it ebb_module_new_ex fails with EBB_ELIMIT ("module needs more
  ** than N bytes of host memory to load ..."), having freed everything. A
  ** module costs the host a small multiple of its size; this bounds what
  ** the multiple may be for a module built to inflate. */
  uint64_t max_bytes;
} ebb_module_options_t;

EBB_API int ebb_module_new_ex(const uint8_t *bytes, size_t size,
                              const ebb_module_options_t *opts /* may be NULL */,
                              own ebb_module_t **out, ebb_error_t *err);

/* What a module imports, so an embedder can build what it needs (such as
** the shared memory a threaded program imports). Strings live as long as the
** module. The mem_* fields are set for memory imports only. */
typedef struct ebb_import_info {
  const char *module, *name;
  int kind; /* ebb_externkind_t */
  uint32_t mem_min, mem_max;
  bool mem_has_max, mem_shared;
} ebb_import_info_t;

EBB_API uint32_t ebb_module_import_count(const ebb_module_t *module);
EBB_API int ebb_module_import_at(const ebb_module_t *module, uint32_t i, ebb_import_info_t *out);

/* ---- Externals, imports and exports ----------------------------------- */

typedef enum ebb_externkind {
  EBB_EXTERN_FUNC = 0,
  EBB_EXTERN_TABLE = 1,
  EBB_EXTERN_MEMORY = 2,
  EBB_EXTERN_GLOBAL = 3,
} ebb_externkind_t;

typedef struct ebb_extern {
  ebb_externkind_t kind;
  union {
    ebb_func_t *func;
    ebb_table_t *table;
    ebb_memory_t *memory;
    ebb_global_t *global;
  } of;
} ebb_extern_t;

/* Resolves one import by (module, name). Return 0 and fill *out, or
** EBB_ENOTFOUND. Called during ebb_instance_new. */
typedef int (*ebb_resolver_fn)(void *data, const char *module, const char *name,
                               ebb_externkind_t kind, ebb_extern_t *out);

/* Instantiate: resolve imports, allocate, initialize segments, run start.
** Fails with EBB_EUNLINKABLE, EBB_ETRAP (err says which trap), EBB_ENOMEM.
** On success the instance belongs to the store. */
EBB_API int ebb_instance_new(ebb_store_t *store, const ebb_module_t *module,
                             ebb_resolver_fn resolve, void *resolve_data,
                             ebb_instance_t **out, ebb_error_t *err);

/* The same, running the start function (if any) on `thread`, so that it can
** be stopped like any call: if the thread is interrupted or its group ends
** while the start function runs, instantiation fails with EBB_EINTR, and
** err says how the start function ended. With thread NULL the start function
** runs on an internal thread that cannot be reached. */
EBB_API int ebb_instance_new_ex(ebb_store_t *store, const ebb_module_t *module,
                                ebb_resolver_fn resolve, void *resolve_data,
                                ebb_thread_t *thread, ebb_instance_t **out, ebb_error_t *err);

/* Look up an export by name. Returns 0 or EBB_ENOTFOUND. */
EBB_API int ebb_instance_export(const ebb_instance_t *inst, const char *name,
                                ebb_extern_t *out);

/* The same, for a name of `len` bytes that may contain NUL bytes. */
EBB_API int ebb_instance_export_n(const ebb_instance_t *inst, const char *name, size_t len,
                                  ebb_extern_t *out);

/* Number of exports and the i-th one's name and value, for enumeration. */
EBB_API uint32_t ebb_instance_export_count(const ebb_instance_t *inst);
EBB_API const char *ebb_instance_export_at(const ebb_instance_t *inst, uint32_t i,
                                           ebb_extern_t *out);

/* ---- Functions and calls ---------------------------------------------- */

/* A host function. `args` holds the parameters as 8-byte cells in order
** (i32 in the low half, floats as their bits, references as pointers);
** the function writes its results into `results` (which may alias `args`).
** Return EBB_OK, or EBB_TRAP / EBB_EXIT after ebb_host_trap/ebb_host_exit. */
typedef struct ebb_host_call ebb_host_call_t;
typedef ebb_status_t (*ebb_host_fn)(ebb_host_call_t *call, const uint64_t *args,
                                    uint64_t *results);

EBB_API ebb_func_t *ebb_func_new_host(ebb_store_t *store, const ebb_valkind_t *params,
                                      uint32_t nparams, const ebb_valkind_t *results,
                                      uint32_t nresults, ebb_host_fn fn, void *data);

EBB_API uint32_t ebb_func_param_count(const ebb_func_t *f);
EBB_API uint32_t ebb_func_result_count(const ebb_func_t *f);
EBB_API ebb_valkind_t ebb_func_param(const ebb_func_t *f, uint32_t i);
EBB_API ebb_valkind_t ebb_func_result(const ebb_func_t *f, uint32_t i);

/* Inside a host function: its data pointer, the calling instance's memory 0
** (NULL if none), the thread, and ways to stop the guest. */
EBB_API void *ebb_host_data(ebb_host_call_t *call);
EBB_API ebb_memory_t *ebb_host_memory(ebb_host_call_t *call);
EBB_API ebb_thread_t *ebb_host_thread(ebb_host_call_t *call);
EBB_API ebb_status_t ebb_host_trap(ebb_host_call_t *call, const char *message);
EBB_API ebb_status_t ebb_host_exit(ebb_host_call_t *call, int code);

/* ---- Blocking inside host functions -----------------------------------
** A host function that blocks must wait through these, so that its thread
** stays stoppable (DESIGN.md, "One way to block"). When one returns
** EBB_EINTR, a request (interrupt, termination, deadline) is pending: the
** host function must return EBB_INTERRUPTED at once, having changed nothing
** the guest can see. The guest call then stops; if it is resumed, the same
** host call runs again from its start. A host function that blocks in any
** other way cannot be interrupted while it blocks, unless it installs an
** interrupt handler (below). */

struct pollfd;

/* Nanoseconds on the monotonic clock all deadlines use. */
EBB_API int64_t ebb_now_ns(void);

/* The absolute deadline for a wait of timeout_ns (negative: forever) that
** survives restarts: a host call re-run after an interruption gets the
** deadline it had, so it waits only for what is left. */
EBB_API int64_t ebb_host_deadline(ebb_host_call_t *call, int64_t timeout_ns);

/* Sleep until the deadline. 0, or EBB_EINTR. */
EBB_API int ebb_host_sleep_until(ebb_host_call_t *call, int64_t deadline_ns);

/* poll() the descriptors until one is ready or the deadline passes. Returns
** the number ready (0 at the deadline), EBB_EINTR, or EBB_EIO (errno set). */
EBB_API int ebb_host_poll(ebb_host_call_t *call, struct pollfd *fds, unsigned nfds,
                          int64_t deadline_ns);

/* ---- Interrupt handlers for host functions that block elsewhere -------
** A host function that must block in a way ebb cannot see -- a condition
** variable, a library's own event loop, a plain read() -- installs an
** interrupt handler for the length of the wait (DESIGN.md, point 4). When a
** request (interrupt, termination, deadline) reaches the thread, ebb sets
** the request bit, wakes the thread, then runs fn(arg) once, on the
** requesting thread. A handler only unblocks the wait: signal a condition,
** write a wake descriptor, pthread_kill with a handler installed without
** SA_RESTART. The host function, woken, sees ebb_host_stop_requested and
** returns EBB_INTERRUPTED having changed nothing the guest can see, as with
** EBB_EINTR above. Requests made from a signal handler run fn there: only
** async-signal-safe handlers (ebb_interrupt_write_fd, ebb_interrupt_kill)
** may be used with them. A host function that installs no handler and
** blocks other than through ebb_host_* cannot be interrupted while it
** blocks. One handler per thread at a time.
**
**   if (ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &wake))
**     return EBB_INTERRUPTED;            // a request was already pending
**   pthread_mutex_lock(&m);
**   while (!ready && !ebb_host_stop_requested(call)) pthread_cond_wait(&c, &m);
**   pthread_mutex_unlock(&m);
**   if (ebb_host_clear_interrupt_handler(call)) return EBB_INTERRUPTED;
*/
typedef void (*ebb_interrupt_handler_fn)(void *arg);

/* Install fn(arg). EBB_EINTR, installing nothing, if a request is already
** pending; EBB_EARG if a handler is installed already; else 0. */
EBB_API int ebb_host_set_interrupt_handler(ebb_host_call_t *call, ebb_interrupt_handler_fn fn,
                                           void *arg);

/* Remove the handler. When this returns the handler is not running and
** never will: arg may go. EBB_EINTR if a request is pending (whether or
** not the handler ran), else 0. ebb removes a handler still installed
** when the host function returns. It waits for a handler that is running:
** do not hold a lock the handler takes (the condition's mutex) here. */
EBB_API int ebb_host_clear_interrupt_handler(ebb_host_call_t *call);

/* True if a request is pending: the host function should return
** EBB_INTERRUPTED. */
EBB_API bool ebb_host_stop_requested(ebb_host_call_t *call);

/* Handlers ebb ships. */
/* arg is a descriptor, (void *)(intptr_t)fd: writes the 8-byte value 1 to
** it (an eventfd's increment; 8 bytes into a pipe). Async-signal-safe. */
EBB_API void ebb_interrupt_write_fd(void *arg);
/* arg is an ebb_interrupt_cond_t: lock, broadcast, unlock (a waiter that
** checks ebb_host_stop_requested under the mutex cannot miss it). */
typedef struct ebb_interrupt_cond {
  pthread_mutex_t *mutex;
  pthread_cond_t *cond;
} ebb_interrupt_cond_t;
EBB_API void ebb_interrupt_cond(void *arg);
/* arg is an ebb_interrupt_kill_t: pthread_kill(thread, signo), to make a
** blocking system call fail with EINTR (install signo's handler without
** SA_RESTART). A signal that lands before the call blocks is lost to it:
** prefer a descriptor or a condition where there is one. Async-signal-safe. */
typedef struct ebb_interrupt_kill {
  pthread_t thread;
  int signo;
} ebb_interrupt_kill_t;
EBB_API void ebb_interrupt_kill(void *arg);

/* A thread is an execution context: value stack, frames, interrupt word.
** A thread runs one call at a time. Its stacks are charged to the store
** (max_store_bytes; NULL beyond it): delete it before the store. */
EBB_API own ebb_thread_t *ebb_thread_new(ebb_store_t *store);
EBB_API void ebb_thread_delete(own ebb_thread_t *thread);

/* Call a function. args/results are arrays of the function's arity; results
** are valid only when the outcome is EBB_OK. Returns the status (also in
** outcome->status). */
EBB_API ebb_status_t ebb_call(ebb_thread_t *thread, ebb_func_t *func, const ebb_val_t *args,
                              ebb_val_t *results, ebb_outcome_t *outcome);

/* After EBB_INTERRUPTED: continue the stopped call exactly where it stopped. */
EBB_API ebb_status_t ebb_call_resume(ebb_thread_t *thread, ebb_val_t *results,
                                     ebb_outcome_t *outcome);

/* After EBB_INTERRUPTED: abandon the stopped call and free its frames. */
EBB_API void ebb_call_abandon(ebb_thread_t *thread);

/* Fuel for the metered code this thread runs (default: unlimited). When it
** runs out the call traps with EBB_TRAP_OUT_OF_FUEL. Not while a call runs. */
EBB_API void ebb_thread_set_fuel(ebb_thread_t *thread, uint64_t fuel);
EBB_API uint64_t ebb_thread_fuel(const ebb_thread_t *thread);

/* Ask a thread to stop at its next safe point with EBB_INTERRUPTED. Safe from
** any thread and from a signal handler (an atomic store and a wake; then a
** blocked host call's interrupt handler, which must itself be signal-safe
** for that). */
EBB_API void ebb_thread_interrupt(ebb_thread_t *thread);

/* ---- Thread groups ----------------------------------------------------
** The threads of one program (the main thread and those wasi-threads
** spawns) form a group that ends as a whole (DESIGN.md, "Thread groups"):
** proc_exit or a trap on any thread, a deadline or a signal ends every
** member -- running ones at their next safe point, blocked ones at once --
** and the first reason to end is the one the group reports. */

typedef struct ebb_group ebb_group_t;

typedef enum ebb_end_reason {
  EBB_END_NONE = 0,   /* still running */
  EBB_END_EXIT = 1,   /* proc_exit, or the main thread returned (code 0) */
  EBB_END_TRAP = 2,   /* a thread trapped; message says where */
  EBB_END_TIMEOUT = 3, /* the embedder's deadline passed */
  EBB_END_SIGNAL = 4, /* the embedder ended it for a signal; code is the signal */
} ebb_end_reason_t;

/* A group allowing at most max_threads members (0: 1024). */
EBB_API own ebb_group_t *ebb_group_new(uint32_t max_threads);

/* Waits for every thread the group started (ebb__group_spawn), then frees
** the group. Members must have left it. */
EBB_API void ebb_group_delete(own ebb_group_t *g);

/* Make t a member; EBB_ELIMIT when the group is full, EBB_EBUSY when it has
** already ended. A thread is in at most one group. */
EBB_API int ebb_group_add(ebb_group_t *g, ebb_thread_t *t);
EBB_API void ebb_group_remove(ebb_group_t *g, ebb_thread_t *t);

/* End the group (first call wins): every member gets a termination request,
** and its running call ends with EBB_EXIT. Any thread may call it; not a
** signal handler (use a signal-handling thread). */
EBB_API void ebb_group_end(ebb_group_t *g, ebb_end_reason_t reason, int code,
                           const char *message);

/* How the group ended (EBB_END_NONE while it runs); message may be NULL. */
EBB_API ebb_end_reason_t ebb_group_outcome(ebb_group_t *g, int *code, char *message,
                                           size_t message_size);

/* Give the group a pool of fuel its members draw from (in chunks); set it
** before adding members. */
EBB_API void ebb_group_set_fuel(ebb_group_t *g, uint64_t fuel);

/* Wait until every thread the group started has finished. */
EBB_API void ebb_group_join(ebb_group_t *g);

/* wasi-threads: `wasi` `thread-spawn` instantiates `module` again in the
** store of `wasi`, resolving imports with resolve/data (which must hand out
** the same shared memory), and runs its `wasi_thread_start(tid, arg)` on a
** new OS thread that joins `group`. A trap or proc_exit there ends the group.
** Spawning fails (returns a negative value to the guest) when the group is
** full or has ended. */
typedef struct ebb_wasi_threads ebb_wasi_threads_t;
EBB_API own ebb_wasi_threads_t *ebb_wasi_threads_new(ebb_store_t *store,
                                                     const ebb_module_t *module,
                                                     ebb_group_t *group,
                                                     ebb_resolver_fn resolve, void *data);
EBB_API void ebb_wasi_threads_delete(own ebb_wasi_threads_t *threads);
/* An ebb_resolver_fn for `wasi` `thread-spawn`; data is the ebb_wasi_threads_t. */
EBB_API int ebb_wasi_threads_resolve(void *threads, const char *module, const char *name,
                                     ebb_externkind_t kind, ebb_extern_t *out);

/* ---- Memories, tables, globals ---------------------------------------- */

/* Host-created functions, memories, tables and globals belong to the store
** and are freed with it. */

EBB_API uint8_t *ebb_memory_data(ebb_memory_t *mem);
EBB_API size_t ebb_memory_size(const ebb_memory_t *mem); /* bytes */
EBB_API ebb_memory_t *ebb_memory_new(ebb_store_t *store, uint32_t min_pages,
                                         uint32_t max_pages, bool has_max, bool shared);

EBB_API ebb_table_t *ebb_table_new(ebb_store_t *store, ebb_valkind_t elem, uint32_t min,
                                       uint32_t max, bool has_max);
EBB_API uint32_t ebb_table_size(const ebb_table_t *table);

EBB_API ebb_global_t *ebb_global_new(ebb_store_t *store, ebb_val_t value, bool mutable_);
EBB_API ebb_val_t ebb_global_get(const ebb_global_t *g);

/* ---- WASI preview1 ----------------------------------------------------- */

/* Options for a WASI environment. Strings are copied.
**
** The guest's descriptors: 0-2 are the host's standard descriptors (the
** guest closing them leaves the host's open), then the preopened directories
** from 3 in order. Paths the guest uses never resolve outside a preopened
** directory: `..` above it, absolute paths and symlinks leading out are
** refused with ENOTCAPABLE (76). Reads and writes on pipes, terminals and
** sockets, poll_oneoff and sock_accept block interruptibly: a request to the
** thread (interrupt, termination, deadline) ends the wait at once. */
typedef struct ebb_wasi_options {
  int argc;
  const char *const *argv; /* argv[0] is the program name */
  int envc;
  const char *const *envp; /* "NAME=VALUE" */
  int ndirs;                    /* directories to preopen (descriptors 3...) */
  const char *const *dir_host;  /* their host paths */
  const char *const *dir_guest; /* the names the guest sees ("/data", ".") */
} ebb_wasi_options_t;

typedef struct ebb_wasi ebb_wasi_t;

/* A WASI environment whose host functions live in `store`. NULL when out of
** memory or when a directory cannot be opened (errno then says why; use
** ebb_wasi_preopen_dir for a message naming the directory). */
EBB_API own ebb_wasi_t *ebb_wasi_new(ebb_store_t *store, const ebb_wasi_options_t *opts);
EBB_API void ebb_wasi_delete(own ebb_wasi_t *wasi);

/* Preopen one more host directory as the next descriptor, named
** `guest_name` in the guest. 0, or EBB_EIO (the directory cannot be opened;
** err names it and says why), EBB_ENOMEM. Call before the guest runs. */
EBB_API int ebb_wasi_preopen_dir(ebb_wasi_t *wasi, const char *host_path,
                                 const char *guest_name, ebb_error_t *err /* may be NULL */);

/* Give the guest a listening socket as the next descriptor, for sock_accept.
** ebb takes the descriptor (closes it with the environment) and makes it
** non-blocking, a flag it shares with any duplicate. 0, EBB_EARG (not a
** socket), EBB_ENOMEM. */
EBB_API int ebb_wasi_preopen_socket(ebb_wasi_t *wasi, own int host_fd,
                                    ebb_error_t *err /* may be NULL */);

/* An ebb_resolver_fn for module "wasi_snapshot_preview1"; pass the
** ebb_wasi_t as its data. Other modules are not found. */
EBB_API int ebb_wasi_resolve(void *wasi, const char *module, const char *name,
                             ebb_externkind_t kind, ebb_extern_t *out);

#ifdef __cplusplus
}
#endif
#endif /* EBB_H */
