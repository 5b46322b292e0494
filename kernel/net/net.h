/*
 * net.h: the network stack (docs/network.md): lwIP over the e1000, run by
 * one kernel thread, the network thread, and the calls the rest of the
 * kernel makes of it.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <fable/net.h>

/* If there is a network card, start the network thread: it brings the
 * interface up and asks for a DHCP lease (dhcp false: the static
 * address 10.0.2.15/24, gateway 10.0.2.2, at once), falling back to the
 * static address if no lease comes. Boot, before the scheduler starts. */
void net_init(bool dhcp);
/* The interface now; -ENETDOWN without a card. */
int net_info(struct net_info *out);
/* One ICMP echo to addr (network byte order), waiting at most timeout_ms
 * (1 to NET_PING_MAX_MS): the round trip in ms, or -ETIMEDOUT, -ENETDOWN,
 * -ENOMEM. Sleeps; not from interrupt context. */
#define NET_PING_MAX_MS 10000
int net_ping(uint32_t addr, uint32_t timeout_ms);

#endif
