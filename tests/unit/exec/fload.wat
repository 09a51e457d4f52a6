(module
  ;; f64 arithmetic whose right operand is an f64.load, which the compiler
  ;; fuses into one op (code.h, EBB__IOP_FLD): plain and i32.add addresses,
  ;; offsets, 32-bit wrap of the add, bounds, and loads that must not fuse.
  (memory (export "memory") 1)
  (func (export "sub") (param $x f64) (param $p i32) (result f64)
    local.get $x local.get $p f64.load offset=8 f64.sub)
  (func (export "div_ai") (param $x f64) (param $p i32) (result f64)
    local.get $x local.get $p i32.const 16 i32.add f64.load f64.div)
  (func (export "add_ai_off") (param $x f64) (param $p i32) (result f64)
    local.get $x local.get $p i32.const -8 i32.add f64.load offset=24 f64.add)
  (func (export "mul_chain") (param $p i32) (result f64)
    ;; ((m[p] * m[p+8]) * m[p+16]) - m[p+24], every right operand loaded
    local.get $p f64.load
    local.get $p f64.load offset=8 f64.mul
    local.get $p f64.load offset=16 f64.mul
    local.get $p i32.const 24 i32.add f64.load f64.sub)
  (func (export "left_load") (param $x f64) (param $p i32) (result f64)
    ;; the load is the left operand: m[p] - x
    local.get $p f64.load local.get $x f64.sub)
  (func (export "into_local") (param $x f64) (param $p i32) (result f64)
    (local $t f64)
    ;; the fused result goes straight into a local, then is used twice
    local.get $x local.get $p f64.load f64.mul local.tee $t local.get $t f64.add))
