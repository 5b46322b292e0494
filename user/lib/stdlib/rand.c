/*
 * rand.c: pseudo-random numbers from a 64-bit linear congruential
 * generator (Knuth's MMIX constants); rand returns its top 31 bits, the
 * well-mixed ones, so the result lies in 0..RAND_MAX.
 */
#include <stdlib.h>

static unsigned long long state = 1;	/* [not thread-safe, as in C] */

void srand(unsigned new_seed)
{
	state = new_seed;
}

int rand(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(state >> 33);
}
