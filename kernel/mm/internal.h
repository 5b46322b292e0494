/*
 * internal.h: what the parts of mm/ share with mm.c and nobody else.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

/* Lock tags (docs/sync.md): [a] atomic. */
extern unsigned vm_count;	/* [a] address spaces (mm/vm.c) */
extern unsigned vm_tables;	/* [a] their page tables (mm/vm.c) */
extern unsigned page_faults;	/* [a] #PF exceptions since boot (mm/fault.c) */

/* Install the page-fault handler (mm/fault.c). */
void fault_init(void);

#endif
