/*
 * buddy.c: the binary buddy allocator (see buddy.h).
 *
 * A free block of order k is listed on head[k] by its first page, which
 * carries the order; every page of a free block is tagged BP_FREE. The
 * buddy of the block at page p is p ^ 2^k; freeing merges while the buddy
 * is the head of a free block of the same order. (A page inside a larger
 * free block can never be the buddy of an allocated block: the larger
 * block would contain the allocated one.)
 */
#include <stdbool.h>
#include "mm/buddy.h"
#include "lib/panic.h"

static void push(struct buddy *b, unsigned pg, unsigned order)
{
	struct bpage *p = &b->page[pg];
	p->order = order;
	p->prev = BUDDY_NIL;
	p->next = b->head[order];
	if (p->next != BUDDY_NIL)
		b->page[p->next].prev = pg;
	b->head[order] = pg;
}

static void unlink(struct buddy *b, unsigned pg)
{
	struct bpage *p = &b->page[pg];
	if (p->prev != BUDDY_NIL)
		b->page[p->prev].next = p->next;
	else
		b->head[p->order] = p->next;
	if (p->next != BUDDY_NIL)
		b->page[p->next].prev = p->prev;
}

static void tag_block(struct buddy *b, unsigned pg, unsigned order, uint8_t tag)
{
	for (unsigned i = 0; i < (1u << order); i++)
		b->page[pg + i].tag = tag;
}

static bool free_head(const struct buddy *b, unsigned pg, unsigned order)
{
	return pg < b->npages && b->page[pg].tag == BP_FREE && b->page[pg].order == order;
}

/* Mark the block free and merge it with its buddies as far as possible. */
static void release(struct buddy *b, unsigned pg, unsigned order)
{
	tag_block(b, pg, order, BP_FREE);
	b->nfree += 1u << order;
	while (order + 1 < BUDDY_ORDERS && free_head(b, pg ^ (1u << order), order)) {
		unlink(b, pg ^ (1u << order));
		pg &= ~(1u << order);
		order++;
	}
	push(b, pg, order);
}

void buddy_init(struct buddy *b, struct bpage *pages, unsigned npages)
{
	assert(npages <= BUDDY_NIL);
	b->page = pages;
	b->npages = npages;
	b->nfree = 0;
	for (unsigned i = 0; i < npages; i++)
		pages[i] = (struct bpage){ BUDDY_NIL, BUDDY_NIL, 0, BP_RESERVED, 0 };
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		b->head[k] = BUDDY_NIL;
}

/* Split the range into the largest aligned blocks that fit. */
void buddy_add(struct buddy *b, unsigned first, unsigned n)
{
	assert(first + n <= b->npages);
	while (n) {
		unsigned k = 0;
		while (k + 1 < BUDDY_ORDERS && !(first & ((2u << k) - 1)) && (2u << k) <= n)
			k++;
		assert(b->page[first].tag == BP_RESERVED);
		release(b, first, k);
		first += 1u << k;
		n -= 1u << k;
	}
}

int buddy_alloc(struct buddy *b, unsigned order)
{
	unsigned k = order;
	while (k < BUDDY_ORDERS && b->head[k] == BUDDY_NIL)
		k++;
	if (k >= BUDDY_ORDERS)
		return -1;
	unsigned pg = b->head[k];
	unlink(b, pg);
	while (k > order) {	/* keep the lower half, list the upper */
		k--;
		push(b, pg + (1u << k), k);
	}
	tag_block(b, pg, order, BP_USED);
	b->page[pg].order = order;
	b->nfree -= 1u << order;
	return pg;
}

void buddy_free(struct buddy *b, unsigned page, unsigned order)
{
	assert(order < BUDDY_ORDERS && page + (1u << order) <= b->npages);
	assert(!(page & ((1u << order) - 1)));	/* blocks are size-aligned */
	uint8_t tag = b->page[page].tag;
	if (tag == BP_FREE || tag == BP_RESERVED)
		panic("buddy: freeing page %u, which is %s", page,
		      tag == BP_FREE ? "already free" : "not managed");
	release(b, page, order);
}
