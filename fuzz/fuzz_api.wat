;; The guest side of fuzz_api.c. Every function computes something the
;; harness can predict from its arguments, and has safe points the harness
;; can count: taken loop back-edges and wasm-to-wasm call entries, nothing
;; else. So no condition here is a comparison (the compiler fuses a
;; comparison with its branch, and a taken fused branch is a safe point even
;; when it goes forward): conditions test a value for non-zero.
(module
  (import "host" "h0" (func $h0 (param i32 i32) (result i32)))
  (memory (export "memory") 1)

  ;; spin(n): a do-while loop of n turns (n - 1 safe points), hashing the
  ;; counter: a turn run twice or skipped changes the result.
  (func (export "spin") (param $n i32) (result i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (if (local.get $n)
      (then
        (loop $l
          (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (local.get $n)))))
    (local.get $acc))

  ;; work(pre, a, post): spin pre turns, r = h0(a, pre), trap if r is
  ;; 0x7fffffff, spin post turns; r * 7 + the hash of both loops. The host
  ;; function runs with this frame's locals live beneath it.
  (func (export "work") (param $pre i32) (param $a i32) (param $post i32) (result i32)
    (local $acc i32) (local $n i32) (local $r i32)
    (local.set $acc (i32.const 1))
    (local.set $n (local.get $pre))
    (if (local.get $n)
      (then
        (loop $l
          (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (local.get $n)))))
    (local.set $r (call $h0 (local.get $a) (local.get $pre)))
    (if (i32.xor (local.get $r) (i32.const 0x7fffffff))
      (then)
      (else (unreachable)))
    (local.set $n (local.get $post))
    (if (local.get $n)
      (then
        (loop $m
          (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 37)) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $m (local.get $n)))))
    (i32.add (i32.mul (local.get $r) (i32.const 7)) (local.get $acc)))

  ;; rec(n) = n + rec(n - 1): n calls, each entry a safe point; deep enough,
  ;; the call stack is exhausted.
  (func $rec (export "rec") (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.add (local.get $n) (call $rec (i32.sub (local.get $n) (i32.const 1)))))
      (else (i32.const 0))))

  ;; mix: every kind ebb runs in and out; no safe point.
  (func (export "mix") (param $a i32) (param $b i64) (param $c f32) (param $d f64)
    (param $e externref) (param $f funcref) (result i64 f64 externref)
    (i64.add (i64.add (i64.extend_i32_s (local.get $a)) (local.get $b))
             (select (i64.const 0) (i64.const 1000) (ref.is_null (local.get $f))))
    (f64.add (local.get $d) (f64.promote_f32 (local.get $c)))
    (local.get $e)))
