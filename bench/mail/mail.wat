;; Guest states for the mailbox and suspension benchmark (bench/mail/).
;; Memory layout: 0 counts threads that reached their wait, 4 is the word
;; they wait on (never changes, never notified), and from 64 each spinning
;; thread has a counter of its own (slot i at 64 + 4 i), so the host can
;; see that every one of them is really running.
(module
  ;; Called every 1024 iterations of spin: a no-op, except that it yields
  ;; the CPU while the host lets continued threads get back to running.
  (import "bench" "pace" (func $pace))
  (memory (export "memory") 1 1 shared)
  ;; Busy: a loop whose back-edge is a safe point, forever. The store is
  ;; atomic because the host reads the count while it runs.
  (func (export "spin") (param $slot i32)
    (local $addr i32) (local $n i32)
    (local.set $addr (i32.add (i32.const 64) (i32.shl (local.get $slot) (i32.const 2))))
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (i32.atomic.store (local.get $addr) (local.get $n))
      (if (i32.eqz (i32.and (local.get $n) (i32.const 1023))) (then (call $pace)))
      (br $l)))
  ;; Blocked: memory.atomic.wait with no timeout, for as long as it takes.
  (func (export "wait") (param $slot i32)
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (loop $l
      (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))
      (br $l))))
