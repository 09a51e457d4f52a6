;; The guest of the guest-signal latency benchmark (bench/signal/).
;; Memory layout: 64 is the signal word (exported as __signal_address), 68
;; the terminated word, 72 the acknowledgement (the last signal number the
;; guest saw, stored by the host function `seen`), 76 counts how often the
;; guest went back to waiting, so the host knows when it is about to wait
;; again.
;; Each function reports a signal number it has not seen before to `seen`,
;; which notes the time and stores the number at 72; the host spins on that
;; word. The host writes 0 to the signal word between two rounds (without a
;; notify): a waiting guest stays asleep, a spinning one sees nothing new.
(module
  ;; A host call blocked in ebb_host_poll on a pipe nothing writes to, as
  ;; WASI's fd_read is; it returns when a signal ends the wait.
  (import "bench" "block" (func $block))
  ;; Notes when the guest saw a new number, and acknowledges it.
  (import "bench" "seen" (func $seen (param i32)))
  (memory (export "memory") 1 1 shared)
  (global (export "__signal_address") i32 (i32.const 64))
  (global (export "__terminated_address") i32 (i32.const 68))

  ;; Report v if it is a signal not reported yet; the new `last`.
  (func $ack (param $v i32) (param $last i32) (result i32)
    (if (i32.and (i32.ne (local.get $v) (i32.const 0))
                 (i32.ne (local.get $v) (local.get $last)))
      (then
        (call $seen (local.get $v))
        (return (local.get $v))))
    (local.get $last))

  ;; (a) A loop polling the word with an atomic load.
  (func (export "spin")
    (local $v i32) (local $last i32)
    (loop $l
      (local.set $v (i32.atomic.load (i32.const 64)))
      (if (i32.and (i32.ne (local.get $v) (i32.const 0))
                   (i32.ne (local.get $v) (local.get $last)))
        (then
          (call $seen (local.get $v))
          (local.set $last (local.get $v))))
      (br $l)))

  ;; (b) memory.atomic.wait32 on the word, for it to change from what the
  ;; guest saw last (no timeout).
  (func (export "wait")
    (local $v i32) (local $last i32)
    (loop $l
      (local.set $v (i32.atomic.load (i32.const 64)))
      (local.set $last (call $ack (local.get $v) (local.get $last)))
      (drop (i32.atomic.rmw.add (i32.const 76) (i32.const 1)))
      (drop (memory.atomic.wait32 (i32.const 64) (local.get $v) (i64.const -1)))
      (br $l)))

  ;; (c) Blocked in a host call (ebb_host_poll) that the signal ends.
  (func (export "block")
    (local $v i32) (local $last i32)
    (loop $l
      (local.set $v (i32.atomic.load (i32.const 64)))
      (local.set $last (call $ack (local.get $v) (local.get $last)))
      (drop (i32.atomic.rmw.add (i32.const 76) (i32.const 1)))
      (call $block)
      (br $l))))
