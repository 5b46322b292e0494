/*
 * socket.c: socket(), over the NET_SOCKET stub, which takes the type
 * alone: IPv4 and TCP are all there is; setsockopt(), over one stub per
 * option (socket.h).
 */
#include <socket.h>

int net_socket(int type);
int net_rcvtimeo(int fd, unsigned int ms);
int net_sndtimeo(int fd, unsigned int ms);

int socket(int domain, int type, int protocol)
{
	if (domain != AF_INET)
		return -EAFNOSUPPORT;
	if (protocol != 0)
		return -EPROTONOSUPPORT;
	return net_socket(type);
}

int setsockopt(int fd, int level, int name, const void *val, int len)
{
	if (level != SOL_SOCKET || (name != SO_RCVTIMEO && name != SO_SNDTIMEO) ||
	    len != sizeof(unsigned int))
		return -EINVAL;
	unsigned int ms = *(const unsigned int *)val;
	return name == SO_RCVTIMEO ? net_rcvtimeo(fd, ms) : net_sndtimeo(fd, ms);
}
