/* net_info, net_ping, net_socks and the socket calls: system-call stubs for NET_INT, which fable.h (a
 * C-only header) defines as SYSCALL_RESERVED_7 (a Fable extension,
 * docs/abi/fable.md §10). The packet's first word is the operation, and
 * the caller's arguments (at most two) follow it. */
#include "stub.h"
#include <fable/net.h>

/* Build {op, arg1, arg2} below the stub's frame; a stub of one argument
 * copies a second word of the caller's stack that the kernel ignores. */
.macro NETOP name, op
	STUB_BEGIN \name
	pushl %esi
	pushl 12(%esp)		/* arg2: above %esi and the return address */
	pushl 12(%esp)		/* arg1: one word further down by now */
	pushl $\op
	movl %esp, %esi
	int $SYSCALL_RESERVED_7
	addl $12, %esp
	popl %esi
	ret
	STUB_END \name
.endm

	NETOP net_info, NET_INFO
	NETOP net_ping, NET_PING
	NETOP net_socket, NET_SOCKET
	NETOP bind, NET_BIND
	NETOP listen, NET_LISTEN
	NETOP accept, NET_ACCEPT
	NETOP connect, NET_CONNECT
	NETOP shutdown, NET_SHUTDOWN
	NETOP getsockname, NET_SOCKNAME
	NETOP getpeername, NET_PEERNAME
	NETOP net_rcvtimeo, NET_RCVTIMEO
	NETOP net_sndtimeo, NET_SNDTIMEO
	NETOP net_socks, NET_SOCKS
