/*
 * autostack_grow.c: the main thread's stack grows on demand
 * (docs/abi/image.md §5): a 64 KiB local array touched from its low end
 * first, then recursion with frames of more than 32 KiB.
 */
#include <syscall.h>
#include "testlib.h"

#define BIG (64 * 1024)
#define FRAME (33 * 1024)

static int big_array(void)
{
	volatile char buf[BIG];
	int sum = 0;
	for (int i = 0; i < BIG; i += 256)	/* lowest address first */
		buf[i] = (char)(i >> 8);
	for (int i = 0; i < BIG; i += 256)
		sum += buf[i];
	return sum;
}

static int recurse(int depth)
{
	volatile char frame[FRAME];
	frame[0] = (char)depth;
	frame[FRAME - 1] = (char)depth;
	int below = depth ? recurse(depth - 1) : 0;
	return below + frame[0] + frame[FRAME - 1];
}

int main(void)
{
	int want = 0;
	for (int i = 0; i < BIG; i += 256)
		want += (char)(i >> 8);
	CHECK(big_array() == want);
	CHECK(recurse(20) == 2 * (20 * 21 / 2));
	test_done();
}
