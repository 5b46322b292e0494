/*
 * fable.h: Fable's own system calls, vectors 0x80-0x83 and 0x85-0x87
 * (docs/abi/fable.md).
 * Pebbles programs never use them; tests, tools and debugging do.
 */
#ifndef _FABLE_H
#define _FABLE_H

#include <syscall_int.h>	/* the vectors, TASKLIST_INT among them */
#include <fable/kstat.h>	/* kstat_t */
#include <fable/taskinfo.h>	/* task_info_t, thread_info_t, TASKINFO_*, THRINFO_* */
#include <fable/pciinfo.h>	/* pci_info_t, PCI_BAR_* */
#include <fable/trace.h>	/* trace_event_t, trace_stat_t, TRACE_*, TREV_* */
#include <fable/net.h>		/* net_info_t, NET_* */

/* Write len bytes to the debug log (serial port), never to the console.
 * Returns 0, or negative for len < 0, len > 4096 or an unreadable buf. */
int debug_print(int len, const char *buf);

/* Fill *out as <fable/kstat.h> describes. Returns 0, or negative if out is not
 * writable for out->size bytes or out->size is < 4 or not a multiple of 4. */
int kstat(kstat_t *out);

/* Stop the machine. Under QEMU (isa-debug-exit at port 0xf4) QEMU exits
 * with ((status << 1) | 1) & 0xFF; elsewhere the machine halts. */
void poweroff(int status) __attribute__((__noreturn__));

/* The statuses the test runner reads as verdicts: QEMU exits 33 and 35. */
#define POWEROFF_PASS 0x10
#define POWEROFF_FAIL 0x11

/*
 * tasklist (vector 0x83, packet {buf, max}): one consistent snapshot of
 * every task, for ps. Tasks come in increasing id order; the first max
 * are stored in buf[0..max-1]. Returns the number of tasks that exist
 * (which may exceed max: call again with a larger buffer), or negative
 * if max < 0 or buf is not writable for max entries (nothing is
 * written then). max == 0 only counts, and buf is not looked at.
 */
int tasklist(task_info_t *buf, int max);

/*
 * pci_list (vector 0x86, the devices call, packet {DEVICES_PCI_LIST, buf,
 * max}): the PCI functions the kernel found at boot, in bus, device,
 * function order; the first max are stored in buf[0..max-1]. Returns how
 * many there are (call again with a larger buffer if that exceeds max),
 * or negative if max < 0 or buf is not writable for the entries to be
 * stored (nothing is written then). max == 0 only counts.
 */
int pci_list(pci_info_t *buf, int max);

/*
 * The kernel trace (vector 0x85, packet {op, ...}; docs/abi/fable.md §9).
 * trace_set: record the classes of mask (TRACE_SCHED ... TRACE_TLB, and
 * TRACE_DUMP: write the buffer to the debug log at poweroff; TRACE_FIRST:
 * keep the oldest events when the buffer is full); returns the
 * previous mask, or negative for unknown bits or if the kernel has no
 * memory for the buffer (allocated while the mask is nonzero, freed when
 * it is 0 and the buffer empty). trace_set_size: the same, each CPU's
 * ring holding events events (a power of two, TRACE_EVENTS_MIN to
 * TRACE_EVENTS_MAX) from now on. trace_read: move up to max
 * of the oldest events into buf; returns how many, or negative if max < 0,
 * max > TRACE_READ_MAX or buf is not writable for max events (nothing is
 * taken then). trace_clear: drop every buffered event and the lost count;
 * returns 0. trace_stat: fill *out; returns 0 or negative if out is not
 * writable.
 */
int trace_set(unsigned int mask);
int trace_read(trace_event_t *buf, int max);
int trace_clear(void);
int trace_stat(trace_stat_t *out);
int trace_set_size(unsigned int mask, unsigned int events);

/*
 * The network (vector 0x87, packet {op, ...}; docs/abi/fable.md §10).
 * net_info: fill *out with the interface's address, netmask, gateway,
 * MAC and link; returns 0, or negative without a network card or if out
 * is not writable. net_ping: one ICMP echo request to addr (network byte
 * order), waiting at most timeout_ms (1 to 10000) for the reply; returns
 * the round trip in milliseconds, or negative: no reply in time, no card
 * or no address yet, a timeout out of range. net_socks: every socket,
 * the first max (0 to NET_SOCKS_MAX) described in buf[]; returns how many
 * there are (maybe more than max), or negative: max out of range, buf
 * not writable for max entries, no card.
 */
int net_info(net_info_t *out);
int net_ping(unsigned int addr, unsigned int timeout_ms);
int net_socks(net_sockinfo_t *buf, int max);

#endif /* _FABLE_H */
