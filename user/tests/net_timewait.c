/* runner: driven=net_timewait timeout=360 */
/* net_timewait.c: a socket whose side ended first (shutdown SHUT_WR),
 * then saw the peer's end, leaves its connection in lwIP's TIME-WAIT,
 * where lwIP frees the pcb with no callback when a new connection needs
 * one. Driven by tests/cases_net.py's net_timewait: the host reads the
 * first connection's end and closes it; then holds HELD connections at
 * once while the guest's other sockets hold the rest of lwIP's pcbs
 * (MEMP_NUM_TCP_PCB), so the last needs the TIME-WAIT pcb; the socket is
 * closed only after that, and more connections come (docs/network.md,
 * "Sockets"). A socket not yet connected holds a pcb; a task may have
 * NET_TASK_SOCKS sockets, so children make them, PER_CHILD each, and
 * keep them until the parent says so. */
#include <socket.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"
#include "../../kernel/net/port/include/lwipopts.h"

#define HELD		8	/* the host's connections at once */
#define FILL		(MEMP_NUM_TCP_PCB - HELD)	/* the pcbs the children hold */
#define PER_CHILD	10	/* below NET_TASK_SOCKS */
#define CHILDREN	((FILL + PER_CHILD - 1) / PER_CHILD)
#define ROUNDS		3

static int ready[2], go[2];

/* Make n sockets, say so on ready, keep them until a byte comes on go:
 * the number of CHECKs that failed. */
static int child(int n)
{
	int s[PER_CHILD], bad = 0;
	for (int i = 0; i < n; i++)
		bad += !CHECK((s[i] = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	char b = 'r';
	bad += !CHECK(write(ready[1], &b, 1) == 1);
	bad += !CHECK(read(go[0], &b, 1) == 1);
	for (int i = 0; i < n; i++)
		close(s[i]);
	return bad;
}

/* Children holding FILL pcbs, ready when this returns. */
static void fill(void)
{
	for (int k = 0; k < CHILDREN; k++) {
		int n = FILL - k * PER_CHILD < PER_CHILD ? FILL - k * PER_CHILD : PER_CHILD;
		int pid = fork();
		if (pid == 0)
			exit(child(n));
		CHECK(pid > 0);
	}
	char b;
	for (int k = 0; k < CHILDREN; k++)
		CHECK(read(ready[0], &b, 1) == 1);
}

static void unfill(void)
{
	for (int k = 0; k < CHILDREN; k++)
		CHECK(write(go[1], "g", 1) == 1);
	for (int k = 0; k < CHILDREN; k++) {
		int status = -1;
		CHECK(wait(&status) > 0 && status == 0);
	}
}

int main(void)
{
	struct sockaddr_in a = { AF_INET, htons(80), INADDR_ANY };
	int l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0 && bind(l, &a) == 0 && listen(l, HELD) == 0);
	CHECK(pipe(ready) == 0 && pipe(go) == 0);
	fill();		/* before the first connection, which they must not share */
	printf("net_timewait: ready %d\n", HELD);
	int first = accept(l, NULL);
	CHECK(first >= 0);
	CHECK(write(first, "bye", 3) == 3);
	CHECK(shutdown(first, SHUT_WR) == 0);
	char b[16];
	CHECK(read(first, b, sizeof b) == 0);	/* the host's end: TIME-WAIT */
	printf("net_timewait: time-wait\n");
	for (int r = 0; r < ROUNDS; r++) {
		int c[HELD];
		for (int i = 0; i < HELD; i++) {
			c[i] = accept(l, NULL);
			CHECK(c[i] >= 0);
		}
		if (r == 0)
			close(first);	/* its pcb went to one of these */
		for (int i = 0; i < HELD; i++) {
			CHECK(write(c[i], "x", 1) == 1);
			close(c[i]);
		}
		printf("net_timewait: round %d\n", r);
	}
	unfill();
	close(l);
	test_done();
}
