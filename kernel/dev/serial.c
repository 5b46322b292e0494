/*
 * serial.c: the 16550 UART at COM1 (0x3F8), 115200 8N1.
 *
 * Output is polled: the transmitter is ready long before a line is
 * formatted, and polling works in a panic with interrupts off. Input is
 * interrupt driven (IRQ4) and joins the keyboard's stream (docs/abi/console.md
 * §2.1), so a user of a serial-only QEMU can type.
 */
#include <stdint.h>
#include "dev/serial.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "sync/spinlock.h"

#define COM1 0x3F8
#define DATA 0		/* rx/tx; divisor low when DLAB=1 */
#define IER  1		/* interrupt enable; divisor high when DLAB=1 */
#define FCR  2
#define LCR  3
#define MCR  4
#define LSR  5
#define LSR_RX_READY 0x01
#define LSR_TX_EMPTY 0x20

#define FIFO_DEPTH 16	/* transmit FIFO of a 16550A */

static struct spinlock lock = SPINLOCK_INIT("serial");	/* the port's output */
static int fifo_room;		/* [lock] bytes the transmit FIFO still takes */
static void (*rx)(char c);	/* [boot] */
static int present;		/* [boot] a UART answered at COM1 */

static void rx_irq(struct trapframe *tf)
{
	(void)tf;
	while (inb(COM1 + LSR) & LSR_RX_READY) {
		char c = inb(COM1 + DATA);
		if (c == '\r')
			c = '\n';
		else if (c == 0x7F)
			c = '\b';
		if (rx)
			rx(c);
	}
}

void serial_init(void)
{
	outb(COM1 + IER, 0);
	outb(COM1 + LCR, 0x80);		/* DLAB: set the divisor */
	outb(COM1 + DATA, 1);		/* 115200 / 1 */
	outb(COM1 + IER, 0);
	outb(COM1 + LCR, 0x03);		/* 8 bits, no parity, 1 stop */
	outb(COM1 + FCR, 0xC7);		/* FIFOs on, cleared, 14-byte trigger */
	outb(COM1 + MCR, 0x0B);		/* DTR, RTS, OUT2 (routes the IRQ) */
	present = inb(COM1 + LSR) != 0xFF;
	if (!present)
		return;
	outb(COM1 + IER, 0x01);		/* interrupt on received data */
	irq_set(4, rx_irq);
}

void serial_set_rx(void (*fn)(char c))
{
	rx = fn;
}

/*
 * Send one byte. The transmitter empties its 16-byte FIFO before it says
 * "empty", so after one look at the status we may write 16 bytes: a
 * status read for every 16 bytes rather than for each one. The wait has
 * no time limit: a UART that answered at boot always drains, and under
 * QEMU a slow reader on the host side holds "empty" back for as long as
 * it lags (giving up after a while lost 16 bytes at a time when the host
 * was busy). Caller holds lock.
 */
static void putc_raw(char c)
{
	if (fifo_room == 0) {
		while (!(inb(COM1 + LSR) & LSR_TX_EMPTY))
			__asm__ volatile("pause");
		fifo_room = FIFO_DEPTH;
	}
	fifo_room--;
	outb(COM1 + DATA, c);
}

/* For a terminal, a line ends in "\r\n" and "\b \b" erases. */
void serial_write(const char *buf, size_t len)
{
	if (!present)
		return;
	uint32_t f = spin_lock(&lock);
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (c == '\n') {
			putc_raw('\r');
		} else if (c == '\b') {
			putc_raw('\b');
			putc_raw(' ');
		}
		putc_raw(c);
	}
	spin_unlock(&lock, f);
}
