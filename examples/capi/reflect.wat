;; The guest of reflect.c: one import and one export of each kind.
(module
  (import "env" "log" (func (param i32 f64) (result i64)))
  (import "env" "base" (global i32))
  (import "env" "funcs" (table 1 funcref))
  (import "env" "mem" (memory 1 16))
  (func (export "f") (param externref) (result funcref f32) (ref.null func) (f32.const 0))
  (global (export "g") (mut i64) (i64.const 0))
  (table (export "t") 2 externref)
  (export "m" (memory 0)))
