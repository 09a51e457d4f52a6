;; Seed: memory.fill and an overlapping memory.copy of 256 MiB, in a loop.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 4096)
  (func (export "_start")
    (loop $l
      (memory.fill (i32.const 0) (i32.const 7) (i32.const 268435456))
      (memory.copy (i32.const 1) (i32.const 0) (i32.const 268435455))
      (br $l))))
