/*
 * autostack.c: automatic growth of the main thread's stack
 * (docs/abi/image.md §5 and docs/abi/userlib.md §5), by a swexn handler on its own stack.
 *
 * A page fault below the stack's current bottom, and not more than 64
 * bytes below %esp (it may lie above %esp, inside a large frame), means
 * the stack ran off its end: map every page from the lower of the fault
 * address and %esp up to the bottom, re-register and retry. Anything
 * else is not ours: after thr_init the thread library's fatal hook ends
 * the task; before, we resume with no handler so that the fault recurs
 * and the kernel kills the thread (status -2).
 */
#include <stddef.h>
#include <stdint.h>
#include <syscall.h>
#include <thr_internals.h>

#define EXN_STACK_SIZE (2 * PAGE_SIZE)
#define BELOW_ESP_MAX  64	/* a push or call faults at most this far below %esp */

/* The handler runs only in the main thread, one fault at a time. */
static char exn_stack[EXN_STACK_SIZE] __attribute__((aligned(16)));
static uintptr_t stack_bottom;		/* [main thread] lowest stack address mapped */
static void (*fatal_hook)(ureg_t *);	/* [set once, by thr_init] */

static void handler(void *arg, ureg_t *u);

static int register_handler(ureg_t *resume)
{
	return swexn(exn_stack + EXN_STACK_SIZE, handler, NULL, resume);
}

static int is_stack_growth(const ureg_t *u)
{
	return u->cause == SWEXN_CAUSE_PAGEFAULT && u->cr2 < stack_bottom &&
	       u->cr2 + BELOW_ESP_MAX >= u->esp;
}

/* Map the pages from the one holding addr up to the stack bottom. */
static int grow_down_to(uintptr_t addr)
{
	uintptr_t low = addr & ~(uintptr_t)(PAGE_SIZE - 1);
	if (new_pages((void *)low, (int)(stack_bottom - low)) < 0)
		return -1;
	stack_bottom = low;
	return 0;
}

static void handler(void *arg, ureg_t *u)
{
	(void)arg;
	if (is_stack_growth(u) && grow_down_to(u->cr2 < u->esp ? u->cr2 : u->esp) == 0)
		register_handler(u);	/* resumes at the fault; returns only on error */
	if (fatal_hook)
		fatal_hook(u);
	swexn(NULL, NULL, NULL, u);
}

void install_autostack(void *stack_high, void *stack_low)
{
	(void)stack_high;
	stack_bottom = (uintptr_t)stack_low;
	register_handler(NULL);	/* if the kernel refuses, the stack just cannot grow */
}

void autostack_set_fatal(void (*fatal)(ureg_t *ureg))
{
	fatal_hook = fatal;
}
