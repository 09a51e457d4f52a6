;; The guest of multi.c: values of every numeric kind, several at a time,
;; through the host ("swap" reverses its four arguments) and back.
(module
  (import "host" "swap" (func $swap (param i32 i64 f32 f64) (result f64 f32 i64 i32)))
  (func (export "roundtrip") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (call $swap (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1))))
