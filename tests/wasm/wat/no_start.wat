;; A module with no _start export: `ebb run` refuses it with status 1.
(module
  (func $main (export "main") (result i32) (i32.const 0)))
