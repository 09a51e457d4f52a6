;; Spawns 1,000 threads one after another, each joined (waited for through
;; wait/notify on a counter) before the next starts: total time / 1000 is the
;; cost of spawning and joining one thread.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
  (func (export "_start") (local $i i32) (local $seen i32)
    (loop $next
      (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 1)) (then (call $exit (i32.const 99))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (loop $join
        (local.set $seen (i32.atomic.load (i32.const 0)))
        (if (i32.lt_u (local.get $seen) (local.get $i))
          (then
            (drop (memory.atomic.wait32 (i32.const 0) (local.get $seen) (i64.const -1)))
            (br $join))))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 1000))))
    (call $exit (i32.const 0))))
