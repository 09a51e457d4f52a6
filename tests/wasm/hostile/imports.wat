;; Imports of every kind from spectest-like host modules, a start function
;; that calls one of them, and a re-export of an imported function. No byte
;; of the code is 0x03 (the `loop` opcode), so the hostile test may run the
;; start functions of mutated copies: they cannot loop forever.
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (import "env" "pair" (func $pair (param i64) (result i32 i64)))
  (import "spectest" "print_i32_f32" (func $print_i32_f32 (param i32 f32)))
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "global_f32" (global $gf f32))
  (import "env" "counter" (global $counter (mut i32)))
  (export "print" (func $print_i32))
  (elem (i32.const 0) $print_i32 $main $print_i32_f32)
  (data (i32.const 8) "imported memory")
  (func $init
    (call $print_i32 (i32.load8_u (i32.const 8)))
    (global.set $counter (i32.const 1)))
  (start $init)
  (func $main (export "main") (result i32)
    (call $print_f64 (f64.promote_f32 (global.get $gf)))
    (call $pair (i64.const 7))
    (drop) (drop)
    (global.get $counter)))
