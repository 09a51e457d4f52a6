;; The guest of memory.c: a memory of 2 pages (at most 3) with bytes at
;; 0x1000, and functions to read, write and grow it.
(module
  (memory (export "memory") 2 3)
  (data (i32.const 0x1000) "\01\02\03\04")
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
