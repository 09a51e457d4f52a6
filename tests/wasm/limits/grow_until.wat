;; grow_until.wat -- grows its memory a page at a time until memory.grow
;; says no. Exit status 0 if that happened before 1024 pages (64 MiB, the
;; --max-memory of the test: the store's budget stops it), 1 if it grew on
;; to 65536 pages (4 GiB, the per-memory limit).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func (export "_start")
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (call $exit (i32.ge_u (memory.size) (i32.const 1024)))))
