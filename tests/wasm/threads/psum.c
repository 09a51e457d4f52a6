/* psum.c -- freestanding C with wasi-threads: 8 threads each sum a slice of
** 1..N into a shared total with atomics; main waits on a counter with
** memory.atomic.wait32 and exits 0 if the total is right. Built with
** clang-19 --target=wasm32 -nostdlib -matomics and thread_start.s, which
** sets each thread's stack pointer before any C runs. */
#include <stdint.h>

__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t thread_spawn(void *arg);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) _Noreturn void proc_exit(int32_t code);

#define THREADS 8
#define N 800000u
#define STACK 16384

struct block { uint32_t stack_top; uint32_t index; };
static struct block blocks[THREADS];
static unsigned char stacks[THREADS][STACK] __attribute__((aligned(16)));
static uint64_t total;
static int32_t done;

void thread_main(int32_t tid, struct block *b) {
  uint64_t sum = 0;
  uint32_t lo = b->index * (N / THREADS) + 1, hi = lo + N / THREADS;
  for (uint32_t i = lo; i < hi; i++) sum += i;
  __atomic_fetch_add(&total, sum, __ATOMIC_SEQ_CST);
  __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&done, 1);
}

void _start(void) {
  for (uint32_t i = 0; i < THREADS; i++) {
    blocks[i].stack_top = (uint32_t)(uintptr_t)(stacks[i] + STACK);
    blocks[i].index = i;
    if (thread_spawn(&blocks[i]) <= 0) proc_exit(99);
  }
  for (;;) {
    int32_t d = __atomic_load_n(&done, __ATOMIC_SEQ_CST);
    if (d == THREADS) break;
    __builtin_wasm_memory_atomic_wait32(&done, d, -1);
  }
  uint64_t want = (uint64_t)N * (N + 1) / 2;
  proc_exit(__atomic_load_n(&total, __ATOMIC_SEQ_CST) == want ? 0 : 1);
}
