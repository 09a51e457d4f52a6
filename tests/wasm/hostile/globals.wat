;; Imported, defined, mutable and exported globals of every numeric type, and
;; initializers that read an imported global.
(module
  (import "spectest" "global_i32" (global $base i32))
  (global $g0 (mut i32) (global.get $base))
  (global $g1 i64 (i64.const -1))
  (global $g2 (export "pi") f64 (f64.const 3.14159))
  (global $g3 (mut f32) (f32.const -0.0))
  (global $g4 (mut funcref) (ref.func $bump))
  (global $g5 (mut externref) (ref.null extern))
  (global (export "counter") (mut i32) (i32.const 0))
  (func $bump (export "bump") (result i32)
    (global.set $g0 (i32.add (global.get $g0) (i32.const 1)))
    (global.set $g3 (f32.add (global.get $g3) (f32.const 1.5)))
    (global.get $g0))
  (func (export "read") (result i64 f64)
    (global.get $g1) (global.get $g2)))
