;; The guest side of embed_suspend.c: threads that run for ever over one
;; shared memory, until their group is ended.
;;
;;   address 0          `news`: 0 until the embedder writes a value
;;   address 64 + 4 i   thread i's counter
;;   address 128 + 4 i  the news thread i saw (0: none yet)
;;
;; spin(i) counts as fast as it can. wait(i) counts once and then sleeps in
;; memory.atomic.wait until there is news. Whoever sees news first wakes the
;; sleepers with memory.atomic.notify.
(module
  (memory (export "mem") 1 1 shared)

  ;; The news, recorded the first time thread i sees it; then it wakes the
  ;; sleepers (once per thread: a notify is not free).
  (func $look (param $i i32) (result i32)
    (local $news i32) (local $seen i32)
    (local.set $news (i32.atomic.load (i32.const 0)))
    (local.set $seen (i32.add (i32.const 128) (i32.shl (local.get $i) (i32.const 2))))
    (if (i32.and (i32.ne (local.get $news) (i32.const 0))
                 (i32.eqz (i32.atomic.load (local.get $seen))))
      (then
        (i32.atomic.store (local.get $seen) (local.get $news))
        (drop (memory.atomic.notify (i32.const 0) (i32.const -1)))))
    (local.get $news))

  (func $count (param $i i32)
    (drop (i32.atomic.rmw.add (i32.add (i32.const 64) (i32.shl (local.get $i) (i32.const 2)))
                              (i32.const 1))))

  (func (export "spin") (param $i i32)
    (loop $again
      (call $count (local.get $i))
      (drop (call $look (local.get $i)))
      (br $again)))

  (func (export "wait") (param $i i32)
    (loop $again
      (call $count (local.get $i))
      (if (i32.eqz (call $look (local.get $i)))
        (then
          ;; No timeout: only a notify (or the group's end) wakes it.
          (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
      (br $again))))
