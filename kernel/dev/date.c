/*
 * date.c: from a calendar date to seconds since 1970 (see date.h).
 */
#include "dev/date.h"

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return days[m - 1] + (m == 2 && leap(y));
}

bool date_valid(const struct date *d)
{
	return d->year >= 1970 && d->year <= 2105 && d->month >= 1 && d->month <= 12 &&
	       d->day >= 1 && d->day <= month_days(d->year, d->month) &&
	       d->hour < 24 && d->min < 60 && d->sec < 60;
}

uint32_t date_to_epoch(const struct date *d)
{
	uint32_t days = d->day - 1;
	for (unsigned y = 1970; y < d->year; y++)
		days += leap(y) ? 366 : 365;
	for (unsigned m = 1; m < d->month; m++)
		days += month_days(d->year, m);
	return ((days * 24 + d->hour) * 60 + d->min) * 60 + d->sec;
}

unsigned date_from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0xF);
}
