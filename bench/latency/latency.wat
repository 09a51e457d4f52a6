;; Guest states for the interrupt-latency benchmark (bench/latency/latency.c).
;; Each export tells the host it is about to enter its state, then stays in
;; it until interrupted.
(module
  (import "bench" "ready" (func $ready))
  (import "bench" "sleep" (func $sleep))
  (import "bench" "read_pipe" (func $read_pipe))
  (import "bench" "cond" (func $cond))
  (memory (export "memory") 1 1 shared)
  (func (export "spin") (call $ready) (loop $l (br $l)))
  (func (export "wait")
    (call $ready)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (func (export "sleep") (call $ready) (call $sleep))
  (func (export "pipe") (call $ready) (call $read_pipe))
  (func (export "cond") (call $ready) (call $cond)))
