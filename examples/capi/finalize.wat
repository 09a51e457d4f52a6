;; The guest of finalize.c: exports of each kind to hang host info on.
(module
  (import "host" "f" (func $f))
  (func (export "g") (call $f))
  (global (export "counter") (mut i32) (i32.const 0))
  (table (export "table") 1 funcref)
  (memory (export "memory") 1))
