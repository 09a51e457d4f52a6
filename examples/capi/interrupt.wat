;; The guest of interrupt.c: loops that never end, a wait that never ends,
;; and a call out to the host, which calls back into a loop.
(module
  (import "host" "reenter" (func $reenter))
  (memory 1 1 shared)
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "wait") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
  (func (export "count") (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 1))
  (func (export "call_host") (call $reenter)))
