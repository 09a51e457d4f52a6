;; Issue 13, item 2: a _start that takes an argument once made ebb_call read
;; args[0] from a NULL array. A command's _start is [] -> [].
(module (func (export "_start") (param i32)))
