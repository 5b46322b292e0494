/*
 * kprintf.c: formatted kernel output (see kprintf.h). Each call formats
 * into a local buffer first and writes it in one piece, so that lines from
 * different contexts do not interleave on the serial port.
 */
#include <stddef.h>
#include "lib/kprintf.h"
#include "lib/format.h"
#include "arch/x86/pit.h"
#include "upcall.h"	/* serial_write, console_write: the devices, above */

#define LINE_MAX 512

/* Lock tags (docs/sync.md): [b] boot. */
static int log_level = LOG_INFO;	/* [b] set from the command line */

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void vkprintf(const char *fmt, va_list ap)
{
	char buf[LINE_MAX];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	serial_write(buf, n < LINE_MAX ? (size_t)n : LINE_MAX - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

void cprintf(const char *fmt, ...)
{
	char buf[LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_write(buf, n < LINE_MAX ? (size_t)n : LINE_MAX - 1);
}

void klog(int level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	char buf[LINE_MAX];
	int n = snprintf(buf, sizeof buf, "[%7u] %s: ", pit_ticks(), level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	va_end(ap);
	if (n > LINE_MAX - 2)
		n = LINE_MAX - 2;
	buf[n++] = '\n';
	serial_write(buf, n);
}

void klog_set_level(int level)
{
	if (level >= LOG_ERR && level <= LOG_DEBUG)
		log_level = level;
}
