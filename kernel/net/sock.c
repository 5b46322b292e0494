/*
 * sock.c: TCP sockets over lwIP's raw API (sock.h, docs/network.md,
 * "Sockets").
 *
 * A socket is a kernel object owned by its file (fs/file.c): the file's
 * last close frees it. Its lwIP pcb belongs to the network thread, which
 * alone calls lwIP: a user thread asks it to through net_run(), and
 * lwIP's callbacks, on the network thread too, fill the socket's bounded
 * receive ring and accept backlog under the socket's lock and wake its
 * waiters. The threads that wait (accept, connect, read, a write with
 * the send buffer full) wait interruptibly, so a killed task's threads
 * leave at once and its exit closes the socket. A read or a write with a
 * timeout (sock_set_timeout) also arms a net_timer, whose deadline the
 * network thread watches.
 *
 * The receive ring is larger than the window lwIP advertises (TCP_WND),
 * and a read opens the window by what it took (tcp_recved), so the peer
 * can never send more than fits; a segment that would not fit anyway is
 * refused, and lwIP offers it again later.
 *
 * Every socket is on one list, for netstat (sock_list).
 *
 * Lock tags (docs/sync.md): [m] the mutex: s->lock for a socket's own
 * fields, socks_lock (taken before any s->lock) for the list of sockets
 * and the fields that place a socket on it (all, owner), [o] the network
 * thread, [c] constant after sock_alloc, [a] atomic.
 */
#include "net/sock.h"
#include "net/net.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/thread.h"
#include "sync/cond.h"
#include "sync/mutex.h"
#include "upcall.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"

#define SOCK_RX		8192	/* the receive ring: more than TCP_WND */
#define SOCK_TX_CHUNK	2048	/* bytes of a write handed to lwIP at once */
#define SOCK_TX_RETRY_MS 50	/* a write that lwIP's memory refused tries again */

enum sock_state { S_NEW, S_LISTEN, S_CONNECTING, S_CONNECTED, S_CLOSED };

struct sock {
	struct mutex lock;
	struct cond cv;			/* data, room, a connection, an end */
	struct tcp_pcb *pcb;		/* [o] NULL once lwIP freed it */
	enum sock_state state;		/* [m] */
	int err;			/* [m] why the connection ended: -E... */
	bool eof;			/* [m] the peer sent FIN */
	bool shut_rd, shut_wr;		/* [m] */
	bool tx_full;			/* [m] lwIP's send buffer was full */
	bool bound;			/* [o] */
	uint8_t *rx;			/* [c] the ring, SOCK_RX bytes */
	uint32_t rx_head, rx_len;	/* [m] */
	struct sock *backlog[NET_BACKLOG_MAX];	/* [m] accepted by lwIP */
	int nbacklog, backlog_max;	/* [m] */
	uint32_t rcvtimeo, sndtimeo;	/* [a] ms a read, a write waits; 0: no end */
	int owner;			/* [m] socks_lock: the task that made or accepted it, and
					 * is charged for it (NET_TASK_SOCKS) */
	bool queued;			/* [m] socks_lock: in a listener's backlog, not
					 * accepted: its owner's, but not counted for the cap */
	struct list_node all;		/* [m] socks_lock: on all_socks */
};

static uint32_t nr_socks;		/* [a] */
static struct mutex socks_lock = MUTEX_INIT(socks_lock, "sockets");
static struct list all_socks;		/* [m] socks_lock */

uint32_t sock_count(void)
{
	return __atomic_load_n(&nr_socks, __ATOMIC_RELAXED);
}

/* Sockets charged to task id against its cap, but except. Caller
 * holds socks_lock. */
static int charged(int id, const struct sock *except)
{
	int n = 0;
	list_for_each(struct sock, s, &all_socks, all)
		n += s->owner == id && !s->queued && s != except;
	return n;
}

/* Charge s to task id: false if it has NET_TASK_SOCKS already. */
static bool charge(struct sock *s, int id)
{
	mutex_lock(&socks_lock);
	bool ok = charged(id, s) < NET_TASK_SOCKS;
	if (ok) {
		s->owner = id;
		s->queued = false;
	}
	mutex_unlock(&socks_lock);
	return ok;
}

/* A new socket into *out, charged to task owner: -ENOMEM, or, capped,
 * -EMFILE if owner has its NET_TASK_SOCKS already (a connection lwIP
 * accepts is charged to the listener's owner uncapped, until a task
 * accepts it: the backlog bounds those). */
static int sock_alloc(int owner, bool capped, struct sock **out)
{
	struct sock *s = kzalloc(sizeof *s);
	uint8_t *rx = kmalloc(SOCK_RX);
	if (!s || !rx) {
		kfree(s);
		kfree(rx);
		return -ENOMEM;
	}
	s->rx = rx;
	mutex_init(&s->lock, "socket");
	cond_init(&s->cv);
	s->owner = owner;
	s->queued = !capped;
	mutex_lock(&socks_lock);
	bool ok = !capped || charged(owner, NULL) < NET_TASK_SOCKS;
	if (ok)
		list_push_back(&all_socks, &s->all);
	mutex_unlock(&socks_lock);
	if (!ok) {
		kfree(rx);
		kfree(s);
		return -EMFILE;
	}
	__atomic_add_fetch(&nr_socks, 1, __ATOMIC_RELAXED);
	*out = s;
	return 0;
}

static void sock_free(struct sock *s)
{
	mutex_lock(&socks_lock);
	list_remove(&all_socks, &s->all);
	mutex_unlock(&socks_lock);
	kfree(s->rx);
	kfree(s);
	__atomic_sub_fetch(&nr_socks, 1, __ATOMIC_RELAXED);
}

static int lwip_errno(err_t e)
{
	switch (e) {
	case ERR_OK: return 0;
	case ERR_MEM: case ERR_BUF: return -ENOMEM;
	case ERR_USE: return -EADDRINUSE;
	case ERR_RST: return -ECONNRESET;
	case ERR_ABRT: return -ECONNABORTED;
	case ERR_RTE: return -ENETUNREACH;
	case ERR_ISCONN: return -EISCONN;
	default: return -EIO;
	}
}

/* ---- lwIP's callbacks: the network thread ------------------------------ */

static void wake(struct sock *s)
{
	cond_broadcast(&s->cv);
}

/* Copy p into the ring; false if it does not fit. Caller holds s->lock. */
static bool rx_put(struct sock *s, struct pbuf *p)
{
	if (p->tot_len > SOCK_RX - s->rx_len)
		return false;
	uint32_t tail = (s->rx_head + s->rx_len) % SOCK_RX;
	uint32_t first = SOCK_RX - tail < p->tot_len ? SOCK_RX - tail : p->tot_len;
	pbuf_copy_partial(p, s->rx + tail, first, 0);
	pbuf_copy_partial(p, s->rx, p->tot_len - first, first);
	s->rx_len += p->tot_len;
	return true;
}

static void detach(struct sock *s);

/* Data, or the peer's end (p NULL). An end that comes after our own FIN
 * leaves the pcb in CLOSING or TIME-WAIT, which lwIP frees without a
 * callback (for a new connection that needs a pcb, or after 2 MSL): the
 * socket lets go of it now, or its close would end whatever connection
 * had the pcb by then. */
static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)err;
	struct sock *s = arg;
	mutex_lock(&s->lock);
	if (p && !rx_put(s, p)) {
		mutex_unlock(&s->lock);
		return ERR_MEM;		/* lwIP keeps p and offers it again */
	}
	if (!p)
		s->eof = true;
	wake(s);
	mutex_unlock(&s->lock);
	if (p)
		pbuf_free(p);
	else if (pcb->state == CLOSING || pcb->state == TIME_WAIT)
		detach(s);
	return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb;
	(void)len;
	struct sock *s = arg;
	mutex_lock(&s->lock);
	s->tx_full = false;
	wake(s);
	mutex_unlock(&s->lock);
	return ERR_OK;
}

/* lwIP has freed the pcb: a reset, a refused connect, a timeout. */
static void on_err(void *arg, err_t e)
{
	struct sock *s = arg;
	s->pcb = NULL;
	mutex_lock(&s->lock);
	s->err = s->state == S_CONNECTING && e == ERR_RST ? -ECONNREFUSED : lwip_errno(e);
	s->state = S_CLOSED;
	wake(s);
	mutex_unlock(&s->lock);
}

static void attach(struct sock *s, struct tcp_pcb *pcb)
{
	s->pcb = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)pcb;
	(void)err;
	struct sock *s = arg;
	mutex_lock(&s->lock);
	s->state = S_CONNECTED;
	wake(s);
	mutex_unlock(&s->lock);
	return ERR_OK;
}

/* lwIP's pool of pcbs is full and a SYN came for a listener: abort the
 * oldest half-open connection (SYN_RCVD: the peer never answered our
 * SYN-ACK), so that the next SYN, which a real client sends again, finds
 * a pcb. A flood of SYNs never completed thus holds the pool only while
 * it lasts: each of its connections is dropped 8 SYNs later, not at
 * lwIP's 20 s timeout, and a real client's handshake, completed within
 * a round trip, gets through. The price: on a busy server a real
 * client's handshake can be the oldest, and is reset (its client tries
 * again, as http_load_many's do). lwIP itself aborts pcbs at this point
 * (tcp_alloc's tcp_kill_prio), so it is safe here. */
static void evict_half_open(void)
{
	struct tcp_pcb *old = NULL;
	for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next)
		if (p->state == SYN_RCVD &&
		    (!old || (u32_t)(tcp_ticks - p->tmr) >= (u32_t)(tcp_ticks - old->tmr)))
			old = p;
	if (old)
		tcp_abort(old);
}

/* A connection for a listener: a socket in its backlog, or refused
 * (lwIP then aborts it) when the backlog is full or memory is short.
 * Without a pcb (err ERR_MEM), a SYN found the pool full. */
static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *l = arg;
	if (!pcb) {
		if (err == ERR_MEM)
			evict_half_open();
		return ERR_VAL;
	}
	if (err != ERR_OK)
		return ERR_VAL;
	/* made before l->lock: sock_alloc takes socks_lock */
	mutex_lock(&socks_lock);
	int owner = l->owner;
	mutex_unlock(&socks_lock);
	struct sock *c = NULL;
	sock_alloc(owner, false, &c);
	mutex_lock(&l->lock);
	bool room = c && l->nbacklog < l->backlog_max;
	if (room) {
		attach(c, pcb);
		c->bound = true;
		c->state = S_CONNECTED;
		l->backlog[l->nbacklog++] = c;
		wake(l);
	}
	mutex_unlock(&l->lock);
	if (c && !room)
		sock_free(c);
	return room ? ERR_OK : ERR_MEM;
}

/* Let go of s's pcb: no callback names s after this. */
static void detach(struct sock *s)
{
	struct tcp_pcb *pcb = s->pcb;
	if (!pcb)
		return;
	s->pcb = NULL;
	tcp_arg(pcb, NULL);
	if (pcb->state == LISTEN) {
		tcp_accept(pcb, NULL);
	} else {
		tcp_recv(pcb, NULL);	/* lwIP's default drops what comes */
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
	}
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

/* ---- requests: run on the network thread through net_run ------------- */

struct req {
	struct sock *s;
	const struct net_sockaddr *a;	/* bind, connect */
	struct net_sockaddr *out;	/* names */
	const void *buf;		/* write */
	uint32_t len;			/* write, tcp_recved; the backlog */
	bool peer;
	bool retry;			/* write: no ACK of its own will end the wait */
	int result;
};

static void do_new(void *arg)
{
	struct req *r = arg;
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb) {
		r->result = -ENOMEM;
		return;
	}
	attach(r->s, pcb);
}

static void do_close(void *arg)
{
	struct sock *s = arg;
	detach(s);
	for (int i = 0; i < s->nbacklog; i++) {
		detach(s->backlog[i]);
		sock_free(s->backlog[i]);
	}
}

static void do_bind(void *arg)
{
	struct req *r = arg;
	ip_addr_t ip;
	ip_addr_set_ip4_u32(&ip, r->a->addr);
	if (!r->s->pcb || r->s->bound || r->s->state != S_NEW) {
		r->result = -EINVAL;
		return;
	}
	r->result = lwip_errno(tcp_bind(r->s->pcb, &ip, lwip_ntohs(r->a->port)));
	r->s->bound = r->result == 0;
}

static void do_listen(void *arg)
{
	struct req *r = arg;
	struct sock *s = r->s;
	if (!s->pcb || s->state != S_NEW) {
		r->result = -EINVAL;
		return;
	}
	if (!s->bound && (r->result = lwip_errno(tcp_bind(s->pcb, IP4_ADDR_ANY, 0))) < 0)
		return;
	s->bound = true;
	err_t e;
	struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->pcb, NET_BACKLOG_MAX, &e);
	if (!l) {
		r->result = lwip_errno(e);
		return;
	}
	s->pcb = l;		/* tcp_listen freed the old pcb */
	tcp_arg(l, s);
	tcp_accept(l, on_accept);
	mutex_lock(&s->lock);
	s->state = S_LISTEN;
	s->backlog_max = r->len;
	mutex_unlock(&s->lock);
}

static void do_connect(void *arg)
{
	struct req *r = arg;
	struct sock *s = r->s;
	ip_addr_t ip;
	ip_addr_set_ip4_u32(&ip, r->a->addr);
	if (!s->pcb || s->state != S_NEW) {
		r->result = s->state == S_CONNECTED ? -EISCONN : -EINVAL;
		return;
	}
	mutex_lock(&s->lock);
	s->state = S_CONNECTING;
	mutex_unlock(&s->lock);
	r->result = lwip_errno(tcp_connect(s->pcb, &ip, lwip_ntohs(r->a->port), on_connected));
	if (r->result < 0) {
		mutex_lock(&s->lock);
		s->state = S_NEW;
		mutex_unlock(&s->lock);
	}
}

/* As much of buf as lwIP's send buffer takes now; tx_full if none.
 * The wait that follows a refusal ends at an ACK for this pcb (on_sent)
 * when it has data queued. When it has none, the refusal came from
 * lwIP's memory, which every pcb shares (the heap, MEMP_NUM_TCP_SEG):
 * what frees it (other pcbs' ACKs and closes) calls nothing of this
 * socket's, so r->retry asks the writer to try again after a while. */
static void do_write(void *arg)
{
	struct req *r = arg;
	struct sock *s = r->s;
	if (!s->pcb) {
		r->result = -EPIPE;
		return;
	}
	uint32_t n = tcp_sndbuf(s->pcb);
	if (n > r->len)
		n = r->len;
	if (n > 0 && tcp_write(s->pcb, r->buf, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
		n = 0;
	tcp_output(s->pcb);
	if (n == 0) {
		r->retry = !s->pcb->unsent && !s->pcb->unacked;
		mutex_lock(&s->lock);
		s->tx_full = true;
		mutex_unlock(&s->lock);
	}
	r->result = n;
}

static void do_recved(void *arg)
{
	struct req *r = arg;
	if (r->s->pcb)
		tcp_recved(r->s->pcb, r->len);
}

static void do_shutdown_wr(void *arg)
{
	struct req *r = arg;
	if (r->s->pcb)
		r->result = lwip_errno(tcp_shutdown(r->s->pcb, 0, 1));
}

static void do_name(void *arg)
{
	struct req *r = arg;
	struct tcp_pcb *pcb = r->s->pcb;
	if (!pcb || (r->peer && pcb->state < ESTABLISHED)) {
		r->result = -ENOTCONN;
		return;
	}
	r->out->family = NET_AF_INET;
	r->out->addr = ip4_addr_get_u32(r->peer ? &pcb->remote_ip : &pcb->local_ip);
	r->out->port = lwip_htons(r->peer ? pcb->remote_port : pcb->local_port);
}

static const uint32_t ss_of[] = {
	[S_NEW] = NET_SS_NEW, [S_LISTEN] = NET_SS_LISTEN, [S_CONNECTING] = NET_SS_CONNECTING,
	[S_CONNECTED] = NET_SS_CONNECTED, [S_CLOSED] = NET_SS_CLOSED,
};

/* What netstat shows of s. Caller holds socks_lock and s->lock. */
static void sock_info(struct sock *s, struct net_sockinfo *i)
{
	*i = (struct net_sockinfo){ .state = ss_of[s->state], .rx_queued = s->rx_len };
	i->owner = s->owner;
	struct tcp_pcb *pcb = s->pcb;
	if (!pcb)
		return;
	if (pcb->local_port) {
		i->local = (struct net_sockaddr){ NET_AF_INET, lwip_htons(pcb->local_port),
						  ip4_addr_get_u32(&pcb->local_ip) };
	}
	if (pcb->state == LISTEN)	/* a tcp_pcb_listen: no more fields */
		return;
	if (pcb->state != CLOSED) {
		i->remote = (struct net_sockaddr){ NET_AF_INET, lwip_htons(pcb->remote_port),
						   ip4_addr_get_u32(&pcb->remote_ip) };
	}
	i->tx_queued = TCP_SND_BUF - tcp_sndbuf(pcb);
}

struct list_req {
	struct net_sockinfo *out;
	int max, n;
};

static void do_list(void *arg)
{
	struct list_req *r = arg;
	mutex_lock(&socks_lock);
	list_for_each(struct sock, s, &all_socks, all) {
		if (r->n < r->max) {
			mutex_lock(&s->lock);
			sock_info(s, &r->out[r->n]);
			mutex_unlock(&s->lock);
		}
		r->n++;
	}
	mutex_unlock(&socks_lock);
}

int sock_list(struct net_sockinfo *out, int max)
{
	struct list_req r = { .out = out, .max = max };
	net_run(do_list, &r);
	return r.n;
}

/* ---- the calls --------------------------------------------------------- */

/* A wait of at most ms (0: no limit) on s->cv: armed before the first
 * wait, disarmed after the last. */
struct wait {
	struct net_timer t;
	bool armed;
};

static void wait_arm(struct wait *w, struct sock *s, uint32_t ms)
{
	w->armed = ms != 0;
	if (!w->armed)
		return;
	w->t = (struct net_timer){ .c = &s->cv, .deadline = net_now() + ms };
	net_timer_add(&w->t);
}

static void wait_disarm(struct wait *w)
{
	if (w->armed)
		net_timer_del(&w->t);
}

static bool wait_over(const struct wait *w)
{
	return w->armed && (int32_t)(net_now() - w->t.deadline) >= 0;
}

/* Caller holds s->lock: sleep until woken; -ETIMEDOUT past the deadline,
 * -EINTR if the thread is being killed. */
static int wait_on(struct wait *w, struct sock *s)
{
	if (wait_over(w))
		return -ETIMEDOUT;
	return cond_wait_intr(&s->cv, &s->lock);
}

int sock_set_timeout(struct sock *s, bool send, uint32_t ms)
{
	if (ms > NET_TIMEOUT_MAX_MS)
		return -EINVAL;
	__atomic_store_n(send ? &s->sndtimeo : &s->rcvtimeo, ms, __ATOMIC_RELAXED);
	return 0;
}

int sock_new(struct sock **out)
{
	if (!net_up())
		return -ENETDOWN;
	struct sock *s;
	int err = sock_alloc(curtask()->id, true, &s);
	if (err < 0)
		return err;
	struct req r = { .s = s };
	net_run(do_new, &r);
	if (r.result < 0) {
		sock_free(s);
		return r.result;
	}
	*out = s;
	return 0;
}

void sock_close(struct sock *s)
{
	net_run(do_close, s);
	sock_free(s);
}

static bool addr_ok(const struct net_sockaddr *a)
{
	return a->family == NET_AF_INET;
}

int sock_bind(struct sock *s, const struct net_sockaddr *a)
{
	if (!addr_ok(a))
		return -EAFNOSUPPORT;
	struct req r = { .s = s, .a = a };
	net_run(do_bind, &r);
	return r.result;
}

int sock_listen(struct sock *s, int backlog)
{
	if (backlog < 1)
		backlog = 1;
	if (backlog > NET_BACKLOG_MAX)
		backlog = NET_BACKLOG_MAX;
	struct req r = { .s = s, .len = backlog };
	net_run(do_listen, &r);
	return r.result;
}

int sock_accept(struct sock *s, struct sock **out, struct net_sockaddr *peer)
{
	mutex_lock(&s->lock);
	int err = 0;
	while (err == 0 && s->nbacklog == 0) {
		if (s->state != S_LISTEN)
			err = -EINVAL;
		else
			err = cond_wait_intr(&s->cv, &s->lock);
	}
	struct sock *c = NULL;
	if (err == 0) {
		c = s->backlog[0];
		s->nbacklog--;
		memmove(s->backlog, s->backlog + 1, s->nbacklog * sizeof *s->backlog);
	}
	mutex_unlock(&s->lock);
	if (err < 0)
		return err;
	if (!charge(c, curtask()->id)) {
		sock_close(c);
		return -EMFILE;
	}
	struct req r = { .s = c, .out = peer, .peer = true };
	net_run(do_name, &r);
	if (r.result < 0)	/* reset already: its address is gone */
		*peer = (struct net_sockaddr){ .family = NET_AF_INET };
	*out = c;
	return 0;
}

int sock_connect(struct sock *s, const struct net_sockaddr *a)
{
	if (!addr_ok(a))
		return -EAFNOSUPPORT;
	struct req r = { .s = s, .a = a };
	net_run(do_connect, &r);
	if (r.result < 0)
		return r.result;
	mutex_lock(&s->lock);
	int err = 0;
	while (err == 0 && s->state == S_CONNECTING)
		err = cond_wait_intr(&s->cv, &s->lock);
	if (err == 0 && s->state != S_CONNECTED)
		err = s->err ? s->err : -ECONNREFUSED;
	mutex_unlock(&s->lock);
	return err;
}

int sock_shutdown(struct sock *s, int how)
{
	if (how != NET_SHUT_RD && how != NET_SHUT_WR && how != NET_SHUT_RDWR)
		return -EINVAL;
	mutex_lock(&s->lock);
	int err = s->state == S_CONNECTED ? 0 : -ENOTCONN;
	if (err == 0 && how != NET_SHUT_WR)
		s->shut_rd = true;
	if (err == 0 && how != NET_SHUT_RD)
		s->shut_wr = true;
	wake(s);
	mutex_unlock(&s->lock);
	if (err < 0 || how == NET_SHUT_RD)
		return err;
	struct req r = { .s = s };
	net_run(do_shutdown_wr, &r);
	return r.result;
}

int sock_name(struct sock *s, bool peer, struct net_sockaddr *out)
{
	struct req r = { .s = s, .out = out, .peer = peer };
	net_run(do_name, &r);
	return r.result;
}

/* Copy up to u->len bytes of the ring out; caller holds s->lock. */
static int rx_take(struct sock *s, struct uio *u)
{
	uint32_t n = u->len < s->rx_len ? u->len : s->rx_len;
	uint32_t first = SOCK_RX - s->rx_head < n ? SOCK_RX - s->rx_head : n;
	int err = uio_move(u, s->rx + s->rx_head, first, true);
	if (err == 0 && n > first)
		err = uio_move(u, s->rx, n - first, true);
	if (err < 0)
		return err;
	s->rx_head = (s->rx_head + n) % SOCK_RX;
	s->rx_len -= n;
	return n;
}

int sock_read(struct sock *s, struct uio *u)
{
	struct wait w;
	wait_arm(&w, s, __atomic_load_n(&s->rcvtimeo, __ATOMIC_RELAXED));
	mutex_lock(&s->lock);
	int n = 0;
	for (;;) {
		if (s->shut_rd || u->len == 0)
			break;
		if (s->rx_len > 0) {
			n = rx_take(s, u);
			break;
		}
		if (s->eof)
			break;
		if (s->state != S_CONNECTED) {
			n = s->state == S_CLOSED ? s->err : -ENOTCONN;
			break;
		}
		if ((n = wait_on(&w, s)) < 0)
			break;
	}
	mutex_unlock(&s->lock);
	wait_disarm(&w);
	if (n > 0) {	/* open the window by what was taken */
		struct req r = { .s = s, .len = n };
		net_run(do_recved, &r);
	}
	return n;
}

/* Hand buf to lwIP, waiting while its send buffer is full (until an ACK
 * makes room, or, when lwIP's memory refused, SOCK_TX_RETRY_MS): the
 * bytes taken, or an error if none were. */
static int send_all(struct sock *s, const uint8_t *buf, uint32_t len, struct wait *w)
{
	uint32_t done = 0;
	bool retry = false;
	while (done < len) {
		struct wait again;
		wait_arm(&again, s, retry ? SOCK_TX_RETRY_MS : 0);
		mutex_lock(&s->lock);
		int err = s->shut_wr ? -EPIPE : s->state != S_CONNECTED ?
			  (s->state == S_CLOSED ? -EPIPE : -ENOTCONN) : 0;
		while (err == 0 && s->tx_full && s->state == S_CONNECTED && !wait_over(&again))
			err = wait_on(w, s);
		mutex_unlock(&s->lock);
		wait_disarm(&again);
		if (err < 0)
			return done ? (int)done : err;
		struct req r = { .s = s, .buf = buf + done, .len = len - done };
		net_run(do_write, &r);
		if (r.result < 0)
			return done ? (int)done : r.result;
		done += r.result;
		retry = r.retry;
	}
	return done;
}

int sock_write(struct sock *s, struct uio *u)
{
	uint8_t *buf = kmalloc(SOCK_TX_CHUNK);
	if (!buf)
		return -ENOMEM;
	struct wait w;
	wait_arm(&w, s, __atomic_load_n(&s->sndtimeo, __ATOMIC_RELAXED));
	int total = 0;
	while (u->len > 0) {
		uint32_t n = u->len < SOCK_TX_CHUNK ? u->len : SOCK_TX_CHUNK;
		int err = uio_move(u, buf, n, false);
		if (err == 0)
			err = send_all(s, buf, n, &w);
		if (err < 0) {
			total = total ? total : err;
			break;
		}
		total += err;
		if ((uint32_t)err < n)
			break;
	}
	wait_disarm(&w);
	kfree(buf);
	return total;
}
