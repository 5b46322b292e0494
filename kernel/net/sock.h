/*
 * sock.h: TCP sockets (docs/network.md, "Sockets"), the objects behind
 * descriptors of kind FILE_SOCK. Reads, writes and the last close come
 * from fs/file.c through upcall.h; the rest from syscall/sys_fable.c.
 * Every call may sleep; the blocking ones (accept, connect, read, and a
 * write with a full send buffer) return -EINTR when the thread is being
 * killed. Addresses and ports are in network byte order.
 */
#ifndef NET_SOCK_H
#define NET_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <fable/net.h>

struct sock;

/* Sockets alive (kstat, leak checks). */
uint32_t sock_count(void);

/* Every socket, the first max (at most NET_SOCKS_MAX) into out[]: the
 * number of sockets. Precondition: net_up(). */
int sock_list(struct net_sockinfo *out, int max);
/* A new TCP socket: 0, -ENETDOWN without a card, -ENOMEM. */
int sock_new(struct sock **out);
int sock_bind(struct sock *s, const struct net_sockaddr *a);
int sock_listen(struct sock *s, int backlog);
/* The next connection, *out new; its peer into *peer. */
int sock_accept(struct sock *s, struct sock **out, struct net_sockaddr *peer);
int sock_connect(struct sock *s, const struct net_sockaddr *a);
int sock_shutdown(struct sock *s, int how);
int sock_name(struct sock *s, bool peer, struct net_sockaddr *out);
/* How long a read (send false) or a write waits at most, in ms (0: no
 * limit, up to NET_TIMEOUT_MAX_MS); past it, -ETIMEDOUT if nothing moved. */
int sock_set_timeout(struct sock *s, bool send, uint32_t ms);

#endif
