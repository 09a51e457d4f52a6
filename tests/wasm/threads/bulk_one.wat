;; One thread fills and copies all 4 GiB of its memory, forever: each
;; instruction would take seconds on fresh pages, so only a stop between two
;; of its chunks lets --timeout end it on time. The copies overlap, one
;; going backwards (dst above src) and one forwards.
(module
  (memory 65536)
  (func (export "_start")
    (loop $l
      (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const -1))
      (memory.copy (i32.const 1) (i32.const 0) (i32.const -2))
      (memory.copy (i32.const 0) (i32.const 1) (i32.const -2))
      (br $l))))
