;; Waits for a signal in memory.atomic.wait32 on the signal address, with
;; two worker threads (wasi-threads) blocked in waits of their own.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (global (export "__signal_address") i32 (i32.const 16))
  (global (export "__terminated_address") i32 (i32.const 24))
  (data (i32.const 64) "ready\n")
  (data (i32.const 80) "signal ")
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 32) (local.get $p))
    (i32.store (i32.const 36) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40))))
  (func (export "wasi_thread_start") (param i32 i32)
    (i32.atomic.rmw.add (i32.const 200) (i32.const 1)) drop
    (drop (memory.atomic.wait32 (i32.const 300) (i32.const 0) (i64.const -1))))
  (func (export "_start")
    (drop (call $spawn (i32.const 0)))
    (drop (call $spawn (i32.const 0)))
    ;; both workers are in (or about to be in) their waits
    (loop $l (br_if $l (i32.lt_u (i32.atomic.load (i32.const 200)) (i32.const 2))))
    (call $write (i32.const 64) (i32.const 6))
    (loop $w
      (drop (memory.atomic.wait32 (i32.const 16) (i32.const 0) (i64.const -1)))
      (br_if $w (i32.eqz (i32.atomic.load (i32.const 16)))))
    (i32.store8 (i32.const 87) (i32.add (i32.const 48) (i32.div_u (i32.atomic.load (i32.const 16)) (i32.const 10))))
    (i32.store8 (i32.const 88) (i32.add (i32.const 48) (i32.rem_u (i32.atomic.load (i32.const 16)) (i32.const 10))))
    (i32.store8 (i32.const 89) (i32.const 10))
    (call $write (i32.const 80) (i32.const 10))))
