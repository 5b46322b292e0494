/* runner: timeout=120 */
/*
 * stress_exec.c: deep exec chains. Three tasks at once each exec this
 * program 300 times in a row ("link N TID"), each image checking that
 * its task id is unchanged and carrying 60 arguments of 100 bytes, the
 * last one exiting 42. Then a chain of 40 nested tasks ("nest N"), each
 * forking a child that execs the next level and exiting with the child's
 * status plus one. All of it twice, the second time with one-tick time
 * slices. Nothing may leak from 1880 images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include "stress.h"
#include "testlib.h"

#define CHAINS 3
#define LINKS 300
#define NEST 40
#define PADS 60
#define PAD_BYTES 100

static char pad[PAD_BYTES];
static char *args[PADS + 5];

/* exec this program with arguments w1 w2 w3 and the padding; returns
 * only on failure. */
static void exec_self(char *w1, char *w2, char *w3)
{
	int n = 0;
	args[n++] = "stress_exec";
	args[n++] = w1;
	args[n++] = w2;
	args[n++] = w3;
	memset(pad, 'p', sizeof pad - 1);
	for (int i = 0; i < PADS; i++)
		args[n++] = pad;
	args[n] = NULL;
	exec("stress_exec", args);
}

/* One link of a chain: argv = stress_exec link N TID pads... */
static void link_step(int argc, char **argv)
{
	int left = atoi(argv[2]);
	char next[16];
	if (atoi(argv[3]) != gettid() || argc != PADS + 4 || strlen(argv[PADS + 3]) != PAD_BYTES - 1)
		exit(1);
	if (left == 0)
		exit(42);
	snprintf(next, sizeof next, "%d", left - 1);
	exec_self("link", next, argv[3]);
	exit(2);
}

/* One level of the nest: fork a child that execs the next level. */
static void nest_step(int level)
{
	char next[16];
	int status = -100;
	if (level == 0)
		exit(0);
	int pid = fork();
	if (pid == 0) {
		snprintf(next, sizeof next, "%d", level - 1);
		exec_self("nest", next, "-");
		exit(-50);
	}
	if (pid < 0 || wait(&status) != pid)
		exit(-60);
	exit(status + 1);
}

static int start_chain(void)
{
	int pid = fork();
	if (pid == 0) {
		char links[16], tid[16];
		snprintf(links, sizeof links, "%d", LINKS);
		snprintf(tid, sizeof tid, "%d", gettid());
		exec_self("link", links, tid);
		exit(3);
	}
	return pid;
}

static void chains(void)
{
	int pids[CHAINS], status;
	for (int i = 0; i < CHAINS; i++)
		CHECK((pids[i] = start_chain()) > 0);
	for (int i = 0; i < CHAINS; i++) {
		int pid = wait(&status);
		CHECK(pid > 0 && status == 42);
	}
	int pid = fork();
	if (pid == 0)
		nest_step(NEST);
	CHECK(pid > 0 && wait(&status) == pid);
	tprintf("stress_exec: %d chains of %d execs ended with 42; a nest of %d gave %d\n",
		CHAINS, LINKS, NEST, status);
	CHECK(status == NEST);
}

int main(int argc, char **argv)
{
	kstat_t base;
	if (argc > 3 && !strcmp(argv[1], "link"))
		link_step(argc, argv);
	if (argc > 3 && !strcmp(argv[1], "nest"))
		nest_step(atoi(argv[2]));
	stress_begin(&base);
	chains();
	misbehave(2);	/* again with one-tick slices: exits cut short anywhere */
	chains();
	misbehave(-1);
	stress_end(&base);
}
