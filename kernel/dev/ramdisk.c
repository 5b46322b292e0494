/*
 * ramdisk.c: finding and reading RAM-disk files (see ramdisk.h). The
 * table is sorted by name in byte order, so a lookup halves it each step.
 *
 * The bytes are above 16 MiB, where the kernel has no mapping of its own:
 * each page is read through this CPU's KM_SRC slot, one KMAP session per
 * page, so interrupts are off for at most one page's copy.
 */
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmap.h"
#include "mm/vm.h"

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

void ramdisk_copy(const struct rd_file *f, uint32_t off, uint32_t len, void *kbuf)
{
	uint8_t *dst = kbuf;
	uint32_t pa = f->pa + off;
	while (len) {
		uint32_t in = pa & PAGE_MASK, n = PAGE_SIZE - in < len ? PAGE_SIZE - in : len;
		uint32_t flags = kmap_begin();
		memcpy(dst, (const uint8_t *)kmap(KM_SRC, pa - in) + in, n);
		kmap_end(flags);
		dst += n;
		pa += n;
		len -= n;
	}
}

const void *ramdisk_map(const struct rd_file *f, uint32_t off, uint32_t len)
{
	uint32_t pa = f->pa + off, in = pa & PAGE_MASK;
	if (len > PAGE_SIZE - in)
		return NULL;
	return (const uint8_t *)kmap(KM_SRC, pa - in) + in;
}

int ramdisk_to_vm(const struct rd_file *f, uint32_t off, uint32_t len, struct vm *vm,
		  uintptr_t va)
{
	return vm_write_phys(vm, va, f->pa + off, len);
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
	ramdisk_copy(f, offset, n, kbuf);
	return n;
}
