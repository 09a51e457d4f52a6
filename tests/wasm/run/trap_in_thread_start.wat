;; A spawned thread's start function that traps ends the program with 134
;; and says so (the instance is not left behind).
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func $init
    (if (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (then unreachable)))
  (start $init)
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))))
