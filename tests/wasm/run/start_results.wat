;; The same rule for results: _start returns nothing.
(module (func (export "_start") (result i64) (i64.const 1)))
