;; big_memory.wat -- declares a memory of 128 MiB: under --max-memory 64M it
;; cannot be created, and the program does not start (exit status 1).
(module
  (memory 2048)
  (func (export "_start")))
