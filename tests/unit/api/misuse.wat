;; Guest side of test_misuse.c: a wasi-threads module whose threads wait
;; for ever, and functions to call with wrong arguments.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "host" "block" (func $block))
  ;; A thread says it started (address 0), then waits at address 4 for ever.
  (func (export "wasi_thread_start") (param i32 i32)
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1))))
  (func (export "spawn_one") (result i32) (call $spawn (i32.const 0)))
  (func (export "wait_started")
    (block $done
      (loop $l
        (br_if $done (i32.atomic.load (i32.const 0)))
        (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
        (br $l))))
  (func (export "spin") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  (func (export "forever") (loop $l (br $l)))
  (func (export "block") (call $block))
  (func (export "take_ref") (param funcref) (result i32)
    (if (result i32) (ref.is_null (local.get 0)) (then (i32.const 0)) (else (i32.const 1)))))
