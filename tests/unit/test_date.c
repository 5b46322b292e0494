/*
 * test_date.c: the real-time clock's calendar (kernel/dev/date.c): known
 * moments against their Unix times, leap years (2000 is one, 2100 is
 * not), the limits of 32 bits, and dates that do not exist.
 */
#include <stdio.h>
#include "kernel/dev/date.c"

static int failures;

#define CHECK(e) do { if (!(e)) { failures++; \
	printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e); } } while (0)

static uint32_t at(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
	struct date t = { y, mo, d, h, mi, s };
	CHECK(date_valid(&t));
	return date_to_epoch(&t);
}

static bool valid(unsigned y, unsigned mo, unsigned d)
{
	struct date t = { y, mo, d, 0, 0, 0 };
	return date_valid(&t);
}

int main(void)
{
	CHECK(at(1970, 1, 1, 0, 0, 0) == 0);
	CHECK(at(2000, 2, 29, 12, 0, 0) == 951825600u);
	CHECK(at(2000, 3, 1, 0, 0, 0) == 951868800u);
	CHECK(at(2026, 12, 6, 13, 41, 37) == 1796564497u);
	CHECK(at(2038, 1, 19, 3, 14, 8) == 0x80000000u);
	CHECK(at(2100, 3, 1, 0, 0, 0) == 4107542400u);
	CHECK(at(2105, 12, 31, 23, 59, 59) == 4291747199u);
	CHECK(valid(2000, 2, 29) && !valid(2100, 2, 29) && !valid(2023, 2, 29));
	CHECK(!valid(1969, 12, 31) && !valid(2106, 1, 1) && !valid(2020, 13, 1));
	CHECK(!valid(2020, 0, 1) && !valid(2020, 4, 31) && !valid(2020, 1, 0));
	CHECK(date_from_bcd(0x59) == 59 && date_from_bcd(0x00) == 0 && date_from_bcd(0x12) == 12);
	if (failures)
		printf("test_date: %d checks failed\n", failures);
	return failures != 0;
}
