;; Issue 13, item 14: proc_exit(42) in the start function ends the program
;; with status 42 (it once made ebb run exit 0).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $init (call $exit (i32.const 42)))
  (start $init)
  (func (export "_start") unreachable))
