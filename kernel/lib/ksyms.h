/* ksyms.h: the embedded symbol table (tools/ksyms.py, kernel/kernel.mk). */
#ifndef LIB_KSYMS_H
#define LIB_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr and addr's offset in it, or NULL. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

#endif
