;; The guest of global.c: globals imported from the host and its own, read
;; and written from both sides.
(module
  (import "host" "const" (global $hc f32))
  (import "host" "var" (global $hv (mut i64)))
  (global $gc (export "const") i32 (i32.const 7))
  (global $gv (export "var") (mut f64) (f64.const 1.5))
  (export "host_var" (global $hv))
  (func (export "get_host_const") (result f32) (global.get $hc))
  (func (export "get_host_var") (result i64) (global.get $hv))
  (func (export "bump_host_var") (global.set $hv (i64.add (global.get $hv) (i64.const 100))))
  (func (export "get_var") (result f64) (global.get $gv))
  (func (export "set_var") (param f64) (global.set $gv (local.get 0))))
