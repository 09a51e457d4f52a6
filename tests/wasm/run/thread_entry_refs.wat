;; Issue 13, item 3: wasi_thread_start taking two funcrefs once got
;; thread-spawn's two i32s as references; the guest then stored 0x41414141
;; in a table and called it, and the host jumped there. The entry's type is
;; exactly [i32 i32] -> []: anything else is refused before anything runs.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (table $t 1 funcref)
  (type $v (func))
  (func (export "wasi_thread_start") (param funcref funcref)
    (table.set $t (i32.const 0) (local.get 0))
    (call_indirect (type $v) (i32.const 0)))
  (func (export "_start") (drop (call $spawn (i32.const 0x41414141)))))
