;; The guest side of embed_reentry.c: `total(n)` asks the host to visit
;; 0..n-1; the host calls back `square(i)` for each and adds them up.
(module
  (import "host" "visit_all" (func $visit_all (param i32) (result i64)))
  (func (export "square") (param $i i32) (result i64)
    (i64.mul (i64.extend_i32_u (local.get $i)) (i64.extend_i32_u (local.get $i))))
  (func (export "total") (param $n i32) (result i64)
    (call $visit_all (local.get $n))))
