/*
 * swexn.c: user exception handlers (docs/abi/swexn.md) and the fate of a
 * thread whose user code faults.
 *
 * The kernel's trapframe has exactly ureg_t's layout (arch/x86/trap.h),
 * so delivering an exception copies the trapframe to the handler's stack
 * and installing a ureg copies it back - after checking every value that
 * could hurt the kernel. The system call's packet is decoded by
 * syscall/sys_proc.c; what it means happens here.
 */
#include "proc/loader.h"
#include "proc/proc.h"
#include "arch/x86/seg.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "upcall.h"

#define UREG_SIZE sizeof(struct trapframe)	/* 80 bytes */
#define FRAME_SIZE (UREG_SIZE + 3 * 4)		/* + ureg ptr, arg, return */

/* eflags bits a handler may choose: CF PF AF ZF SF TF DF OF RF AC ID. */
#define EFLAGS_USER 0x00250DD5u
#define EFLAGS_MUST (EFLAGS_IF | EFLAGS_RSV1)

_Static_assert(sizeof(struct trapframe) == 80, "trapframe is a ureg_t");

/* Can these registers be loaded without endangering the kernel? */
static bool ureg_safe(const struct trapframe *u)
{
	if ((u->cs & 0xFFFF) != SEL_UCODE)
		return false;
	uint32_t segs[] = { u->ss, u->ds, u->es, u->fs, u->gs };
	for (unsigned i = 0; i < sizeof segs / sizeof segs[0]; i++)
		if ((segs[i] & 0xFFFF) != SEL_UDATA)
			return false;
	return (u->eflags & EFLAGS_MUST) == EFLAGS_MUST &&
	       (u->eflags & ~(EFLAGS_USER | EFLAGS_MUST)) == 0;
}

/* Load the user registers of u into tf (cause, cr2 and error ignored). */
static void ureg_load(struct trapframe *tf, const struct trapframe *u)
{
	uint32_t cause = tf->cause;
	*tf = *u;
	tf->cause = cause;
	tf->cs = SEL_UCODE;
	tf->ss = tf->ds = tf->es = tf->fs = tf->gs = SEL_UDATA;
}

int proc_swexn(const struct swexn_reg *h, const struct trapframe *u, struct trapframe *tf)
{
	if (u && !ureg_safe(u))
		return -EINVAL;
	bool reg = h->esp3 && h->eip;
	if (reg && (h->eip < USER_MEM_START || h->esp3 < USER_MEM_START + FRAME_SIZE))
		return -EINVAL;
	struct thread *t = curthread();
	t->swexn = (struct swexn_reg){ 0, 0, 0 };
	if (reg)
		t->swexn = *h;
	if (!u)
		return 0;
	ureg_load(tf, u);
	return (int)u->eax;	/* the dispatcher stores it back into %eax */
}

/* Build the handler's frame on its exception stack and aim tf at the
 * handler. False if there is no handler or its stack is unusable. */
static bool deliver(struct thread *t, struct trapframe *tf)
{
	struct swexn_reg h = t->swexn;
	if (!h.eip)
		return false;
	t->swexn = (struct swexn_reg){ 0, 0, 0 };	/* deregister first */
	uint32_t top = h.esp3 & ~3u;
	uint32_t frame[FRAME_SIZE / 4];
	struct trapframe *u = (struct trapframe *)&frame[3];
	*u = *tf;
	u->zero = 0;
	u->ds &= 0xFFFF;
	u->es &= 0xFFFF;
	u->fs &= 0xFFFF;
	u->gs &= 0xFFFF;
	u->cs &= 0xFFFF;
	u->ss &= 0xFFFF;
	frame[0] = 0;				/* return address: junk */
	frame[1] = h.arg;
	frame[2] = top - UREG_SIZE;		/* the ureg_t pointer */
	if (copy_to_user(top - FRAME_SIZE, frame, FRAME_SIZE) < 0)
		return false;
	memset(tf, 0, offsetof(struct trapframe, err));
	tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEL_UDATA;
	tf->cs = SEL_UCODE;
	tf->eip = h.eip;
	tf->esp = top - FRAME_SIZE;
	tf->eflags = EFLAGS_IF | EFLAGS_RSV1;
	tf->err = 0;
	return true;
}

/* An exception in user mode that the kernel did not resolve itself:
 * run the thread's handler, or kill the thread. */
void proc_user_fault(struct trapframe *tf)
{
	if (!deliver(curthread(), tf))
		proc_kill_fault(tf);
}
