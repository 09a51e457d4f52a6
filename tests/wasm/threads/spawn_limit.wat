;; Spawns threads that wait forever until thread-spawn fails, then exits
;; with the number it spawned. With --max-threads 5 (main counts) that is 4.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  (func (export "_start") (local $n i32)
    (loop $l
      (if (i32.gt_s (call $spawn (i32.const 0)) (i32.const 0))
        (then
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $n) (i32.const 200))))))
    (call $exit (local.get $n))))
