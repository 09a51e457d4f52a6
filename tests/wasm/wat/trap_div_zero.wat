;; i32.div_u by a zero that comes from a mutable global, inside a loop.
(module
  (global $zero (mut i32) (i32.const 0))
  (func $divide (param $n i32) (result i32)
    (i32.div_u (local.get $n) (global.get $zero)))
  (func $_start (export "_start")
    (local $i i32)
    (loop $again
      (drop (call $divide (i32.const 100)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 10))))))
