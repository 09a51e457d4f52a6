;; Prints a line through fd_write, then traps in a named function two calls
;; deep. Expect the line on stdout, status 134 and the trap naming $explode.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before the trap\n")
  (func $explode (unreachable))
  (func $middle (call $explode))
  (func $_start (export "_start")
    ;; iovec at 0: {buf = 16, len = 16}; nwritten at 8
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $middle)))
