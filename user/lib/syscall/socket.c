/*
 * socket.c: socket(), over the NET_SOCKET stub, which takes the type
 * alone: IPv4 and TCP are all there is (socket.h).
 */
#include <socket.h>

int net_socket(int type);

int socket(int domain, int type, int protocol)
{
	if (domain != AF_INET)
		return -EAFNOSUPPORT;
	if (protocol != 0)
		return -EPROTONOSUPPORT;
	return net_socket(type);
}
