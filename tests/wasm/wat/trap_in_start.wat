;; A start function that traps: instantiation fails, so `ebb run` reports a
;; load/link failure (status 1) naming the trap.
(module
  (func $init (unreachable))
  (start $init)
  (func $_start (export "_start")))
