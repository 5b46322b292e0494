/*
 * ktest_serial.c: lines written to the serial line at once from two
 * CPUs stay whole (docs/smp.md). A kernel thread writes long lines by
 * the queued path, several chunks each, while this thread writes a short
 * one each tick polled, with interrupts off, as a kernel message from a
 * CPU that cannot sleep is written. The case serial_lines_smp
 * (tests/cases_smp.py) boots it at two CPUs and reads every line.
 */
#include "debug/ktest.h"
#include "dev/serial.h"
#include "arch/x86/x86.h"
#include "proc/proc.h"
#include "proc/sched.h"

#define LONG_LINES 200
#define LONG_LEN 200	/* bytes after the tag: more than three chunks */
#define SHORT_LEN 20

static volatile bool long_done;

/* "TAGnnn " then len copies of fill and a newline, into buf; its length. */
static int make_line(char *buf, const char *tag, int n, char fill, int len)
{
	int i = 0;
	while (*tag)
		buf[i++] = *tag++;
	buf[i++] = (char)('0' + n / 100 % 10);
	buf[i++] = (char)('0' + n / 10 % 10);
	buf[i++] = (char)('0' + n % 10);
	buf[i++] = ' ';
	for (int k = 0; k < len; k++)
		buf[i++] = fill;
	buf[i++] = '\n';
	return i;
}

static void long_writer(void)
{
	char line[LONG_LEN + 16];
	for (int n = 0; n < LONG_LINES; n++)
		serial_write(line, (size_t)make_line(line, "SLQ", n, 'q', LONG_LEN));
	long_done = true;
	proc_kthread_exit();
}

KTEST(serial_lines_whole)
{
	char line[SHORT_LEN + 16];
	KCHECK(proc_kthread(long_writer) >= 0);
	for (int n = 0; !long_done; n = (n + 1) % 1000) {
		int len = make_line(line, "SLP", n, 'p', SHORT_LEN);
		/* Interrupts off: the polled path, a message that cannot sleep. */
		uint32_t f = read_eflags();
		cli();
		serial_write(line, (size_t)len);
		if (f & EFLAGS_IF)
			sti();
		sched_sleep(1);
	}
}
