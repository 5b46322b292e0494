/*
 * frame.h: user frames, the kernel side of the pool in mm/fpool.h.
 *
 * Accounting is by pages of regions, not by frames: every page of every
 * region holds one reservation from the moment its region is made until
 * it is unmapped, whether a frame backs it yet, it shares one (fork,
 * copy-on-write), or it reads the zero frame. Frames themselves are
 * handed out only for pages that hold a reservation, which is why
 * frame_alloc cannot fail. Reference counts say how many pages share a
 * frame; the zero frame is not counted (it is never freed).
 *
 * The page tables that map user space are user frames too, each holding
 * a reservation of the address space that needs it (mm/vm.c): a task pays
 * for its page tables as it pays for its pages.
 *
 * All addresses here are physical. Lock: frames_lock (a leaf spinlock,
 * inside vm locks and kmap sessions, mm/kmap.h).
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/prange.h"

/* Lock tags (docs/sync.md): [b] boot. */
extern uint32_t zero_frame;	/* [b] the frame of zeros behind untouched pages */

struct frame_counts {
	unsigned total;		/* user frames managed */
	unsigned used;		/* handed out (the zero frame included) */
	unsigned reserved;	/* promised to pages, not handed out yet */
	unsigned free;		/* neither: what a new region could still get */
};

/* Take over the user frames in ranges, with meta as the per-frame words
 * (fpool_meta_bytes(ranges) bytes of kernel memory); set up zero_frame.
 * Paging must be on (zeroing goes through mm/kmap.c). */
void frames_init(const struct prset *ranges, uint32_t *meta);
/* Promise n frames: 0, or -ENOMEM with nothing promised. */
int frames_reserve(unsigned n);
void frames_unreserve(unsigned n);
/* A frame (reference count 1) for a page that holds a reservation and no
 * frame of its own. Its contents are undefined. */
uint32_t frame_alloc(void);
/* The same, filled with zeros: a frame freed clean if there is one, else
 * one zeroed here. Caller must not be in a kmap session. */
uint32_t frame_alloc_zeroed(void);
void frame_ref(uint32_t pa);
/* Drop a reference; the frame is freed with the last one. */
void frame_put(uint32_t pa);
/* Free pa, whose only reference this is and which holds only zeros (an
 * empty page table), to be handed out again by frame_alloc_zeroed. The
 * reservation it held stays with the caller (frames_unreserve). */
void frame_free_table(uint32_t pa);
/* Give a page that shares pa a frame of its own: pa itself if no one
 * else refers to it any more, else a copy (and pa loses a reference).
 * Caller is in a kmap session (the copy goes through its KM_DST and
 * KM_SRC slots). */
uint32_t frame_cow(uint32_t pa);
unsigned frame_refs(uint32_t pa);
void frames_counts(struct frame_counts *out);
/* Walk the pool: do the free frames found match the counters? */
bool frames_check(void);

#endif
