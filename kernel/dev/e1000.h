/*
 * e1000.h: the Intel 82540EM Ethernet controller, QEMU's -device e1000
 * (docs/network.md, "The e1000"). The driver owns the card's rings and
 * buffers and copies frames in and out; it knows nothing of protocols.
 *
 * One client, the network thread (net/net.c), calls e1000_rx_poll,
 * e1000_send and e1000_link_up; the interrupt handler only reads the
 * cause and calls the client's hook, so the rings need no lock.
 */
#ifndef DEV_E1000_H
#define DEV_E1000_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define E1000_FRAME_MAX 1518	/* an Ethernet frame, header and FCS excluded: 1514 */

/* Counters since boot, for kstat (each a 32-bit count that wraps). */
struct e1000_stats {
	uint32_t rx_packets, rx_bytes;	/* frames handed to the client */
	uint32_t tx_packets, tx_bytes;	/* frames the card has sent */
	uint32_t rx_drops;		/* frames lost: ring full, or the client had no room */
	uint32_t errors;		/* frames the card received damaged, or could not send */
};

/* Find the card on the PCI bus, map its registers, reset it, read its
 * MAC address, set up the rings and take its interrupt, which calls
 * hook (in interrupt context: it must only wake someone). False if there
 * is no card or no memory for it. Boot only. */
bool e1000_init(void (*hook)(void));
/* Is there a card that e1000_init set up? */
bool e1000_present(void);
void e1000_mac(uint8_t mac[6]);
/* Is the link up (STATUS.LU, the last interrupt's or the card's)? */
bool e1000_link_up(void);
/* Hand each frame the card has received to deliver, then give its buffer
 * back to the card; returns how many. Damaged frames are counted and
 * skipped. deliver returns false when it had no room (a drop). Also
 * reclaims (and counts) the frames the card has sent. */
int e1000_rx_poll(bool (*deliver)(const void *frame, size_t len, void *arg), void *arg);
/* Queue one frame of len bytes (at most E1000_FRAME_MAX - 4), gathered
 * by fill into the descriptor's buffer; -EBUSY if the ring is full,
 * -EINVAL if too long. Buffers the card has sent are reclaimed first. */
int e1000_send(size_t len, void (*fill)(void *buf, size_t len, void *arg), void *arg);
void e1000_stats(struct e1000_stats *out);

#endif
