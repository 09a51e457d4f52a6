;; 1,000 threads block in memory.atomic.wait forever, then main calls
;; proc_exit(0): the whole program (spawning included) must end promptly.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  (func (export "_start") (local $i i32)
    (loop $l
      (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 99))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (loop $arrive
      (drop (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const 1000000)))
      (br_if $arrive (i32.lt_u (i32.atomic.load (i32.const 0)) (i32.const 1000))))
    (call $exit (i32.const 0))))
