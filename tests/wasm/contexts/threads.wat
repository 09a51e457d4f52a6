;; Contexts in three wasi-threads at once: main and two spawned threads
;; each ping-pong 200,000 times with a context of their own (globals are
;; per thread: each thread has its instance). A spawned thread that uses
;; main's context id gets EINVAL (28) from switch and destroy. Exit 0 when
;; every count is exact and both errors were EINVAL.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasix_32v1" "context_create" (func $create (param i32 i32) (result i32)))
  (import "wasix_32v1" "context_switch" (func $switch (param i64) (result i32)))
  (import "wasix_32v1" "context_destroy" (func $destroy (param i64) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (table 2 funcref)
  (elem (i32.const 1) $pong)
  (global $count (mut i32) (i32.const 0))
  (func $pong
    (loop $turn
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (if (call $switch (i64.const 0)) (then unreachable))
      (br $turn)))
  ;; Make a context (its id stored at $at), switch to it $n times; 1 if it
  ;; counted exactly $n.
  (func $play (param $at i32) (param $n i32) (result i32)
    (local $id i64) (local $left i32)
    (if (call $create (local.get $at) (i32.const 1)) (then unreachable))
    (local.set $id (i64.load (local.get $at)))
    (local.set $left (local.get $n))
    (loop $ping
      (if (call $switch (local.get $id)) (then unreachable))
      (local.set $left (i32.sub (local.get $left) (i32.const 1)))
      (br_if $ping (local.get $left)))
    (i32.eq (global.get $count) (local.get $n)))
  ;; arg: the thread's record, [id:8][ok:4][switch errno:4][destroy errno:4]
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.store offset=12 (local.get $arg) (call $switch (i64.atomic.load (i32.const 0))))
    (i32.store offset=16 (local.get $arg) (call $destroy (i64.atomic.load (i32.const 0))))
    (i32.store offset=8 (local.get $arg) (call $play (local.get $arg) (i32.const 200000)))
    (drop (i32.atomic.rmw.add (i32.const 512) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 512) (i32.const 1))))
  (func (export "_start")
    (local $id i64) (local $n i32) (local $done i32)
    ;; Main's context first, so that the threads can try its id.
    (if (call $create (i32.const 0) (i32.const 1)) (then unreachable))
    (local.set $id (i64.load (i32.const 0)))
    (if (i32.lt_s (call $spawn (i32.const 64)) (i32.const 1)) (then (call $exit (i32.const 90))))
    (if (i32.lt_s (call $spawn (i32.const 128)) (i32.const 1)) (then (call $exit (i32.const 91))))
    (loop $ping
      (if (call $switch (local.get $id)) (then unreachable))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ping (i32.lt_u (local.get $n) (i32.const 200000))))
    (if (i32.ne (global.get $count) (i32.const 200000)) (then (call $exit (i32.const 2))))
    (loop $wait
      (local.set $done (i32.atomic.load (i32.const 512)))
      (if (i32.lt_u (local.get $done) (i32.const 2))
        (then
          (drop (memory.atomic.wait32 (i32.const 512) (local.get $done) (i64.const -1)))
          (br $wait))))
    (if (i32.eqz (i32.load offset=8 (i32.const 64))) (then (call $exit (i32.const 3))))
    (if (i32.eqz (i32.load offset=8 (i32.const 128))) (then (call $exit (i32.const 4))))
    (if (i32.ne (i32.load offset=12 (i32.const 64)) (i32.const 28)) (then (call $exit (i32.const 5))))
    (if (i32.ne (i32.load offset=16 (i32.const 64)) (i32.const 28)) (then (call $exit (i32.const 6))))
    (if (i32.ne (i32.load offset=12 (i32.const 128)) (i32.const 28)) (then (call $exit (i32.const 7))))
    (if (i32.ne (i32.load offset=16 (i32.const 128)) (i32.const 28)) (then (call $exit (i32.const 8))))
    (call $exit (i32.const 0))))
