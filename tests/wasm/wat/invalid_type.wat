;; Well-formed but invalid: the body leaves an i64 where i32 is the result.
;; Assembled with wat2wasm --no-check.
(module
  (func $bad (result i32) (i64.const 1))
  (func $_start (export "_start")))
