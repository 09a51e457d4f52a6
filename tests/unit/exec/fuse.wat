(module
  ;; Instructions the compiler fuses (compile/code.h): i32.eqz + br_if/if,
  ;; two i32.add of immediates in a row, an add/and/load + compare-and-branch
  ;; on its result, i32.add (maybe of a shifted index) folded into a load's
  ;; or a store's address, i32.shl + i32.add, i32.mul + i32.add, and chains
  ;; of two i32 operations with immediates. test_fuse.c checks each against
  ;; C, at the edges: 32-bit wrap, signedness, shift counts >= 32, traps.
  (memory (export "memory") 1)

  ;; ---- i32.eqz + br_if / if --------------------------------------------------
  (func (export "eqz_count") (param $n i32) (result i32) (local $c i32)
    block $done
      loop $l
        local.get $n i32.eqz br_if $done
        local.get $n i32.const 1 i32.sub local.set $n
        local.get $c i32.const 2 i32.add local.set $c
        br $l
      end
    end
    local.get $c)
  (func (export "eqz_if") (param $x i32) (result i32)
    local.get $x i32.eqz
    if (result i32) i32.const 7 else i32.const 9 end)

  ;; ---- Two i32.add of immediates -------------------------------------------
  (func (export "add2") (param $a i32) (result i32) (local $b i32)
    local.get $a i32.const 5 i32.add local.set $a
    local.get $a i32.const -3 i32.add local.set $b ;; reads the new $a
    local.get $a i32.const 1000 i32.mul local.get $b i32.add)
  (func (export "add2_load") (param $p i32) (param $q i32) (result i32)
    ;; the second add is the load's address: split off the pair
    local.get $q i32.const 1 i32.add local.set $q
    local.get $p i32.const 4 i32.add i32.load
    local.get $q i32.add)

  ;; ---- add/and/load + compare-and-branch ------------------------------------
  ;; Each loop runs at most 100 times; the result mixes count and variable.
  (func (export "add_lt_s") (param $i i32) (param $n i32) (result i32) (local $c i32)
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c
        i32.const 100 i32.ge_u br_if $out
        local.get $i i32.const 3 i32.add local.tee $i
        local.get $n i32.lt_s br_if $l
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add)
  (func (export "add_gt_u_mirror") (param $i i32) (param $n i32) (result i32) (local $c i32)
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c
        i32.const 100 i32.ge_u br_if $out
        local.get $n
        local.get $i i32.const 3 i32.add local.tee $i
        i32.gt_u br_if $l ;; n > i + 3: the sum is the right operand
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add)
  (func (export "add_nonzero") (param $i i32) (result i32) (local $c i32)
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c
        i32.const 100 i32.ge_u br_if $out
        local.get $i i32.const -1 i32.add local.tee $i
        br_if $l
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add)
  (func (export "add_ne_imm_pair") (param $i i32) (result i32) (local $j i32) (local $c i32)
    ;; two adds in a row, the second tested: the pair is split
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c
        i32.const 100 i32.ge_u br_if $out
        local.get $j i32.const 7 i32.add local.set $j
        local.get $i i32.const 1 i32.add local.tee $i
        i32.const 10 i32.ne br_if $l
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add local.get $j i32.add)
  (func (export "and_eq") (param $x i32) (result i32)
    block
      local.get $x i32.const 255 i32.and i32.const 44 i32.eq br_if 0
      i32.const 1 return
    end
    i32.const 2)
  (func (export "and_if") (param $x i32) (result i32)
    local.get $x i32.const 8 i32.and
    if (result i32) i32.const 3 else i32.const 4 end)
  (func (export "and_le_s") (param $x i32) (result i32)
    ;; the masked value compared signed: 0xff000000 & x is negative
    block
      local.get $x i32.const 0xff000000 i32.and i32.const -1 i32.le_s br_if 0
      i32.const 5 return
    end
    i32.const 6)
  (func (export "strlen") (param $p i32) (result i32) (local $q i32)
    local.get $p local.set $q
    block $z
      local.get $q i32.load8_u i32.eqz br_if $z
      loop $l
        local.get $q i32.const 1 i32.add local.tee $q
        i32.load8_u br_if $l
      end
    end
    local.get $q local.get $p i32.sub)
  (func (export "walk") (param $p i32) (result i32) (local $c i32)
    ;; while (p = *p) c++, at most 100 steps
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c
        i32.const 100 i32.ge_u br_if $out
        local.get $p i32.load local.tee $p
        br_if $l
      end
    end
    local.get $c)
  (func (export "find16") (param $p i32) (param $k i32) (result i32) (local $c i32)
    ;; the first of up to 100 u16 at p, p + 2, ... equal to k
    block $out
      loop $l
        local.get $c i32.const 100 i32.ge_u br_if $out
        local.get $p local.get $c i32.const 1 i32.shl i32.add
        i32.load16_u local.get $k i32.eq br_if $out
        local.get $c i32.const 1 i32.add local.set $c
        br $l
      end
    end
    local.get $c)
  (func (export "load_gt_s") (param $p i32) (result i32)
    ;; a loaded u16 compared signed with a negative immediate: always greater
    block
      local.get $p i32.load16_u offset=2 i32.const -5 i32.gt_s br_if 0
      i32.const 10 return
    end
    i32.const 11)

  ;; ---- Addresses of two slots -----------------------------------------------
  (func (export "ld_rr") (param $b i32) (param $i i32) (result i32)
    local.get $b local.get $i i32.add i32.load offset=4)
  (func (export "ld_idx") (param $b i32) (param $i i32) (result i32)
    local.get $b local.get $i i32.const 2 i32.shl i32.add i32.load16_s)
  (func (export "ld_idx_left") (param $b i32) (param $i i32) (result i32)
    ;; (i << 34) + b: the shift count is taken mod 32
    local.get $i i32.const 34 i32.shl local.get $b i32.add i32.load8_s offset=1)
  (func (export "ld_rr64") (param $b i32) (param $i i32) (result i64)
    local.get $b local.get $i i32.add i64.load32_s)
  (func (export "st_rr") (param $b i32) (param $i i32) (param $v i32)
    local.get $b local.get $i i32.add local.get $v i32.store8 offset=1)
  (func (export "st_idx") (param $b i32) (param $i i32) (param $v i64)
    local.get $b local.get $i i32.const 3 i32.shl i32.add local.get $v i64.store)
  (func (export "st_const") (param $b i32) (param $i i32)
    ;; the constant's home is the slot of i + 1, which the add reads
    local.get $b local.get $i i32.const 1 i32.add i32.add
    i32.const 77 i32.store8)
  (func (export "add_shl") (param $b i32) (param $i i32) (result i32)
    local.get $b local.get $i i32.const 35 i32.shl i32.add)

  ;; ---- Chains ---------------------------------------------------------------
  (func (export "mul_add") (param $x i32) (param $y i32) (param $z i32) (result i32)
    local.get $x local.get $y i32.mul local.get $z i32.add)
  (func (export "add_mul") (param $x i32) (param $y i32) (param $z i32) (result i32)
    local.get $z local.get $x local.get $y i32.mul i32.add)
  (func (export "shr_and") (param $x i32) (result i32)
    local.get $x i32.const 35 i32.shr_u i32.const 0x1ff i32.and)
  (func (export "add_and") (param $x i32) (result i32)
    local.get $x i32.const -58 i32.add i32.const 255 i32.and)
  (func (export "and_xor") (param $x i32) (result i32)
    local.get $x i32.const 0xff00ff00 i32.and i32.const 0x12345678 i32.xor)
  (func (export "xor_and") (param $x i32) (param $y i32) (result i32)
    local.get $x local.get $y i32.xor i32.const 0x80000001 i32.and)

  ;; ---- A COPY or a constant fused into the branch after it -------------------
  ;; fib by moving loop-carried values: two copies, the second before br $l
  ;; (COPY_BR_LOOP)
  (func (export "copy_br_loop") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $t i32)
    i32.const 1 local.set $b
    block $out
      loop $l
        local.get $n i32.eqz br_if $out
        local.get $n i32.const -1 i32.add local.set $n
        local.get $a local.get $b i32.add local.set $t
        local.get $b local.set $a
        local.get $t local.set $b
        br $l
      end
    end
    local.get $a)
  ;; state = k; br (CONST_BR forward, CONST_BR_LOOP back)
  (func (export "const_br") (param $x i32) (result i32) (local $s i32)
    block $b
      local.get $x i32.const 5 i32.lt_s
      if
        i32.const 11 local.set $s
        br $b
      end
      i32.const 22 local.set $s
    end
    local.get $s)
  (func (export "copy_br") (param $x i32) (param $y i32) (result i32) (local $s i32)
    block $b
      local.get $x i32.const 5 i32.lt_s
      if
        local.get $y local.set $s
        br $b
      end
      i32.const 22 local.set $s
    end
    local.get $s)
  (func (export "const_br_loop") (param $n i32) (result i32) (local $s i32) (local $c i32)
    loop $l
      local.get $c i32.const 1 i32.add local.set $c
      local.get $c local.get $n i32.lt_u
      if
        i32.const 7 local.set $s
        br $l
      end
    end
    local.get $s local.get $c i32.add)
  ;; a copy, then a compare-and-branch reading the copy's destination
  ;; (COPY_BR_I32_LT_S, and mirrored: b is the destination)
  (func (export "copy_lt_s") (param $i i32) (param $n i32) (result i32) (local $j i32) (local $c i32)
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c i32.const 100 i32.ge_u br_if $out
        local.get $i i32.const 3 i32.add local.set $j
        local.get $j local.set $i
        local.get $i local.get $n i32.lt_s
        br_if $l
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add)
  (func (export "copy_gt_s_mirror") (param $i i32) (param $n i32) (result i32) (local $j i32) (local $c i32)
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c i32.const 100 i32.ge_u br_if $out
        local.get $i i32.const 3 i32.add local.set $j
        local.get $j local.set $i
        local.get $n local.get $i i32.gt_s
        br_if $l
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add)
  (func (export "copy_ne_imm") (param $i i32) (result i32) (local $j i32) (local $c i32)
    block $out
      loop $l
        local.get $c i32.const 1 i32.add local.tee $c i32.const 100 i32.ge_u br_if $out
        local.get $i i32.const -1 i32.add local.set $j
        local.get $j local.set $i
        local.get $i i32.const 0 i32.ne
        br_if $l
      end
    end
    local.get $c i32.const 1000003 i32.mul local.get $i i32.add)
  ;; a copy, then br_if / if on the copy's destination (COPY_BR_IF,
  ;; COPY_BR_UNLESS)
  (func (export "copy_br_if") (param $n i32) (result i32) (local $m i32) (local $c i32)
    loop $l
      local.get $c i32.const 1 i32.add local.set $c
      local.get $n i32.const -1 i32.add local.set $m
      local.get $m local.set $n
      local.get $n br_if $l
    end
    local.get $c)
  (func (export "copy_if") (param $x i32) (param $y i32) (result i32)
    local.get $x local.set $y
    local.get $y if (result i32) i32.const 3 else i32.const 4 end
    local.get $y i32.add)
  ;; a copy, then a load from its destination (COPY_LOAD32)
  (func (export "copy_load") (param $p i32) (param $q i32) (result i32)
    local.get $p local.set $q
    local.get $q i32.load offset=4
    local.get $q i32.add)
  ;; CoreMark's list reversal: copy + load, store, copy + br_if
  (func (export "reverse") (param $list i32) (result i32) (local $next i32) (local $res i32) (local $p i32)
    block $out
      local.get $list i32.eqz br_if $out
      loop $l
        local.get $list local.set $p
        local.get $p i32.load local.set $next
        local.get $p local.get $res i32.store
        local.get $p local.set $res
        local.get $next local.set $list
        local.get $list br_if $l
      end
    end
    local.get $res))
