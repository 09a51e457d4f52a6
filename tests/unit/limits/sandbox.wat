;; sandbox.wat -- memory and table accesses at the edges, for test_limits.c.
;; One page of memory with no maximum (the store's limit decides how far it
;; grows), a table of 4 (max 8), a passive data and element segment.
(module
  (type $ret_i32 (func (result i32)))
  (memory (export "mem") 1)
  (table $t 4 8 funcref)
  (elem (table $t) (i32.const 0) func $one $two)
  (elem $pe func $one $two $one)
  (elem declare func $wrong)
  (data $pd "abcdefgh")

  (func $one (type $ret_i32) (i32.const 1))
  (func $two (type $ret_i32) (i32.const 2))
  (func $wrong (param i32) (result i32) (local.get 0))

  ;; Loads and stores of each width, with and without static offsets.
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load32_off4") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "load32_offmax") (param i32) (result i32)
    (i32.load offset=0xffffffff (local.get 0)))
  (func (export "load8_off64k") (param i32) (result i32)
    (i32.load8_u offset=65535 (local.get 0)))
  ;; The address add wraps in 32 bits before the access (the compiler fuses it).
  (func (export "load32_add8") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 8))))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "store32_off4") (param i32 i32) (i32.store offset=4 (local.get 0) (local.get 1)))

  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))

  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $pd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $pd))

  ;; Tables: 1 if the slot holds null.
  (func (export "tget") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "tset") (param i32) (table.set $t (local.get 0) (ref.func $one)))
  (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "tsize") (result i32) (table.size $t))
  (func (export "tfill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $two) (local.get 1)))
  (func (export "tcopy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tinit") (param i32 i32 i32) (table.init $t $pe (local.get 0) (local.get 1) (local.get 2)))
  (func (export "callind") (param i32) (result i32) (call_indirect $t (type $ret_i32) (local.get 0)))
  (func (export "setwrong") (param i32) (table.set $t (local.get 0) (ref.func $wrong)))
)
