/*
 * malloc_mt.c: the thread-safe allocator (docs/abi/userlib.md §6.1): the
 * unlocked _malloc & co. of libmalloc.a under one mutex.
 */
#include <malloc.h>
#include <mutex.h>
#include <stddef.h>

static mutex_t heap_lock = MUTEX_INITIALIZER;	/* the whole of libmalloc's heap */

void *malloc(size_t size)
{
	mutex_lock(&heap_lock);
	void *p = _malloc(size);
	mutex_unlock(&heap_lock);
	return p;
}

void *calloc(size_t nelt, size_t eltsize)
{
	mutex_lock(&heap_lock);
	void *p = _calloc(nelt, eltsize);
	mutex_unlock(&heap_lock);
	return p;
}

void *realloc(void *buf, size_t new_size)
{
	mutex_lock(&heap_lock);
	void *p = _realloc(buf, new_size);
	mutex_unlock(&heap_lock);
	return p;
}

void free(void *buf)
{
	mutex_lock(&heap_lock);
	_free(buf);
	mutex_unlock(&heap_lock);
}
