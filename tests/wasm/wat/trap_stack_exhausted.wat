;; Unbounded recursion with locals and operands on every frame: must end in
;; "call stack exhausted", never in a host stack overflow.
(module
  (func $recurse (param $n i64) (result i64)
    (local $a i64) (local $b f64) (local $c i32)
    (i64.add
      (call $recurse (i64.add (local.get $n) (i64.const 1)))
      (local.get $n)))
  (func $_start (export "_start")
    (drop (call $recurse (i64.const 0)))))
