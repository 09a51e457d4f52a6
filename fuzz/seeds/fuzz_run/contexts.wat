;; WASIX contexts for fuzz_run: make contexts that recurse 500 calls deep
;; and switch back to main from the bottom, until 200 are alive, then keep
;; switching among them; the group is ended while they run.
(module
  (import "wasix_32v1" "context_create" (func $create (param i32 i32) (result i32)))
  (import "wasix_32v1" "context_switch" (func $switch (param i64) (result i32)))
  (import "wasix_32v1" "context_destroy" (func $destroy (param i64) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $deep)
  (func $rec (param $n i32)
    (if (local.get $n)
      (then (call $rec (i32.sub (local.get $n) (i32.const 1))))
      (else (drop (call $switch (i64.const 0))))))
  (func $deep (loop $again (call $rec (i32.const 500)) (br $again)))
  (func (export "_start")
    (local $i i32)
    (loop $make
      (if (i32.eqz (call $create (i32.shl (local.get $i) (i32.const 3)) (i32.const 1)))
        (then (drop (call $switch (i64.load (i32.shl (local.get $i) (i32.const 3)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $make (i32.lt_u (local.get $i) (i32.const 200))))
    (loop $round
      (local.set $i (i32.rem_u (i32.add (local.get $i) (i32.const 7)) (i32.const 200)))
      (drop (call $switch (i64.load (i32.shl (local.get $i) (i32.const 3)))))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 13)))
        (then (drop (call $destroy (i64.load (i32.shl (local.get $i) (i32.const 3)))))))
      (br $round))))
