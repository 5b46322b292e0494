/* runner: driven=net_nodelay timeout=60 */
/* net_nodelay.c: TCP_NODELAY. Driven by tests/cases_net.py's
 * net_nodelay, which listens on the host port given as the argument.
 * Two small writes in a row: with TCP_NODELAY both go out at once, two
 * frames that kstat counts as soon as the writes return. With Nagle's
 * rule (the default) the second waits for the first's ACK if that has
 * not come back yet; QEMU's side may answer between the two writes, so
 * that count is printed, not checked (httpd's bench rows show the
 * difference: docs/network.md). Bad option values are refused
 * (docs/abi/fable.md §10). */
#include <socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

static unsigned int frames_sent(void)
{
	kstat_t k = { .size = sizeof k };
	CHECK(kstat(&k) == 0);
	return k.net_tx_packets;
}

/* Frames the card sent for two 10-byte writes made back to back. */
static unsigned int two_writes(int fd)
{
	unsigned int before = frames_sent();
	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(write(fd, "abcdefghij", 10) == 10);
	return frames_sent() - before;
}

int main(int argc, char **argv)
{
	CHECK(argc == 2);
	struct sockaddr_in host = { AF_INET, htons((unsigned short)atoi(argv[1])),
				    htonl(0x0A000202) };	/* 10.0.2.2 */
	unsigned int on = 1, off = 0, bad = 2;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &bad, sizeof bad) == -EINVAL);
	CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, 1) == -EINVAL);
	CHECK(setsockopt(fd, IPPROTO_TCP, 99, &on, sizeof on) == -EINVAL);
	CHECK(connect(fd, &host) == 0);
	tprintf("net_nodelay: with Nagle's rule, %u frame(s)\n", two_writes(fd));
	sleep(50);		/* every byte sent and acknowledged */
	CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0);
	unsigned int n = two_writes(fd);
	tprintf("net_nodelay: with TCP_NODELAY, %u frame(s)\n", n);
	CHECK(n >= 2);
	CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &off, sizeof off) == 0);
	CHECK(close(fd) == 0);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(setsockopt(p[0], IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == -ENOTSOCK);
	CHECK(close(p[0]) == 0 && close(p[1]) == 0);
	test_done();
}
