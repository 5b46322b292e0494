/* runner: driven=net_task_sockets timeout=60 */
/* net_cap.c: the sockets charged to a task (NET_TASK_SOCKS,
 * docs/abi/fable.md §10.3), driven by tests/cases_net.py's net_task_sockets,
 * which connects from the host to the guest's port 80. A task with a
 * listener and sockets whose connections were refused (each keeps its
 * socket, and no pcb of lwIP's) up to the limit gets -EMFILE for one
 * more, and for an accept, whose connection is closed; a child is
 * charged apart; once one socket is closed, socket and accept work. */
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "netcap.h"
#include "testlib.h"

static int fds[NET_TASK_SOCKS];

static void child(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0);
	close(s);
}

int main(void)
{
	kstat_t base;
	test_baseline(&base);
	netcap_fill(fds, 2);
	CHECK(socket(AF_INET, SOCK_STREAM, 0) == -EMFILE);
	CHECK(test_in_child(child) == 0);
	printf("net_cap: full\n");
	CHECK(accept(fds[0], NULL) == -EMFILE);
	close(fds[1]);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0);
	close(s);
	printf("net_cap: room\n");
	int c = accept(fds[0], NULL);
	char b;
	CHECK(c >= 0 && read(c, &b, 1) == 1 && write(c, "ok", 2) == 2);
	close(c);
	for (int i = 0; i < NET_TASK_SOCKS; i++)
		if (i != 1)
			close(fds[i]);
	CHECK(test_baseline_same(&base));
	test_done();
}
