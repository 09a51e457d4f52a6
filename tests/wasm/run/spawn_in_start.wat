;; Issue 13, item 1: every instance's start function spawns a thread, whose
;; new instance's start function spawns again. Once ran on the spawner's C
;; stack (700 bytes a level: a crash after a few hundred). Now each start
;; function runs on its own new thread: a chain bounded by --max-threads.
;; _start waits until 300 instances started or a spawn failed, then returns.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func $init
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0))
      (then (i32.atomic.store (i32.const 4) (i32.const 1))))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
  (start $init)
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")
    (block $done
      (loop $wait
        (br_if $done (i32.atomic.load (i32.const 4)))
        (br_if $done (i32.ge_u (i32.atomic.load (i32.const 0)) (i32.const 300)))
        (drop (memory.atomic.wait32 (i32.const 0) (i32.atomic.load (i32.const 0))
                                    (i64.const 1000000)))
        (br $wait)))))
