;; Nine threads and main spin forever; only --timeout can end them.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $spin (loop $l (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))) (br $l)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32) (call $spin))
  (func (export "_start") (local $i i32)
    (loop $l
      (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 99))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 9))))
    (call $spin)))
