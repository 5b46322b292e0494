/*
 * panic.c: the end of a task that found a bug in itself (docs/abi/userlib.md
 * §6.3): the message goes to the console, which the kernel mirrors to
 * the debug log (so one print reaches both), then the whole task (every
 * thread) ends with status -1. It lives in libthread.a, as in the
 * customary Pebbles split of the libraries.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define PANIC_MSG_MAX 256

void panic(const char *fmt, ...)
{
	char msg[PANIC_MSG_MAX];
	va_list ap;
	int n = snprintf(msg, sizeof msg, "panic: ");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(msg);
	msg[n++] = '\n';
	print(n, msg);
	task_vanish(-1);
}
