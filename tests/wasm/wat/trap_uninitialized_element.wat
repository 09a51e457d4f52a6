;; call_indirect of a null table slot.
(module
  (type $nullary (func))
  (table 3 funcref)
  (func $dispatch (param $slot i32)
    (call_indirect (type $nullary) (local.get $slot)))
  (func $_start (export "_start")
    (call $dispatch (i32.const 1))))
