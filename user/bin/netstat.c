/*
 * netstat.c: every TCP socket (fable.h's net_socks; docs/network.md):
 * its state, local and remote address, the bytes received and not read
 * yet and those sent and not acknowledged yet, and the task that owns it.
 */
#include <fable.h>
#include <stdio.h>

#define MAX 64

static const char *const states[] = {
	[NET_SS_NEW] = "NEW", [NET_SS_LISTEN] = "LISTEN", [NET_SS_CONNECTING] = "CONNECTING",
	[NET_SS_CONNECTED] = "CONNECTED", [NET_SS_CLOSED] = "CLOSED",
};

/* "A.B.C.D:port" of a, or "*" before there is one. */
static void show(const net_sockaddr_t *a)
{
	char buf[24];
	unsigned int x = a->addr, port = (a->port & 0xFF) << 8 | a->port >> 8;
	if (a->family != NET_AF_INET)
		snprintf(buf, sizeof buf, "*");
	else
		snprintf(buf, sizeof buf, "%u.%u.%u.%u:%u", x & 0xFF, (x >> 8) & 0xFF,
			 (x >> 16) & 0xFF, x >> 24, port);
	printf(" %-21s", buf);
}

int main(void)
{
	static net_sockinfo_t socks[MAX];
	int n = net_socks(socks, MAX);
	if (n < 0) {
		printf("netstat: no network card\n");
		return 1;
	}
	printf("%-10s %-21s %-21s %6s %6s %5s\n", "state", "local", "remote", "recv-q", "send-q",
	       "task");
	for (int i = 0; i < n && i < MAX; i++) {
		net_sockinfo_t *s = &socks[i];
		printf("%-10s", s->state <= NET_SS_CLOSED ? states[s->state] : "?");
		show(&s->local);
		show(&s->remote);
		printf(" %6u %6u %5u\n", s->rx_queued, s->tx_queued, s->owner);
	}
	if (n > MAX)
		printf("netstat: %d more\n", n - MAX);
	return 0;
}
