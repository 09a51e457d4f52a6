;; The guest of hostref.c: keeps host references in a table and a global,
;; hands them back, and passes them to the host.
(module
  (import "host" "see" (func $see (param externref) (result externref)))
  (table $refs (export "refs") 4 externref)
  (global $last (export "last") (mut externref) (ref.null extern))
  (func (export "keep") (param i32 externref)
    (table.set $refs (local.get 0) (local.get 1))
    (global.set $last (local.get 1)))
  (func (export "fetch") (param i32) (result externref)
    (table.get $refs (local.get 0)))
  (func (export "pass") (param externref) (result externref)
    (call $see (local.get 0)))
  (func (export "is_null") (param externref) (result i32)
    (ref.is_null (local.get 0)))
  (func (export "pick") (param i32 funcref funcref) (result funcref)
    (select (result funcref) (local.get 1) (local.get 2) (local.get 0))))
