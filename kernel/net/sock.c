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
 * Lock tags (docs/sync.md): [m] s->lock, [o] the network thread, [c]
 * constant after sock_alloc, [a] atomic.
 */
#include "net/sock.h"
#include "net/net.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "sync/cond.h"
#include "sync/mutex.h"
#include "upcall.h"
#include "lwip/tcp.h"

#define SOCK_RX		8192	/* the receive ring: more than TCP_WND */
#define SOCK_TX_CHUNK	2048	/* bytes of a write handed to lwIP at once */

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
};

static uint32_t nr_socks;		/* [a] */

uint32_t sock_count(void)
{
	return __atomic_load_n(&nr_socks, __ATOMIC_RELAXED);
}

static struct sock *sock_alloc(void)
{
	struct sock *s = kzalloc(sizeof *s);
	uint8_t *rx = kmalloc(SOCK_RX);
	if (!s || !rx) {
		kfree(s);
		kfree(rx);
		return NULL;
	}
	s->rx = rx;
	mutex_init(&s->lock, "socket");
	cond_init(&s->cv);
	__atomic_add_fetch(&nr_socks, 1, __ATOMIC_RELAXED);
	return s;
}

static void sock_free(struct sock *s)
{
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

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)pcb;
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

/* A connection for a listener: a socket in its backlog, or refused
 * (lwIP then aborts it) when the backlog is full or memory is short. */
static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *l = arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	mutex_lock(&l->lock);
	struct sock *c = l->nbacklog < l->backlog_max ? sock_alloc() : NULL;
	if (c) {
		attach(c, pcb);
		c->bound = true;
		c->state = S_CONNECTED;
		l->backlog[l->nbacklog++] = c;
		wake(l);
	}
	mutex_unlock(&l->lock);
	return c ? ERR_OK : ERR_MEM;
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

/* As much of buf as lwIP's send buffer takes now; tx_full if none. */
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

/* Caller holds s->lock: sleep until woken; -ETIMEDOUT past the deadline,
 * -EINTR if the thread is being killed. */
static int wait_on(struct wait *w, struct sock *s)
{
	if (w->armed && (int32_t)(net_now() - w->t.deadline) >= 0)
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
	struct sock *s = sock_alloc();
	if (!s)
		return -ENOMEM;
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

/* Hand buf to lwIP, waiting while its send buffer is full: the bytes
 * taken, or an error if none were. */
static int send_all(struct sock *s, const uint8_t *buf, uint32_t len, struct wait *w)
{
	uint32_t done = 0;
	while (done < len) {
		mutex_lock(&s->lock);
		int err = s->shut_wr ? -EPIPE : s->state != S_CONNECTED ?
			  (s->state == S_CLOSED ? -EPIPE : -ENOTCONN) : 0;
		while (err == 0 && s->tx_full && s->state == S_CONNECTED)
			err = wait_on(w, s);
		mutex_unlock(&s->lock);
		if (err < 0)
			return done ? (int)done : err;
		struct req r = { .s = s, .buf = buf + done, .len = len - done };
		net_run(do_write, &r);
		if (r.result < 0)
			return done ? (int)done : r.result;
		done += r.result;
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
