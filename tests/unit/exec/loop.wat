(module
  ;; sum of i*i mod 2^32 for i below n, with a call per step so the
  ;; interrupt can land at function entry as well as at the back-edge
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    block
      loop
        local.get $i local.get $n i32.ge_u br_if 1
        local.get $s local.get $i call $sq i32.add local.set $s
        local.get $i i32.const 1 i32.add local.set $i
        br 0
      end
    end
    local.get $s)
  (func $rec (export "depth") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0 else
    local.get 0 i32.const 1 i32.sub call $rec i32.const 1 i32.add end))
