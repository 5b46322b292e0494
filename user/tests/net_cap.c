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
	struct sockaddr_in a = { AF_INET, htons(80), INADDR_ANY };
	struct sockaddr_in gw = { AF_INET, htons(1), 0x0202000A };	/* refused */
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fds[0] >= 0 && bind(fds[0], &a) == 0 && listen(fds[0], 2) == 0);
	for (int i = 1; i < NET_TASK_SOCKS; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		CHECK(fds[i] >= 0 && connect(fds[i], &gw) == -ECONNREFUSED);
	}
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
