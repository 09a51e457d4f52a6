;; Seed: fd_write with 33 million (empty) iovecs, in a loop.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory 4096)
  (func (export "_start")
    (loop $l (drop (call $write (i32.const 1) (i32.const 0) (i32.const 33554431) (i32.const 0)))
      (br $l))))
