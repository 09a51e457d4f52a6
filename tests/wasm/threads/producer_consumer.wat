;; A producer thread hands 1..1000 to main through a one-slot mailbox at
;; address 0 (0 = empty), using wait/notify on both sides. Main sums them and
;; exits 0 if the sum is 500500, else 1.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32) (local $i i32) (local $v i32)
    (local.set $i (i32.const 1))
    (loop $produce
      ;; wait for the slot to be empty, then fill it
      (block $filled
        (loop $try
          (br_if $filled
            (i32.eqz (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 0) (local.get $i))))
          ;; Sleep only while the slot still holds the value we saw: had we seen
          ;; it empty, we would wait for a change only we can make.
          (local.set $v (i32.atomic.load (i32.const 0)))
          (if (local.get $v)
            (then (drop (memory.atomic.wait32 (i32.const 0) (local.get $v) (i64.const -1)))))
          (br $try)))
      (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $produce (i32.le_u (local.get $i) (i32.const 1000)))))
  (func (export "_start") (local $n i32) (local $sum i32) (local $v i32)
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 99))))
    (loop $consume
      (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
      (local.set $v (i32.atomic.rmw.xchg (i32.const 0) (i32.const 0)))
      (if (local.get $v)
        (then
          (local.set $sum (i32.add (local.get $sum) (local.get $v)))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))
      (br_if $consume (i32.lt_u (local.get $n) (i32.const 1000))))
    (call $exit (i32.ne (local.get $sum) (i32.const 500500)))))
