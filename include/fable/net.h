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

/* A socket's address: an IPv4 address and a TCP port, both in network
 * byte order; family is NET_AF_INET. */
typedef struct net_sockaddr {
	unsigned short family;		/* 0 */
	unsigned short port;		/* 2 */
	unsigned int addr;		/* 4 */
} net_sockaddr_t;			/* 8 bytes */

/* What NET_SOCKS reports about each socket (netstat). */
typedef struct net_sockinfo {
	unsigned int state;		/*  0: NET_SS_* */
	unsigned int owner;		/*  4: id of the task that made or accepted it */
	net_sockaddr_t local;		/*  8: family 0 before bind */
	net_sockaddr_t remote;		/* 16: family 0 unless connected */
	unsigned int rx_queued;		/* 24: bytes received, not read yet */
	unsigned int tx_queued;		/* 28: bytes written, not acknowledged yet */
} net_sockinfo_t;			/* 32 bytes */
#endif

/* net_sockinfo_t.state */
#define NET_SS_NEW		0	/* neither listening nor connected */
#define NET_SS_LISTEN		1
#define NET_SS_CONNECTING	2
#define NET_SS_CONNECTED	3
#define NET_SS_CLOSED		4	/* the connection ended: reset, or timed out */

#define NET_AF_INET	2	/* the only family */
#define NET_SOCK_STREAM	1	/* the only type: TCP */
#define NET_BACKLOG_MAX	8	/* a listener's most connections not accepted */
#define NET_TASK_SOCKS	16	/* the most sockets charged to one task */
#define NET_SHUT_RD	0
#define NET_SHUT_WR	1
#define NET_SHUT_RDWR	2

/* Operations, the first word of the packet. */
#define NET_INFO 0	/* {op, buf}: the interface, into *buf; -ENETDOWN without a card */
#define NET_PING 1	/* {op, addr, timeout_ms}: one ICMP echo to addr (network order);
			 * the round trip in milliseconds, or -ETIMEDOUT, -ENETDOWN */
/* Sockets (docs/abi/fable.md §10): a socket is a descriptor, read,
 * written and closed as any; the errors of each are listed there. */
#define NET_SOCKET	2	/* {op, type}: a new TCP socket's descriptor */
#define NET_BIND	3	/* {op, fd, const net_sockaddr_t *} */
#define NET_LISTEN	4	/* {op, fd, backlog} */
#define NET_ACCEPT	5	/* {op, fd, net_sockaddr_t *peer or 0}: a new descriptor */
#define NET_CONNECT	6	/* {op, fd, const net_sockaddr_t *} */
#define NET_SHUTDOWN	7	/* {op, fd, how} */
#define NET_SOCKNAME	8	/* {op, fd, net_sockaddr_t *}: the local address */
#define NET_PEERNAME	9	/* {op, fd, net_sockaddr_t *}: the peer's address */
#define NET_RCVTIMEO	10	/* {op, fd, ms}: reads wait at most ms (0: no limit) */
#define NET_SNDTIMEO	11	/* {op, fd, ms}: writes wait at most ms (0: no limit) */
#define NET_SOCKS	12	/* {op, buf, max}: every socket, the first max into buf[];
				 * the number of sockets */
#define NET_OP_LAST	NET_SOCKS
#define NET_SOCKS_MAX	1024	/* the largest max */
#define NET_TIMEOUT_MAX_MS 3600000	/* an hour */

#endif
