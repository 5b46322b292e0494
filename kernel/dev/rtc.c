/*
 * rtc.c: the CMOS real-time clock (MC146818 and its descendants), read
 * once at boot; from then on the timer's ticks advance it (docs/storage.md,
 * "The clock"). The clock counts local time by convention on some PCs;
 * QEMU's counts UTC, and so does Fable.
 */
#include "dev/rtc.h"
#include "dev/date.h"
#include "arch/x86/pit.h"
#include "arch/x86/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

#define REG_SEC    0x00
#define REG_MIN    0x02
#define REG_HOUR   0x04
#define REG_DAY    0x07
#define REG_MONTH  0x08
#define REG_YEAR   0x09
#define REG_A      0x0A
#define REG_B      0x0B
#define A_UPDATING 0x80		/* the clock is changing its registers now */
#define B_24H      0x02
#define B_BINARY   0x04		/* numbers in binary, not BCD */
#define HOUR_PM    0x80		/* 12-hour mode */

/* An update takes under 2 ms; each read is about a microsecond. */
#define UPDATE_READS 100000

/* Lock tags (docs/sync.md): [b] boot. */
static uint32_t boot_epoch;	/* [b] seconds since 1970 at boot_tick */
static uint32_t boot_tick;	/* [b] */

/* Boot only, one CPU: the index/data pair needs no lock. */
static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

/* The raw registers, read between two updates. */
struct raw {
	uint8_t sec, min, hour, day, month, year;
};

static bool read_raw(struct raw *r)
{
	for (int i = 0; cmos(REG_A) & A_UPDATING; i++)
		if (i == UPDATE_READS)
			return false;
	*r = (struct raw){ cmos(REG_SEC), cmos(REG_MIN), cmos(REG_HOUR),
			   cmos(REG_DAY), cmos(REG_MONTH), cmos(REG_YEAR) };
	return true;
}

static unsigned field(uint8_t v, bool bcd)
{
	return bcd ? date_from_bcd(v) : v;
}

/* Decode per status register B: BCD or binary, 12- or 24-hour. The
 * clock has two digits of year: 70-99 are 19xx, the rest 20xx. */
static struct date decode(const struct raw *r, uint8_t b)
{
	bool bcd = !(b & B_BINARY), pm = !(b & B_24H) && (r->hour & HOUR_PM);
	struct date d = {
		field(r->year, bcd), field(r->month, bcd), field(r->day, bcd),
		field(r->hour & ~HOUR_PM, bcd), field(r->min, bcd), field(r->sec, bcd),
	};
	if (!(b & B_24H))
		d.hour = d.hour % 12 + (pm ? 12 : 0);
	d.year += d.year < 70 ? 2000 : 1900;
	return d;
}

/* Read until two reads agree: an update may fall between the registers. */
void rtc_init(void)
{
	struct raw a, b;
	boot_tick = pit_ticks();
	bool ok = read_raw(&a);
	for (int tries = 0; ok && tries < 5; tries++) {
		ok = read_raw(&b);
		if (ok && memcmp(&a, &b, sizeof a) == 0)
			break;
		a = b;
	}
	struct date d = decode(&a, cmos(REG_B));
	if (!ok || !date_valid(&d)) {
		klog(LOG_WARN, "rtc: the clock cannot be read; time starts at 1970");
		return;
	}
	boot_epoch = date_to_epoch(&d);
	klog(LOG_INFO, "rtc: %04u-%02u-%02u %02u:%02u:%02u UTC (%u)", d.year, d.month, d.day,
	     d.hour, d.min, d.sec, boot_epoch);
}

uint32_t rtc_now(void)
{
	return boot_epoch + (pit_ticks() - boot_tick) / TICK_HZ;
}
