/*
 * mutex_counter.c: mutexes from the user library, with raw threads
 * (thread_fork_on): four threads add to one counter under a mutex,
 * yielding inside the critical section so that the others must block.
 * Also the thread-safe malloc from several threads.
 */
#include <malloc.h>
#include <mutex.h>
#include <syscall.h>
#include <thr_internals.h>
#include "testlib.h"

#define THREADS 4
#define ROUNDS 300
#define STACK 8192

static mutex_t lock = MUTEX_INITIALIZER;
static int counter;			/* [lock] */
static int inside;			/* [lock] threads in the critical section */
static volatile int finished;		/* [lock] threads done */
static char stacks[THREADS][STACK];

static void worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		mutex_lock(&lock);
		CHECK(++inside == 1);
		int seen = counter;
		yield(-1);		/* let the others pile up on the mutex */
		counter = seen + 1;
		inside--;
		mutex_unlock(&lock);
		free(malloc(16 + i));
	}
	mutex_lock(&lock);
	finished++;
	mutex_unlock(&lock);
}

int main(void)
{
	for (int i = 0; i < THREADS; i++)
		CHECK(thread_fork_on(stacks[i] + STACK, worker, NULL) > 0);
	while (finished < THREADS)
		yield(-1);
	CHECK(counter == THREADS * ROUNDS);
	CHECK(mutex_init(&lock) == 0);
	mutex_destroy(&lock);
	test_done();
}
