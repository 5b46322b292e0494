/*
 * fault.c: the page-fault handler.
 *
 * Every #PF first goes to the current address space (vm_fault), which
 * resolves what its regions allow: zero-fill on demand and copy-on-write.
 * What it refuses is
 *   - from user mode: the thread's error, handed up to the process
 *     layer's proc_user_fault (upcall.h), which kills the thread or runs
 *     its swexn handler;
 *   - from a user-copy instruction (listed in .extable by
 *     mm/usercopy.S) touching user space: a bad pointer given to a
 *     system call, so the copy resumes at its fixup and returns -EFAULT;
 *   - anything else in kernel mode: a kernel bug, reported by panic_trap.
 */
#include <stddef.h>
#include "mm/internal.h"
#include "mm/layout.h"
#include "mm/mm.h"
#include "mm/vm.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "lib/panic.h"
#include "debug/trace.h"
#include "upcall.h"

struct extable_entry {
	uint32_t insn;		/* an instruction that may fault on user memory */
	uint32_t fixup;		/* where to resume if the fault cannot be resolved */
};

extern const struct extable_entry __extable_start[], __extable_end[];

/* Lock tags (docs/sync.md): [a] atomic. */
unsigned page_faults;		/* [a] */

/* A handful of entries: a linear search is the fastest. */
static const struct extable_entry *fixup_for(uint32_t eip)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
		if (e->insn == eip)
			return e;
	return NULL;
}

_Static_assert(VM_FAULT_ZERO == TREV_FAULT_ZERO && VM_FAULT_ZFOD == TREV_FAULT_ZFOD &&
	       VM_FAULT_COW == TREV_FAULT_COW && VM_FAULT_AGAIN == TREV_FAULT_AGAIN,
	       "vm_fault's kinds are the trace's");

/* The fault's event: kind from vm_fault; a refused one is the thread's
 * error, or a bad pointer in a user copy. */
static void trace_fault(const struct trapframe *tf, int kind, bool copy)
{
	if (kind < 0)
		kind = copy ? TREV_FAULT_COPY : TREV_FAULT_KILL;
	trace_record(TREV_FAULT, tf->cr2, tf->eip, kind | (tf->err & 0xFF) << 8);
}

static void page_fault(struct trapframe *tf)
{
	__atomic_add_fetch(&page_faults, 1, __ATOMIC_RELAXED);
	bool user = tf_from_user(tf);
	const struct extable_entry *fix = user ? NULL : fixup_for(tf->eip);
	if (!user && (!fix || tf->cr2 < USER_MEM_START))
		panic_trap(tf);
	/* vm_fault may sleep on the address-space lock: trap() has given the
	 * faulting context's interrupt state back, and it must have been on. */
	if (!(tf->eflags & EFLAGS_IF))
		panic("page fault in a user copy with interrupts off (eip %08x, cr2 %08x)",
		      tf->eip, tf->cr2);
	int kind = vm_fault(vm_current(), tf->cr2, tf->err);
	if (trace_on(TRACE_FAULT))
		trace_fault(tf, kind, fix != NULL);
	if (kind >= 0)
		return;
	if (fix)
		tf->eip = fix->fixup;
	else
		proc_user_fault(tf);
}

void fault_init(void)
{
	trap_set(T_PGFLT, page_fault, false);
}
