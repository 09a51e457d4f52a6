;; A store with a large static offset: address + offset overflows 32 bits,
;; which must be a trap, not a wrap-around write to low memory.
(module
  (memory 1)
  (func $poke (param $addr i32)
    (i64.store offset=0xfffffff8 (local.get $addr) (i64.const -1)))
  (func $_start (export "_start")
    (call $poke (i32.const 16))))
