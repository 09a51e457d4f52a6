;; A signal that comes after the guest last looked at its word and before
;; it blocks: it computes for a while (safe points pass), then reads an idle
;; pipe. The read must return EINTR (27, the exit code), not block until the
;; grace period is over (it did when safe points cleared a pending signal).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global (export "__signal_address") i32 (i32.const 16))
  (global (export "__terminated_address") i32 (i32.const 20))
  (data (i32.const 64) "ready\n")
  (func (export "_start") (local $i i32)
    (i32.store (i32.const 32) (i32.const 64))
    (i32.store (i32.const 36) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 300000000))))
    (i32.store (i32.const 32) (i32.const 128))
    (i32.store (i32.const 36) (i32.const 8))
    (call $exit (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))))
