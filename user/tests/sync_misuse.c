/*
 * sync_misuse.c: misuse of the synchronisation primitives is illegal
 * and never returns normally (docs/abi/userlib.md §4.1): the library panics,
 * and the task ends with status -1. Destroying a locked mutex, or one
 * with waiters; unlocking a mutex one does not hold; destroying a
 * condition variable or a semaphore with waiters, or a held rwlock;
 * an invalid rwlock type; unlocking or downgrading an rwlock one does
 * not hold. Destroying idle primitives returns normally.
 */
#include <cond.h>
#include <mutex.h>
#include <rwlock.h>
#include <sem.h>
#include <syscall.h>
#include <thread.h>
#include "thrtest.h"

#define STACK 4096

static mutex_t m;
static cond_t cv;
static sem_t sem;
static rwlock_t rw;

static void destroy_locked_mutex(void)
{
	mutex_init(&m);
	mutex_lock(&m);
	mutex_destroy(&m);
}

/* Takes m and keeps it: with several CPUs the waiter may run at once
 * when it is handed m, and must still hold it when the destroy comes. */
static void *lock_mutex(void *arg)
{
	mutex_lock(&m);
	for (;;)
		yield(-1);
	return arg;
}

/* A thread waits for m; the holder unlocks it ... and destroys it. */
static void destroy_awaited_mutex(void)
{
	thr_init(STACK);
	mutex_init(&m);
	mutex_lock(&m);
	until_blocked(thr_create(lock_mutex, NULL));
	mutex_unlock(&m);	/* now the waiter owns it */
	mutex_destroy(&m);
}

static void unlock_unheld_mutex(void)
{
	mutex_init(&m);
	mutex_unlock(&m);
}

static void *wait_cond(void *arg)
{
	mutex_lock(&m);
	cond_wait(&cv, &m);
	mutex_unlock(&m);
	return arg;
}

static void destroy_awaited_cond(void)
{
	thr_init(STACK);
	mutex_init(&m);
	cond_init(&cv);
	until_blocked(thr_create(wait_cond, NULL));
	cond_destroy(&cv);
}

static void *wait_sem(void *arg)
{
	sem_wait(&sem);
	return arg;
}

static void destroy_awaited_sem(void)
{
	thr_init(STACK);
	sem_init(&sem, 0);
	until_blocked(thr_create(wait_sem, NULL));
	sem_destroy(&sem);
}

static void destroy_held_rwlock(void)
{
	rwlock_init(&rw);
	rwlock_lock(&rw, RWLOCK_READ);
	rwlock_destroy(&rw);
}

static void invalid_rwlock_type(void)
{
	rwlock_init(&rw);
	rwlock_lock(&rw, 2);
}

static void unlock_unheld_rwlock(void)
{
	rwlock_init(&rw);
	rwlock_unlock(&rw);
}

static void downgrade_read_lock(void)
{
	rwlock_init(&rw);
	rwlock_lock(&rw, RWLOCK_READ);
	rwlock_downgrade(&rw);
}

/* Idle primitives are destroyed without fuss. */
static void destroy_idle(void)
{
	CHECK(mutex_init(&m) == 0 && cond_init(&cv) == 0);
	CHECK(sem_init(&sem, 2) == 0 && rwlock_init(&rw) == 0);
	mutex_lock(&m);
	mutex_unlock(&m);
	rwlock_lock(&rw, RWLOCK_WRITE);
	rwlock_unlock(&rw);
	mutex_destroy(&m);
	cond_destroy(&cv);
	sem_destroy(&sem);
	rwlock_destroy(&rw);
}

static void (*const misuses[])(void) = {
	destroy_locked_mutex, destroy_awaited_mutex, unlock_unheld_mutex,
	destroy_awaited_cond, destroy_awaited_sem, destroy_held_rwlock,
	invalid_rwlock_type, unlock_unheld_rwlock, downgrade_read_lock,
};

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	for (unsigned i = 0; i < sizeof misuses / sizeof misuses[0]; i++)
		if (!CHECK(status_of(misuses[i]) == -1))
			tprintf("misuse %u returned\n", i);
	test_in_child(destroy_idle);
	CHECK(test_baseline_same(&base));
	test_done();
}
