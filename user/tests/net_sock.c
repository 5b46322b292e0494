/* runner: driven=net_sockets timeout=120 */
/* net_sock.c: TCP sockets as descriptors (socket.h, docs/abi/fable.md
 * §10), driven by tests/cases_net.py's net_sockets, which connects from
 * the host through the port QEMU forwards to the guest's port 80. Bad
 * arguments are refused; four connections at once are echoed by a thread
 * each; a listener survives fork, shared, and the child serves from it;
 * a read with a receive timeout ends in time with -ETIMEDOUT; a task
 * killed (task_vanish) while one thread waits in read, or in accept,
 * leaves nothing behind and the host sees its connection end. */
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <unistd.h>
#include "testlib.h"

#define ECHOES	4
#define PORT	80

static int listener;

static int net_op(unsigned op, unsigned a, unsigned b)
{
	unsigned packet[3] = { op, a, b };
	int r;
	__asm__ volatile("int %1" : "=a"(r) : "i"(NET_INT), "S"(packet) : "memory");
	return r;
}

static void *echo(void *arg)
{
	int fd = (int)arg;
	char buf[1500];
	int n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (int off = 0; off < n;) {
			int w = write(fd, buf + off, n - off);
			if (w <= 0)
				return (void *)1;
			off += w;
		}
	}
	close(fd);
	return (void *)(n < 0);
}

static void bad_arguments(void)
{
	struct sockaddr_in a = { AF_INET, htons(PORT), INADDR_ANY }, got;
	CHECK(socket(AF_INET, 5, 0) == -EPROTONOSUPPORT);
	CHECK(socket(1, SOCK_STREAM, 0) == -EAFNOSUPPORT);
	CHECK(net_op(NET_OP_LAST + 1, 0, 0) == -EINVAL);
	CHECK(bind(0, &a) == -ENOTSOCK);
	CHECK(bind(FS_FD_MAX + 3, &a) == -EBADF);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0);
	CHECK(bind(s, (struct sockaddr_in *)0x10) == -EFAULT);
	struct sockaddr_in six = { 10, htons(PORT), 0 };
	CHECK(bind(s, &six) == -EAFNOSUPPORT);
	CHECK(accept(s, NULL) == -EINVAL);
	CHECK(read(s, &got, 1) == -ENOTCONN);
	CHECK(write(s, &got, 1) == -ENOTCONN);
	CHECK(shutdown(s, SHUT_RD) == -ENOTCONN);
	CHECK(getpeername(s, &got) == -ENOTCONN);
	/* the gateway forwards to the host's port 1, where nobody listens */
	struct sockaddr_in gw = { AF_INET, htons(1), 0x0202000A };
	CHECK(connect(s, &gw) == -ECONNREFUSED);
	close(s);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(bind(listener, &a) == 0);
	CHECK(bind(listener, &a) == -EINVAL);
	CHECK(listen(listener, 100) == 0);
	CHECK(listen(listener, 1) == -EINVAL);
	CHECK(getsockname(listener, (struct sockaddr_in *)0x10) == -EFAULT);
	CHECK(getsockname(listener, &got) == 0 && got.sin_port == htons(PORT));
	CHECK(shutdown(listener, 7) == -EINVAL);
	unsigned int ms = NET_TIMEOUT_MAX_MS + 1;
	CHECK(setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms) == -EINVAL);
	CHECK(setsockopt(listener, SOL_SOCKET, 99, &ms, sizeof ms) == -EINVAL);
	CHECK(setsockopt(0, SOL_SOCKET, SO_SNDTIMEO, &ms, sizeof ms) == -ENOTSOCK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(bind(s, &a) == -EADDRINUSE);
	close(s);
	fable_stat_t st;
	CHECK(fstat(listener, &st) == 0 && st.type == FT_SOCK);
}

/* ECHOES connections at once, a thread each. */
static void echoes(void)
{
	int tids[ECHOES];
	printf("net_sock: echo ready\n");
	for (int i = 0; i < ECHOES; i++) {
		struct sockaddr_in peer;
		int c = accept(listener, &peer);
		CHECK(c >= 0 && peer.sin_family == AF_INET && peer.sin_addr != 0);
		tids[i] = thr_create(echo, (void *)c);
		CHECK(tids[i] >= 0);
	}
	for (int i = 0; i < ECHOES; i++) {
		void *st;
		CHECK(thr_join(tids[i], &st) == 0 && st == NULL);
	}
}

/* The child serves a connection from the listener it shares. */
static void fork_child(void)
{
	int c = accept(listener, NULL);
	CHECK(c >= 0);
	CHECK(echo((void *)c) == NULL);
}

static void *vanisher(void *arg)
{
	(void)arg;
	sleep(50);
	task_vanish(0);	/* test_in_child: no failure */
}

/* One thread waits in read on a connection, the other kills the task. */
static void recv_child(void)
{
	int c = accept(listener, NULL);
	CHECK(c >= 0);
	/* first a read that times out: 300 ms is 30 ticks */
	unsigned int ms = 300;
	CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms) == 0);
	char b;
	unsigned int t0 = get_ticks();
	CHECK(read(c, &b, 1) == -ETIMEDOUT);
	unsigned int took = get_ticks() - t0;
	CHECK(took >= 30 && took < 100);
	ms = 0;
	CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof ms) == 0);
	CHECK(thr_create(vanisher, NULL) >= 0);
	read(c, &b, 1);
	test_fail("read returned in a task being killed");
}

/* One thread waits in accept on a fresh listener; the other kills. */
static void accept_child(void)
{
	close(listener);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { AF_INET, htons(81), INADDR_ANY };
	CHECK(bind(l, &a) == 0 && listen(l, 2) == 0);
	CHECK(thr_create(vanisher, NULL) >= 0);
	accept(l, NULL);
	test_fail("accept returned in a task being killed");
}

int main(void)
{
	kstat_t base;
	CHECK(thr_init(16384) == 0);
	bad_arguments();
	echoes();
	/* after the echo threads: their stacks stay with the task */
	test_baseline(&base);
	printf("net_sock: fork ready\n");
	CHECK(test_in_child(fork_child) == 0);
	printf("net_sock: recv ready\n");
	CHECK(test_in_child(recv_child) == 0);
	CHECK(test_in_child(accept_child) == 0);
	CHECK(test_baseline_same(&base));
	close(listener);	/* leakcheck sees it go */
	test_done();
}
