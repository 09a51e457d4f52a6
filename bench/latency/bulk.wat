;; Guest states for the interrupt-latency benchmark (bench/latency/latency.c)
;; inside one long bulk instruction on a 1 GiB memory. Each export tells the
;; host it is about to start, then runs an instruction that takes far longer
;; than the benchmark waits before interrupting it.
(module
  (import "bench" "ready" (func $ready))
  (memory (export "memory") 16384 16384)
  (func (export "fill") (call $ready)
    (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const 0x40000000)))
  (func (export "copy") (call $ready)
    (memory.copy (i32.const 1) (i32.const 0) (i32.const 0x3fffffff))))
