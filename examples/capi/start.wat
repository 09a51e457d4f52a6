;; The guest of start.c: a start function that tells the host it runs,
;; counts, and traps when the imported global says so.
(module
  (import "host" "log" (func $log (param i32)))
  (import "host" "fail" (global $fail i32))
  (global $runs (export "runs") (mut i32) (i32.const 0))
  (func $start
    (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
    (call $log (global.get $runs))
    (if (global.get $fail) (then unreachable)))
  (start $start))
