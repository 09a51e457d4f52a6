;; memory.wat -- a memory of one page that the embedder grows through the
;; guest, for the store's byte budget.
(module
  (memory (export "mem") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
