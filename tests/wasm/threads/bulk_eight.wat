;; Seven threads and main fill and copy all 4 GiB of their shared memory,
;; forever, each starting with a different instruction (fill, copy
;; backwards, copy forwards), so that --timeout finds every kind mid-way.
(module
  (import "env" "memory" (memory 65536 65536 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $bulk (param $first i32)
    (loop $l
      (if (i32.eqz (local.get $first))
        (then (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const -1))))
      (if (i32.le_u (local.get $first) (i32.const 1))
        (then (memory.copy (i32.const 1) (i32.const 0) (i32.const -2))))
      (memory.copy (i32.const 0) (i32.const 1) (i32.const -2))
      (local.set $first (i32.const 0))
      (br $l)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $bulk (local.get $arg)))
  (func (export "_start") (local $i i32)
    (loop $l
      (if (i32.lt_s (call $spawn (i32.rem_u (local.get $i) (i32.const 3))) (i32.const 1))
        (then (call $exit (i32.const 99))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 7))))
    (call $bulk (i32.const 2))))
