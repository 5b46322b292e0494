/*
 * rtc.h: the time of day, from the CMOS real-time clock (dev/rtc.c).
 */
#ifndef DEV_RTC_H
#define DEV_RTC_H

#include <stdint.h>

/* Read the clock once (at boot). */
void rtc_init(void);
/* Seconds since 1970-01-01 00:00:00 UTC: the clock as read at boot,
 * advanced by the timer's ticks since. 0 plus the time since boot if the
 * clock could not be read. */
uint32_t rtc_now(void);

#endif
