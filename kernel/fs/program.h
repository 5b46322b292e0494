/*
 * program.h: files exec and readfile find outside the RAM disk
 * (docs/abi/fable.md §6.5). The RAM disk is asked first, by the callers
 * (syscall/); then a name with a '/' is a path, walked from the current
 * directory, and a name without one is looked for in /bin.
 */
#ifndef FS_PROGRAM_H
#define FS_PROGRAM_H

#include <stdint.h>
#include "fs/vfs.h"

#define PROGRAM_MAX (4u << 20)	/* exec reads a program whole into kernel memory */

/* Reads program name whole into a kmalloc'd buffer (*data, the
 * caller's to kfree) of *size bytes: 0, -ENOENT, -EISDIR (not a file),
 * -E2BIG (above PROGRAM_MAX), -ENOMEM or -EIO. If digest is not NULL, it
 * gets the SHA-256 of those bytes (32 of them), computed once per file
 * and again only after a write or truncate (docs/secure-boot.md). */
int program_read(const char *name, uint8_t **data, uint32_t *size, uint8_t *digest);
/* readfile of name outside the RAM disk: up to u->len bytes from off.
 * The count, or -ENOENT, -EISDIR, -EINVAL (off past the end), -EFAULT. */
int program_pread(const char *name, uint32_t off, struct uio *u);

#endif
