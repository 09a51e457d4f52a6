;; Guest side of test_reentry.c: functions the host calls, and imports the
;; host implements by calling back in.
(module
  (import "host" "nest" (func $nest (param i32) (result i32)))
  (import "host" "sleep" (func $sleep (param i32)))
  (memory (export "memory") 1)
  ;; outer(x) = nest(x) + 1: the host function calls back into the guest.
  (func (export "outer") (param i32) (result i32)
    (i32.add (call $nest (local.get 0)) (i32.const 1)))
  ;; inner(n): spins n times (a loop: safe points), then returns three i64s,
  ;; so that results written with the wrong call's types would overflow.
  (func (export "inner") (param $n i32) (result i64 i64 i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (i64.const 7) (i64.const 8) (i64.const 9))
  ;; spin(n) = n, after n turns of a loop.
  (func (export "spin") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  (func (export "call_sleep") (param i32) (call $sleep (local.get 0)))
  (func (export "funcref_param") (param funcref) (result i32) (i32.const 5))
  (func (export "recurse") (param i32) (result i32)
    (call $nest (local.get 0))))
