/*
 * echod.c: a TCP echo server (docs/network.md, "Sockets"): `echod
 * [port [max]]` listens on port (80, the one scripts/qemu --net forwards
 * from the host, by default) and gives each connection a thread, at most
 * max (4) at once: a semaphore holds the accept loop while all are busy.
 * Each thread writes back every byte it reads until the peer closes,
 * then closes. Prints "echod: listening on port N" once it listens.
 */
#include <socket.h>
#include <sem.h>
#include <stdio.h>
#include <stdlib.h>
#include <thread.h>
#include <unistd.h>

#define STACK	8192
#define BUF	2048

static sem_t slots;

/* Write all of buf; false if the connection failed. */
static int write_all(int fd, const char *buf, int len)
{
	while (len > 0) {
		int n = write(fd, buf, len);
		if (n <= 0)
			return 0;
		buf += n;
		len -= n;
	}
	return 1;
}

static void *serve(void *arg)
{
	int fd = (int)arg;
	char buf[BUF];
	int n;
	while ((n = read(fd, buf, sizeof buf)) > 0 && write_all(fd, buf, n))
		;
	close(fd);
	sem_signal(&slots);
	return NULL;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 80;
	int max = argc > 2 ? atoi(argv[2]) : 4;
	if (port <= 0 || port > 65535 || max <= 0 || thr_init(STACK) < 0 || sem_init(&slots, max) < 0) {
		printf("usage: echod [port [max]]\n");
		return 1;
	}
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { AF_INET, htons((unsigned short)port), INADDR_ANY };
	int err = l < 0 ? l : bind(l, &a);
	if (err == 0)
		err = listen(l, SOMAXCONN);
	if (err < 0) {
		printf("echod: cannot listen on port %d: %d\n", port, err);
		return 1;
	}
	printf("echod: listening on port %d\n", port);
	for (;;) {
		sem_wait(&slots);
		struct sockaddr_in peer;
		int c = accept(l, &peer);
		if (c < 0) {
			printf("echod: accept: %d\n", c);
			return 1;
		}
		if (thr_create(serve, (void *)c) < 0) {
			close(c);
			sem_signal(&slots);
		}
	}
}
