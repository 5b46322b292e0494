/* runner: driven=net_timewait timeout=360 */
/* net_timewait.c: a socket whose side ended first (shutdown SHUT_WR),
 * then saw the peer's end, leaves its connection in lwIP's TIME-WAIT,
 * where lwIP frees the pcb with no callback when a new connection needs
 * one. Driven by tests/cases_net.py's net_timewait: the host reads the
 * first connection's end and closes it; then holds HELD connections at
 * once, more than lwIP has pcbs besides, so the last needs the TIME-WAIT
 * pcb; the socket is closed only after that, and more connections come
 * (docs/network.md, "Sockets"). */
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define HELD	8	/* MEMP_NUM_TCP_PCB (lwipopts.h) */
#define ROUNDS	3

int main(void)
{
	struct sockaddr_in a = { AF_INET, htons(80), INADDR_ANY };
	int l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0 && bind(l, &a) == 0 && listen(l, HELD) == 0);
	printf("net_timewait: ready\n");
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
	close(l);
	test_done();
}
