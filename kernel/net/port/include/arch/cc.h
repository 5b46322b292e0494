/*
 * arch/cc.h: what lwIP asks of the compiler and the platform
 * (docs/network.md, "The lwIP port"). Fable's C library is the kernel's
 * own few functions, so the headers lwIP would take from a hosted libc
 * are named off here and their contents given below or in port/libc/.
 */
#ifndef NET_PORT_ARCH_CC_H
#define NET_PORT_ARCH_CC_H

/* gcc's and clang's freestanding headers give stddef.h and stdint.h;
 * inttypes.h, ctype.h and (for gcc, which passes it on to the host's
 * libc) limits.h are a hosted libc's. lwIP's core uses no limit macro. */
#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H    1
#define LWIP_NO_LIMITS_H   1
#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "u"

/* Messages and broken invariants go to the kernel's log and panic();
 * lwIP asserts only on its own invariants, never on what arrives from
 * the wire (malformed frames are counted and dropped). */
void net_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define LWIP_PLATFORM_DIAG(x)	do { net_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	panic("lwip: %s (%s:%d)", x, __FILE__, __LINE__)

/* DHCP's transaction ids, TCP's initial ports and sequence numbers. */
unsigned int net_rand(void);
#define LWIP_RAND() ((u32_t)net_rand())

#endif
