;; The guest of threads.c: sums 1..n, adding the host's number for its thread.
(module
  (import "host" "id" (func $id (result i32)))
  (func (export "run") (param $n i32) (result i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.add (local.get $sum) (call $id))))
