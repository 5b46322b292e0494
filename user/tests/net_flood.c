/* runner: driven=net_syn_flood timeout=90 */
/* net_flood.c: a listener under a flood of SYNs (docs/network.md,
 * "Sockets"), driven by tests/cases_net.py's net_syn_flood, which sends
 * ten thousand SYNs from made-up addresses, never completed, to port 80
 * on a raw wire, and meanwhile, and after, connects as a real client.
 * Each of the client's connections is echoed. Then the test completes
 * more handshakes than the backlog holds, which the program never
 * accepts: the extra ones are reset, the rest go with the listener.
 * Afterwards the kernel's counters are back where they were. */
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define CLIENTS	2

static void echo(int c)
{
	char buf[512];
	int n;
	while ((n = read(c, buf, sizeof buf)) > 0)
		CHECK(write(c, buf, n) == n);
	CHECK(n == 0);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	struct sockaddr_in a = { AF_INET, htons(80), INADDR_ANY };
	int l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0 && bind(l, &a) == 0 && listen(l, 4) == 0);
	printf("net_flood: ready\n");
	for (int i = 0; i < CLIENTS; i++) {
		int c = accept(l, NULL);
		CHECK(c >= 0);
		echo(c);
		close(c);
		printf("net_flood: served %d\n", i);
	}
	printf("net_flood: backlog\n");
	sleep(300);	/* the test connects meanwhile */
	close(l);
	kstat_t now = { .size = sizeof now };
	CHECK(kstat(&now) == 0);
	printf("net_flood: %u frames received, %u dropped\n", now.net_rx_packets - base.net_rx_packets,
	       now.net_drops - base.net_drops);
	CHECK(test_baseline_same(&base));
	test_done();
}
