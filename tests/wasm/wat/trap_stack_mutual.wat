;; Unbounded mutual recursion through call_indirect.
(module
  (type $t (func (param i32)))
  (table 2 funcref)
  (elem (i32.const 0) $ping $pong)
  (func $ping (type $t) (call_indirect (type $t) (i32.const 1) (i32.const 1)))
  (func $pong (type $t) (call_indirect (type $t) (i32.const 0) (i32.const 0)))
  (func $_start (export "_start")
    (call $ping (i32.const 0))))
