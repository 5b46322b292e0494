/*
 * netcap.h: a task that holds all NET_TASK_SOCKS sockets it may
 * (docs/abi/fable.md §10.3), for net_cap.c and net_capq.c: a listener on
 * port 80 and sockets whose connections to 10.0.2.2:1 were refused (each
 * keeps its socket, and no pcb of lwIP's).
 */
#ifndef USER_TESTS_NETCAP_H
#define USER_TESTS_NETCAP_H

#include <socket.h>
#include "testlib.h"

/* fds[0] the listener (at most backlog waiting), fds[1..] the others. */
static inline void netcap_fill(int fds[NET_TASK_SOCKS], int backlog)
{
	struct sockaddr_in a = { AF_INET, htons(80), INADDR_ANY };
	struct sockaddr_in gw = { AF_INET, htons(1), 0x0202000A };	/* refused */
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fds[0] >= 0 && bind(fds[0], &a) == 0 && listen(fds[0], backlog) == 0);
	for (int i = 1; i < NET_TASK_SOCKS; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		CHECK(fds[i] >= 0 && connect(fds[i], &gw) == -ECONNREFUSED);
	}
}

#endif
