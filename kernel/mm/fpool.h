/*
 * fpool.h: the pool of user frames (physical memory at or above 16 MiB),
 * as pure logic; mm/frame.c adds the lock and the kernel interface.
 *
 * O(1) everything, and nothing touched at boot: frames never handed out
 * are taken from the ranges by a bump pointer; freed frames go on a free
 * list linked through the per-frame word meta[], which otherwise holds
 * the frame's reference count. (Frames in holes between ranges have
 * meta 0 and are never handed out.) Frames known to hold only zeros
 * (empty page tables) go on a second list, the clean one, so that the
 * next page table need not be zeroed again; other takers use it last.
 *
 * Two counters, two questions:
 *   used   frames handed out now (the physical question: is one free?)
 *   avail  frames not promised to anyone (the accounting question):
 *          regions reserve one frame per page when they are created
 *          (fpool_reserve), filled in or not, and give it back when
 *          they go. So a page fault never runs out of memory: the frame
 *          it needs was counted when its region was made.
 * reserved = total - used - avail: promised, not yet handed out.
 */
#ifndef MM_FPOOL_H
#define MM_FPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/prange.h"

#define FP_FREE	0x80000000u	/* meta: on the free list; low bits: next */
#define FP_NIL	0x7FFFFFFFu	/* end of the free list */

struct fpool {
	uint32_t base, n;	/* meta[] covers frames [base, base + n) */
	uint32_t *meta;		/* reference count, FP_FREE | next, or 0 */
	struct prset ranges;	/* the usable frames */
	int cur;		/* bump: range being handed out */
	uint32_t bump;		/* every frame below was handed out once */
	uint32_t free_head;	/* recycled frames */
	uint32_t clean_head;	/* recycled frames that hold only zeros */
	uint32_t total, used, avail;
};

/* Bytes of meta[] that fpool_init needs for these ranges. */
size_t fpool_meta_bytes(const struct prset *ranges);
void fpool_init(struct fpool *p, const struct prset *ranges, uint32_t *meta);
/* A frame with reference count 1, or 0 if none is free. */
uint32_t fpool_take(struct fpool *p);
/* A frame of zeros from the clean list (reference count 1), or 0 if
 * the list is empty. */
uint32_t fpool_take_clean(struct fpool *p);
void fpool_ref(struct fpool *p, uint32_t pfn);
/* Drop a reference; true if that freed the frame. */
bool fpool_put(struct fpool *p, uint32_t pfn);
/* Free a frame whose only reference this is and which holds only zeros
 * (the caller vouches for that): it goes on the clean list. */
void fpool_put_clean(struct fpool *p, uint32_t pfn);
uint32_t fpool_refs(const struct fpool *p, uint32_t pfn);
/* Promise n frames; false (nothing changed) if fewer are available. */
bool fpool_reserve(struct fpool *p, uint32_t n);
void fpool_unreserve(struct fpool *p, uint32_t n);
/* Count the free frames by walking the pool (for self-checks). */
uint32_t fpool_count_free(const struct fpool *p);

#endif
