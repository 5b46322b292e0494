/*
 * internal.h: what the parts of mm/ share with mm.c and nobody else.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

extern unsigned vm_count;	/* [atomic] address spaces (mm/vm.c) */
extern unsigned vm_tables;	/* [atomic] their page tables (mm/vm.c) */
extern unsigned page_faults;	/* [atomic] #PF exceptions since boot (mm/fault.c) */

/* Install the page-fault handler (mm/fault.c). */
void fault_init(void);

#endif
