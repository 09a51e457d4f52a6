;; Main and seven threads each fill and copy their own 512 MiB of a 4 GiB
;; shared memory, forever: 4 GiB in all, each instruction far longer than
;; --timeout when its pages are fresh. Each starts with a different
;; instruction (fill, copy backwards, copy forwards), so that --timeout finds
;; every kind mid-way. The regions are apart, so the program has no race.
(module
  (import "env" "memory" (memory 65536 65536 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $bulk (param $k i32) (local $base i32) (local $first i32)
    (local.set $base (i32.shl (local.get $k) (i32.const 29)))
    (local.set $first (i32.rem_u (local.get $k) (i32.const 3)))
    (loop $l
      (if (i32.eqz (local.get $first))
        (then (memory.fill (local.get $base) (i32.const 0x5a) (i32.const 0x20000000))))
      (if (i32.le_u (local.get $first) (i32.const 1))
        (then (memory.copy (i32.add (local.get $base) (i32.const 1)) (local.get $base)
                           (i32.const 0x1fffffff))))
      (memory.copy (local.get $base) (i32.add (local.get $base) (i32.const 1))
                   (i32.const 0x1fffffff))
      (local.set $first (i32.const 0))
      (br $l)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $bulk (local.get $arg)))
  (func (export "_start") (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (if (i32.lt_s (call $spawn (local.get $k)) (i32.const 1))
        (then (call $exit (i32.const 99))))
      (br_if $l (i32.lt_u (local.get $k) (i32.const 7))))
    (call $bulk (i32.const 0))))
