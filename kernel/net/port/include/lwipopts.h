/*
 * lwipopts.h: the lwIP configuration of Fable's network stack
 * (docs/network.md, "The lwIP port"). lwIP's defaults are in its
 * lwip/opt.h; only what differs is here.
 */
#ifndef NET_PORT_LWIPOPTS_H
#define NET_PORT_LWIPOPTS_H

/* One kernel thread, the network thread (kernel/net/net.c), makes every
 * call into lwIP: the raw API, with no locking inside the stack. */
#define NO_SYS			1
#define LWIP_NETCONN		0
#define LWIP_SOCKET		0
#define SYS_LIGHTWEIGHT_PROT	0

/* Memory is static and bounded: a heap for outgoing data and pools for
 * everything else, in the kernel image. Running out drops a frame or
 * fails a send (ERR_MEM); it never blocks or panics. */
#define MEM_ALIGNMENT		4
#define MEM_SIZE		(32 * 1024)
#define PBUF_POOL_SIZE		32	/* received frames in flight */
#define PBUF_POOL_BUFSIZE	1536	/* one Ethernet frame per pbuf */
#define MEMP_NUM_PBUF		16
#define MEMP_NUM_RAW_PCB	4
#define MEMP_NUM_UDP_PCB	4
#define MEMP_NUM_TCP_PCB	8
#define MEMP_NUM_TCP_PCB_LISTEN	4
#define MEMP_NUM_TCP_SEG	32
#define MEMP_NUM_ARP_QUEUE	8

/* IPv4 with ARP, ICMP, UDP, TCP and a DHCP client. */
#define LWIP_IPV4		1
#define LWIP_IPV6		0
#define LWIP_ARP		1
#define LWIP_ETHERNET		1
#define LWIP_ICMP		1
#define LWIP_RAW		1	/* ping's echo requests and replies */
#define LWIP_UDP		1
#define LWIP_TCP		1
#define LWIP_DHCP		1
/* QEMU's user network answers the ARP probe of a fresh lease with
 * nobody; waiting for it would only delay the lease. */
#define DHCP_DOES_ARP_CHECK	0
#define LWIP_DNS		0
#define LWIP_IGMP		0
#define LWIP_AUTOIP		0
#define IP_REASSEMBLY		1
#define IP_FRAG			1
#define TCP_MSS			1460
#define TCP_WND			(4 * TCP_MSS)
#define TCP_SND_BUF		(4 * TCP_MSS)

/* The interface's link and address changes reach net.c, which logs the
 * lease. */
#define LWIP_NETIF_STATUS_CALLBACK	1
#define LWIP_NETIF_LINK_CALLBACK	1

/* The kernel's counters are the driver's (kstat); lwIP keeps none. */
#define LWIP_STATS		0

#endif
