;; The source for the malformed-module test: the build keeps all but its last
;; 3 bytes, cutting the code section (the last one: no data section, and no
;; name section since this file is assembled without --debug-names) short.
(module
  (memory 1)
  (func $_start (export "_start")
    (drop (i32.add (i32.const 1) (i32.const 2)))))
