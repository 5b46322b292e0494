/*
 * net.c: the network thread (docs/network.md, "The network thread").
 *
 * lwIP runs here with NO_SYS (kernel/net/port/include/lwipopts.h): one
 * kernel thread makes every call into it, so the stack needs no locks of
 * its own. The thread sleeps until the card interrupts, a request comes,
 * or lwIP's next timeout is due; then it takes the frames the card has
 * received, runs the timeouts, and serves the requests of other threads
 * (ping), which wait for their answer on a condition variable.
 *
 * The interface is the e1000 (dev/e1000.c); this file is its glue to
 * lwIP, a netif whose output copies a pbuf chain into the card's
 * transmit buffer and whose input is each received frame, copied into a
 * pbuf from lwIP's bounded pool (none free: the frame is dropped).
 */
#include "net/net.h"
#include "dev/e1000.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/list.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "sync/cond.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include "lwip/def.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/inet_chksum.h"
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/icmp.h"
#include "lwip/raw.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define DHCP_WAIT_MS	10000	/* then the static address */
#define IDLE_MS		1000	/* the longest sleep: the link is checked so */
#define PING_POLL_MS	20	/* sleep while a ping waits for its deadline */
#define PING_ID		0xFAB1	/* the echo identifier of the kernel's pings */
#define PING_DATA	32	/* bytes of payload after the echo header */
#define TICK_MS		10

/* Lock tags (docs/sync.md): [b] boot, [o] owner: the network thread,
 * [l] net_lock, [m] req_lock, [c] constant once queued. */
static bool started;			/* [b] a card, and its thread */
static struct netif nif;		/* [o] */
static bool use_dhcp;			/* [b] */
static uint32_t dhcp_since;		/* [o] sys_now() at dhcp_start */
static uint16_t ping_seq;		/* [o] the last sequence number sent */
static struct raw_pcb *ping_pcb;	/* [o] */
static uint32_t logged_addr;		/* [o] the address last logged */

/* Taken by the card's interrupt (through net_wake), so a spinlock. */
static struct spinlock net_lock = SPINLOCK_INIT("net");
static struct thread *net_thr;		/* [l] the network thread, once it runs */
static bool wake_due;			/* [l] woken since it last looked */
static struct net_info info;		/* [l] written by the network thread */

/* A ping waiting for its answer, on its caller's stack. */
struct ping_req {
	struct list_node link;		/* [m] on reqs */
	uint32_t addr;			/* [c] network order */
	uint32_t deadline;		/* [c] sys_now() value */
	uint32_t start;			/* [o] when sent */
	uint16_t seq;			/* [o] */
	bool sent;			/* [o] */
	bool done;			/* [m] result is final; off reqs */
	int result;			/* [m] */
};

/* A function another thread has the network thread run (net_run), on
 * that thread's stack. */
struct net_call {
	struct list_node link;		/* [m] on calls */
	void (*fn)(void *);		/* [c] */
	void *arg;			/* [c] */
	bool done;			/* [m] fn has returned; off calls */
};

static struct mutex req_lock = MUTEX_INIT(req_lock, "net requests");
static struct cond req_done = COND_INIT(req_done);
static struct list reqs;		/* [m] pings not answered yet */
static struct list calls;		/* [m] net_run's, oldest first */
static struct list timers;		/* [m] net_timer_add's */

/* Wake the network thread: from the card's interrupt or any thread.
 * net_lock before sched_lock, as dev/ata.c's irq_lock. */
static void net_wake(void)
{
	uint32_t f = spin_lock(&net_lock);
	wake_due = true;
	if (net_thr) {
		spin_lock(&sched_lock);
		sched_wake_sleeper(net_thr);
		spin_unlock(&sched_lock, 0);	/* interrupts stay off: net_lock */
	}
	spin_unlock(&net_lock, f);
}

/* Sleep at most ticks, less if net_wake() comes, even before the sleep
 * starts: net_lock is dropped only once sched_lock is held. */
static void net_sleep(uint32_t ticks)
{
	uint32_t f = spin_lock(&net_lock);
	if (!wake_due) {
		spin_lock(&sched_lock);
		spin_unlock(&net_lock, 0);
		sched_sleep_locked(ticks);
		spin_unlock(&sched_lock, 0);
		spin_lock(&net_lock);
	}
	wake_due = false;
	spin_unlock(&net_lock, f);
}

static void fill_from_pbuf(void *buf, size_t len, void *arg)
{
	pbuf_copy_partial(arg, buf, len, 0);
}

/* The netif's link output: one frame, copied into the card's ring. */
static err_t nif_linkoutput(struct netif *n, struct pbuf *p)
{
	(void)n;
	int err = e1000_send(p->tot_len, fill_from_pbuf, p);
	return err == -EBUSY ? ERR_MEM : err < 0 ? ERR_IF : ERR_OK;
}

/* One received frame into a pool pbuf and up the stack; false if the
 * pool is empty (the driver counts a drop). */
static bool deliver(const void *frame, size_t len, void *arg)
{
	struct netif *n = arg;
	struct pbuf *p = pbuf_alloc(PBUF_RAW, len, PBUF_POOL);
	if (!p)
		return false;
	pbuf_take(p, frame, len);
	if (n->input(p, n) != ERR_OK)
		pbuf_free(p);
	return true;
}

static void publish(struct netif *n)
{
	struct net_info i = { 0 };
	i.addr = ip4_addr_get_u32(netif_ip4_addr(n));
	i.netmask = ip4_addr_get_u32(netif_ip4_netmask(n));
	i.gateway = ip4_addr_get_u32(netif_ip4_gw(n));
	memcpy(i.mac, n->hwaddr, 6);
	i.link = netif_is_link_up(n);
	i.dhcp = dhcp_supplied_address(n);
	uint32_t f = spin_lock(&net_lock);
	info = i;
	spin_unlock(&net_lock, f);
}

/* The address changed: a lease, the fallback, or none. */
static void nif_status(struct netif *n)
{
	publish(n);
	/* netif_set_addr calls this once per field it changes. */
	uint32_t addr = ip4_addr_get_u32(netif_ip4_addr(n));
	if (addr == 0 || addr == logged_addr)
		return;
	logged_addr = addr;
	char a[16], m[16], g[16];
	ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof a);
	ip4addr_ntoa_r(netif_ip4_netmask(n), m, sizeof m);
	ip4addr_ntoa_r(netif_ip4_gw(n), g, sizeof g);
	klog(LOG_INFO, "net: address %s netmask %s gateway %s (%s, %u ms after boot)", a, m, g,
	     dhcp_supplied_address(n) ? "DHCP lease" : "static", (unsigned)sys_now());
}

static err_t nif_init(struct netif *n)
{
	n->name[0] = 'e';
	n->name[1] = 'n';
	n->output = etharp_output;
	n->linkoutput = nif_linkoutput;
	n->mtu = 1500;
	n->hwaddr_len = ETH_HWADDR_LEN;
	e1000_mac(n->hwaddr);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

static void use_static(void)
{
	ip4_addr_t a, m, g;
	IP4_ADDR(&a, 10, 0, 2, 15);
	IP4_ADDR(&m, 255, 255, 255, 0);
	IP4_ADDR(&g, 10, 0, 2, 2);
	netif_set_addr(&nif, &a, &m, &g);
}

/* No lease in DHCP_WAIT_MS: give up asking and take the static address. */
static void dhcp_fallback(void)
{
	if (!use_dhcp || dhcp_supplied_address(&nif) || sys_now() - dhcp_since < DHCP_WAIT_MS)
		return;
	klog(LOG_WARN, "net: no DHCP lease after %u ms; the static address", DHCP_WAIT_MS);
	dhcp_release_and_stop(&nif);
	use_dhcp = false;
	use_static();
}

static void link_check(void)
{
	bool up = e1000_link_up();
	if (up == netif_is_link_up(&nif))
		return;
	if (up)
		netif_set_link_up(&nif);
	else
		netif_set_link_down(&nif);
	publish(&nif);
}

/* Caller holds req_lock. */
static void req_finish(struct ping_req *r, int result)
{
	list_remove(&reqs, &r->link);
	r->result = result;
	r->done = true;
	cond_broadcast(&req_done);
}

/* An ICMP packet for the raw pcb, its IP header in front: an echo reply
 * to one of the kernel's pings completes it. Anything else, however
 * short or odd, is left to lwIP (0: not eaten). */
static u8_t ping_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *from)
{
	(void)arg;
	(void)pcb;
	struct icmp_echo_hdr h;
	if (p->len < IP_HLEN)
		return 0;
	u16_t hlen = IPH_HL_BYTES((struct ip_hdr *)p->payload);
	if (pbuf_copy_partial(p, &h, sizeof h, hlen) != sizeof h || h.type != ICMP_ER ||
	    h.id != PP_HTONS(PING_ID))
		return 0;
	mutex_lock(&req_lock);
	list_for_each(struct ping_req, r, &reqs, link) {
		if (r->sent && r->seq == lwip_ntohs(h.seqno) && r->addr == ip4_addr_get_u32(from)) {
			req_finish(r, (int)(sys_now() - r->start));
			break;
		}
	}
	mutex_unlock(&req_lock);
	pbuf_free(p);
	return 1;
}

/* An echo request to r->addr; false if lwIP had no memory (the caller
 * tries again on the next pass). */
static bool ping_send(struct ping_req *r)
{
	struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + PING_DATA, PBUF_RAM);
	if (!p)
		return false;
	struct icmp_echo_hdr *h = p->payload;
	r->seq = ++ping_seq;
	ICMPH_TYPE_SET(h, ICMP_ECHO);
	ICMPH_CODE_SET(h, 0);
	h->id = PP_HTONS(PING_ID);
	h->seqno = lwip_htons(r->seq);
	h->chksum = 0;
	memset(h + 1, 'f', PING_DATA);
	h->chksum = inet_chksum(h, p->len);
	ip_addr_t to;
	ip_addr_set_ip4_u32(&to, r->addr);
	r->start = sys_now();
	raw_sendto(ping_pcb, p, &to);	/* a lost request is a timeout */
	pbuf_free(p);
	r->sent = true;
	return true;
}

/* Run the queued calls, each without req_lock: a call may end in one
 * of lwIP's callbacks, which take the locks of sockets (net/sock.c). */
static void serve_calls(void)
{
	mutex_lock(&req_lock);
	while (!list_empty(&calls)) {
		struct net_call *c = list_entry(calls.head, struct net_call, link);
		list_remove(&calls, &c->link);
		mutex_unlock(&req_lock);
		c->fn(c->arg);
		mutex_lock(&req_lock);
		c->done = true;
		cond_broadcast(&req_done);
	}
	mutex_unlock(&req_lock);
}

/* Send the new pings, end those past their deadline, wake the waits
 * past theirs; true while a ping or a timer waits. */
static bool serve_requests(void)
{
	serve_calls();
	mutex_lock(&req_lock);
	list_for_each(struct net_timer, t, &timers, link)
		if ((int32_t)(sys_now() - t->deadline) >= 0)
			cond_broadcast(t->c);
	struct list_node *n = reqs.head;
	while (n) {
		struct ping_req *r = list_entry(n, struct ping_req, link);
		n = n->next;
		if ((int32_t)(sys_now() - r->deadline) >= 0)
			req_finish(r, -ETIMEDOUT);
		else if (!r->sent)
			ping_send(r);
	}
	bool waiting = !list_empty(&reqs) || !list_empty(&timers);
	mutex_unlock(&req_lock);
	return waiting;
}

static void stack_init(void)
{
	lwip_init();
	netif_add(&nif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, nif_init, ethernet_input);
	netif_set_status_callback(&nif, nif_status);
	netif_set_default(&nif);
	netif_set_up(&nif);
	if (e1000_link_up())
		netif_set_link_up(&nif);
	publish(&nif);
	ping_pcb = raw_new(IP_PROTO_ICMP);
	if (ping_pcb)
		raw_recv(ping_pcb, ping_recv, NULL);
	if (use_dhcp && dhcp_start(&nif) == ERR_OK) {
		dhcp_since = sys_now();
	} else {
		use_dhcp = false;
		use_static();
	}
}

static void net_thread(void)
{
	uint32_t f = spin_lock(&net_lock);
	net_thr = sched_self();
	spin_unlock(&net_lock, f);
	stack_init();
	for (;;) {
		e1000_rx_poll(deliver, &nif);
		link_check();
		sys_check_timeouts();
		dhcp_fallback();
		uint32_t ms = serve_requests() ? PING_POLL_MS : sys_timeouts_sleeptime();
		if (ms > IDLE_MS)
			ms = IDLE_MS;
		net_sleep(ms / TICK_MS + 1);
	}
}

void net_init(bool dhcp)
{
	if (!e1000_init(net_wake))
		return;
	use_dhcp = dhcp;
	if (proc_kthread(net_thread) < 0) {
		klog(LOG_WARN, "net: no memory for the network thread");
		return;
	}
	started = true;
}

bool net_up(void)
{
	return started;
}

void net_run(void (*fn)(void *), void *arg)
{
	assert(started);
	struct net_call c = { .fn = fn, .arg = arg };
	mutex_lock(&req_lock);
	list_push_back(&calls, &c.link);
	mutex_unlock(&req_lock);
	net_wake();
	mutex_lock(&req_lock);
	while (!c.done)
		cond_wait(&req_done, &req_lock);
	mutex_unlock(&req_lock);
}

uint32_t net_now(void)
{
	return sys_now();
}

void net_timer_add(struct net_timer *t)
{
	mutex_lock(&req_lock);
	list_push_back(&timers, &t->link);
	mutex_unlock(&req_lock);
	net_wake();	/* the thread polls while a timer is set */
}

void net_timer_del(struct net_timer *t)
{
	mutex_lock(&req_lock);
	list_remove(&timers, &t->link);
	mutex_unlock(&req_lock);
}

int net_info(struct net_info *out)
{
	if (!started)
		return -ENETDOWN;
	uint32_t f = spin_lock(&net_lock);
	*out = info;
	spin_unlock(&net_lock, f);
	return 0;
}

int net_ping(uint32_t addr, uint32_t timeout_ms)
{
	struct net_info i;
	if (timeout_ms == 0 || timeout_ms > NET_PING_MAX_MS)
		return -EINVAL;
	if (net_info(&i) < 0 || i.addr == 0)
		return -ENETDOWN;
	/* The network thread owns the request once it is queued: the caller
	 * waits for its end, unkillably, which its deadline bounds. */
	struct ping_req r = { .addr = addr, .deadline = sys_now() + timeout_ms };
	mutex_lock(&req_lock);
	list_push_back(&reqs, &r.link);
	mutex_unlock(&req_lock);
	net_wake();
	mutex_lock(&req_lock);
	while (!r.done)
		cond_wait(&req_done, &req_lock);
	mutex_unlock(&req_lock);
	return r.result;
}
