/* runner: driven=net_task_backlog timeout=60 */
/* net_capq.c: connections in a listener's backlog are its owner's, but
 * not charged against the task's NET_TASK_SOCKS until accepted
 * (docs/network.md, "Sockets"), driven by tests/cases_net.py's
 * net_task_backlog, which makes two connections from the host to the
 * guest's port 80. A task with a listener and 15 sockets whose
 * connections were refused has its 16; the host's two connections wait
 * in the backlog meanwhile; once one socket is closed, the task can
 * make a socket again, and accept both connections one after the
 * other. */
#include <fable.h>
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include "netcap.h"
#include "testlib.h"

#define WAITING	2	/* the host's connections */

static int fds[NET_TASK_SOCKS];
static net_sockinfo_t socks[NET_TASK_SOCKS + WAITING + 4];

/* Connections to our port 80 that the network has completed. */
static int connected(void)
{
	int n = net_socks(socks, sizeof socks / sizeof socks[0]), k = 0;
	for (int i = 0; i < n && i < (int)(sizeof socks / sizeof socks[0]); i++)
		k += socks[i].state == NET_SS_CONNECTED && socks[i].local.port == htons(80);
	return k;
}

static void serve(int l)
{
	char b;
	int c = accept(l, NULL);
	CHECK(c >= 0 && read(c, &b, 1) == 1 && write(c, "ok", 2) == 2);
	close(c);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	netcap_fill(fds, 4);
	printf("net_capq: full\n");
	for (int tries = 0; tries < 2000 && connected() < WAITING; tries++)
		sleep(1);
	CHECK(connected() == WAITING);
	CHECK(socket(AF_INET, SOCK_STREAM, 0) == -EMFILE);
	close(fds[1]);
	int s = socket(AF_INET, SOCK_STREAM, 0);	/* the waiting are not charged */
	CHECK(s >= 0);
	close(s);
	for (int i = 0; i < WAITING; i++)
		serve(fds[0]);
	for (int i = 0; i < NET_TASK_SOCKS; i++)
		if (i != 1)
			close(fds[i]);
	CHECK(test_baseline_same(&base));
	test_done();
}
