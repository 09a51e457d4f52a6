;; table.wat -- a table of 16 elements that grows, and a passive element
;; segment of 50 references the instance holds.
(module
  (table $t 16 funcref)
  (func $f)
  (elem $seg func
    $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f
    $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f)
  (elem (i32.const 0) $f $f $f $f)
  (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "tsize") (result i32) (table.size $t)))
