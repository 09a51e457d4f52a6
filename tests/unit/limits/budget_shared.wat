;; shared.wat -- imports a shared memory and grows it, for concurrent grows
;; from several threads against one store's budget.
(module
  (import "env" "mem" (memory 1 4096 shared))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
