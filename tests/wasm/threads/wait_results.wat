;; memory.atomic.wait's three results on one thread: "not-equal" (1) when
;; the value differs, "timed-out" (2) after a 10 ms timeout, and notify
;; with no waiters returns 0. Exits 0 when all hold, else the failing step.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "_start")
    (i32.atomic.store (i32.const 8) (i32.const 5))
    (if (i32.ne (memory.atomic.wait32 (i32.const 8) (i32.const 4) (i64.const -1)) (i32.const 1))
      (then (call $exit (i32.const 1))))
    (if (i32.ne (memory.atomic.wait32 (i32.const 8) (i32.const 5) (i64.const 10000000)) (i32.const 2))
      (then (call $exit (i32.const 2))))
    (i64.atomic.store (i32.const 16) (i64.const 0x100000000))
    (if (i32.ne (memory.atomic.wait64 (i32.const 16) (i64.const 0x100000000) (i64.const 0)) (i32.const 2))
      (then (call $exit (i32.const 3))))
    (if (i32.ne (memory.atomic.notify (i32.const 8) (i32.const 10)) (i32.const 0))
      (then (call $exit (i32.const 4))))
    (call $exit (i32.const 0))))
