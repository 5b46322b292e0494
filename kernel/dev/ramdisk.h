/*
 * ramdisk.h: the read-only RAM disk built into the kernel image
 * (docs/abi/ramdisk.md §1). tools/mkramdisk.py makes its table at build time
 * (user/user.mk); the table includes the directory listing, the file ".".
 *
 * The table (names, sizes) is kernel memory; the files' bytes are not:
 * they lie at 16 MiB and up (kernel/kernel.ld), in frames mm_init never
 * hands out, and are read only through the functions below, which map
 * them a page at a time with KMAP (docs/memory.md, "The RAM disk").
 */
#ifndef DEV_RAMDISK_H
#define DEV_RAMDISK_H

#include <stdint.h>

struct vm;

struct rd_file {
	const char *name;	/* 1-255 bytes and a NUL; no '/' */
	uint32_t pa;		/* physical address of the bytes, >= 16 MiB */
	uint32_t size;
};

/* The table, made by tools/mkramdisk.py: ramdisk_nfiles entries sorted
 * by name in byte order (ramdisk.c searches it; the KTESTs check it). */
extern const struct rd_file ramdisk_files[];
extern const uint32_t ramdisk_nfiles;

/* The physical pages of the files' bytes, [start, end): page-aligned
 * (kernel/kernel.ld); mm_init reserves them. */
extern char __ramdisk_start[], __ramdisk_end[];

/* The stack buffer through which readers that copy to user memory pass
 * the bytes (a user copy may fault and sleep; a KMAP session may not). */
#define RAMDISK_BOUNCE 512

/* The file called name, or NULL if there is none. */
const struct rd_file *ramdisk_find(const char *name);

/*
 * Copy len bytes of f, from byte off on, into kbuf (kernel memory).
 * Precondition: off + len <= f->size (callers clip to the size first).
 */
void ramdisk_copy(const struct rd_file *f, uint32_t off, uint32_t len, void *kbuf);

/*
 * Bytes [off, off + len) of f, read in place through this CPU's KM_SRC
 * slot: valid until the caller's kmap session ends or it uses KM_SRC
 * again. NULL if they do not lie within one page (use ramdisk_copy).
 * Preconditions: the caller holds a kmap session; off + len <= f->size.
 */
const void *ramdisk_map(const struct rd_file *f, uint32_t off, uint32_t len);

/*
 * Copy len bytes of f, from byte off on, to va in vm (vm_write's rules:
 * the pages must be mapped in vm). Precondition: off + len <= f->size.
 * Returns 0 or vm_write's error.
 */
int ramdisk_to_vm(const struct rd_file *f, uint32_t off, uint32_t len, struct vm *vm,
		  uintptr_t va);

/*
 * Copy up to count bytes of file name, from byte offset on, into kbuf
 * (kernel memory). Returns the number copied, min(count, size - offset);
 * -ENOENT if there is no such file; -EINVAL if count < 0, offset < 0 or
 * offset > size.
 */
int ramdisk_read(const char *name, int offset, int count, void *kbuf);

#endif
