/*
 * sprintf.c: formatting into memory that the caller trusts to be large
 * enough. snprintf and vsnprintf, which are bounded, are the kernel's too
 * (lib/snprintf.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

int vsprintf(char *dest, const char *format, va_list vl)
{
	return vsnprintf(dest, (size_t)-1, format, vl);
}

int sprintf(char *dest, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(dest, (size_t)-1, format, ap);
	va_end(ap);
	return n;
}
