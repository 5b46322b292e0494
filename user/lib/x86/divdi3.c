/*
 * divdi3.c: 64-bit division for 32-bit code. gcc turns `/` and `%` on
 * 64-bit operands into calls to these libgcc routines; we provide them
 * (pebbles-abi.md 11.7) instead of depending on a 32-bit libgcc.
 *
 * Operands that fit in 32 bits use the CPU's divide. Otherwise the
 * divisor is shifted up under the dividend's top bit and subtracted back
 * down: one step per bit of difference in length, at most 64.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

static int bit_length(uint64_t v)
{
	int n = 0;
	for (; v >> 32; v >>= 32)
		n += 32;
	for (; v; v >>= 1)
		n++;
	return n;
}

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;
	if ((n >> 32) == 0 && (d >> 32) == 0 && d) {
		uint32_t a = (uint32_t)n, b = (uint32_t)d;
		q = a / b;
		n = a % b;
	} else if (d == 0) {
		volatile uint32_t zero = 0;
		q = 1 / zero;	/* divide error, as the CPU's own division */
	} else if (n >= d) {
		int shift = bit_length(n) - bit_length(d);
		for (d <<= shift; shift >= 0; shift--, d >>= 1) {
			q <<= 1;
			if (n >= d) {
				n -= d;
				q |= 1;
			}
		}
	}
	if (rem)
		*rem = n;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;
	__udivmoddi4(n, d, &r);
	return r;
}

/* C truncates toward zero: the quotient is negative when the signs
 * differ, and the remainder takes the dividend's sign. */
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem)
{
	uint64_t un = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	uint64_t ur, uq = __udivmoddi4(un, ud, &ur);
	if (rem)
		*rem = n < 0 ? (int64_t)(0 - ur) : (int64_t)ur;
	return (n < 0) != (d < 0) ? (int64_t)(0 - uq) : (int64_t)uq;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	return __divmoddi4(n, d, 0);
}

int64_t __moddi3(int64_t n, int64_t d)
{
	int64_t r;
	__divmoddi4(n, d, &r);
	return r;
}
