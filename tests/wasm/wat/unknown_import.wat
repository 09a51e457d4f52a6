;; Imports a WASI function ebb does not provide and one from another module.
(module
  (import "env" "mystery" (func $mystery))
  (func $_start (export "_start") (call $mystery)))
