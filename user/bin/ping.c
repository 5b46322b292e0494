/*
 * ping.c: ICMP echo to an IPv4 address through the kernel's network call
 * (fable.h's net_ping; docs/network.md): `ping 10.0.2.2 [count]`. Waits
 * up to 15 s for the interface's address, prints it, one line a reply,
 * then how many came back; exits 0 if at least one did.
 */
#include <fable.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

/* a.b.c.d into network byte order (the bytes in that order); false if s
 * is not four numbers 0-255 separated by dots. */
static int parse_ip(const char *s, unsigned int *out)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255 || *s != (i < 3 ? '.' : '\0'))
			return 0;
		b[i] = (unsigned char)v;
		s++;
	}
	*out = b[0] | b[1] << 8 | b[2] << 16 | (unsigned)b[3] << 24;
	return 1;
}

static void show_ip(const char *what, unsigned int a)
{
	printf("%s %u.%u.%u.%u", what, a & 0xFF, (a >> 8) & 0xFF, (a >> 16) & 0xFF, a >> 24);
}

int main(int argc, char **argv)
{
	unsigned int addr;
	if (argc < 2 || argc > 3 || !parse_ip(argv[1], &addr)) {
		printf("usage: ping a.b.c.d [count]\n");
		return 2;
	}
	int count = argc == 3 ? atoi(argv[2]) : 3;
	if (count < 1 || count > 100)
		count = 3;
	net_info_t ni;
	/* Soon after boot the interface may still wait for its lease. */
	for (int waited = 0; net_info(&ni) == 0 && ni.addr == 0 && waited < 1500; waited++)
		sleep(1);
	if (net_info(&ni) < 0 || ni.addr == 0) {
		printf("ping: no network card, or no address\n");
		return 1;
	}
	show_ip("ping: from", ni.addr);
	show_ip(" to", addr);
	printf("\n");
	int got = 0;
	for (int i = 1; i <= count; i++) {
		int rtt = net_ping(addr, 2000);
		if (rtt >= 0) {
			got++;
			printf("reply from %s: seq=%d time=%d ms\n", argv[1], i, rtt);
		} else {
			printf("no reply from %s: seq=%d (error %d)\n", argv[1], i, rtt);
		}
		if (i < count)
			sleep(10);
	}
	printf("ping: %d sent, %d received\n", count, got);
	return got ? 0 : 1;
}
