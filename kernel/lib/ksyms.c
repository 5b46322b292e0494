/*
 * ksyms.c: address -> function name, by binary search over the table the
 * build embeds (ascending addresses; see tools/ksyms.py).
 */
#include <stddef.h>
#include "lib/ksyms.h"

extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addrs[];
extern const uint32_t ksyms_names[];
extern const char ksyms_strs[];
extern const char __text_end[];

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	if (ksyms_count == 0 || addr < ksyms_addrs[0] || addr >= (uint32_t)__text_end)
		return NULL;
	uint32_t lo = 0, hi = ksyms_count;	/* answer in [lo, hi) */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addrs[lo];
	return ksyms_strs + ksyms_names[lo];
}
