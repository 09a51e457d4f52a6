;; Signal addresses that are not aligned: 17 and 21 (adjacent, not overlapping).
(module
  (memory (export "memory") 1)
  (global (export "__signal_address") i32 (i32.const 17))
  (global (export "__terminated_address") i32 (i32.const 21)))
