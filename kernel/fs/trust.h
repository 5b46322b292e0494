/*
 * trust.h: which programs exec may run when the kernel is booted with
 * secure=1 (docs/secure-boot.md). GRUB verified the manifest's signature
 * before it handed the manifest over as a Multiboot module; the kernel
 * keeps the SHA-256 digests it lists and refuses to exec any program whose
 * digest is not among them.
 */
#ifndef FS_TRUST_H
#define FS_TRUST_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/sha256.h"
#include "mm/mm.h"

struct rd_file;

/* Boot: with secure=1 (enforce), read the manifest, the first module of
 * map. No module, or one that is not a manifest, trusts no program: the
 * check fails closed. Call once, after mm_init. */
void trust_init(const struct mem_map *map, bool enforce);
/* Was the kernel booted with secure=1? */
bool trust_enforced(void);
/* trust_check of RAM-disk file f, called name: its SHA-256 is hashed
 * once and then remembered (the RAM disk never changes). */
int trust_ramdisk(const char *name, const struct rd_file *f);
/* 0 if the manifest lists digest, else -EUNTRUSTED and a console line
 * naming the program name. */
int trust_check(const char *name, const uint8_t digest[SHA256_BYTES]);

#endif
