;; spawn_confined.wat -- a copy of tests/unit/thread/spawn_confined.wat: the
;; same as spawn_table.wat without the imported table, so a finished
;; thread's instance is freed (and refunded) at once.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  ;; Defined objects, freed with a finished thread's instance when it can be.
  (table $own 2 funcref)
  (global $turns (mut i32) (i32.const 0))
  (elem (table $own) (i32.const 0) func $start)
  ;; A thread sets the flag at address 0 and wakes main.
  (func $start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    global.get $turns i32.const 1 i32.add global.set $turns
    i32.const 0 i32.const 1 i32.atomic.store
    i32.const 0 i32.const 1 memory.atomic.notify drop)
  ;; Spawn n threads one after another, each waited for; returns how many.
  (func (export "run") (param $n i32) (result i32)
    (local $i i32)
    loop $each
      i32.const 0 i32.const 0 i32.atomic.store
      i32.const 0 call $spawn i32.const 0 i32.lt_s
      if i32.const -1 return end
      block $done
        loop $wait
          i32.const 0 i32.atomic.load br_if $done
          i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop
          br $wait
        end
      end
      local.get $i i32.const 1 i32.add local.tee $i
      local.get $n i32.lt_u br_if $each
    end
    local.get $i))
