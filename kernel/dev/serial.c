/*
 * serial.c: the 16550 UART at COM1 (0x3F8), 115200 8N1.
 *
 * Output from a thread is interrupt driven: bytes go straight into the
 * transmit FIFO while it has room and nothing waits before them, and
 * otherwise into a ring that the THRE interrupt (IRQ4, "transmitter
 * empty") drains; a writer finding the ring full sleeps until it has
 * drained to half. So a slow line (a real UART at 115200 baud, or a
 * test runner that falls behind) makes writers sleep, never spin with
 * interrupts off. Output where no thread may sleep (boot before the
 * scheduler, interrupts off, a panic) is polled, after what the ring
 * holds. No byte is ever dropped: a UART that answered at boot always
 * drains, so every wait ends. A line stays whole: a thread writes a
 * line at a time, and a polled write waits for the line under way on
 * another CPU (docs/smp.md, "Lines that mixed").
 *
 * Input is interrupt driven too (IRQ4) and joins the keyboard's stream
 * (docs/abi/console.md §2.1), so a user of a serial-only QEMU can type.
 */
#include <stdbool.h>
#include <stdint.h>
#include "dev/serial.h"
#include "arch/x86/pit.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "proc/sched.h"
#include "proc/nopreempt.h"
#include "proc/thread.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include "debug/debug.h"

#define COM1 0x3F8
#define DATA 0		/* rx/tx; divisor low when DLAB=1 */
#define IER  1		/* interrupt enable; divisor high when DLAB=1 */
#define FCR  2		/* FIFO control (write) */
#define LCR  3
#define MCR  4
#define LSR  5
#define IER_RX   0x01	/* interrupt on received data */
#define IER_THRE 0x02	/* interrupt when the transmitter is empty */
#define LSR_RX_READY 0x01
#define LSR_TX_EMPTY 0x20	/* the transmit FIFO is empty */
#define LSR_TX_IDLE  0x40	/* ... and so is the shift register: all sent */

#define FIFO_DEPTH 16	/* transmit FIFO of a 16550A */
#define RING_SIZE 4096	/* a power of two */
#define CHUNK 64	/* source bytes per hold of the lock (at most 3 out each) */
#define LINE_ROOM (RING_SIZE / 6)	/* a line's characters the ring must have
					 * room for before it starts (3 bytes each:
					 * half the ring at most) */
#define POLL_BACKOFF 1024	/* pauses between two looks at the status, at most */
#define POLLED_WAIT (1 << 24)	/* lock_between_writes' tries, at most */
#define LOADS_PER_TICK 8	/* FIFO loads IRQ4 may send in one PIT tick: 128
				 * bytes, more than a 115200-baud line sends */

/* Taken with interrupts off: IRQ4 drains the ring. Lock order: after
 * writers, before sched_lock (docs/sync.md). */
/* Lock tags (docs/sync.md): [a] atomic, [b] boot, [s] sched_lock,
 * [l] lock, the serial spinlock (not taken once stopping is set). */
static struct spinlock lock = SPINLOCK_INIT("serial");
static struct mutex writers = MUTEX_INIT(writers, "serial writers");	/* one queued write at a time; held unpreempted */
static struct waitq room = WAITQ_INIT(room);	/* [s] the writer waiting for the ring */
static char ring[RING_SIZE];	/* [l] bytes for the transmitter, the oldest at head */
static unsigned head, queued;	/* [l] */
static int fifo_room;		/* [l] bytes the transmit FIFO still takes */
static bool tx_irq;		/* [l] the THRE interrupt is on: IRQ4 drains the ring */
static bool tx_paused;		/* [l] IRQ4 spent its tick's loads with bytes left:
				 * the next tick turns it on again (serial_tick
				 * peeks without the lock) */
static uint32_t load_tick;	/* [l] the PIT tick that loads counts for */
static int loads;		/* [l] FIFO loads IRQ4 sent in load_tick */
static bool stopping;		/* [a] every write is polled and takes no lock */
static bool irq_owed;		/* [a] IRQ4 found lock taken and left its
				 * work to the holder (settle) */
static bool writer_waits;	/* [l] the queued writer sleeps for room */
static int writing_cpu = -1;	/* [l] the CPU of a queued write between two
				 * of its chunks; -1: none, or it sleeps.
				 * Watched without the lock (atomic loads) */
static void (*rx)(char c);	/* [b] */
static int present;		/* [b] a UART answered at COM1 */

/* "Caller holds lock", checked in debug builds; a stopping machine runs
 * nothing else and writes without the lock (serial_stop). */
#define ASSERT_LOCKED() do { if (!stopping) ASSERT_HELD(&lock); } while (0)

/*
 * Whether the transmit FIFO takes another byte. It empties completely
 * before it says "empty", so after one look at the status we may write
 * 16 bytes: a status read for every 16 bytes rather than for each one.
 * Caller holds lock.
 */
static bool fifo_ready(void)
{
	ASSERT_LOCKED();
	if (fifo_room == 0 && (inb(COM1 + LSR) & LSR_TX_EMPTY))
		fifo_room = FIFO_DEPTH;
	return fifo_room > 0;
}

static void send_raw(char c)
{
	outb(COM1 + DATA, c);
}

/* Caller holds lock and checked fifo_ready(). */
static void send(char c)
{
	ASSERT_LOCKED();
	fifo_room--;
	send_raw(c);
}

/* Caller holds lock; the ring is not empty. */
static char ring_pop(void)
{
	ASSERT_LOCKED();
	char c = ring[head];
	head = (head + 1) % RING_SIZE;
	queued--;
	return c;
}

/* Turn the THRE interrupt on or off. Caller holds lock. */
static void set_tx_irq(bool on)
{
	ASSERT_LOCKED();
	if (tx_irq == on)
		return;
	tx_irq = on;
	outb(COM1 + IER, on ? IER_RX | IER_THRE : IER_RX);
}

/*
 * Wait a while, longer each time (spins doubles up to POLL_BACKOFF), between
 * two looks at the status register. Under QEMU each look takes the
 * emulator's global lock, and a CPU that looked without a pause kept it
 * from the thread that sends the FIFO's bytes on to the host when the
 * host is slow to take them: the FIFO never emptied, and a polled write
 * spun for ever (serial_lines_smp: 1 run in 12 without the wait, none
 * in 30 with it).
 */
static unsigned backoff(unsigned spins)
{
	for (unsigned i = 0; i < spins; i++)
		__asm__ volatile("pause");
	return spins < POLL_BACKOFF ? 2 * spins : spins;
}

/* Caller holds lock, or the machine is stopping. With interrupts off it
 * spins on the status register: the polled paths only. */
static void send_polled(char c)
{
	ASSERT_LOCKED();
	for (unsigned spins = 1; !fifo_ready();)
		spins = backoff(spins);
	send(c);
}

/* Send everything the ring holds, waiting for the FIFO: output that
 * cannot wait for IRQ4 goes after it. Caller holds lock (or the machine
 * is stopping), interrupts off. */
static void rearm(void);

static void flush_polled(void)
{
	ASSERT_LOCKED();
	while (queued)
		send_polled(ring_pop());
	tx_paused = false;
	/* A writer asleep for room must hear that the ring is empty, and
	 * only IRQ4 wakes it (a polled writer may hold sched_lock): leave
	 * THRE on and raise the line once more. With it off the writer
	 * slept for good while polled lines went on (serial_lines_smp). */
	set_tx_irq(writer_waits);
	if (writer_waits)
		rearm();
}

/* Up to max bytes of the ring into the FIFO, as much as it takes now;
 * returns how many went. Caller holds lock. */
static int drain_some(int max)
{
	ASSERT_LOCKED();
	int n = 0;
	for (; n < max && queued && fifo_ready(); n++)
		send(ring_pop());
	return n;
}

/*
 * IRQ4's share: one FIFO's worth of the ring (under QEMU the FIFO is
 * empty again at once: the rest waits for the next interrupt, so that
 * one never keeps interrupts off for long), and at most LOADS_PER_TICK
 * of them in a PIT tick. Under QEMU the interrupt comes back as soon as
 * it returns while the ring holds anything, and its vector (0x24) is
 * above the keyboard's and the timer's, which the local APIC would
 * otherwise never deliver before the ring is empty (docs/smp.md, "An
 * interrupt that comes back at once"). Once the tick's loads are spent
 * the interrupt is off until serial_tick(). Caller holds lock.
 */
static void drain(void)
{
	ASSERT_LOCKED();
	uint32_t now = pit_ticks();
	if (now != load_tick) {
		load_tick = now;
		loads = 0;
	}
	if (loads < LOADS_PER_TICK && drain_some(FIFO_DEPTH) > 0)
		loads++;
	tx_paused = queued > 0 && loads == LOADS_PER_TICK;
	set_tx_irq(queued > 0 && !tx_paused);
}

/*
 * Make the UART's interrupt line fall and rise again if a cause is
 * pending: the PIC sees edges, and a line left up (a byte received
 * meanwhile, the FIFO empty again) would never interrupt again. Turning
 * every cause off drops the line; turning them back on raises it for
 * whatever is pending, which interrupts once we return. Caller holds lock.
 */
static void rearm(void)
{
	ASSERT_LOCKED();
	outb(COM1 + IER, 0);
	outb(COM1 + IER, tx_irq ? IER_RX | IER_THRE : IER_RX);
}

/* Wake the writer once the ring is half empty, or once IRQ4 spent its
 * tick's loads: the writer then drains the ring itself (put_chunk), and
 * need not wait for the ticks. Caller holds lock. */
static void wake_writer(void)
{
	ASSERT_LOCKED();
	if (queued > RING_SIZE / 2 && !tx_paused)
		return;
	spin_lock(&sched_lock);
	sched_wake_all(&room);
	spin_unlock(&sched_lock, 0);	/* interrupts stay off: we hold lock */
}

/* Hand every received byte to the input stream (no lock: rx takes its own). */
static void receive(void)
{
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

/* IRQ4's work for the transmitter: the ring into the FIFO, the writer
 * woken, the line raised again. Caller holds lock. */
static void tx_work(void)
{
	ASSERT_LOCKED();
	drain();
	wake_writer();
	rearm();
}

/*
 * Do the work IRQ4 left, if lock is free; if it is not, its holder does
 * it when it lets go (serial_unlock). IRQ4 never spins for lock: on
 * SMP the holder may be a writer on another CPU, and a CPU spinning in
 * IRQ4 with interrupts off served neither the keyboard nor the timer
 * meanwhile; under QEMU's -icount, which runs the CPUs in turns, it
 * spun through whole turns while the holder did not run at all
 * (docs/smp.md, "An interrupt that comes back at once"). Setting
 * irq_owed before the try, and reading it after every release (both
 * xchg, full barriers), means one of the two sides always sees the other.
 * A polled writer may hold sched_lock, so it wakes nobody: it moves the
 * ring on and leaves THRE on while the writer sleeps, and the IRQ4 that
 * follows wakes it (as flush_polled). Interrupts are off.
 */
static void settle(bool polled)
{
	while (__atomic_load_n(&irq_owed, __ATOMIC_SEQ_CST) && spin_tryacquire(&lock)) {
		__atomic_store_n(&irq_owed, false, __ATOMIC_SEQ_CST);
		if (!polled) {
			tx_work();
		} else {
			drain();
			if (writer_waits)
				set_tx_irq(true);
			rearm();
		}
		spin_unlock_irqs_off(&lock);
	}
}

/* Release lock, do any work IRQ4 left meanwhile (settle), and restore
 * the interrupt state f. Caller holds lock; polled: it may hold other
 * spinlocks too. */
static void serial_unlock(uint32_t f, bool polled)
{
	ASSERT_HELD(&lock);
	spin_unlock_irqs_off(&lock);
	if (__atomic_load_n(&irq_owed, __ATOMIC_SEQ_CST))	/* rare: inline the look */
		settle(polled);
	if (f & EFLAGS_IF)
		sti();
}

/* IRQ4: received bytes, and a transmitter that emptied. */
static void serial_irq(struct trapframe *tf)
{
	(void)tf;
	receive();
	__atomic_store_n(&irq_owed, true, __ATOMIC_SEQ_CST);
	settle(false);
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
	outb(COM1 + IER, IER_RX);
	irq_set(4, serial_irq);
}

void serial_set_rx(void (*fn)(char c))
{
	rx = fn;
}

/*
 * A terminal ends a line with "\r\n" and erases with "\b \b": the bytes
 * c becomes on the line are these many (at most 2), then c itself.
 */
static int prefix(char c)
{
	switch (c) {
	case '\n': return 1;
	case '\b': return 2;
	default: return 0;
	}
}

/* Hand c's bytes to out, one by one. */
static void expand(char c, void (*out)(char))
{
	if (c == '\n') {
		out('\r');
	} else if (c == '\b') {
		out('\b');
		out(' ');
	}
	out(c);
}

/*
 * The common case, kept short because every print goes through it:
 * nothing is queued, so bytes go straight from buf to the FIFO while it
 * has room. Returns how many characters of buf went. Caller holds lock
 * and the ring is empty.
 */
static size_t send_direct(const char *buf, size_t len)
{
	ASSERT_LOCKED();
	int room = fifo_room;
	size_t i;
	for (i = 0; i < len; i++) {
		char c = buf[i];
		int extra = prefix(c);
		if (room <= extra) {
			if (!(inb(COM1 + LSR) & LSR_TX_EMPTY))
				break;
			room = FIFO_DEPTH;
		}
		room -= extra + 1;
		if (extra)
			expand(c, send_raw);
		else
			outb(COM1 + DATA, c);
	}
	fifo_room = room;
	return i;
}

/* Caller holds lock; the ring has room. */
static void ring_push(char c)
{
	ASSERT_LOCKED();
	ring[(head + queued++) % RING_SIZE] = c;
}

/*
 * Put up to CHUNK characters of buf: straight to the FIFO if nothing
 * waits, the rest into the ring while it has room for what each
 * becomes. Returns how many were taken. Caller holds lock: interrupts
 * are off for one chunk only, at most 3 * CHUNK port writes.
 *
 * Bytes waiting in the ring go first, and the writer moves them into
 * the FIFO itself, within that budget, rather than leave them all to
 * IRQ4. Under QEMU the FIFO empties at once, so IRQ4 comes again as
 * soon as it returns while the ring holds anything; a writer on another
 * CPU that only appended would keep the ring from emptying, and the
 * CPU that takes IRQ4 would serve nothing else for as long as it
 * printed: the local APIC gives the highest pending vector first, and
 * the keyboard's 0x21 and the timer's 0x20 are below the serial line's
 * 0x24 (docs/smp.md, "An interrupt that comes back at once"). What is
 * left of the budget sends buf directly once the ring is empty, so
 * under QEMU the ring shrinks with every chunk and the writer is soon
 * back to writing straight to the FIFO.
 */
static size_t put_chunk(const char *buf, size_t len)
{
	ASSERT_LOCKED();
	size_t n = len < CHUNK ? len : CHUNK, i = 0;
	int budget = 3 * CHUNK;		/* port writes; a character takes at most 3 */
	if (queued)
		budget -= drain_some(budget);
	if (queued == 0)
		i = send_direct(buf, n < (size_t)budget / 3 ? n : (size_t)budget / 3);
	for (; i < n && RING_SIZE - queued >= 3; i++)
		expand(buf[i], ring_push);
	set_tx_irq(queued > 0 && !tx_paused);
	return i;
}

/*
 * Sleep until IRQ4 has drained the ring to half. Caller holds lock and
 * the THRE interrupt is on (or paused until the next tick, which turns
 * it on again); lock is dropped only once we are queued
 * under sched_lock, so the wake-up cannot be missed. Returns with lock
 * held again.
 */
static void wait_room(void)
{
	ASSERT_LOCKED();
	__atomic_store_n(&writing_cpu, -1, __ATOMIC_RELAXED);	/* polled writes may go
								 * in while we sleep */
	writer_waits = true;
	for (;;) {
		if (__atomic_exchange_n(&irq_owed, false, __ATOMIC_SEQ_CST))
			tx_work();
		spin_lock(&sched_lock);
		spin_unlock(&lock, 0);	/* interrupts stay off until we sleep */
		/* IRQ4 that found lock taken before we let go left us its
		 * work, which may be the very wake-up we would sleep for. */
		if (!__atomic_load_n(&irq_owed, __ATOMIC_SEQ_CST))
			break;
		spin_unlock(&sched_lock, 0);
		spin_lock(&lock);
	}
	sched_block(&room);
	spin_unlock(&sched_lock, 0);
	spin_lock(&lock);
	writer_waits = false;
}

/* Bytes of buf through its first newline, or all len if it has none. */
static size_t line_len(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n')
			return i + 1;
	return len;
}

/*
 * Before a line's first chunk: sleep until the ring has room for all
 * of it (at most 3 bytes a character), so that the line goes out
 * without a sleep in its middle, where a polled write would go in
 * (lock_between_writes). A line longer than LINE_ROOM may still sleep
 * in its middle. The writer moves the ring's bytes to the FIFO itself
 * while it takes them (as put_chunk does), and sleeps when it does not:
 * wait_room wakes it at half full, which is room enough, or when IRQ4
 * pauses, and it looks again. Caller holds lock.
 */
static void room_for_line(size_t line)
{
	ASSERT_LOCKED();
	size_t need = 3 * (line < LINE_ROOM ? line : LINE_ROOM);
	while (RING_SIZE - queued < need)
		if (drain_some(3 * CHUNK) == 0)
			wait_room();
}

/* A thread's write: through the ring, a line at a time, sleeping while
 * the ring is full. */
static void write_queued(const char *buf, size_t len)
{
	size_t line = 0;	/* what is left of the line under way */
	mutex_lock(&writers);
	nopreempt_begin();	/* as the console's lock: no convoy of printers */
	while (len) {
		/* Interrupts off for one chunk: IRQ4 shares the ring and the UART. */
		uint32_t f = spin_lock(&lock);
		if (line == 0) {
			line = line_len(buf, len);
			room_for_line(line);
		}
		size_t n = put_chunk(buf, line);
		if (n < line && RING_SIZE - queued < 3)
			wait_room();
		line -= n;
		__atomic_store_n(&writing_cpu, line ? (int)cpu_index() : -1, __ATOMIC_RELAXED);
		serial_unlock(f, false);
		buf += n;
		len -= n;
	}
	mutex_unlock(&writers);
	nopreempt_end();
}

/*
 * Take lock for a polled write, once a queued write under way on another
 * CPU has ended: on SMP that writer releases the lock between its
 * chunks, and a polled line (a kernel message from a CPU that cannot
 * sleep) went in there, in the middle of its line. The wait is bounded,
 * because that CPU may be held, between two chunks, by an interrupt
 * handler that spins on a lock this CPU holds: then, and while the
 * writer sleeps for room in the ring, the lines may still mix.
 */
static uint32_t lock_between_writes(void)
{
	for (int tries = 0;; tries++) {
		/* Watch without the lock: taking it in a loop kept the writer
		 * from its next chunk. */
		int w = __atomic_load_n(&writing_cpu, __ATOMIC_RELAXED);
		if (w >= 0 && w != (int)cpu_index() && tries < POLLED_WAIT) {
			__asm__ volatile("pause");
			continue;
		}
		uint32_t f = spin_lock(&lock);
		if (writing_cpu < 0 || writing_cpu == (int)cpu_index() || tries >= POLLED_WAIT)
			return f;
		serial_unlock(f, true);
	}
}

/* A write that cannot sleep: polled, after what the ring holds, and
 * after a queued write on another CPU (lock_between_writes). */
static void write_polled(const char *buf, size_t len)
{
	/* Interrupts off: IRQ4 shares the ring and the UART (and the caller
	 * cannot sleep, so it spins until the line takes the bytes). */
	uint32_t f = stopping ? 0 : lock_between_writes();
	flush_polled();
	for (size_t i = 0; i < len; i++)
		expand(buf[i], send_polled);
	if (!stopping)
		serial_unlock(f, true);
}

/* Whether the caller is a thread that may sleep: interrupts on (not in
 * an interrupt handler, holding no spinlock), past boot, not idle. */
static bool may_sleep(void)
{
	struct thread *t = curthread();
	return !stopping && (read_eflags() & EFLAGS_IF) && t && !t->idle;
}

void serial_write(const char *buf, size_t len)
{
	if (!present)
		return;
	if (may_sleep())
		write_queued(buf, len);
	else
		write_polled(buf, len);
}

void serial_flush(void)
{
	if (!present)
		return;
	uint32_t f = stopping ? 0 : spin_lock(&lock);	/* as write_polled */
	flush_polled();
	/* The FIFO's last bytes must be on the line before the machine
	 * stops: under QEMU a busy reader holds them back. */
	for (unsigned spins = 1; !(inb(COM1 + LSR) & LSR_TX_IDLE);)
		spins = backoff(spins);
	if (!stopping)
		serial_unlock(f, true);
}

void serial_tick(void)
{
	if (!present || stopping || !__atomic_load_n(&tx_paused, __ATOMIC_RELAXED))
		return;		/* the common case, without the lock */
	uint32_t f = spin_lock(&lock);
	tx_paused = false;
	set_tx_irq(queued > 0);
	serial_unlock(f, false);
}

void serial_stop(void)
{
	stopping = true;
}
