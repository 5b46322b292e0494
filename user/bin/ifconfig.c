/*
 * ifconfig.c: the network interface (fable.h's net_info) and the card's
 * counters (kstat's net_* fields; docs/network.md): address, netmask,
 * gateway, MAC, link, where the address came from, packets and bytes
 * each way, drops and errors.
 */
#include <fable.h>
#include <stdio.h>

static void show_ip(const char *what, unsigned int a)
{
	printf("%s %u.%u.%u.%u", what, a & 0xFF, (a >> 8) & 0xFF, (a >> 16) & 0xFF, a >> 24);
}

int main(void)
{
	net_info_t ni;
	kstat_t k;
	if (net_info(&ni) < 0) {
		printf("ifconfig: no network card\n");
		return 1;
	}
	k.size = sizeof k;
	if (kstat(&k) < 0 || k.size < sizeof k) {
		printf("ifconfig: kstat has no network counters\n");
		return 1;
	}
	printf("en0: link %s, %s\n", ni.link ? "up" : "down",
	       ni.addr == 0 ? "no address" : ni.dhcp ? "DHCP lease" : "static address");
	show_ip("  inet", ni.addr);
	show_ip(" netmask", ni.netmask);
	show_ip(" gateway", ni.gateway);
	printf("\n  ether %02x:%02x:%02x:%02x:%02x:%02x\n", ni.mac[0], ni.mac[1], ni.mac[2],
	       ni.mac[3], ni.mac[4], ni.mac[5]);
	printf("  rx packets %u bytes %u\n", k.net_rx_packets, k.net_rx_bytes);
	printf("  tx packets %u bytes %u\n", k.net_tx_packets, k.net_tx_bytes);
	printf("  drops %u errors %u\n", k.net_drops, k.net_errors);
	return 0;
}
