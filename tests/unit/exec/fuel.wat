(module
  ;; 4 instructions: i32.const, i32.const, i32.add, end
  (func (export "three") (result i32) i32.const 1 i32.const 2 i32.add)
  ;; loop n times; charged per basic block
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    block
      loop
        local.get $i local.get $n i32.ge_u br_if 1
        local.get $i i32.const 1 i32.add local.set $i
        br 0
      end
    end
    local.get $i))
