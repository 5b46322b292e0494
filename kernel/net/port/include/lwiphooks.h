/*
 * lwiphooks.h: the kernel's functions that lwIP calls through its hooks
 * (lwipopts.h, LWIP_HOOK_*); lwIP's sources that have hooks include it.
 */
#ifndef NET_PORT_LWIPHOOKS_H
#define NET_PORT_LWIPHOOKS_H

#include "lwip/err.h"

struct tcp_pcb;
struct tcp_hdr;

/* Each TCP segment matched to pcb, before pcb sees it: ERR_OK to go on,
 * anything else to drop it (net/sock.c). */
err_t sock_tcp_in(struct tcp_pcb *pcb, const struct tcp_hdr *hdr);

#endif
