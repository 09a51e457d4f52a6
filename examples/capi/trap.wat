;; The guest of trap.c: ways to trap -- in the guest (functions 1 to 4) and
;; in the host function it imports (function 0).
(module
  (import "host" "fail" (func $fail))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "unreachable") (unreachable))
  (func (export "call_fail") (call $fail))
  (func $deep (export "deep") (call $deep)))
