;; The guest side of embed_mailbox.c. `serve()` is a thread's whole life:
;; it waits in memory.atomic.wait until the word at address 0 is non-zero,
;; and returns the total. The embedder's messages run on that thread while
;; it waits, and call `add` (a nested call) or `quit`.
(module
  (memory (export "mem") 1 1 shared)
  (global $total (mut i32) (i32.const 0))

  (func (export "serve") (result i32)
    (block $done
      (loop $wait
        (br_if $done (i32.atomic.load (i32.const 0)))
        ;; Blocks for ever unless notified; messages run in here.
        (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
        (br $wait)))
    (global.get $total))

  ;; add(n): the new total.
  (func (export "add") (param $n i32) (result i32)
    (global.set $total (i32.add (global.get $total) (local.get $n)))
    (global.get $total))

  ;; quit(): serve() returns once it sees this.
  (func (export "quit")
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))
