;; Seed: random_get over all of a 256 MiB memory, again and again.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (memory 4096)
  (func (export "_start")
    (loop $l (drop (call $random (i32.const 0) (i32.const 268435456))) (br $l))))
