;; The start function loops forever: only --timeout or a signal can end it,
;; which works because ebb run runs it on the main thread of the group.
(module (func $s (loop br 0)) (start $s) (func (export "_start")))
