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
#include "lib/list.h"
#include "sync/cond.h"

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

/* Is there a network card and its thread? */
bool net_up(void);
/* Have the network thread call fn(arg), the only way into lwIP from
 * another thread, and wait, unkillably, until it returns: fn must not
 * wait for anything but locks. Precondition: net_up(); not the network
 * thread itself. */
void net_run(void (*fn)(void *), void *arg);

/* A deadline for a wait on a condition variable (sockets' timeouts):
 * from net_timer_add to net_timer_del, every pass of the network thread
 * past the deadline (net_now() milliseconds) broadcasts c, so a waiter
 * that checks the time before each cond_wait never sleeps long past it
 * (at most the thread's 20 ms poll while a timer is set). The caller
 * owns t, on its stack; it must call net_timer_del before t goes.
 * Lock tags (docs/sync.md): [m] net.c's req_lock, [c] constant. */
struct net_timer {
	struct list_node link;		/* [m] */
	struct cond *c;			/* [c] */
	uint32_t deadline;		/* [c] */
};
uint32_t net_now(void);
void net_timer_add(struct net_timer *t);
void net_timer_del(struct net_timer *t);

#endif
