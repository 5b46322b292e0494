/*
 * mptable.h: the Intel MultiProcessor Specification's tables (version
 * 1.4, chapter 4), which describe the processors and the I/O APIC on
 * machines older than ACPI; boot/smp.c reads them when no MADT is found
 * or the command line says acpi=off (docs/smp.md).
 *
 * Pure parsing, like madt.h: a buffer and how many of its bytes may be
 * read, nothing else, so that tests/unit/test_mptable.c can feed it good
 * and damaged tables. What they say lands in the same struct madt_info
 * as the MADT's.
 */
#ifndef ARCH_X86_MPTABLE_H
#define ARCH_X86_MPTABLE_H

#include "arch/x86/madt.h"

#define MP_FLOAT_LEN	16	/* the floating pointer structure */
#define MP_HDR_LEN	44	/* the configuration table's header */

long mp_float_find(const uint8_t *area, size_t len);
const char *mp_float_parse(const uint8_t *p, size_t avail, uint32_t *config_phys);
uint32_t mp_config_len(const uint8_t *hdr);
const char *mp_config_parse(const uint8_t *p, size_t avail, struct madt_info *mi);

#endif
