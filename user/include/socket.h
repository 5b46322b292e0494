/*
 * socket.h: TCP sockets over IPv4 - Fable's socket calls on vector 0x87
 * (docs/abi/fable.md §10), with the names of <sys/socket.h>. A socket
 * is a descriptor: read, write and close (unistd.h) work on it, fork
 * shares it, and the task's exit closes it. Every function returns what
 * the kernel returned: a descriptor or 0, or a negative error of
 * <errno.h> (there is no errno variable). Ports and addresses in a
 * sockaddr_in are in network byte order (htons, htonl).
 */
#ifndef _SOCKET_H
#define _SOCKET_H

#include <fable/net.h>
#include <errno.h>

#define AF_INET		NET_AF_INET
#define SOCK_STREAM	NET_SOCK_STREAM
#define SOMAXCONN	NET_BACKLOG_MAX
#define SHUT_RD		NET_SHUT_RD
#define SHUT_WR		NET_SHUT_WR
#define SHUT_RDWR	NET_SHUT_RDWR
#define INADDR_ANY	0
#define SOL_SOCKET	1
#define SO_RCVTIMEO	20
#define SO_SNDTIMEO	21

struct sockaddr_in {
	unsigned short sin_family;	/* AF_INET */
	unsigned short sin_port;	/* network order */
	unsigned int sin_addr;		/* network order */
};

/* domain AF_INET, type SOCK_STREAM, protocol 0: a new socket. */
int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr_in *addr);
/* Accept connections, at most backlog (1 to SOMAXCONN) waiting. */
int listen(int fd, int backlog);
/* Wait for a connection: its descriptor; its peer into *peer unless NULL. */
int accept(int fd, struct sockaddr_in *peer);
/* Wait until connected, or refused. */
int connect(int fd, const struct sockaddr_in *addr);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr_in *out);
int getpeername(int fd, struct sockaddr_in *out);
/* level SOL_SOCKET, name SO_RCVTIMEO or SO_SNDTIMEO, val an unsigned
 * int of milliseconds (0: wait for ever), len its size: how long a read
 * or a write waits at most before -ETIMEDOUT. */
int setsockopt(int fd, int level, int name, const void *val, int len);

static inline unsigned short htons(unsigned short x)
{
	return (unsigned short)(x << 8 | x >> 8);
}

static inline unsigned short ntohs(unsigned short x)
{
	return htons(x);
}

static inline unsigned int htonl(unsigned int x)
{
	return x << 24 | (x & 0xff00) << 8 | (x >> 8 & 0xff00) | x >> 24;
}

#endif /* _SOCKET_H */
