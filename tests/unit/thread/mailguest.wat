;; Guest side of the mailbox and suspension tests: loops with safe points,
;; waits of every kind ebb has, and functions that messages call into.
(module
  (import "host" "sleep" (func $sleep (param i64)))       ;; ebb_host_sleep_until
  (import "host" "read" (func $read (param i32) (result i32))) ;; ebb_host_poll + read
  (import "host" "condwait" (func $condwait))               ;; a handler and a condition
  (import "host" "callto" (func $callto (param i32) (result i32))) ;; ebb_mail_call
  (import "host" "block" (func $block (param i32)))         ;; uninterruptible
  (memory (export "memory") 1 1 shared)
  ;; add(n): the counter at address 16 += n, atomically (threads share it);
  ;; returns the new value (messages call it).
  (func (export "add") (param i32) (result i32)
    (i32.add (i32.atomic.rmw.add (i32.const 16) (local.get 0)) (local.get 0)))
  ;; spin_until(addr): loops until the i32 at addr is non-zero, counting
  ;; turns at addr+4; returns the value found.
  (func (export "spin_until") (param $a i32) (result i32)
    (loop $l
      (i32.atomic.store (i32.add (local.get $a) (i32.const 4))
        (i32.add (i32.atomic.load (i32.add (local.get $a) (i32.const 4))) (i32.const 1)))
      (br_if $l (i32.eqz (i32.atomic.load (local.get $a)))))
    (i32.atomic.load (local.get $a)))
  ;; work(n): a deterministic hash after n turns (the spinners' result).
  (func (export "work") (param $n i32) (result i32) (local $h i32)
    (local.set $h (i32.const 2166136261))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $n)) (i32.const 16777619)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $h))
  ;; wait_at(addr, timeout_ns): memory.atomic.wait32 for value 0; then
  ;; stores 1 at addr+8 (seen only once the wait is over) and returns the
  ;; wait's result.
  (func (export "wait_at") (param $a i32) (param $t i64) (result i32) (local $r i32)
    (local.set $r (memory.atomic.wait32 (local.get $a) (i32.const 0) (local.get $t)))
    (i32.atomic.store (i32.add (local.get $a) (i32.const 8)) (i32.const 1))
    (local.get $r))
  (func (export "notify") (param $a i32) (param $n i32) (result i32)
    (memory.atomic.notify (local.get $a) (local.get $n)))
  (func (export "sleep") (param i64) (call $sleep (local.get 0)))
  (func (export "read") (param i32) (result i32) (call $read (local.get 0)))
  (func (export "condwait") (call $condwait))
  (func (export "callto") (param i32) (result i32) (call $callto (local.get 0)))
  (func (export "block") (param i32) (call $block (local.get 0)))
  (func (export "trap") (unreachable)))
