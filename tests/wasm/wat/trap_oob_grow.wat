;; memory.grow makes page 1 valid; an access just past the grown end traps.
(module
  (memory 1 4)
  (func $touch (param $addr i32)
    (i32.store8 (local.get $addr) (i32.const 7)))
  (func $_start (export "_start")
    (drop (memory.grow (i32.const 1)))
    (call $touch (i32.const 131071))   ;; last byte of page 1: fine
    (call $touch (i32.const 131072))))
