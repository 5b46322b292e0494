/*
 * panic_status.c: misuse of a mutex panics, and panic ends the task with
 * status -1 (docs/abi/userlib.md §4.1, §6.3); so does a failed assert.
 */
#include <assert.h>
#include <mutex.h>
#include <stdlib.h>
#include <syscall.h>
#include "testlib.h"

static int status_of(void (*body)(void))
{
	int status = 0, pid = fork();
	if (pid == 0) {
		body();
		exit(0);
	}
	CHECK(pid > 0 && wait(&status) == pid);
	return status;
}

static void unlock_unheld(void)
{
	mutex_t m;
	mutex_init(&m);
	mutex_unlock(&m);
}

static void destroy_held(void)
{
	mutex_t m;
	mutex_init(&m);
	mutex_lock(&m);
	mutex_destroy(&m);
}

static void failed_assert(void)
{
	int one = 1;
	assert(one == 2);
}

static void plain_exit(void)
{
}

int main(void)
{
	CHECK(status_of(unlock_unheld) == -1);
	CHECK(status_of(destroy_held) == -1);
	CHECK(status_of(failed_assert) == -1);
	CHECK(status_of(plain_exit) == 0);
	test_done();
}
