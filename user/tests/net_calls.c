/* net_calls.c: the network call (fable.h, docs/abi/fable.md §10) on a
 * machine without a network card, as every user test runs: net_info and
 * net_ping answer -ENETDOWN and write nothing, whatever the pointer; a
 * ping's timeout out of range and an unknown operation are refused;
 * kstat's network counters are there (with the per-CPU records after
 * them, 268 bytes) and zero, and the SMP counters before them are
 * filled. */
#include <errno.h>
#include <string.h>
#include <fable.h>
#include "testlib.h"

static int net_op(unsigned op)
{
	unsigned packet[3] = { op, 0, 0 };
	int r;
	__asm__ volatile("int %1" : "=a"(r) : "i"(NET_INT), "S"(packet) : "memory");
	return r;
}

int main(void)
{
	net_info_t ni;
	memset(&ni, 0x5A, sizeof ni);
	CHECK(sizeof(net_info_t) == 20);
	CHECK(net_info(&ni) < 0);
	CHECK(ni.addr == 0x5A5A5A5A);
	CHECK(net_info((net_info_t *)0x500000) < 0);
	CHECK(net_ping(0x0202000A, 100) < 0);
	CHECK(net_ping(0x0202000A, 0) < 0);
	CHECK(net_ping(0x0202000A, 10001) < 0);
	CHECK(net_op(2) < 0);
	net_sockinfo_t socks[2];
	CHECK(net_socks(socks, 2) == -ENETDOWN && net_socks(NULL, 0) == -ENETDOWN);
	CHECK(net_socks(socks, -1) == -EINVAL);
	CHECK(net_op(0xFFFFFFFF) < 0);
	kstat_t k;
	memset(&k, 0x5A, sizeof k);
	k.size = sizeof k;
	CHECK(sizeof k == 268);
	CHECK(kstat(&k) == 0 && k.size == 268);
	CHECK(k.ipis != 0x5A5A5A5A && k.tlb_shootdowns != 0x5A5A5A5A);
	CHECK(k.net_rx_packets == 0 && k.net_rx_bytes == 0 && k.net_tx_packets == 0 &&
	      k.net_tx_bytes == 0 && k.net_drops == 0 && k.net_errors == 0);
	test_done();
}
