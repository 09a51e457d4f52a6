(module
  ;; br_table whose targets include an enclosing loop: the loop entry is a
  ;; backward rel in the table, which once moved pc 16 GiB forward.

  ;; Counts turns: index i mod 4 picks (0) acc += 1, (1) acc += 10, (2) back
  ;; to the loop directly, (3) acc += 100; i >= n picks the default, the exit.
  (func (export "mix") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    block $exit
      loop $top
        local.get $i i32.const 1 i32.add local.set $i
        block $b3
          block $b1
            block $b0
              local.get $i i32.const 4 i32.rem_u
              i32.const 4
              local.get $i local.get $n i32.le_u
              select
              br_table $b0 $b1 $top $b3 $exit
            end
            local.get $acc i32.const 1 i32.add local.set $acc
            br $top
          end
          local.get $acc i32.const 10 i32.add local.set $acc
          br $top
        end
        local.get $acc i32.const 100 i32.add local.set $acc
        br $top
      end
    end
    local.get $acc)

  ;; A constant index, clamped to the default, which is the loop; values
  ;; left on the stack are discarded by the branch.
  (func (export "const_index") (param $n i32) (result i32)
    (local $i i32)
    block $exit
      loop $top
        local.get $i local.get $n i32.ge_u br_if $exit
        local.get $i i32.const 1 i32.add local.set $i
        i32.const 7
        i32.const 4
        br_table $top
      end
    end
    local.get $i)

  ;; A loop with a parameter: the branch back carries a value.
  (func (export "loop_param") (param $n i32) (result i32)
    local.get $n
    loop $top (param i32) (result i32)
      i32.const 1 i32.sub
      local.tee $n
      local.get $n
      i32.eqz
      br_table $top 1
    end))
