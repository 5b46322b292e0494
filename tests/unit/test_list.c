/*
 * test_list.c: the intrusive list (kernel/lib/list.h) against a model, an
 * array holding the same objects in the same order. Random pushes at
 * either end, inserts before a random member, removals from anywhere and
 * pops; after each step the forward links, the back links, both ends and
 * list_for_each must agree with the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include "lib/list.h"

#define NOBJ 64

struct obj {
	int id;
	struct list_node link;	/* not first: list_entry must subtract */
};

static int failures;

#define CHECK(e) \
	((e) ? (void)0 : (void)(failures++, fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e)))

static struct list l;
static struct obj objs[NOBJ];
static int model[NOBJ], nmodel;	/* ids, first to last */
static int listed[NOBJ];	/* objs[i] is on l */

static void model_insert(int at, int id)
{
	for (int i = nmodel; i > at; i--)
		model[i] = model[i - 1];
	model[at] = id;
	nmodel++;
	listed[id] = 1;
}

static void model_remove(int at)
{
	listed[model[at]] = 0;
	for (int i = at; i < nmodel - 1; i++)
		model[i] = model[i + 1];
	nmodel--;
}

/* An object on no list, or -1. */
static int unlisted(void)
{
	int start = rand() % NOBJ;
	for (int k = 0; k < NOBJ; k++)
		if (!listed[(start + k) % NOBJ])
			return (start + k) % NOBJ;
	return -1;
}

static void step(void)
{
	int id = unlisted(), at;
	switch (rand() % 5) {
	case 0:
		if (id >= 0) {
			list_push_back(&l, &objs[id].link);
			model_insert(nmodel, id);
		}
		break;
	case 1:
		if (id >= 0) {
			list_push_front(&l, &objs[id].link);
			model_insert(0, id);
		}
		break;
	case 2:		/* before a member, or at the back (pos NULL) */
		if (id >= 0) {
			at = rand() % (nmodel + 1);
			list_insert_before(&l, at < nmodel ? &objs[model[at]].link : NULL,
					   &objs[id].link);
			model_insert(at, id);
		}
		break;
	case 3:
		if (nmodel) {
			at = rand() % nmodel;
			list_remove(&l, &objs[model[at]].link);
			model_remove(at);
		}
		break;
	case 4: {
		struct list_node *n = list_pop_front(&l);
		CHECK(nmodel ? n == &objs[model[0]].link : n == NULL);
		if (nmodel)
			model_remove(0);
		break;
	}
	}
}

static void verify(void)
{
	int i = 0;
	const struct list_node *prev = NULL;
	for (const struct list_node *n = l.head; n && i <= nmodel; prev = n, n = n->next, i++) {
		CHECK(i < nmodel && n == &objs[model[i]].link);
		CHECK(n->prev == prev);
	}
	CHECK(i == nmodel && l.tail == prev);
	CHECK(list_empty(&l) == (nmodel == 0));
	struct obj *first = list_first(&l, struct obj, link);
	CHECK(nmodel ? first == &objs[model[0]] : first == NULL);
	i = 0;
	list_for_each(struct obj, o, &l, link) {
		CHECK(i < nmodel && o->id == model[i]);
		i++;
	}
	CHECK(i == nmodel);
}

int main(void)
{
	srand(3);
	for (int i = 0; i < NOBJ; i++)
		objs[i].id = i;
	list_init(&l);
	verify();
	for (int s = 0; s < 50000 && !failures; s++) {
		step();
		verify();
	}
	if (failures)
		printf("test_list: %d failures\n", failures);
	return failures != 0;
}
