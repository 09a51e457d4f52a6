;; thread_memories.wat -- issue 13, item 10: every thread wasi-threads spawns
;; gets an instance of its own, here with a memory of its own of 256 MiB.
;; _start spawns four threads, which spin until the program ends, and exits
;; with 10 + the number spawned. Under --max-memory 700M the main instance
;; and one thread fit, the second spawn is refused (thread-spawn returns a
;; negative value): exit status 11. Without the budget: 14.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 4096)
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.store (i32.const 0) (i32.const 1))
    (loop $spin (br $spin)))
  (func (export "_start") (local $n i32) (local $i i32)
    (loop $l
      (if (i32.gt_s (call $spawn (i32.const 0)) (i32.const 0))
        (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 4))))
    (call $exit (i32.add (i32.const 10) (local.get $n)))))
