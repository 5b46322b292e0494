/*
 * string.h for lwIP's sources (docs/network.md, "The lwIP port"): the
 * kernel's memory and string functions under the names a libc gives them.
 */
#ifndef NET_PORT_STRING_H
#define NET_PORT_STRING_H

#include "lib/string.h"
#include "lib/str.h"

#endif
