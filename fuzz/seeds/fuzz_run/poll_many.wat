;; Seed: poll_oneoff with five million zeroed (realtime clock) subscriptions.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory 4096)
  (func (export "_start")
    (loop $l (drop (call $poll (i32.const 0) (i32.const 0) (i32.const 5000000) (i32.const 0)))
      (br $l))))
