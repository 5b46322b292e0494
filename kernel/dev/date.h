/*
 * date.h: calendar arithmetic for the real-time clock (dev/rtc.c). Pure
 * code: also built natively for unit tests (tests/unit/test_date.c).
 */
#ifndef DEV_DATE_H
#define DEV_DATE_H

#include <stdbool.h>
#include <stdint.h>

struct date {
	unsigned year;		/* 1970-2105 */
	unsigned month;		/* 1-12 */
	unsigned day;		/* 1-31 */
	unsigned hour, min, sec;	/* 0-23, 0-59, 0-59 */
};

/* Is d a real moment between 1970 and the end of 2105 (the last year
 * whose seconds fit in 32 bits unsigned)? */
bool date_valid(const struct date *d);
/* Seconds from 1970-01-01 00:00:00 to d (UTC, no leap seconds).
 * Precondition: date_valid(d). */
uint32_t date_to_epoch(const struct date *d);
/* A binary-coded decimal byte (0x59) as a number (59). */
unsigned date_from_bcd(uint8_t v);

#endif
