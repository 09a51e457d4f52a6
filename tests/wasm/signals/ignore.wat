;; Exports the signal addresses and never looks at them: ebb run ends it
;; after the grace period, or at a second signal.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global (export "__signal_address") i32 (i32.const 16))
  (global (export "__terminated_address") i32 (i32.const 20))
  (data (i32.const 64) "ready\n")
  (func (export "_start")
    (i32.store (i32.const 32) (i32.const 64))
    (i32.store (i32.const 36) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
    (loop $l (br $l))))
