;; Issue 13, item 14: proc_exit(42) in a spawned thread's start function
;; ends the program with 42 (it was swallowed: thread-spawn returned -1 and
;; the program carried on). Only spawned instances exit: address 0 says
;; whether the main instance has started.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $init
    (if (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (then (call $exit (i32.const 42)))))
  (start $init)
  (func (export "wasi_thread_start") (param i32 i32) unreachable)
  (func (export "_start")
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    ;; wait for ever: the thread's exit ends us
    (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))))
