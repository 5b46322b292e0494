/*
 * list.h: an intrusive doubly linked list.
 *
 * The links live in the listed objects (a struct list_node member), so
 * linking never allocates and unlinking from the middle is O(1). The
 * list's ends are NULL-terminated and an all-zero struct list is empty,
 * so zeroed memory (kzalloc, static storage) needs no list_init.
 *
 * Every operation below is O(1) and branches only on an end of the list;
 * they are inline because the scheduler's switch goes through them
 * (docs/performance.md). A node is on at most one list at a time through
 * one member; the caller holds whatever lock guards the list.
 */
#ifndef LIB_LIST_H
#define LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next, *prev;	/* NULL past either end */
};

struct list {
	struct list_node *head, *tail;	/* both NULL when empty */
};

#define LIST_INIT { NULL, NULL }

/* The object of type `type` whose `member` is node n (n not NULL). */
#define list_entry(n, type, member) \
	((type *)((char *)(n) - offsetof(type, member)))

/* The same, NULL for a NULL node: for the ends of a list. */
#define list_entry_or_null(n, type, member) ({				\
	struct list_node *n_ = (n);					\
	n_ ? list_entry(n_, type, member) : (type *)NULL;		\
})

/* The first object on l, or NULL. */
#define list_first(l, type, member) list_entry_or_null((l)->head, type, member)

/* Each object p (a pointer to `type`, declared here) on list l, first to
 * last. The body must not unlink p. */
#define list_for_each(type, p, l, member)				\
	for (type *p = list_entry_or_null((l)->head, type, member); p;	\
	     p = list_entry_or_null(p->member.next, type, member))

static inline void list_init(struct list *l)
{
	l->head = l->tail = NULL;
}

static inline bool list_empty(const struct list *l)
{
	return l->head == NULL;
}

/* Link n into l just before pos, or at the back if pos is NULL; pos is on
 * l, n on no list. */
static inline void list_insert_before(struct list *l, struct list_node *pos,
				      struct list_node *n)
{
	struct list_node *prev = pos ? pos->prev : l->tail;
	n->next = pos;
	n->prev = prev;
	if (prev)
		prev->next = n;
	else
		l->head = n;
	if (pos)
		pos->prev = n;
	else
		l->tail = n;
}

static inline void list_push_back(struct list *l, struct list_node *n)
{
	n->next = NULL;
	n->prev = l->tail;
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
}

static inline void list_push_front(struct list *l, struct list_node *n)
{
	n->prev = NULL;
	n->next = l->head;
	if (l->head)
		l->head->prev = n;
	else
		l->tail = n;
	l->head = n;
}

/* Unlink n, which is on l. Its own links are left stale. */
static inline void list_remove(struct list *l, struct list_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		l->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		l->tail = n->prev;
}

/* Unlink and return the first node, or NULL if l is empty. */
static inline struct list_node *list_pop_front(struct list *l)
{
	struct list_node *n = l->head;
	if (!n)
		return NULL;
	l->head = n->next;
	if (n->next)
		n->next->prev = NULL;
	else
		l->tail = NULL;
	return n;
}

#endif
