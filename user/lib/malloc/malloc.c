/*
 * malloc.c: the unlocked allocator, _malloc & co. (docs/abi/userlib.md §6.1).
 * Pure code: pages come from heap.h. Callers serialise: the thread-safe
 * malloc & co. (libthread.a) hold a mutex; _malloc is for programs with
 * one thread. So every field below is "[caller]": protected by the caller.
 *
 * Blocks carry a one-word header: size | USED | PREV_USED. A free block
 * also holds its links in a free list and a copy of its size in its last
 * word, so that the block after it can find its start; PREV_USED says
 * whether that footer exists. Freeing merges a block with free neighbours
 * at once, so no two free blocks are ever adjacent.
 *
 * Free blocks sit in one list per size class, class k holding sizes in
 * [2^k, 2^(k+1)). A request takes the first block that fits in its own
 * class, else the first block of any larger class, and gives back the
 * tail it does not need.
 *
 * The heap is a run of segments. Each grows upward one page at a time;
 * a page that cannot be mapped (taken by another new_pages region) is
 * skipped, and the next segment starts after it. A segment starts with
 * ALIGN - HDR bytes of padding (so payloads are ALIGN-aligned) and ends
 * with an epilogue: a header of size 0 marked used, so that merging stops
 * there. When the next page follows the segment, the epilogue becomes the
 * header of the new space.
 */
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "heap.h"

#define HDR         sizeof(size_t)	/* header (and footer) bytes */
#define ALIGN       8			/* payload alignment */
#define USED        ((size_t)1)
#define PREV_USED   ((size_t)2)
#define SIZE_MASK   (~(size_t)(ALIGN - 1))
#define NCLASSES    (8 * (int)sizeof(size_t))
#define MISS_MAX    64			/* unmappable pages in a row before giving up */
#define REQUEST_MAX ((size_t)-1 / 4)	/* larger requests fail at once */

/* A block; only a free one has the links (a used one has payload there). */
struct block {
	size_t head;			/* [caller] size | USED | PREV_USED */
	struct block *next;		/* [caller] free list of its class */
	struct block *prev;		/* [caller] */
};

#define MIN_BLOCK (((sizeof(struct block) + HDR) + ALIGN - 1) & SIZE_MASK)

static struct {
	uintptr_t base;			/* [caller] first heap address; 0 until first use */
	uintptr_t top;			/* [caller] end of the probed range */
	size_t *epilogue;		/* [caller] end marker of the last segment */
	struct block *free[NCLASSES];	/* [caller] free lists, by size class */
} heap;

static size_t size_of(const struct block *b)
{
	return b->head & SIZE_MASK;
}

static struct block *after(struct block *b)
{
	return (struct block *)((char *)b + size_of(b));
}

static size_t *footer(struct block *b)
{
	return (size_t *)((char *)b + size_of(b) - HDR);
}

static int class_of(size_t size)
{
	int k = 0;
	while (size >>= 1)
		k++;
	return k;
}

static void list_insert(struct block *b)
{
	struct block **head = &heap.free[class_of(size_of(b))];
	b->prev = NULL;
	b->next = *head;
	if (*head)
		(*head)->prev = b;
	*head = b;
}

/* Take b off its free list; b's size must not have changed since. */
static void list_remove(struct block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		heap.free[class_of(size_of(b))] = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/*
 * Make b (size and PREV_USED set, USED clear) free: merge it with free
 * neighbours, write the footer, tell the next block, and list the result.
 */
static struct block *release(struct block *b)
{
	struct block *next = after(b);
	if (!(next->head & USED)) {
		list_remove(next);
		b->head += size_of(next);
	}
	if (!(b->head & PREV_USED)) {
		size_t prev_size = *(size_t *)((char *)b - HDR);
		struct block *prev = (struct block *)((char *)b - prev_size);
		list_remove(prev);
		prev->head += size_of(b);
		b = prev;
	}
	*footer(b) = size_of(b);
	after(b)->head &= ~PREV_USED;
	list_insert(b);
	return b;
}

/* Give the tail of used block b beyond need bytes back, if it is big
 * enough to be a block. */
static void trim(struct block *b, size_t need)
{
	size_t rest = size_of(b) - need;
	if (rest < MIN_BLOCK)
		return;
	struct block *tail = (struct block *)((char *)b + need);
	b->head = need | (b->head & (USED | PREV_USED));
	tail->head = rest | PREV_USED;
	release(tail);
}

/* Allocate from free block b (at least need bytes); returns the payload. */
static void *take(struct block *b, size_t need)
{
	list_remove(b);
	b->head |= USED;
	after(b)->head |= PREV_USED;
	trim(b, need);
	return (char *)b + HDR;
}

static struct block *find(size_t need)
{
	for (int k = class_of(need); k < NCLASSES; k++)
		for (struct block *b = heap.free[k]; b; b = b->next)
			if (size_of(b) >= need)
				return b;
	return NULL;
}

/* The page at p is newly mapped: add it to the last segment if it
 * follows it, else start a segment. Returns the free block holding it. */
static struct block *add_page(char *p)
{
	struct block *b;
	if (heap.epilogue && (char *)heap.epilogue + HDR == p) {
		b = (struct block *)heap.epilogue;
		b->head = HEAP_PAGE | (b->head & PREV_USED);
	} else {
		b = (struct block *)(p + ALIGN - HDR);
		b->head = (HEAP_PAGE - ALIGN) | PREV_USED;
	}
	heap.epilogue = (size_t *)(p + HEAP_PAGE - HDR);
	*heap.epilogue = USED;
	return release(b);
}

/*
 * Map pages at the top of the heap until the free block ending there has
 * need bytes. Pages that cannot be mapped are skipped, but only for good
 * once a page after them could be: a failed attempt leaves top alone.
 */
static struct block *grow(size_t need)
{
	uintptr_t probe = heap.top;
	for (int misses = 0; misses < MISS_MAX; probe += HEAP_PAGE) {
		if (probe > UINTPTR_MAX - HEAP_PAGE)
			return NULL;	/* the end of the address space */
		if (heap_map_page((char *)probe) < 0) {
			misses++;
			continue;
		}
		misses = 0;
		heap.top = probe + HEAP_PAGE;
		struct block *b = add_page((char *)probe);
		if (size_of(b) >= need)
			return b;
	}
	return NULL;
}

/* The block size that holds n bytes of payload. */
static size_t block_size(size_t n)
{
	size_t size = (n + HDR + ALIGN - 1) & SIZE_MASK;
	return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* b's header if p is a live block's payload; ends the task otherwise. */
static struct block *checked(void *p, const char *op)
{
	uintptr_t a = (uintptr_t)p;
	struct block *b = (struct block *)(a - HDR);
	if ((a & (ALIGN - 1)) || a < heap.base + HDR || a >= heap.top || !(b->head & USED))
		heap_corrupt(op, p);
	if (size_of(b) < MIN_BLOCK || size_of(b) > heap.top - a ||
	    !(after(b)->head & PREV_USED))
		heap_corrupt(op, p);
	return b;
}

void *_malloc(size_t size)
{
	if (size > REQUEST_MAX)
		return NULL;
	if (!heap.base)
		heap.base = heap.top = (uintptr_t)heap_base();
	size_t need = block_size(size);
	struct block *b = find(need);
	if (!b)
		b = grow(need);
	return b ? take(b, need) : NULL;
}

void _free(void *buf)
{
	if (!buf)
		return;
	struct block *b = checked(buf, "free");
	b->head &= ~USED;
	release(b);
}

void *_calloc(size_t nelt, size_t eltsize)
{
	if (eltsize && nelt > REQUEST_MAX / eltsize)
		return NULL;
	void *p = _malloc(nelt * eltsize);
	if (p)
		memset(p, 0, nelt * eltsize);
	return p;
}

/* Grow used block b in place by taking the free block after it, if that
 * gives need bytes. */
static int extend(struct block *b, size_t need)
{
	struct block *next = after(b);
	if ((next->head & USED) || size_of(b) + size_of(next) < need)
		return 0;
	list_remove(next);
	b->head += size_of(next);
	after(b)->head |= PREV_USED;
	trim(b, need);
	return 1;
}

void *_realloc(void *buf, size_t new_size)
{
	if (!buf)
		return _malloc(new_size);
	struct block *b = checked(buf, "realloc");
	if (new_size == 0) {
		_free(buf);
		return NULL;
	}
	if (new_size > REQUEST_MAX)
		return NULL;
	size_t need = block_size(new_size);
	if (size_of(b) >= need) {
		trim(b, need);
		return buf;
	}
	if (extend(b, need))
		return buf;
	void *copy = _malloc(new_size);
	if (copy) {
		memcpy(copy, buf, size_of(b) - HDR);
		_free(buf);
	}
	return copy;
}
