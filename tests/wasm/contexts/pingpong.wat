;; Ping-pong: main and one context switch to each other a million times;
;; each turn of the context counts one. Exit status 0 when the count is
;; exact and main's own locals survived every switch.
(module
  (import "wasix_32v1" "context_create" (func $create (param i32 i32) (result i32)))
  (import "wasix_32v1" "context_switch" (func $switch (param i64) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $pong)
  (global $count (mut i32) (i32.const 0))
  (func $pong
    (loop $turn
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (if (call $switch (i64.const 0)) (then unreachable))
      (br $turn)))
  (func (export "_start")
    (local $i i32) (local $ctx i64)
    (if (call $create (i32.const 0) (i32.const 1)) (then unreachable))
    (local.set $ctx (i64.load (i32.const 0)))
    (loop $ping
      (if (call $switch (local.get $ctx)) (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $ping (i32.lt_u (local.get $i) (i32.const 1000000))))
    (call $exit (i32.ne (global.get $count) (i32.const 1000000)))))
