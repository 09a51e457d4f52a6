;; Contexts through the embedding API (test_contexts.c): the host functions
;; "env" "create"/"switch"/"destroy" are the test's, over ebb_context_*.
;; run(n): three workers and main take turns n times; each turn folds the
;; worker's number and turn into $acc, so any lost, repeated or reordered
;; turn changes the result.
(module
  (import "env" "create" (func $create (param funcref) (result i64)))
  (import "env" "switch" (func $switch (param i64) (result i32)))
  (import "env" "destroy" (func $destroy (param i64) (result i32)))
  (import "env" "current" (func $current (result i64)))
  (import "env" "nested" (func $nested))
  (global $acc (mut i64) (i64.const 1))
  (global $turns (mut i32) (i32.const 0))
  (global $me (mut i32) (i32.const 0))
  (elem declare func $w1 $w2 $w3 $returns $spin $callback_create)
  (func $work (param $k i32)
    (local $i i32)
    (loop $turn
      (global.set $acc
        (i64.add (i64.mul (global.get $acc) (i64.const 1000003))
                 (i64.extend_i32_u (i32.add (i32.mul (local.get $k) (i32.const 7919)) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      ;; some work between switches, with a loop (safe points)
      (global.set $turns (i32.const 0))
      (loop $busy
        (global.set $turns (i32.add (global.get $turns) (i32.const 1)))
        (br_if $busy (i32.lt_u (global.get $turns) (i32.const 50))))
      (if (call $switch (i64.const 0)) (then unreachable))
      (br $turn)))
  (func $w1 (call $work (i32.const 1)))
  (func $w2 (call $work (i32.const 2)))
  (func $w3 (call $work (i32.const 3)))
  (func (export "run") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64)
    (global.set $acc (i64.const 1))
    (local.set $a (call $create (ref.func $w1)))
    (local.set $b (call $create (ref.func $w2)))
    (local.set $c (call $create (ref.func $w3)))
    (loop $round
      (if (call $switch (local.get $a)) (then unreachable))
      (if (call $switch (local.get $b)) (then unreachable))
      (if (call $switch (local.get $c)) (then unreachable))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $round (local.get $n)))
    (drop (call $destroy (local.get $b)))
    (global.get $acc))
  ;; The id a context sees as current, from inside it.
  (global $seen (mut i64) (i64.const -1))
  (func $spin
    (global.set $seen (call $current))
    (loop $forever (br $forever)))
  (func (export "spin_in_context") (result i64)
    (local $id i64)
    (local.set $id (call $create (ref.func $spin)))
    (drop (call $switch (local.get $id)))
    (local.get $id))
  (func (export "seen") (result i64) (global.get $seen))
  (func $returns)
  (func (export "entry_returns")
    (drop (call $switch (call $create (ref.func $returns)))))
  ;; A context made by a call nested in a host function: refused, as the
  ;; contexts belong to the outer call.
  (global $nested_rc (mut i64) (i64.const 1))
  (func $callback_create (global.set $nested_rc (call $create (ref.func $returns))))
  (func (export "callback_create") (result funcref) (ref.func $callback_create))
  (func (export "nested_create") (result i64)
    (drop (call $create (ref.func $returns)))
    (call $nested)
    (global.get $nested_rc))
)
