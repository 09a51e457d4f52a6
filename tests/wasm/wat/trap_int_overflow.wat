;; i64.div_s of INT64_MIN by -1: the quotient does not fit.
(module
  (func $overflow (param $a i64) (param $b i64) (result i64)
    (i64.div_s (local.get $a) (local.get $b)))
  (func $_start (export "_start")
    (drop (call $overflow (i64.const 0x8000000000000000) (i64.const -1)))))
