/*
 * ramdisk.c: finding and reading RAM-disk files (see ramdisk.h). The
 * table is sorted by name in byte order, so a lookup halves it each step.
 */
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "lib/string.h"

const struct rd_file *ramdisk_find(const char *name)
{
	uint32_t lo = 0, hi = ramdisk_nfiles;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, ramdisk_files[mid].name);
		if (c == 0)
			return &ramdisk_files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int ramdisk_read(const char *name, int offset, int count, void *kbuf)
{
	const struct rd_file *f = ramdisk_find(name);
	if (!f)
		return -ENOENT;
	if (count < 0 || offset < 0 || (uint32_t)offset > f->size)
		return -EINVAL;
	uint32_t n = f->size - offset;
	if (n > (uint32_t)count)
		n = count;
	memcpy(kbuf, f->data + offset, n);
	return n;
}
