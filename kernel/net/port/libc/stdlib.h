/*
 * stdlib.h for lwIP's sources: netif_find() reads an interface's number
 * with atoi (kernel/net/port.c).
 */
#ifndef NET_PORT_STDLIB_H
#define NET_PORT_STDLIB_H

int atoi(const char *s);

#endif
