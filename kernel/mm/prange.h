/*
 * prange.h: sets of physical page ranges, used once at boot to turn the
 * loader's memory map into the frames we may use (available RAM minus
 * reserved areas, the kernel image and the modules). Pure logic.
 */
#ifndef MM_PRANGE_H
#define MM_PRANGE_H

#include <stdbool.h>
#include <stdint.h>

#define PRSET_MAX 64

struct prange {
	uint32_t lo, hi;	/* page frame numbers [lo, hi) */
};

struct prset {
	struct prange r[PRSET_MAX];	/* sorted, disjoint, not adjacent */
	int n;
};

void prset_init(struct prset *s);
/* Union with [lo, hi); false (set unchanged) if the set is full. */
bool prset_add(struct prset *s, uint32_t lo, uint32_t hi);
/* Remove [lo, hi); false (set unchanged) if a split does not fit. */
bool prset_sub(struct prset *s, uint32_t lo, uint32_t hi);
/* Keep only what lies in [lo, hi). */
void prset_clip(struct prset *s, uint32_t lo, uint32_t hi);
/* Take n pages from the start of the first range that has them:
 * their first page, or 0 if no range is long enough. */
uint32_t prset_take(struct prset *s, uint32_t n);
uint32_t prset_pages(const struct prset *s);

#endif
