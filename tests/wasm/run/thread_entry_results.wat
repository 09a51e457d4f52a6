;; wasi_thread_start of type [i32 i32] -> [i32]: refused as well.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func (export "wasi_thread_start") (param i32 i32) (result i32) (i32.const 0))
  (func (export "_start") (drop (call $spawn (i32.const 0)))))
