;; stdin_readers.wat -- eight threads (main and seven spawned) each read
;; standard input in a loop and copy what they get to standard output; at
;; the end of input each returns (main then exits 0). For stdin_readers.sh:
;; when a line arrives, all eight wake, one reads it, and the other seven
;; must go back to an interruptible wait, so that --timeout, SIGINT and
;; SIGTERM still end the program.
;;
;; Memory: thread i's iovec at 1024 + 8i, its count at 2048 + 4i, its buffer
;; of 256 bytes at 4096 + 256i.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))

  (func $reader (param $i i32) (local $iov i32) (local $cnt i32) (local $buf i32)
    (local.set $iov (i32.add (i32.const 1024) (i32.mul (local.get $i) (i32.const 8))))
    (local.set $cnt (i32.add (i32.const 2048) (i32.mul (local.get $i) (i32.const 4))))
    (local.set $buf (i32.add (i32.const 4096) (i32.mul (local.get $i) (i32.const 256))))
    (loop $l
      (i32.store (local.get $iov) (local.get $buf))
      (i32.store offset=4 (local.get $iov) (i32.const 256))
      ;; A read error ends the program with status 100.
      (if (call $fd_read (i32.const 0) (local.get $iov) (i32.const 1) (local.get $cnt))
        (then (call $exit (i32.const 100))))
      (if (i32.eqz (i32.load (local.get $cnt))) (then (return))) ;; end of input
      (i32.store offset=4 (local.get $iov) (i32.load (local.get $cnt)))
      (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (local.get $cnt)))
      (br $l)))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $reader (local.get $arg)))

  (func (export "_start") (local $i i32)
    (local.set $i (i32.const 1))
    (loop $l
      (if (i32.lt_s (call $spawn (local.get $i)) (i32.const 1)) (then (call $exit (i32.const 99))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
    (call $reader (i32.const 0))))
