/*
 * fable/net.h: the network call (vector 0x87, NET_INT; docs/abi/fable.md
 * §10): an operation word, then its arguments. Shared by the kernel
 * (net/net.c, syscall/sys_fable.c) and user programs (through <fable.h>).
 */
#ifndef FABLE_NET_H
#define FABLE_NET_H

#ifndef __ASSEMBLER__
/* What NET_INFO reports about the network interface. Addresses are in
 * network byte order (10.0.2.15 is the bytes 10, 0, 2, 15). */
typedef struct net_info {
	unsigned int addr;		/*  0: IPv4 address, 0 while there is none */
	unsigned int netmask;		/*  4 */
	unsigned int gateway;		/*  8 */
	unsigned char mac[6];		/* 12: the card's Ethernet address */
	unsigned char link;		/* 18: 1 when the link is up */
	unsigned char dhcp;		/* 19: 1 when the address is a DHCP lease,
					 *     0 the static fallback or none */
} net_info_t;				/* 20 bytes */
#endif

/* Operations, the first word of the packet. */
#define NET_INFO 0	/* {op, buf}: the interface, into *buf; -ENETDOWN without a card */
#define NET_PING 1	/* {op, addr, timeout_ms}: one ICMP echo to addr (network order);
			 * the round trip in milliseconds, or -ETIMEDOUT, -ENETDOWN */

#endif
