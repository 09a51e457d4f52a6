;; A spawned thread traps while main waits forever: the program ends with
;; the trap (exit 134) and its message names the function.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $crash (unreachable))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $crash))
  (func (export "_start")
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 99))))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
    (call $exit (i32.const 98))))
