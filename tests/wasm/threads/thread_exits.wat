;; A spawned thread calls proc_exit(3) while main waits forever.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $exit (i32.const 3)))
  (func (export "_start")
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 99))))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
    (call $exit (i32.const 98))))
