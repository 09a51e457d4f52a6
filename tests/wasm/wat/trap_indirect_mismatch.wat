;; call_indirect expecting () -> i32 on a table slot holding (i32) -> i32.
(module
  (type $unary (func (param i32) (result i32)))
  (type $nullary (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $double $seven)
  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $seven (type $nullary) (i32.const 7))
  (func $dispatch (param $slot i32) (result i32)
    (call_indirect (type $nullary) (local.get $slot)))
  (func $_start (export "_start")
    (drop (call $dispatch (i32.const 1)))   ;; $seven: fine
    (drop (call $dispatch (i32.const 0)))))
