/* runner: driven=net_netstat timeout=60 */
/* net_list.c: NET_SOCKS, the list netstat prints (fable.h's net_socks,
 * docs/abi/fable.md §10.4), driven by tests/cases_net.py's net_netstat,
 * which connects from the host to the guest's port 80 and sends five
 * bytes. Bad arguments are refused and write nothing; then the list
 * holds the listener (LISTEN on port 80) and the connection (CONNECTED,
 * from 10.0.2.15:80 to the peer accept named, the five bytes queued),
 * both the task's; netstat prints them. */
#include <fable.h>
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "testlib.h"

#define GUEST	0x0F02000A	/* 10.0.2.15 */

static net_sockinfo_t socks[4];

/* The entry of s in socks[0..n), or NULL. */
static net_sockinfo_t *find(int n, unsigned int state)
{
	for (int i = 0; i < n && i < 4; i++)
		if (socks[i].state == state)
			return &socks[i];
	return NULL;
}

static void bad_arguments(void)
{
	memset(socks, 0x5A, sizeof socks);
	CHECK(sizeof(net_sockinfo_t) == 32);
	CHECK(net_socks(socks, -1) == -EINVAL);
	CHECK(net_socks(socks, NET_SOCKS_MAX + 1) == -EINVAL);
	CHECK(net_socks((net_sockinfo_t *)0x10, 4) == -EFAULT);
	CHECK(net_socks((net_sockinfo_t *)0xFFFFFFF0, 1) == -EFAULT);
	CHECK(net_socks(NULL, 0) == 0);
	CHECK(socks[0].state == 0x5A5A5A5A);
}

static void run_netstat(void)
{
	char *argv[] = { "netstat", NULL };
	int pid = fork();
	if (pid == 0) {
		exec("netstat", argv);
		task_vanish(1);
	}
	int status = -1;
	CHECK(pid > 0 && wait(&status) == pid && status == 0);
}

int main(void)
{
	bad_arguments();
	struct sockaddr_in a = { AF_INET, htons(80), INADDR_ANY }, peer;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0 && bind(l, &a) == 0 && listen(l, 2) == 0);
	printf("net_list: ready\n");
	int c = accept(l, &peer);
	CHECK(c >= 0);
	int n = 0;
	net_sockinfo_t *conn = NULL;
	for (int tries = 0; tries < 100; tries++) {	/* the five bytes come */
		n = net_socks(socks, 4);
		conn = find(n, NET_SS_CONNECTED);
		if (conn && conn->rx_queued == 5)
			break;
		sleep(1);
	}
	CHECK(n == 2);
	net_sockinfo_t *lis = find(n, NET_SS_LISTEN);
	CHECK(lis && lis->local.family == AF_INET && lis->local.port == htons(80) &&
	      lis->local.addr == 0 && lis->remote.family == 0 && lis->owner == (unsigned)gettid());
	CHECK(conn && conn->local.port == htons(80) && conn->local.addr == GUEST &&
	      conn->remote.family == AF_INET && conn->remote.addr == peer.sin_addr &&
	      conn->remote.port == peer.sin_port && conn->rx_queued == 5 &&
	      conn->tx_queued == 0 && conn->owner == (unsigned)gettid());
	CHECK(net_socks(NULL, 0) == 2);
	printf("net_list: peer port %u\n", ntohs(peer.sin_port));
	run_netstat();
	char buf[8];
	CHECK(read(c, buf, sizeof buf) == 5 && write(c, "ok", 2) == 2);
	close(c);
	close(l);
	CHECK(net_socks(NULL, 0) == 0);
	test_done();
}
