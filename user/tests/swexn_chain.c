/* swexn_chain.c: chains of re-registration pass the right argument every
 * time. One store faults nine times in a row: each time the handler
 * re-registers itself with the next argument (on the other of two
 * exception stacks) and retries; the ninth maps the page, and the store
 * completes. The last registration then serves the next fault. */
#include <stddef.h>
#include <syscall.h>
#include "testlib.h"

#define ADDR 0x40000010u
#define CHAIN 9

static char stack_a[4096] __attribute__((aligned(16)));
static char stack_b[4096] __attribute__((aligned(16)));

static unsigned seen_arg[CHAIN + 2];	/* argument of each delivery */
static ureg_t *seen_ureg[CHAIN + 2];	/* where each ureg_t was put */
static volatile int deliveries;

static char *stack_for(unsigned n)
{
	return n % 2 ? stack_a + sizeof stack_a : stack_b + sizeof stack_b;
}

static void handler(void *arg, ureg_t *u)
{
	unsigned n = (unsigned)arg;
	if (deliveries < CHAIN + 2)
		seen_arg[deliveries] = n, seen_ureg[deliveries] = u;
	deliveries++;
	if (n == CHAIN || n == CHAIN + 1)
		new_pages((void *)(u->cr2 & ~(PAGE_SIZE - 1)), PAGE_SIZE);
	swexn(stack_for(n + 1), handler, (void *)(n + 1), u);
}

int main(void)
{
	CHECK(swexn(stack_for(1), handler, (void *)1, NULL) == 0);
	*(volatile unsigned *)ADDR = 0xCAFE;
	CHECK(deliveries == CHAIN);
	CHECK(*(volatile unsigned *)ADDR == 0xCAFE);
	*(volatile unsigned *)(ADDR + PAGE_SIZE) = 0xBEEF;	/* argument 10 */
	CHECK(deliveries == CHAIN + 1);
	CHECK(*(volatile unsigned *)(ADDR + PAGE_SIZE) == 0xBEEF);
	for (int i = 0; i < CHAIN + 1; i++) {
		ureg_t *where = (ureg_t *)stack_for(i + 1) - 1;
		if (!CHECK(seen_arg[i] == (unsigned)i + 1 && seen_ureg[i] == where))
			tprintf("swexn_chain: delivery %d: arg %u ureg %p\n", i,
				seen_arg[i], (void *)seen_ureg[i]);
	}
	CHECK(swexn(NULL, NULL, NULL, NULL) == 0);
	CHECK(remove_pages((void *)(ADDR & ~(PAGE_SIZE - 1))) == 0);
	CHECK(remove_pages((void *)((ADDR + PAGE_SIZE) & ~(PAGE_SIZE - 1))) == 0);
	test_done();
}
