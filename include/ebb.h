/*
** ebb.h -- the public embedding API of the ebb WebAssembly runtime.
**
** This is the only header an embedder includes. docs/embedding.md shows it
** in use, re-entrant calls included.
**
** Conventions
**  - Errors are `int`: 0 on success or a negative EBB_E* code; ebb_strerror()
**    names it, and an ebb_error_t filled by the failing call carries the detail
**    (section, function index, byte offset).
**  - `own` marks a pointer whose ownership passes with the call; an unmarked
**    pointer is borrowed for the duration of the call.
**  - A guest call ends in one of five ebb_status_t values. Only
**    EBB_INTERRUPTED is restartable (see ebb_call_resume); EBB_ERROR means
**    the call was refused and nothing ran.
**
** Threads ("OS thread" is a pthread; an ebb_thread_t is a guest thread's
** execution context). ebb is made for guests with many threads, so:
**  - An ebb_thread_t runs one call at a time on one OS thread at a time.
**    While a call runs on it, that OS thread may call into it again from a
**    host function (a nested call, below); any other OS thread is refused
**    with EBB_ERROR / EBB_EBUSY. Between calls -- a call that stopped with
**    EBB_INTERRUPTED included -- any OS thread may use it.
**  - Requests (ebb_thread_interrupt, ebb_group_end) come from any OS thread
**    at any time, a signal handler included: they are async-signal-safe as
**    far as the interrupt handlers installed by host functions are.
**  - Creating objects in one store (instances, functions, memories, tables,
**    globals, threads) is safe from several OS threads at once: the
**    threads of one program instantiate concurrently. Functions of one
**    instance may run on several threads at once.
**  - Other functions on one object are not synchronised unless they say so.
**
** Nested calls. A host function may call ebb_call on the thread it runs on
** (ebb_host_thread). The inner call is a level of its own: it gets its own
** stack above the host function's frame and arguments, and when it ends --
** returned, trapped, or stopped and then resumed to its end or abandoned --
** the outer call is exactly as it was. An inner call stopped with
** EBB_INTERRUPTED consumed the interrupt: the host function may resume it,
** abandon it, or return EBB_INTERRUPTED itself to pass the stop on to the
** outer call, which then stops at the host call and runs it again from its
** start when resumed (an inner call the host function left stopped is
** abandoned when it returns). Calls nest at most EBB_MAX_NESTED_CALLS deep;
** the next is the trap EBB_TRAP_STACK_EXHAUSTED.
**
** Lifetimes and order of deletion. A store owns everything created in it
** and frees it with ebb_store_delete, which must come last: after every
** ebb_thread_t of the store is deleted (and so after their groups ended and
** were joined). A thread leaves its group when deleted. A group is deleted
** after its members left it. A module may be deleted while instances of it
** live (they hold references). Deleting an object while a call can still
** reach it is forbidden.
**
** Misuse. A use the code can see cheaply is refused with an error code
** (EBB_EARG, EBB_EBUSY; EBB_ERROR for calls). A use that would corrupt
** memory and leaves no error to return -- deleting a thread while a call
** runs on it, a store while its threads exist, a group with members --
** prints "ebb: API misuse: <the rule>" and aborts, in every build. Rules
** whose check would cost a hot path (a host call record used after its
** function returned, a funcref argument that is no function) are checked
** in builds with EBB_ENABLE_CHECKS (on with ASan), which abort the same way.
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
  EBB_EBUSY = -10,       /* in use: a call runs on another OS thread, a call is
                            stopped, a thread is in another group */
  EBB_EINTR = -11,       /* a blocking wait ended because a request is pending */
  EBB_ECLOSED = -12,     /* the thread a handle names is gone, or its mailbox closed */
  EBB_ETIMEDOUT = -13,   /* a wait reached its deadline */
  EBB_ESIGNAL = -14,     /* a wait ended for a guest signal (ebb_instance_signal) */
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

/* Not a kind: what ebb_func_param / ebb_func_result give past the arity. */
#define EBB_NOKIND ((ebb_valkind_t)0)

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
  X(HOST, "host function failed")                                          \
  X(CONTEXT_RETURNED, "context entry function returned")                  \
  X(COMPILE_FAILED, "out of host memory compiling the function")

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
  EBB_ERROR = 4,       /* the call was refused before anything ran (wrong
                          arguments, thread busy): see error and message */
} ebb_status_t;

/* How a call into the guest ended. Filled by ebb_call / ebb_call_resume. */
typedef struct ebb_outcome {
  ebb_status_t status;
  ebb_trap_t trap;
  int exit_code;
  int error;             /* EBB_ERROR: the EBB_E* code (EBB_EARG, EBB_EBUSY) */
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
typedef struct ebb_group ebb_group_t;

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
  /* Live green-thread contexts per thread (ebb_context_create); default
  ** 100,000, at most EBB_MAX_CONTEXTS. */
  uint32_t max_contexts;
} ebb_limits_t;

#define EBB_MAX_CALL_DEPTH 1000000u         /* frames: 24 MB of frame stack */
#define EBB_MAX_STACK_SLOTS (256u << 20)    /* 8-byte slots: 2 GiB of value stack */
#define EBB_MAX_CONTEXTS (1u << 20)         /* live contexts per thread */

/* A store owns instances and everything they create. */
EBB_API own ebb_store_t *ebb_store_new(const ebb_limits_t *limits /* may be NULL */);

/* Free the store and everything in it. Last: every ebb_thread_t of the
** store must be deleted first (else it aborts, "ebb: API misuse"), and so
** every group of them ended and joined. Host functions' data is the
** embedder's to free after. NULL is fine. */
EBB_API void ebb_store_delete(own ebb_store_t *store);

/* Decode and validate a binary module, completely: an invalid module is
** refused here, before anything runs. The bytes are copied. Each function's
** body is compiled on its first call (by whichever thread calls it first;
** concurrent first calls wait for that one compile), unless
** ebb_module_options_t.eager asks for all of it now. The module may be
** instantiated any number of times, in any store.
**
** Not interruptible, but bounded by the module's size: decoding and
** validating a 30 MB module takes about 0.2 s (bodies are validated on
** several cores when there are more than 1 MiB of them), and a first call
** compiles one body, at 25-90 MB/s (the largest of Yosys's 34,000, 228 KB,
** in under 10 ms). A deadline or a request that comes while it compiles
** takes effect as soon as the compile ends. */
EBB_API int ebb_module_new(const uint8_t *bytes, size_t size, own ebb_module_t **out,
                           ebb_error_t *err /* may be NULL */);
EBB_API void ebb_module_delete(own ebb_module_t *module);

/* The heap bytes the module holds (its description, the copy of its bytes,
** its compiled code), as counted against ebb_module_options_t.max_bytes. It
** grows as functions are compiled on their first call. */
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
  ** the multiple may be for a module built to inflate. Code compiled on a
  ** first call counts too: a call whose compile would pass the limit traps
  ** with EBB_TRAP_COMPILE_FAILED (and the next call tries again). */
  uint64_t max_bytes;
  /* Compile every function now, on several threads for a large module,
  ** instead of on each one's first call: what the module costs is then known
  ** when ebb_module_new_ex returns, and no call waits for a compile. */
  bool eager;
} ebb_module_options_t;

EBB_API int ebb_module_new_ex(const uint8_t *bytes, size_t size,
                              const ebb_module_options_t *opts /* may be NULL */,
                              own ebb_module_t **out, ebb_error_t *err);

/* Load a module without copying its bytes: for a program that reads a
** module into memory only to load it, a 30 MB module then costs its host 30
** MB once, not twice, and no time copying. Take the memory from
** ebb_module_bytes_alloc(size) (huge pages for a large module), fill it,
** and pass it to ebb_module_new_owned, which takes it over whatever the
** outcome: the module frees it when deleted, or at once if loading fails.
** Do not touch it after the call. ebb_module_bytes_free is for memory never
** passed on (a read that failed). The bytes count against
** ebb_module_options_t.max_bytes as a copy would. */
EBB_API uint8_t *ebb_module_bytes_alloc(size_t size);
EBB_API void ebb_module_bytes_free(uint8_t *bytes, size_t size);
EBB_API int ebb_module_new_owned(uint8_t *bytes, size_t size,
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

/* The same, running the start function (if any) on `thread` (of the same
** store), so that it can be stopped like any call: if the thread is
** interrupted or its group ends while the start function runs,
** instantiation fails with EBB_EINTR, and err says how the start function
** ended. With thread NULL the start function runs on an internal thread
** that cannot be reached. To see a start function's trap, exit code or stop
** as an outcome, use ebb_instance_create and call it yourself. */
EBB_API int ebb_instance_new_ex(ebb_store_t *store, const ebb_module_t *module,
                                ebb_resolver_fn resolve, void *resolve_data,
                                ebb_thread_t *thread, ebb_instance_t **out, ebb_error_t *err);

/* Instantiate without running the start function: the embedder calls it
** itself (ebb_instance_start_func) with ebb_call, on a thread of its
** choosing, and sees how it ended like any call -- a trap, proc_exit's
** code, a stop that can be resumed. Until it has returned, the instance is
** not ready (spec 4.5.4): call nothing else in it. Errors as
** ebb_instance_new, but never EBB_ETRAP for the start function or
** EBB_EINTR. */
EBB_API int ebb_instance_create(ebb_store_t *store, const ebb_module_t *module,
                                ebb_resolver_fn resolve, void *resolve_data,
                                ebb_instance_t **out, ebb_error_t *err);

/* The instance's start function, or NULL if its module has none. */
EBB_API ebb_func_t *ebb_instance_start_func(const ebb_instance_t *inst);

/* ---- Guest signals (DESIGN.md point 6) ----------------------------------
** A module that exports the i32 globals `__signal_address` and
** `__terminated_address` can be signalled: their values, read when it is
** instantiated, are addresses of 4 bytes each in memory 0 that must not
** overlap (else instantiation fails with EBB_EINVALID, naming the export
** and why; so does exporting one without the other, or a non-i32 global).
** The guest polls the signal address, or waits on it with
** memory.atomic.wait32; the host writes there. When the program ends the
** host stores 1 at the terminated address and signals no more. */

/* True if the instance exports both addresses. */
EBB_API bool ebb_instance_has_signals(const ebb_instance_t *inst);

/* Store `signo` (32 bits, little-endian; atomically when the address is
** aligned, byte by byte when not) at the signal address, wake every thread
** waiting there in memory.atomic.wait, and, if `group` is given, wake its
** members blocked in WASI calls, which return EINTR to the guest
** (ebb_host_poll and ebb_host_sleep_until return EBB_ESIGNAL). A member
** that is running keeps the signal pending until its next wait that would
** block, which then returns at once: a guest that looked at the address
** just before blocking cannot miss a signal. 0;
** EBB_ENOTFOUND when the instance has no signal addresses; EBB_ECLOSED
** once it is marked terminated. Any OS thread, while the guest runs; not
** from a signal handler (it takes locks): `ebb run` delivers SIGINT and
** SIGTERM from a watcher thread. */
EBB_API int ebb_instance_signal(ebb_instance_t *inst, ebb_group_t *group, int32_t signo);

/* The program has ended (returned, exited, trapped or was terminated):
** store 1 at the terminated address, once, and refuse signals from now on.
** Call it before the program's other threads are released (ebb run does so
** when the main thread's call ends, before it ends the group). 0;
** EBB_ENOTFOUND when the instance has no signal addresses. Any OS thread. */
EBB_API int ebb_instance_mark_terminated(ebb_instance_t *inst);

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
** (i32 in the low half, floats as their bits, references as pointers, a
** v128 in two cells, its bytes 0-7 then 8-15); results are laid out alike;
** the function writes its results into `results` (which may alias `args`)
** and returns one of:
**   EBB_OK: the results are written;
**   EBB_TRAP after ebb_host_trap, EBB_EXIT after ebb_host_exit;
**   EBB_INTERRUPTED, having changed nothing (results included), when a
**     request is pending (ebb_host_stop_requested, EBB_EINTR below) or when
**     a call it made on its thread stopped (passing that stop on): the call
**     stops restartably and the host function runs again on resume.
** Anything else is a bug of the host function and the call traps (kind
** EBB_TRAP_HOST, the message says what was wrong): another value, EBB_EXIT
** without ebb_host_exit, EBB_INTERRUPTED with nothing that asked for a stop
** (it would be run again for ever). It runs on the calling thread's OS
** thread, and may call into the guest there (nested calls, top of file).
** The ebb_host_call_t is valid only until it returns, on that OS thread. */
typedef struct ebb_host_call ebb_host_call_t;
typedef ebb_status_t (*ebb_host_fn)(ebb_host_call_t *call, const uint64_t *args,
                                    uint64_t *results);

/* A host function of the given type, owned by the store (freed with it;
** data is the embedder's). NULL when a kind is not an ebb_valkind_t, an
** array is missing, there are more than 1,000 of
** either, or memory runs out. Any OS thread. */
EBB_API ebb_func_t *ebb_func_new_host(ebb_store_t *store, const ebb_valkind_t *params,
                                      uint32_t nparams, const ebb_valkind_t *results,
                                      uint32_t nresults, ebb_host_fn fn, void *data);

/* A function's type. Past the arity the kind is EBB_NOKIND; a NULL
** function has no parameters or results. */
EBB_API uint32_t ebb_func_param_count(const ebb_func_t *f);
EBB_API uint32_t ebb_func_result_count(const ebb_func_t *f);
EBB_API ebb_valkind_t ebb_func_param(const ebb_func_t *f, uint32_t i);
EBB_API ebb_valkind_t ebb_func_result(const ebb_func_t *f, uint32_t i);

/* Inside a host function, with its own call record only: its data pointer,
** the calling instance's memory 0 (NULL if none, and when the embedder
** called the function directly), the thread, and ways to stop the guest.
** ebb_host_trap copies the message (up to 95 bytes). */
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

/* Sleep until the deadline. 0, or EBB_EINTR; or EBB_ESIGNAL once when a
** guest signal was delivered to the thread (ebb_instance_signal with its
** group): tell the guest (WASI's functions return EINTR) or wait again.
** Only a wait that would block takes the signal: with the deadline passed
** (or, for ebb_host_poll, a descriptor ready) the result is as without it,
** and the signal stays pending. */
EBB_API int ebb_host_sleep_until(ebb_host_call_t *call, int64_t deadline_ns);

/* poll() the descriptors until one is ready or the deadline passes. Returns
** the number ready (0 at the deadline), EBB_EINTR, EBB_ESIGNAL (as for
** ebb_host_sleep_until), or EBB_EIO (errno set). */
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
** blocks. One handler per host call: a host function that keeps its handler
** while it calls back into the guest does not stop a host function of the
** inner call from installing its own; a request runs both, innermost
** first. A handler may run for a request that a safe point consumed just
** before the host call began: a host function that then returns
** EBB_INTERRUPTED is simply run again. A message posted to the thread runs
** the handler too, and leaves it installed: ebb_host_stop_requested then
** says true if the messages may run here (the host function returns
** EBB_INTERRUPTED, they run, and it runs again), false if not (inside a
** message, or suspended without EBB_SUSPEND_RUN_MAIL: it waits on). So a
** handler may run more than once while installed, and must be harmless to
** repeat, as ebb's three are.
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
** pending; EBB_EARG if this host call installed one already (or fn is
** NULL); else 0. */
EBB_API int ebb_host_set_interrupt_handler(ebb_host_call_t *call, ebb_interrupt_handler_fn fn,
                                           void *arg);

/* Remove this host call's handler. When this returns the handler is not
** running and never will: arg may go. EBB_EINTR if a request is pending or
** the handler ran (either way the wait was disturbed: return
** EBB_INTERRUPTED), else 0. ebb removes a handler still installed when the
** host function returns. It waits for a handler that is running: do not
** hold a lock the handler takes (the condition's mutex) here. */
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

/* ---- Green-thread contexts ---------------------------------------------
** Several call stacks in one guest thread (coroutines, fibers), made and
** switched by host functions the guest calls; WASIX's context_create,
** context_switch and context_destroy are built on these (the WASI
** resolver answers them, module "wasix_32v1"). The contexts belong to the
** guest call (ebb_call) whose host function made the first one: id 0 is
** that call's own stack, the main context; all are released when the call
** ends (returns, traps, exits, is abandoned). Host calls made from another
** call on the thread (a callback, a message) get EBB_EARG. The context
** that runs is the thread as far as everything else is concerned: a
** request stops it at its next safe point, and ebb_call_resume continues
** it there. If an entry function returns, the call ends with the trap
** EBB_TRAP_CONTEXT_RETURNED, whose message names the context.
**
** ebb_context_create: a context whose first switch runs `entry`, a wasm
** function of type [] -> [] of this store; *id gets its id (never 0, never
** the id of an earlier context of any thread). 0, EBB_EARG, EBB_ELIMIT
** (ebb_limits_t.max_contexts live ones, or the store's byte limit),
** EBB_ENOMEM.
** ebb_context_switch: when this host function returns EBB_OK (with its
** results written, as usual), the context that called it is suspended there
** and `id` runs, where it was suspended or from its entry. 0 (also when id
** is the running context: nothing happens), EBB_EARG (not a context of this
** call that is waiting to run), EBB_ELIMIT / EBB_ENOMEM (no room to save
** the running one). A host function that ends otherwise switches nothing.
** ebb_context_destroy: a context that is not running is released with
** what it had on its stack, none of which runs again. 0 (also for an id of
** this thread that lives no longer, or never did), EBB_EARG (id 0, the
** running context, another thread's context).
** ebb_context_current: the running context's id (0 outside contexts). */
EBB_API int ebb_context_create(ebb_host_call_t *call, ebb_func_t *entry, uint64_t *id);
EBB_API int ebb_context_switch(ebb_host_call_t *call, uint64_t id);
EBB_API int ebb_context_destroy(ebb_host_call_t *call, uint64_t id);
EBB_API uint64_t ebb_context_current(ebb_host_call_t *call);

/* ---- Threads and calls -------------------------------------------------
** A thread is an execution context: value stack, frames, interrupt word.
** It runs one call at a time (calls nest, see the top of this file). */

/* How deep calls may nest through host functions calling back in. */
#define EBB_MAX_NESTED_CALLS 64

/* A thread of `store`, sized by the store's limits. Its stacks are charged
** to the store (max_store_bytes). NULL when out of memory or beyond that
** budget. Any OS thread. */
EBB_API own ebb_thread_t *ebb_thread_new(ebb_store_t *store);

/* Free a thread, leaving its group first if it is in one; a stopped call
** on it is abandoned. Its mailbox closes first: the messages still queued
** have their cancel functions run here, on the calling OS thread (see
** "Thread handles and mailboxes"). Not while a call runs on it (aborts: "ebb: API
** misuse"), which includes from its own host functions. NULL is fine. */
EBB_API void ebb_thread_delete(own ebb_thread_t *thread);

/* Call a function on a thread. args holds exactly the function's
** parameters, each of its kind (a funcref must be a function of the
** thread's store, or NULL); it may be NULL for none. results has room for
** the function's results and is filled only on EBB_OK; NULL discards them.
** outcome (may be NULL) says how the call ended; the status is returned too.
**   EBB_OK, EBB_TRAP, EBB_EXIT: the call is over.
**   EBB_INTERRUPTED: the call is stopped; ebb_call_resume or
**     ebb_call_abandon it before the thread makes another call.
**   EBB_ERROR: refused, nothing ran; outcome->error is EBB_EARG (no thread
**     or function, a function of another store, arguments that do not fit
**     its type) or EBB_EBUSY (a call runs on this thread in another OS
**     thread, or the thread has a stopped call).
** Any OS thread between calls; the running call's OS thread from a host
** function (a nested call). The function's instance must be alive. */
EBB_API ebb_status_t ebb_call(ebb_thread_t *thread, ebb_func_t *func, const ebb_val_t *args,
                              ebb_val_t *results, ebb_outcome_t *outcome);

/* After EBB_INTERRUPTED: continue the stopped call exactly where it stopped
** (a host function it was blocked in runs again from its start, with the
** deadline it had). results and outcome as for ebb_call. EBB_ERROR with
** EBB_EARG when there is no stopped call, EBB_EBUSY as for ebb_call. Any
** OS thread: a stopped call may move between OS threads. */
EBB_API ebb_status_t ebb_call_resume(ebb_thread_t *thread, ebb_val_t *results,
                                     ebb_outcome_t *outcome);

/* After EBB_INTERRUPTED: abandon the stopped call and free its frames. 0;
** EBB_EARG when there is no stopped call (nothing changes); EBB_EBUSY when
** a call runs on the thread in another OS thread. */
EBB_API int ebb_call_abandon(ebb_thread_t *thread);

/* True if the thread's innermost call stopped with EBB_INTERRUPTED and has
** been neither resumed to its end nor abandoned. */
EBB_API bool ebb_thread_has_stopped_call(const ebb_thread_t *thread);

/* Fuel for the metered code this thread runs (default: unlimited). When it
** runs out the call traps with EBB_TRAP_OUT_OF_FUEL. Not while a call runs
** (checked with EBB_ENABLE_CHECKS). */
EBB_API void ebb_thread_set_fuel(ebb_thread_t *thread, uint64_t fuel);
EBB_API uint64_t ebb_thread_fuel(const ebb_thread_t *thread);

/* Ask a thread to stop at its next safe point with EBB_INTERRUPTED: a
** running call stops within one loop iteration, a blocked one at once; a
** request made between calls stops the next call at its first safe point.
** The innermost running call takes it (nested calls: see the top). Any OS
** thread, any time, a signal handler included (an atomic store and a wake;
** then the interrupt handlers of blocked host calls, which must themselves
** be signal-safe for that). NULL is ignored. */
EBB_API void ebb_thread_interrupt(ebb_thread_t *thread);

/* ---- Thread groups ----------------------------------------------------
** The threads of one program (the main thread and those wasi-threads
** spawns) form a group that ends as a whole (DESIGN.md, "Thread groups"):
** proc_exit or a trap on any thread, a deadline or a signal ends every
** member -- running ones at their next safe point, blocked ones at once --
** and the first reason to end is the one the group reports. */


typedef enum ebb_end_reason {
  EBB_END_NONE = 0,   /* still running */
  EBB_END_EXIT = 1,   /* proc_exit, or the main thread returned (code 0) */
  EBB_END_TRAP = 2,   /* a thread trapped; message says where */
  EBB_END_TIMEOUT = 3, /* the embedder's deadline passed */
  EBB_END_SIGNAL = 4, /* the embedder ended it for a signal; code is the signal */
} ebb_end_reason_t;

/* A group allowing at most max_threads members (0: 1024; NULL above
** 100,000, or when out of memory). */
EBB_API own ebb_group_t *ebb_group_new(uint32_t max_threads);

/* Waits for every thread the group started (wasi-threads), then frees the
** group. Its members must have left it (ebb_group_remove, or
** ebb_thread_delete): otherwise, or from a host function of a member, it
** aborts ("ebb: API misuse"). NULL is fine. */
EBB_API void ebb_group_delete(own ebb_group_t *g);

/* Make t a member. 0; EBB_ELIMIT when the group is full; EBB_EBUSY when it
** has ended, or when t is in a group already (this one included): a thread
** is in at most one group. Any OS thread; not from a signal handler. */
EBB_API int ebb_group_add(ebb_group_t *g, ebb_thread_t *t);

/* t leaves g (nothing happens if it is not g's). If g has ended and t has
** no call in progress, t's termination request is cleared with it, so the
** thread can run calls again; a call in progress (stopped ones included)
** still ends with EBB_EXIT, and the request is cleared when it is over. Not while t runs a call on another OS thread
** (the call would lose its group mid-way); not from a signal handler. */
EBB_API void ebb_group_remove(ebb_group_t *g, ebb_thread_t *t);

/* End the group (first call wins): every member gets a termination request,
** and its running call ends with EBB_EXIT (a blocked one at once); a
** member's later calls end with EBB_EXIT at their first safe point until it
** leaves the group. Any OS thread, any time, and a signal handler: it takes
** no lock (the members' interrupt handlers run, see ebb_thread_interrupt). */
EBB_API void ebb_group_end(ebb_group_t *g, ebb_end_reason_t reason, int code,
                           const char *message);

/* How the group ended (EBB_END_NONE while it runs); message may be NULL. */
EBB_API ebb_end_reason_t ebb_group_outcome(ebb_group_t *g, int *code, char *message,
                                           size_t message_size);

/* Give the group a pool of fuel its members draw from (in chunks); set it
** before adding members. */
EBB_API void ebb_group_set_fuel(ebb_group_t *g, uint64_t fuel);

/* Wait until every thread the group started has finished (it does not end
** them: ebb_group_end first to stop them). 0; EBB_EBUSY, at once, when
** called on an OS thread that is running a call of one of the group's
** members (from a host function): it would wait for itself. */
EBB_API int ebb_group_join(ebb_group_t *g);

/* ---- Thread handles and mailboxes -------------------------------------
** (DESIGN.md point 5.) Every thread -- the embedder's and those
** wasi-threads spawns -- has a handle: a plain value that may be copied
** anywhere and kept forever. Through a handle whose thread is gone, every
** operation answers EBB_ECLOSED (or EBB_MAIL_CLOSED) at once, however long
** ago it ended and however many threads came after: never a use-after-free,
** never a hang. 0 is never a handle.
**
** Each thread has a mailbox. A message is a function, its argument and a
** cancel function. Messages run on the target thread, one at a time, in the
** order they were posted:
**  - at the thread's safe points while it runs guest code;
**  - while it is blocked in memory.atomic.wait, ebb_host_sleep_until,
**    ebb_host_poll (so in WASI's poll_oneoff, sleeps and reads of pipes,
**    terminals and sockets), a host call with an interrupt handler
**    installed, or ebb_mail_call: it wakes, runs them, and goes back to
**    waiting with the deadline it had;
**  - when the thread's owner calls ebb_thread_run_mail between calls.
** A message function may call into the guest on that thread (ebb_call: a
** nested call, see the top of this file). If such a call stops for an
** interrupt and the message leaves it stopped, it is abandoned when the
** message returns and the interrupt is passed on to the code the message
** interrupted, which then stops too (under ebb_thread_run_mail there is no
** such code: the interrupt was the message's). Messages run one at a time:
** a message's own calls run no other messages, except while it waits in
** ebb_mail_call.
**
** The mailbox closes when the thread is deleted (ebb_thread_delete; for a
** wasi-thread, when its entry point returns, traps or exits, or its group
** ends). Closing is atomic with posting: a post either queues before the
** close, or answers "closed". The messages queued at the close have their
** cancel functions run, on the closing OS thread, before the thread is
** freed. So every queued message has exactly one outcome: its function ran,
** or its cancel function ran. */

typedef uint64_t ebb_handle_t;

/* The thread's handle, the same for all its life. Any OS thread. */
EBB_API ebb_handle_t ebb_thread_handle(const ebb_thread_t *thread);

/* The handles of g's members now (threads that wasi-threads spawned
** included): writes up to n into out and returns how many members there
** are. Any OS thread; not from a signal handler. */
EBB_API uint32_t ebb_group_handles(ebb_group_t *g, ebb_handle_t *out, uint32_t n);

/* A message: fn(thread, arg) runs on the target thread; cancel(arg) runs
** instead if the thread exits first (cancel may be NULL). Neither may
** delete the thread, nor wait for the thread that runs it. */
typedef void (*ebb_mail_fn)(ebb_thread_t *thread, void *arg);
typedef void (*ebb_mail_cancel_fn)(void *arg);

/* Post a message and return at once: 0 when it is queued (the target is
** woken), EBB_ECLOSED when the thread is gone or its mailbox closed (nothing
** queued, nothing runs), EBB_EARG when fn is NULL, EBB_ENOMEM. Any OS
** thread (the target's own included); not from a signal handler. */
EBB_API int ebb_mail_post(ebb_handle_t to, ebb_mail_fn fn, ebb_mail_cancel_fn cancel,
                          void *arg);

/* What became of a message sent with ebb_mail_call. */
typedef enum ebb_mail_result {
  EBB_MAIL_RAN = 0,         /* fn ran to its end on the target thread */
  EBB_MAIL_CANCELLED = 1,   /* the thread exited first; fn did not run */
  EBB_MAIL_CLOSED = 2,      /* gone or closed when sent: nothing was queued */
  EBB_MAIL_TIMEDOUT = 3,    /* the deadline passed before fn began: withdrawn */
  EBB_MAIL_INTERRUPTED = 4, /* a stop request to the calling guest thread came
                               before fn began: withdrawn */
  EBB_MAIL_SELF = 5,        /* `to` is the calling thread: refused (it would
                               wait for itself); post instead */
} ebb_mail_result_t;

/* Send fn(thread, arg) and wait for its outcome until `deadline`
** (monotonic ns, as ebb_now_ns; INT64_MAX: no deadline). Withdrawn messages
** never run. Once fn has begun, this waits for it to return whatever the
** deadline, so arg may live on the caller's stack.
**
** Called on an OS thread that is running a guest thread's call (from a host
** function or a message function), the wait is that thread's: a stop
** request to it ends the wait (EBB_MAIL_INTERRUPTED), a suspension counts
** it as parked, and messages sent to it run while it waits -- so two guest
** threads that call each other do not deadlock. From other OS threads it
** waits until the outcome or the deadline. A NULL fn is refused as
** EBB_MAIL_CLOSED (nothing queued). Not from a signal handler. */
EBB_API ebb_mail_result_t ebb_mail_call(ebb_handle_t to, ebb_mail_fn fn, void *arg,
                                        int64_t deadline);

/* Run the messages queued for `thread` now, on the calling OS thread, for
** a thread with no call running (messages otherwise run only inside calls).
** Returns how many ran, or EBB_EBUSY when a call runs on the thread on
** another OS thread. From a host function or message of the thread itself,
** it runs the messages queued there (a nested run). */
EBB_API int ebb_thread_run_mail(ebb_thread_t *thread);

/* ---- Suspending and continuing ------------------------------------------
** Suspending a thread parks it, whatever it is doing, until it is
** continued; then it goes on exactly where it was: a call parked at a safe
** point continues with its next instruction, and a wait continues with
** the deadline it had (time passes while suspended: a wait whose deadline
** passed meanwhile times out when continued). No spurious wakeup is seen by
** the guest and no memory.atomic.notify is lost.
**  - A thread running guest code parks at its next safe point.
**  - A thread blocked (memory.atomic.wait, ebb_host_sleep_until,
**    ebb_host_poll, a host call with an interrupt handler installed, or
**    ebb_mail_call) counts as parked where it is; if its wait ends
**    meanwhile, it parks before running another instruction.
**  - A thread with no call running counts as parked; a call begun on it
**    waits at its entry until the thread is continued.
** Once the wait functions below return 0, no suspended thread touches the
** guest's memory, tables or globals until continued, so the embedder may
** read and write them. Two exceptions, both the embedder's or host's own
** doing: messages a suspension lets run (EBB_SUSPEND_RUN_MAIL) run guest
** code while they run, and a host function with an interrupt handler
** installed counts as parked and must itself keep off guest memory until
** it takes the handler back, as WASI's functions do.
**
** Stop requests override a suspension: an interrupt stops the call (the
** stopped call, resumed while still suspended, parks again) and a
** termination ends it, so a suspended group can be ended. Messages run on
** a suspended thread only when the suspension allows it
** (EBB_SUSPEND_RUN_MAIL); otherwise they wait until it continues.
**
** A thread and its group are suspended independently: a thread runs only
** when neither is. A thread that joins a suspended group is suspended with
** it. None of these functions is async-signal-safe. */

#define EBB_SUSPEND_RUN_MAIL 1u /* messages still run while suspended */

/* Suspend the thread and return at once. 0; EBB_ECLOSED when it is gone;
** EBB_EBUSY when it is suspended already by this function (nothing
** changes). Any OS thread, the thread's own included (it parks at its next
** safe point). */
EBB_API int ebb_thread_suspend(ebb_handle_t thread, unsigned flags);

/* Wait until the thread is parked: 0; EBB_ETIMEDOUT at the deadline
** (monotonic ns; INT64_MAX none); EBB_EINTR when the calling guest thread
** got a stop request (as for ebb_mail_call); EBB_ECLOSED when it is gone
** (it will not run again); EBB_EARG when it is not suspended. Not from the
** thread itself (EBB_EBUSY: it would wait for itself). */
EBB_API int ebb_thread_suspend_wait(ebb_handle_t thread, int64_t deadline);

/* Continue a thread suspended by ebb_thread_suspend. 0; EBB_ECLOSED;
** EBB_EARG when it was not suspended so (nothing changes). */
EBB_API int ebb_thread_continue(ebb_handle_t thread);

/* The same for every member of a group, present and future. 0; EBB_EBUSY
** when the group is suspended already; EBB_EARG for NULL. */
EBB_API int ebb_group_suspend(ebb_group_t *g, unsigned flags);

/* Wait until every member is parked (members that leave or exit meanwhile
** no longer count). Results as ebb_thread_suspend_wait; EBB_EARG when the
** group is not suspended; EBB_EBUSY from a member's own OS thread. */
EBB_API int ebb_group_suspend_wait(ebb_group_t *g, int64_t deadline);

/* Continue every member. 0; EBB_EARG when the group is not suspended. */
EBB_API int ebb_group_continue(ebb_group_t *g);

/* wasi-threads: `wasi` `thread-spawn` instantiates `module` again in the
** store of `wasi`, resolving imports with resolve/data (which must hand out
** the same shared memory), and runs its `wasi_thread_start(tid, arg)` on a
** new OS thread that joins `group`. A trap or proc_exit there ends the group.
** Spawning fails (returns a negative value to the guest) when the group is
** full or has ended. The module must export `wasi_thread_start` of type
** [i32 i32] -> [] (else NULL with errno EINVAL). The new thread runs the new
** instance's start function, then the entry point; a trap or proc_exit in
** either ends the group.
**
** ebb_wasi_threads_delete may come at any time, even while threads it
** started run: spawning ends (the guest gets a negative value), and what
** the running threads and the store's `thread-spawn` function need stays
** until they are done with it. resolve/data are not used after it. */
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

/* ---- Reflection and host access ----------------------------------------
** What the standard C API (wasm.h, src/capi/) needs beyond the above: the
** types of a module's imports and exports and of live objects, and the host
** side of table.get/set/grow, global.set and memory.grow. */

/* The type of an import, an export or a live object. The pointers live as
** long as the module (imports, exports) or the store (live objects). */
typedef struct ebb_extern_desc {
  const char *module; /* imports: the module name; otherwise NULL */
  const char *name;   /* imports and exports: the field name; otherwise NULL */
  uint32_t module_len, name_len; /* in bytes: names may hold NUL bytes */
  ebb_externkind_t kind;
  /* EBB_EXTERN_FUNC: nparams parameter kinds, then nresults result kinds,
  ** each the byte of an ebb_valkind_t. */
  uint32_t nparams, nresults;
  const uint8_t *types;
  /* EBB_EXTERN_GLOBAL: its value's kind; EBB_EXTERN_TABLE: its elements'. */
  ebb_valkind_t valkind;
  bool mutable_; /* globals */
  /* Tables (elements) and memories (64 KiB pages): the declared limits for
  ** imports and exports, the current size as min for live objects. */
  uint64_t min, max;
  bool has_max, shared;
} ebb_extern_desc_t;

/* A module's exports, in order. The desc functions return 0, or
** EBB_ENOTFOUND when i is out of range. */
EBB_API uint32_t ebb_module_export_count(const ebb_module_t *module);
EBB_API int ebb_module_import_desc(const ebb_module_t *module, uint32_t i,
                                   ebb_extern_desc_t *out);
EBB_API int ebb_module_export_desc(const ebb_module_t *module, uint32_t i,
                                   ebb_extern_desc_t *out);

/* The type of a live function, table, memory or global. 0, or EBB_EARG. */
EBB_API int ebb_extern_describe(const ebb_extern_t *ext, ebb_extern_desc_t *out);

/* memory.grow from the host: the old size in pages, or -1 when the memory
** may not grow so much (its maximum, the store's limits). Any OS thread. */
EBB_API int64_t ebb_memory_grow(ebb_memory_t *mem, uint32_t delta_pages);

/* table.get, table.set and table.grow from the host, with the guest's
** checks: an index out of bounds is EBB_EARG, so is a value of the wrong
** kind or a function of another store. Grow returns the old size or -1.
** Not while a guest call may use the table on another OS thread. */
EBB_API int ebb_table_get(const ebb_table_t *table, uint32_t i, ebb_val_t *out);
EBB_API int ebb_table_set(ebb_table_t *table, uint32_t i, ebb_val_t value);
EBB_API int64_t ebb_table_grow(ebb_table_t *table, uint32_t delta, ebb_val_t init);

/* global.set from the host: 0; EBB_EARG for an immutable global, a value of
** another kind, or a function of another store. */
EBB_API int ebb_global_set(ebb_global_t *g, ebb_val_t value);

/* ---- WASI preview1 ----------------------------------------------------- */

/* Options for a WASI environment. Strings are copied.
**
** The guest's descriptors: 0-2 are the host's standard descriptors (the
** guest closing them leaves the host's open), then the preopened directories
** from 3 in order. Paths the guest uses never resolve outside a preopened
** directory: `..` above it, absolute paths and symlinks leading out are
** refused with ENOTCAPABLE (76). Reads and writes on pipes, terminals and
** sockets, poll_oneoff and sock_accept block interruptibly: a request to the
** thread (interrupt, termination, deadline) ends the wait at once (for the
** few reads and writes that wait inside the kernel, with the signal of
** ebb_wasi_set_interrupt_signal). */
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

/* The signal that ends a WASI read or write waiting inside the kernel
** (0: none, the default). Almost every read and write of a pipe, terminal
** or socket waits in ebb_host_poll and ends at once on a request (interrupt,
** termination, deadline). The exception is borrowed stdio where nothing
** non-blocking can be had: a pty master as stdin or stdout (the pty
** holder's end, as a terminal emulator or `expect` has), a terminal or pipe
** on a system without /proc, a character device such as /dev/kmsg. There
** the read or write is made after poll() says ready, on a private
** duplicate of the descriptor (the shared open file description and its
** flags are never changed), and it can still wait in the kernel: another
** reader took the data first, the terminal is stopped (^S), a pty has room
** for fewer bytes than written. A request then makes the duplicate unusable,
** which ends a call that has not yet entered the kernel; a call already
** waiting there ends only when the thread gets `signo`
** (pthread_kill): without a signal it waits on until data or room comes.
** Nothing is lost either way: a read or write stopped with nothing moved
** returns EBB_INTERRUPTED and runs again on resume; bytes that did move are
** returned as a short count.
**
** Install a handler for `signo` yourself before the guest runs, without
** SA_RESTART (its body may be empty), and use a signal that nothing else in
** the process uses; it must not be blocked in the threads that run guest
** code. `ebb run` uses SIGRTMIN+4. 0; EBB_EARG when signo is not a signal
** that can be caught (SIGKILL, SIGSTOP, out of range), or its handler is
** the default or SIG_IGN, or was installed with SA_RESTART (the call would
** not end). Set it before the guest runs; any OS thread. */
EBB_API int ebb_wasi_set_interrupt_signal(ebb_wasi_t *wasi, int signo);

/* fd_renumber(from, to) wants both descriptors open: EBADF for a `to` that
** is not, as the WASI testsuite and wasmtime say. With `allow`, `to` may
** be any number below 65,536 that is not open, and the descriptor moves
** there: some programs park a descriptor at a spare number and bring it
** back, as Yosys (YoWASP) does around its ABC step: fd_renumber(1, 6),
** fd_renumber(2, 7) with 6 and 7 not open, later fd_renumber(6, 1),
** fd_renumber(7, 2). `ebb run --wasi-renumber-any`. Set it before the guest
** runs; any OS thread. */
EBB_API void ebb_wasi_set_renumber_to_closed(ebb_wasi_t *wasi, bool allow);

/* An ebb_resolver_fn for module "wasi_snapshot_preview1", and for WASIX's
** context functions in module "wasix_32v1" (context_create, context_switch,
** context_destroy; see "Green-thread contexts"); pass the ebb_wasi_t as its
** data. Other modules and names are not found. */
EBB_API int ebb_wasi_resolve(void *wasi, const char *module, const char *name,
                             ebb_externkind_t kind, ebb_extern_t *out);

#ifdef __cplusplus
}
#endif
#endif /* EBB_H */
