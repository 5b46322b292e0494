/*
 * ktest_rtc.c: the time of day (dev/rtc.c). The check in
 * tests/cases_disk.py compares the printed time with the host's clock.
 */
#include "debug/ktest.h"
#include "dev/rtc.h"
#include "lib/kprintf.h"
#include "proc/sched.h"

/* The clock is after the day this test was written, and the ticks move
 * it: 150 ticks are one or two seconds. */
KTEST(rtc_clock)
{
	uint32_t t0 = rtc_now();
	kprintf("RTC %u\n", t0);
	KCHECK(t0 > 1796000000u);
	sched_sleep(150);
	uint32_t t1 = rtc_now();
	KCHECK(t1 - t0 >= 1 && t1 - t0 <= 2);
}
