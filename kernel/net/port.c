/*
 * port.c: what lwIP needs of its platform besides headers (docs/network.md,
 * "The lwIP port"): the time, random numbers, messages, atoi.
 */
#include <stdarg.h>
#include "lwip/sys.h"
#include "arch/x86/pit.h"
#include "lib/kprintf.h"

/* Milliseconds since boot, for lwIP's timeouts (wraps after 49 days,
 * which lwIP's arithmetic allows). */
u32_t sys_now(void)
{
	return pit_ticks() * (1000 / TICK_HZ);
}

/* Lock tags (docs/sync.md): [o] owner, the network thread, lwIP's only
 * caller. xorshift32. Not secret:
 * DHCP's transaction ids and TCP's first ports need only differ. */
static uint32_t seed;	/* [o] */

unsigned int net_rand(void)
{
	if (seed == 0)
		seed = 0x9E3779B9u ^ pit_ticks();
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

void net_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

int atoi(const char *s)
{
	int n = 0;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}
