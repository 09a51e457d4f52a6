;; The guest of contexts_bench.c: WASIX contexts (module wasix_32v1) as a
;; program pays for them, beside a plain call and a plain host call.
(module
  (import "wasix_32v1" "context_create" (func $create (param i32 i32) (result i32)))
  (import "wasix_32v1" "context_switch" (func $switch (param i64) (result i32)))
  (import "wasix_32v1" "context_destroy" (func $destroy (param i64) (result i32)))
  (import "bench" "report" (func $report))
  (memory (export "memory") 4)
  (table 4 funcref)
  (elem (i32.const 1) $pong $once $idle)
  (global $depth (mut i32) (i32.const 0))
  (func $pong (loop $turn (drop (call $switch (i64.const 0))) (br $turn)))
  (func $once (drop (call $switch (i64.const 0))) (unreachable))
  ;; Suspend $depth calls deep, then stay there.
  (func $down (param $n i32)
    (if (local.get $n)
      (then (call $down (i32.sub (local.get $n) (i32.const 1))))
      (else (loop $forever (drop (call $switch (i64.const 0))) (br $forever)))))
  (func $idle (call $down (global.get $depth)))
  (func $nop (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  ;; n round trips main -> context -> main.
  (func (export "pingpong") (param $n i32)
    (local $id i64)
    (drop (call $create (i32.const 0) (i32.const 1)))
    (local.set $id (i64.load (i32.const 0)))
    (loop $ping
      (drop (call $switch (local.get $id)))
      (br_if $ping (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (drop (call $destroy (local.get $id))))
  ;; n times: create a context, destroy it unstarted.
  (func (export "create_destroy") (param $n i32)
    (loop $again
      (drop (call $create (i32.const 0) (i32.const 1)))
      (drop (call $destroy (i64.load (i32.const 0))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; n times: create, run it until it switches back, destroy it suspended.
  (func (export "create_run_destroy") (param $n i32)
    (loop $again
      (drop (call $create (i32.const 0) (i32.const 2)))
      (drop (call $switch (i64.load (i32.const 0))))
      (drop (call $destroy (i64.load (i32.const 0))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; n plain guest calls.
  (func (export "calls") (param $n i32) (local $x i32)
    (loop $again
      (local.set $x (call $nop (local.get $x)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; n host calls that do nothing: a switch to the running context.
  (func (export "host_calls") (param $n i32)
    (loop $again
      (drop (call $switch (i64.const 0)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; k idle contexts, each suspended $d calls deep; they stay until the call ends.
  (func (export "idle") (param $k i32) (param $d i32)
    (local $i i32)
    (global.set $depth (local.get $d))
    (loop $make
      (drop (call $create (i32.shl (local.get $i) (i32.const 3)) (i32.const 3)))
      (drop (call $switch (i64.load (i32.shl (local.get $i) (i32.const 3)))))
      (br_if $make (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $k))))
    (call $report)))
