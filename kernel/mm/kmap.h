/*
 * kmap.h: reaching user frames from the kernel.
 *
 * The kernel maps only the low 16 MiB, and user frames live above it. To
 * zero, copy or fill one (in any address space, not only the current
 * one) the kernel points one of its KMAP slots at the frame for the
 * length of the operation. Each CPU has its own slots, taken with its
 * own spinlock (interrupts off, so a thread cannot be preempted while it
 * holds a slot another thread on this CPU would reuse).
 */
#ifndef MM_KMAP_H
#define MM_KMAP_H

#include <stddef.h>
#include <stdint.h>

/* Fill the frame at physical address pa with zeros. */
void frame_zero(uint32_t pa);
/* Copy the frame at src to the frame at dst. */
void frame_copy(uint32_t dst, uint32_t src);
/* Copy n bytes from kernel memory src to offset off of frame pa
 * (off + n <= PAGE_SIZE). src must not be user memory. */
void frame_write(uint32_t pa, size_t off, const void *src, size_t n);
/* Copy n bytes from offset off of frame pa to kernel memory dst. */
void frame_read(void *dst, uint32_t pa, size_t off, size_t n);

#endif
