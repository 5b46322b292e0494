/*
 * ramdisk.h: the read-only RAM disk built into the kernel image
 * (docs/abi/ramdisk.md §1). tools/mkramdisk.py makes its table at build time
 * (user/user.mk); the table includes the directory listing, the file ".".
 */
#ifndef DEV_RAMDISK_H
#define DEV_RAMDISK_H

#include <stdint.h>

struct rd_file {
	const char *name;	/* 1-255 bytes and a NUL; no '/' */
	const uint8_t *data;
	uint32_t size;
};

/* The table, made by tools/mkramdisk.py: ramdisk_nfiles entries sorted
 * by name in byte order (ramdisk.c searches it; the KTESTs check it). */
extern const struct rd_file ramdisk_files[];
extern const uint32_t ramdisk_nfiles;

/* The file called name, or NULL if there is none. */
const struct rd_file *ramdisk_find(const char *name);

/*
 * Copy up to count bytes of file name, from byte offset on, into kbuf
 * (kernel memory). Returns the number copied, min(count, size - offset);
 * -ENOENT if there is no such file; -EINVAL if count < 0, offset < 0 or
 * offset > size.
 */
int ramdisk_read(const char *name, int offset, int count, void *kbuf);

#endif
