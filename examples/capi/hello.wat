;; The guest of hello.c: calls the host's "hello" with a number, returns
;; what the host answered plus one.
(module
  (import "host" "hello" (func $hello (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $hello (local.get 0)) (i32.const 1))))
