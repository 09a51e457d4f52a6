;; v128 across the embedding API (test_simd_api.c): arguments, results, a
;; host function, a global, locals and calls with v128 among other values.
(module
  (import "host" "swap" (func $swap (param v128 i32) (result i32 v128)))
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param v128 i32) (result i32 v128)
    (call $swap (local.get 0) (local.get 1)))
  ;; params and results with a v128 between scalars
  (func $mixed (export "mixed") (param i32 v128 f64) (result f64 v128 i32)
    (local.get 2) (local.get 1) (local.get 0))
  (func (export "call_mixed") (param i32 v128 f64) (result f64 v128 i32)
    (call $mixed (local.get 0) (local.get 1) (local.get 2)))
  ;; declared locals: v128, i64, v128 after an i32 param
  (func (export "locals") (param i32) (result v128)
    (local v128 i64 v128)
    (local.set 1 (i32x4.splat (local.get 0)))
    (local.set 2 (i64.const 7))
    (local.set 3 (i32x4.add (local.get 1) (i64x2.splat (local.get 2))))
    (local.get 3))
  (func (export "get_g") (result v128) (global.get $g))
  (func (export "set_g") (param v128) (global.set $g (local.get 0)))
  ;; branches and select carrying v128 values
  (func (export "pick") (param i32 v128 v128) (result v128)
    (block (result v128)
      (br_if 0 (local.get 1) (local.get 0))
      (drop)
      (select (local.get 2) (local.get 1) (i32.eqz (local.get 0))))))
