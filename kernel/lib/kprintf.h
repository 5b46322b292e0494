/*
 * kprintf.h: kernel output.
 *
 *   kprintf      the debug log (serial port) only
 *   cprintf      the console (VGA), mirrored to the serial port
 *   klog         a log line "[ticks] level: message" on the debug log,
 *                dropped when below the log level (cmdline loglevel=N)
 */
#ifndef LIB_KPRINTF_H
#define LIB_KPRINTF_H

#include <stdarg.h>

enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vkprintf(const char *fmt, va_list ap);
void cprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void klog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void klog_set_level(int level);

#endif
