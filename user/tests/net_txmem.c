/* runner: driven=net_tx_memory timeout=60 */
/* net_txmem.c: writes when lwIP's memory runs short (docs/network.md,
 * "Sockets"), driven by tests/cases_net.py's net_tx_memory, which plays
 * the peer on a raw wire and acknowledges nothing until told. A write
 * with a send timeout to a peer that takes nothing returns the bytes
 * that fit (TCP_SND_BUF) once the timeout is past, and the next one
 * -ETIMEDOUT, in time. Connections whose data lwIP keeps unacknowledged
 * fill its shared memory (the heap, the segments); then a write on a
 * connection with nothing queued of its own is refused by lwIP and must
 * wait, and go on once the peer's acknowledgements free that memory,
 * although no acknowledgement of its own ever comes. */
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define FILL	6		/* connections whose data fill lwIP's memory */
#define SND_BUF	5840		/* TCP_SND_BUF, kernel/net/port/include/lwipopts.h */
#define LAST	3000		/* the write that must wait for memory */
#define PORT	7

static char buf[8192];

static int conn(void)
{
	struct sockaddr_in gw = { AF_INET, htons(PORT), 0x0202000A };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0 && connect(s, &gw) == 0);
	return s;
}

/* 300 ms is 30 ticks; the deadline is checked every 20 ms. */
static int timed_write(int s, int len)
{
	unsigned int t0 = get_ticks();
	int n = write(s, buf, len);
	unsigned int took = get_ticks() - t0;
	CHECK(took >= 30 && took < 100);
	return n;
}

int main(void)
{
	kstat_t base;
	int fill[FILL];
	test_baseline(&base);
	memset(buf, 'm', sizeof buf);
	int last = conn();
	unsigned int ms = 300;
	for (int i = 0; i < FILL; i++) {
		fill[i] = conn();
		CHECK(setsockopt(fill[i], SOL_SOCKET, SO_SNDTIMEO, &ms, sizeof ms) == 0);
		int n = timed_write(fill[i], sizeof buf);
		if (i == 0) {	/* the send timeout: what fits, then nothing */
			CHECK(n == SND_BUF);
			CHECK(timed_write(fill[i], 1) == -ETIMEDOUT);
		} else {	/* memory may have run out before the buffer */
			CHECK((n > 0 && n <= SND_BUF) || n == -ETIMEDOUT);
		}
	}
	printf("net_txmem: full\n");
	int n = write(last, buf, LAST);
	printf("net_txmem: sent %d\n", n);
	CHECK(n == LAST);
	for (int i = 0; i < FILL; i++)
		close(fill[i]);
	close(last);
	CHECK(test_baseline_same(&base));
	test_done();
}
