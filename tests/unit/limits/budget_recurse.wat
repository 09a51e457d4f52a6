;; recurse.wat -- recursion that counts its depth in a global; its frames
;; take a slot or two, so only the call-depth limit stops it.
(module
  (global $depth (export "depth") (mut i32) (i32.const 0))
  (func $down (export "down")
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    (call $down)))
