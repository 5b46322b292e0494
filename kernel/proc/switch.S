/*
 * switch.S: the context switch, and how a new thread takes its first step.
 *
 * swtch(&old->ksp, new->ksp) is called by switch_to() with sched_lock
 * held, its arguments in %eax and %edx (regparm: no pushes on the
 * hottest path of every switch). It pushes the callee-saved registers (the only ones the C caller
 * expects to survive a call), saves the stack pointer into old->ksp, loads
 * the new thread's stack pointer, pops *that* thread's callee-saved
 * registers and returns - on the new stack, so the `ret` lands wherever
 * the new thread was when it last called swtch(). The old thread is now
 * frozen mid-call; some later swtch() will return into it, on whatever
 * CPU runs that call (which need not be the one it left: the switcher
 * recorded that CPU in the resumed thread's t->cpu).
 *
 * The kernel stack of a thread that is switched out:
 *
 *	kstack + KSTACK_SIZE ->	+--------------------+
 *				| struct trapframe   |  user registers (ureg_t layout)
 *				+--------------------+
 *				| kernel frames ...  |  syscall / trap() / sched_switch()
 *				+--------------------+
 *				| return into swtch's caller
 *				| %ebp %ebx %esi %edi|  pushed by swtch
 *		ksp ->		+--------------------+
 */
	.text
	.globl swtch
swtch:				/* %eax = &old->ksp, %edx = new->ksp */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%eax)	/* the old thread stops here... */
	movl %edx, %esp		/* ...and the new one resumes */
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

/*
 * A new thread (fork, thread_fork, the first task) never called swtch():
 * thread_alloc() forges its stack so that swtch's `ret` comes here, with
 * the thread's trapframe right above. The thread was created by copying
 * its parent's trapframe with %eax = 0, so finishing the interrupted
 * system call through trap_return is how "fork returns twice": the parent
 * returns from its own stack, the child from this forged one.
 */
	.globl thread_entry
thread_entry:
	call sched_first_run	/* release sched_lock taken by our switcher */
	jmp trap_return

/*
 * A kernel thread (proc_kthread) starts the same way, but has no user
 * context to return to: it calls its function, found where proc_kthread
 * left it on the stack, with interrupts on.
 */
	.globl kthread_entry
kthread_entry:
	call sched_first_run
	sti
	popl %eax
	call *%eax
	ud2			/* kernel thread functions never return */
