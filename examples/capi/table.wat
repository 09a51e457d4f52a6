;; The guest of table.c: a table of functions the host reads, writes and
;; grows, and calls through it.
(module
  (import "host" "ninety_nine" (func $hf (result i32)))
  (table $t (export "table") 2 10 funcref)
  (elem (i32.const 1) $seven)
  (func $seven (export "seven") (result i32) (i32.const 7))
  (func (export "call_at") (param i32) (result i32)
    (call_indirect (result i32) (local.get 0)))
  (func (export "grow") (param i32) (result i32)
    (table.grow $t (ref.null func) (local.get 0))))
