/* wasix_context.h -- WASIX's context switching as a C guest calls it
** (module "wasix_32v1"), declared here for the tests: Debian's wasi-libc
** has no wasix/context.h.
**
** Contexts share the guest's shadow stack pointer (__stack_pointer), as
** under wasmer: a C program gives each context a stack of its own and puts
** its own pointer back after every switch, which ctx_start and ctx_switch
** below do. */
#ifndef WASIX_CONTEXT_H
#define WASIX_CONTEXT_H

#include <stdint.h>
#include <stdlib.h>

typedef uint64_t wasix_context_id_t;
#define WASIX_CONTEXT_MAIN ((wasix_context_id_t)0)
#define WASIX_EINVAL 28
#define WASIX_ENOMEM 48
#define WASIX_EFAULT 21

__attribute__((import_module("wasix_32v1"), import_name("context_create"))) int32_t
wasix_context_create(wasix_context_id_t *id, void (*entry)(void));
__attribute__((import_module("wasix_32v1"), import_name("context_switch"))) int32_t
wasix_context_switch(wasix_context_id_t target);
__attribute__((import_module("wasix_32v1"), import_name("context_destroy"))) int32_t
wasix_context_destroy(wasix_context_id_t id);

static inline uintptr_t ctx_get_sp(void) {
  uintptr_t sp;
  __asm__ volatile(".globaltype __stack_pointer, i32\n\tglobal.get __stack_pointer\n\t"
                   "local.set %0"
                   : "=r"(sp));
  return sp;
}

static inline void ctx_set_sp(uintptr_t sp) {
  __asm__ volatile(".globaltype __stack_pointer, i32\n\tlocal.get %0\n\t"
                   "global.set __stack_pointer" ::"r"(sp));
}

/* Switch, keeping this context's stack pointer across it. */
static inline int32_t ctx_switch(wasix_context_id_t target) {
  uintptr_t sp = ctx_get_sp();
  int32_t r = wasix_context_switch(target);
  ctx_set_sp(sp);
  return r;
}

/* A context that runs body(arg) on a stack of its own. The body must not
** return (a context has nowhere to return to). */
typedef struct ctx_start_rec {
  void (*body)(void *);
  void *arg;
  uintptr_t stack_top;
} ctx_start_rec;

static ctx_start_rec *ctx_starting;

static void ctx_trampoline(void) {
  ctx_start_rec *r = ctx_starting;
  ctx_set_sp(r->stack_top);
  r->body(r->arg);
  abort();
}

/* Make the context; its first switch must be through ctx_first_switch. */
static inline int32_t ctx_start(wasix_context_id_t *id, ctx_start_rec *r, void (*body)(void *),
                                void *arg, size_t stack_bytes) {
  char *stack = malloc(stack_bytes);
  if (!stack) return WASIX_ENOMEM;
  r->body = body;
  r->arg = arg;
  r->stack_top = ((uintptr_t)stack + stack_bytes) & ~(uintptr_t)15;
  return wasix_context_create(id, ctx_trampoline);
}

static inline int32_t ctx_first_switch(wasix_context_id_t id, ctx_start_rec *r) {
  ctx_starting = r;
  return ctx_switch(id);
}

#endif
