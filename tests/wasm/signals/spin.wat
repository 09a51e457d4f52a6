;; Handles a signal while it computes: polls the signal address (an atomic
;; load at a loop's back-edge), then prints "signal N" and returns (exit 0).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global (export "__signal_address") i32 (i32.const 16))
  (global (export "__terminated_address") i32 (i32.const 20))
  (data (i32.const 64) "ready\n")
  (data (i32.const 80) "signal ")
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 32) (local.get $p))
    (i32.store (i32.const 36) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40))))
  ;; "signal N\n" for N < 100.
  (func $say (param $n i32)
    (i32.store8 (i32.const 87) (i32.add (i32.const 48) (i32.div_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.const 88) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.const 89) (i32.const 10))
    (call $write (i32.const 80) (i32.const 10)))
  (func (export "_start")
    (call $write (i32.const 64) (i32.const 6))
    (loop $l (br_if $l (i32.eqz (i32.atomic.load (i32.const 16)))))
    (call $say (i32.atomic.load (i32.const 16)))))
