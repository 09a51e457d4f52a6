;; Seed: eight threads reading stdin and filling memory; main waits.
(module
  (import "env" "memory" (memory 64 4096 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (func (export "wasi_thread_start") (param i32 i32)
    (i32.store (i32.const 16) (i32.const 1024))
    (i32.store (i32.const 20) (i32.const 64))
    (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (memory.fill (i32.const 4096) (local.get 1) (i32.const 4000000)))
  (func (export "_start") (local $i i32)
    (loop $l
      (drop (call $spawn (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
    (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))))
