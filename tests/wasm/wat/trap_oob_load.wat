;; An i32.load whose last byte is one past the end of a one-page memory
;; (65533 + 4 > 65536): a partly out-of-bounds access must trap, not read.
(module
  (memory 1)
  (func $peek (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func $_start (export "_start")
    (drop (call $peek (i32.const 65532)))  ;; the last word: fine
    (drop (call $peek (i32.const 65533)))))
