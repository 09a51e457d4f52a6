;; Guest side of test_signals.c: a guest that exports its signal addresses
;; (16 and 24, in shared memory) and watches the first in three ways.
(module
  (import "host" "poll" (func $poll (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (global (export "__signal_address") i32 (i32.const 16))
  (global (export "__terminated_address") i32 (i32.const 24))
  ;; spin(): loops until the signal address is non-zero; returns it.
  (func (export "spin") (result i32)
    (loop $l (br_if $l (i32.eqz (i32.atomic.load (i32.const 16)))))
    (i32.atomic.load (i32.const 16)))
  ;; wait(): memory.atomic.wait32 on the signal address until it is set.
  (func (export "wait") (result i32)
    (loop $l
      (drop (memory.atomic.wait32 (i32.const 16) (i32.const 0) (i64.const -1)))
      (br_if $l (i32.eqz (i32.atomic.load (i32.const 16)))))
    (i32.atomic.load (i32.const 16)))
  ;; poll(fd): a host function blocked in ebb_host_poll; returns its result.
  (func (export "poll") (param i32) (result i32) (call $poll (local.get 0))))
