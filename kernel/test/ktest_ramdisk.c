/*
 * ktest_ramdisk.c: the RAM disk's table, its listing and its bounds.
 */
#include "debug/ktest.h"
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/layout.h"

/* The listing holds every other name once, in table (byte) order, each
 * with its NUL, then one more NUL; it is read here in pieces, through
 * ramdisk_read, as readfile would. */
KTEST(ramdisk_listing)
{
	const struct rd_file *dot = ramdisk_find(".");
	char name[257];
	uint32_t pos = 0;
	KCHECK(dot != NULL);
	for (uint32_t i = 0; dot && i < ramdisk_nfiles; i++) {
		const char *want = ramdisk_files[i].name;
		int len = strlen(want);
		KCHECK(len >= 1 && len <= 255 && !strchr(want, '/'));
		KCHECK(i == 0 || strcmp(ramdisk_files[i - 1].name, want) < 0);
		if (strcmp(want, ".") == 0)
			continue;
		KCHECK(ramdisk_read(".", pos, len + 1, name) == len + 1);
		KCHECK(memcmp(name, want, len + 1) == 0);
		pos += len + 1;
	}
	KCHECK(dot && ramdisk_read(".", pos, 2, name) == 1 && name[0] == 0);
	KCHECK(dot && pos + 1 == dot->size);
}

/* The programs the kernel needs are there, as ELF files. */
KTEST(ramdisk_boot_programs)
{
	static const char *const need[] = { "init", "idle", "shell" };
	for (unsigned i = 0; i < sizeof need / sizeof need[0]; i++) {
		const struct rd_file *f = ramdisk_find(need[i]);
		KCHECK(f != NULL);
		char magic[4];
		KCHECK(f && f->size > 52);
		if (f)
			ramdisk_copy(f, 0, 4, magic);
		KCHECK(f && memcmp(magic, "\177ELF", 4) == 0);
	}
	KCHECK(ramdisk_find("no such file") == NULL);
	KCHECK(ramdisk_find("") == NULL);
}

KTEST(ramdisk_read_bounds)
{
	const struct rd_file *f = ramdisk_find("init");
	char buf[16], tail[3];
	KCHECK(f != NULL);
	if (!f)
		return;
	KCHECK(ramdisk_read("no such file", 0, 4, buf) == -ENOENT);
	KCHECK(ramdisk_read("init", 0, -1, buf) == -EINVAL);
	KCHECK(ramdisk_read("init", -1, 4, buf) == -EINVAL);
	KCHECK(ramdisk_read("init", f->size + 1, 4, buf) == -EINVAL);
	KCHECK(ramdisk_read("init", f->size, 4, buf) == 0);
	KCHECK(ramdisk_read("init", f->size - 3, 16, buf) == 3);
	ramdisk_copy(f, f->size - 3, 3, tail);
	KCHECK(memcmp(buf, tail, 3) == 0);
	KCHECK(ramdisk_read("init", 1, 0, buf) == 0);
	KCHECK(ramdisk_read("init", 0, 4, buf) == 4 && memcmp(buf, "\177ELF", 4) == 0);
}

/* The bytes lie above the kernel's 16 MiB, inside the frames mm_init
 * reserves, and a read across a page boundary joins the two pages. */
KTEST(ramdisk_above_kernel)
{
	uint32_t lo = (uintptr_t)__ramdisk_start, hi = (uintptr_t)__ramdisk_end;
	KCHECK(lo >= USER_MEM_START && !(lo & PAGE_MASK) && !(hi & PAGE_MASK));
	for (uint32_t i = 0; i < ramdisk_nfiles; i++) {
		const struct rd_file *f = &ramdisk_files[i];
		KCHECK(f->pa >= lo && f->pa + f->size <= hi);
	}
	const struct rd_file *f = ramdisk_find("shell");
	KCHECK(f != NULL && f->size > PAGE_SIZE + 8);
	if (!f || f->size <= PAGE_SIZE + 8)
		return;
	uint32_t edge = PAGE_SIZE - (f->pa & PAGE_MASK);	/* offset of a page start */
	char whole[16], a[8], b[8];
	KCHECK(ramdisk_read("shell", edge - 8, 16, whole) == 16);
	ramdisk_copy(f, edge - 8, 8, a);
	ramdisk_copy(f, edge, 8, b);
	KCHECK(memcmp(whole, a, 8) == 0 && memcmp(whole + 8, b, 8) == 0);
}
