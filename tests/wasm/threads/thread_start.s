# thread_start.s -- wasi_thread_start(tid, arg) for freestanding C guests:
# arg points at the thread's block, whose first word is the top of the stack
# its spawner gave it. Set __stack_pointer before any C code runs, then call
# thread_main(tid, arg).
	.globaltype __stack_pointer, i32
	.functype thread_main (i32, i32) -> ()
	.globl wasi_thread_start
	.type wasi_thread_start,@function
wasi_thread_start:
	.functype wasi_thread_start (i32, i32) -> ()
	local.get 1
	i32.load 0
	global.set __stack_pointer
	local.get 0
	local.get 1
	call thread_main
	end_function
