/*
 * divdi3.c: 64-bit division on a 32-bit machine: __divdi3, __moddi3,
 * __udivdi3, __umoddi3, __udivmoddi4, __divmoddi4. gcc turns `/` and `%`
 * on 64-bit operands into calls to these libgcc routines; we provide our
 * own rather than depend on a 32-bit libgcc that a fresh machine may
 * lack. Built into the kernel and, with the user flags, into libx86.a
 * (docs/abi/userlib.md §7.4). Shift-and-subtract: at most 64 steps, and
 * only used off hot paths.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	if (d == 0) {
		volatile int zero = 0;
		return 1 / zero;	/* divide error, as the CPU would */
	}
	if ((n >> 32) == 0 && (d >> 32) == 0) {	/* the common case */
		uint32_t a = (uint32_t)n, b = (uint32_t)d;
		if (rem)
			*rem = a % b;
		return a / b;
	}
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ULL << i;
		}
	}
	if (rem)
		*rem = r;
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

/* Signed: divide magnitudes; the quotient's sign is the XOR of the signs,
 * the remainder takes the dividend's (C's truncating division). */
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t ur;
	uint64_t uq = __udivmoddi4(un, ud, &ur);
	/* Negate as unsigned: -(int64_t)x overflows for x = 2^63. */
	if (rem)
		*rem = (int64_t)(n < 0 ? 0 - ur : ur);
	return (int64_t)((n < 0) != (d < 0) ? 0 - uq : uq);
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
