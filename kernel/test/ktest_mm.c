/*
 * ktest_mm.c: in-kernel tests of the memory system (mm/). The kernel
 * touches user memory here only the way system calls do, through
 * copy_from_user and friends in the current address space.
 */
#include "debug/ktest.h"
#include "arch/x86/x86.h"
#include "mm/kmalloc.h"
#include "mm/layout.h"
#include "mm/mm.h"
#include "mm/paging.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define BASE 0x40000000u	/* where the tests put their regions */

static struct mm_stats snap(void)
{
	struct mm_stats s;
	mm_stats(&s);
	return s;
}

/* Everything a leak would change. */
static bool same_usage(const struct mm_stats *a, const struct mm_stats *b)
{
	return a->free_frames == b->free_frames && a->used_frames == b->used_frames &&
	       a->reserved_frames == b->reserved_frames &&
	       a->heap_bytes_in_use == b->heap_bytes_in_use &&
	       a->page_tables == b->page_tables && a->page_dirs == b->page_dirs &&
	       a->kstacks == b->kstacks && a->vms == b->vms;
}

/* The 4 MiB spans (page tables) that pages [va, va + n pages) touch. */
static unsigned spans(uintptr_t va, unsigned n)
{
	return (unsigned)((((uint64_t)va + (uint64_t)n * PAGE_SIZE - 1) >> 22) - (va >> 22) + 1);
}

static uint32_t peek(uintptr_t va)
{
	uint32_t v = 0xBAD;
	KCHECK(copy_from_user(&v, va, sizeof v) == 0);
	return v;
}

static int poke(uintptr_t va, uint32_t v)
{
	return copy_to_user(va, &v, sizeof v);
}

KTEST(mm_counters)
{
	struct mm_stats s = snap();
	kprintf("mm: total %u free %u reserved %u used %u heap %u\n", s.total_frames,
		s.free_frames, s.reserved_frames, s.used_frames, s.heap_bytes_in_use);
	KCHECK(s.used_frames + s.reserved_frames + s.free_frames == s.total_frames);
	KCHECK(s.used_frames >= 1);	/* the zero frame */
	KCHECK(s.kernel_pages > 1000 && s.kernel_pages_free <= s.kernel_pages);
	KCHECK(mm_check());
}

KTEST(mm_kmalloc)
{
	struct mm_stats s0 = snap();
	char *a = kmalloc(1), *b = kmalloc(100), *c = kzalloc(3000);
	KCHECK(a && b && c && !((uintptr_t)a & 15) && !((uintptr_t)c & PAGE_MASK));
	KCHECK(snap().heap_bytes_in_use == s0.heap_bytes_in_use + 16 + 128 + PAGE_SIZE);
	bool zero = true;
	for (int i = 0; i < 3000; i++)
		zero &= c[i] == 0;
	KCHECK(zero);
	KCHECK(kmalloc(64u << 20) == NULL);	/* larger than the largest block */
	kfree(a);
	kfree(b);
	kfree(c);
	KCHECK(snap().heap_bytes_in_use == s0.heap_bytes_in_use);
	KCHECK(mm_check());
}

/* page_zero of the middle page of three, with CR0.TS as given: true if
 * it cleared that page, left its neighbours alone and CR0 and CR4 as
 * they were. */
static bool zero_middle(uint8_t *buf, bool ts)
{
	memset(buf, 0xAA, 3 * PAGE_SIZE);
	uint32_t f = read_eflags();
	cli();			/* page_zero's precondition */
	uint32_t cr0 = read_cr0(), cr4 = read_cr4();
	write_cr0(ts ? cr0 | CR0_TS : cr0 & ~CR0_TS);
	uint32_t want0 = read_cr0();
	page_zero(buf + PAGE_SIZE);
	bool regs = read_cr0() == want0 && read_cr4() == cr4;
	write_cr0(cr0);
	write_eflags(f);
	bool ok = regs;
	for (uint32_t i = 0; i < 3 * PAGE_SIZE; i++)
		ok &= buf[i] == (i / PAGE_SIZE == 1 ? 0 : 0xAA);
	return ok;
}

KTEST(mm_page_zero)
{
	uint8_t *buf = kmalloc(3 * PAGE_SIZE);
	KCHECK(buf && !((uintptr_t)buf & PAGE_MASK));
	KCHECK(zero_middle(buf, true));
	KCHECK(zero_middle(buf, false));
	kfree(buf);
}

/* Exhaust kernel memory: kmalloc must say NULL, never panic, and all of
 * it must come back. */
KTEST(mm_kmalloc_exhaust)
{
	struct mm_stats s0 = snap();
	void **list = NULL;
	unsigned n = 0;
	for (void **p; (p = kmalloc(16384)); n++) {
		*p = list;
		list = p;
	}
	unsigned small = 0;
	while (kmalloc(16) && small < 1000000)	/* then the slabs' last objects */
		small++;
	kprintf("mm: %u blocks of 16 KiB, then %u small objects\n", n, small);
	KCHECK(n > 100 && kmalloc(1) == NULL && vm_create() == NULL);
	/* Stacks come in blocks of five: a block already begun (this test
	 * runs on a kernel thread's stack) may still give a few. */
	void *ks[8];
	unsigned nks = 0;
	while (nks < 8 && (ks[nks] = kstack_alloc()))
		nks++;
	KCHECK(nks < 5);
	while (nks)
		kstack_free(ks[--nks]);
	KCHECK(mm_check());
	while (list) {
		void **next = *list;
		kfree(list);
		list = next;
	}
	KCHECK(snap().heap_bytes_in_use == s0.heap_bytes_in_use + 16 * small);
}

/* Eleven stacks fill two blocks of five and start a third; each has its
 * guard; freed in a scattered order, all the memory comes back. */
KTEST(mm_kstack)
{
	struct mm_stats s0 = snap();
	char *k[11];
	for (int i = 0; i < 11; i++) {
		k[i] = kstack_alloc();
		KCHECK(k[i] && !((uintptr_t)k[i] % PAGE_SIZE));
		memset(k[i], 0x5A, KSTACK_SIZE);	/* all of it is usable */
		KCHECK(!(*kernel_pte((uintptr_t)k[i] - PAGE_SIZE) & PTE_P));	/* the guard */
	}
	KCHECK(snap().kstacks == s0.kstacks + 11 && mm_check());
	for (int i = 0; i < 11; i++) {
		kstack_free(k[i * 4 % 11]);
		KCHECK(*kernel_pte((uintptr_t)k[i * 4 % 11] - PAGE_SIZE) & PTE_P);
	}
	struct mm_stats s1 = snap();
	KCHECK(same_usage(&s0, &s1) && s1.kernel_pages_free + 16 >= s0.kernel_pages_free);
	KCHECK(mm_check());
}

/* Overflowing a kernel stack hits its guard page: a page-fault panic. */
KTEST(panic_kstack_guard)
{
	char *k = kstack_alloc();
	kprintf("writing below the kernel stack at %p\n", (void *)k);
	((volatile char *)k)[-1] = 1;
}

KTEST(panic_kfree_double)
{
	void *p = kmalloc(40);
	kfree(p);
	kfree(p);
}

KTEST(panic_kfree_bad)
{
	char *p = kmalloc(40);
	kfree(p + 8);
}

/* CR0.WP: the kernel's own text is read-only to the kernel too. */
KTEST(panic_kernel_text)
{
	kprintf("writing into mm_init\n");
	*(volatile uint8_t *)(uintptr_t)mm_init = 0xC3;
}

KTEST(mm_map_unmap_protect)
{
	struct mm_stats s0 = snap();
	struct vm *vm = vm_create();
	KCHECK(vm && vm_map(vm, BASE, 4 * PAGE_SIZE, VM_READ | VM_WRITE, VM_NEW_PAGES) == 0);
	KCHECK(snap().free_frames == s0.free_frames - 5);	/* reserved at once, with a table */
	KCHECK(vm_map(vm, BASE + 3 * PAGE_SIZE, PAGE_SIZE, VM_READ, VM_NEW_PAGES) == -EEXIST);
	KCHECK(vm_map(vm, BASE - PAGE_SIZE, 2 * PAGE_SIZE, VM_READ, VM_NEW_PAGES) == -EEXIST);
	KCHECK(vm_map(vm, BASE + 1, PAGE_SIZE, VM_READ, VM_NEW_PAGES) == -EINVAL);
	KCHECK(vm_map(vm, BASE + 8 * PAGE_SIZE, 0, VM_READ, VM_NEW_PAGES) == -EINVAL);
	KCHECK(vm_map(vm, BASE + 8 * PAGE_SIZE, 100, VM_READ, VM_NEW_PAGES) == -EINVAL);
	KCHECK(vm_map(vm, 0x00FFF000, 2 * PAGE_SIZE, VM_READ, VM_NEW_PAGES) == -EINVAL);
	KCHECK(vm_map(vm, 0xFFFFF000, 2 * PAGE_SIZE, VM_READ, VM_NEW_PAGES) == -EINVAL);
	KCHECK(vm_map(vm, 0xFFFFF000, PAGE_SIZE, VM_READ, VM_NEW_PAGES) == 0);	/* the last page */
	KCHECK(vm_map(vm, BASE + 8 * PAGE_SIZE, PAGE_SIZE, VM_WRITE, VM_NEW_PAGES) == -EINVAL);
	vm_activate(vm);
	KCHECK(poke(BASE + 2 * PAGE_SIZE, 0x1234) == 0 && peek(BASE + 2 * PAGE_SIZE) == 0x1234);
	KCHECK(poke(0xFFFFFFFC, 7) == -EFAULT && peek(0xFFFFFFFC) == 0);	/* read-only */
	KCHECK(vm_protect(vm, BASE + PAGE_SIZE, 2 * PAGE_SIZE, VM_READ) == 0);	/* splits in 3 */
	KCHECK(poke(BASE + 2 * PAGE_SIZE, 1) == -EFAULT);	/* the TLB entry was flushed */
	KCHECK(peek(BASE + 2 * PAGE_SIZE) == 0x1234);
	KCHECK(poke(BASE, 1) == 0 && poke(BASE + 3 * PAGE_SIZE, 1) == 0);
	KCHECK(!vm_range_ok(vm, BASE, 4 * PAGE_SIZE, VM_WRITE));
	KCHECK(vm_range_ok(vm, BASE, 4 * PAGE_SIZE, VM_READ));
	KCHECK(vm_protect(vm, BASE + 3 * PAGE_SIZE, 2 * PAGE_SIZE, VM_READ) == -EFAULT);
	KCHECK(vm_protect(vm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE) == 0);
	KCHECK(poke(BASE + PAGE_SIZE, 5) == 0 && peek(BASE + PAGE_SIZE) == 5);
	KCHECK(vm_unmap(vm, BASE + PAGE_SIZE, VM_NEW_PAGES) == -EINVAL);	/* not a base */
	KCHECK(vm_unmap(vm, BASE, VM_STACK) == -EINVAL);			/* not that kind */
	KCHECK(vm_unmap(vm, BASE, VM_NEW_PAGES) == 0);	/* all pieces go */
	uint32_t v;
	KCHECK(copy_from_user(&v, BASE + 3 * PAGE_SIZE, 4) == -EFAULT);	/* flushed too */
	KCHECK(vm_unmap(vm, BASE, VM_NEW_PAGES) == -EINVAL);	/* already gone */
	KCHECK(vm_map(vm, BASE, PAGE_SIZE, VM_READ | VM_WRITE, VM_NEW_PAGES) == 0);
	KCHECK(peek(BASE) == 0);	/* recycled frames are zeroed again */
	vm_activate(NULL);
	vm_destroy(vm);
	struct mm_stats s1 = snap();
	KCHECK(same_usage(&s0, &s1));
	KCHECK(mm_check());
}

KTEST(mm_zfod_and_cow)
{
	struct mm_stats s0 = snap();
	struct vm *vm = vm_create();
	KCHECK(vm_map(vm, BASE, 3 * PAGE_SIZE, VM_READ | VM_WRITE, VM_DATA) == 0);
	vm_activate(vm);
	unsigned used = snap().used_frames, faults = snap().page_faults;
	KCHECK(peek(BASE) == 0 && peek(BASE + PAGE_SIZE + 100) == 0);
	KCHECK(snap().used_frames == used);	/* reads share the zero frame */
	KCHECK(snap().page_faults == faults + 2);
	KCHECK(poke(BASE, 42) == 0 && snap().used_frames == used + 1);	/* private on write */
	KCHECK(peek(BASE) == 42 && peek(BASE + 4) == 0);
	struct vm *child = vm_fork(vm);
	KCHECK(child && snap().used_frames == used + 2);	/* shared, not copied: a table more */
	KCHECK(snap().free_frames == s0.free_frames - 8);	/* but reserved */
	vm_activate(child);
	KCHECK(peek(BASE) == 42);
	KCHECK(poke(BASE, 43) == 0 && snap().used_frames == used + 3);	/* copy on write */
	KCHECK(poke(BASE + 2 * PAGE_SIZE, 9) == 0);
	vm_activate(vm);
	KCHECK(peek(BASE) == 42 && peek(BASE + 2 * PAGE_SIZE) == 0);
	KCHECK(poke(BASE, 44) == 0 && snap().used_frames == used + 4);	/* last user: no copy */
	vm_activate(child);
	KCHECK(peek(BASE) == 43 && peek(BASE + 2 * PAGE_SIZE) == 9);
	vm_destroy(child);	/* current: switches to the kernel first */
	KCHECK(vm_current() == NULL);
	vm_destroy(vm);
	struct mm_stats s1 = snap();
	KCHECK(same_usage(&s0, &s1));
	KCHECK(mm_check());
}

KTEST(mm_vm_write)
{
	static const char text[] = "a string that crosses a page boundary";
	struct vm *vm = vm_create();
	uintptr_t va = BASE + PAGE_SIZE - 10;
	KCHECK(vm_map(vm, BASE, 2 * PAGE_SIZE, VM_READ, VM_TEXT) == 0);
	KCHECK(vm_write(vm, va, text, sizeof text) == 0);	/* read-only, not current */
	KCHECK(vm_write(vm, BASE + 2 * PAGE_SIZE - 2, text, 4) == -EFAULT);
	vm_activate(vm);
	char buf[sizeof text];
	KCHECK(copy_from_user(buf, va, sizeof text) == 0 && memcmp(buf, text, sizeof text) == 0);
	KCHECK(strncpy_from_user(buf, va, sizeof buf) == (int)sizeof text - 1);
	KCHECK(copy_to_user(va, "x", 1) == -EFAULT);
	vm_activate(NULL);
	vm_destroy(vm);
}

KTEST(mm_usercopy_errors)
{
	char buf[64];
	struct vm *vm = vm_create();
	KCHECK(copy_from_user(buf, BASE, 4) == -EFAULT);	/* no address space */
	KCHECK(vm_map(vm, BASE, PAGE_SIZE, VM_READ | VM_WRITE, VM_NEW_PAGES) == 0);
	KCHECK(vm_map(vm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, VM_READ, VM_RODATA) == 0);
	vm_activate(vm);
	KCHECK(copy_from_user(buf, BASE + PAGE_SIZE, 4) == -EFAULT);	/* unmapped */
	KCHECK(copy_from_user(buf, BASE + PAGE_SIZE - 2, 4) == -EFAULT);	/* half */
	KCHECK(copy_to_user(BASE + 2 * PAGE_SIZE, buf, 4) == -EFAULT);	/* read-only */
	KCHECK(copy_from_user(buf, BASE + 2 * PAGE_SIZE, 4) == 0);
	KCHECK(copy_from_user(buf, 0x00500000, 4) == -EFAULT);	/* the kernel's */
	KCHECK(copy_to_user(0x00FFFFFC, buf, 4) == -EFAULT);
	KCHECK(copy_from_user(buf, 0xFFFFFFF0, 32) == -EFAULT);	/* wraps around */
	KCHECK(copy_from_user(buf, BASE, 0) == 0 && copy_from_user(buf, 0x10, 0) == -EFAULT);
	KCHECK(!vm_range_ok(vm, 0x00500000, 4, VM_READ) && !vm_range_ok(vm, BASE, PAGE_SIZE + 1, VM_READ));
	KCHECK(vm_range_ok(vm, BASE + 10, 20, VM_WRITE) && !vm_range_ok(vm, BASE + 2 * PAGE_SIZE, 4, VM_WRITE));
	KCHECK(copy_to_user(BASE + PAGE_SIZE - 3, "abc", 3) == 0);
	KCHECK(strncpy_from_user(buf, BASE + PAGE_SIZE - 3, sizeof buf) == -EFAULT);	/* no NUL */
	KCHECK(strncpy_from_user(buf, BASE + PAGE_SIZE - 3, 2) == -E2BIG);
	KCHECK(strncpy_from_user(buf, BASE + PAGE_SIZE - 4, sizeof buf) == 0 && buf[0] == 0);
	KCHECK(strncpy_from_user(buf, 0x00100000, sizeof buf) == -EFAULT);
	vm_activate(NULL);
	vm_destroy(vm);
	KCHECK(mm_check());
}

/* One address space's life: regions, faults, a fork, a private copy. */
static void vm_life(void)
{
	struct vm *vm = vm_create(), *child = NULL;
	KCHECK(vm && vm_map(vm, USER_MEM_START, 2 * PAGE_SIZE, VM_READ, VM_TEXT) == 0);
	KCHECK(vm_map(vm, BASE, 16 * PAGE_SIZE, VM_READ | VM_WRITE, VM_NEW_PAGES) == 0);
	KCHECK(vm_map(vm, 0xFFFFD000, 2 * PAGE_SIZE, VM_READ | VM_WRITE, VM_STACK) == 0);
	KCHECK(vm_write(vm, USER_MEM_START, "code", 4) == 0);
	vm_activate(vm);
	KCHECK(poke(BASE + 5 * PAGE_SIZE, 1) == 0 && peek(0xFFFFE000) == 0);
	KCHECK((child = vm_fork(vm)) != NULL);
	vm_activate(child);
	KCHECK(poke(BASE + 5 * PAGE_SIZE, 2) == 0 && poke(0xFFFFDFF0, 3) == 0);
	vm_activate(NULL);
	vm_destroy(child);
	vm_destroy(vm);
}

KTEST(mm_vm_churn)
{
	vm_life();	/* warm up the caches (slabs, spare page tables) */
	struct mm_stats s0 = snap();
	for (int i = 0; i < 1000; i++)
		vm_life();
	struct mm_stats s1 = snap();
	kprintf("mm: after 1000 address spaces: free %u/%u heap %u/%u tables %u/%u\n",
		s1.free_frames, s0.free_frames, s1.heap_bytes_in_use, s0.heap_bytes_in_use,
		s1.page_tables, s0.page_tables);
	KCHECK(same_usage(&s0, &s1) && s1.kernel_pages_free == s0.kernel_pages_free);
	KCHECK(mm_check());
}

/* A new address space costs one page directory (kernel memory); a region
 * a page table per 4 MiB span, a user frame with a reservation like a
 * page's; fork the same again. Never a copy of the kernel's tables. */
KTEST(mm_vm_cost)
{
	struct mm_stats s0 = snap();
	unsigned t0 = s0.page_tables, d0 = s0.page_dirs, f0 = s0.free_frames;
	struct vm *vm = vm_create();
	KCHECK(snap().page_dirs == d0 + 1 && snap().page_tables == t0 && snap().free_frames == f0);
	KCHECK(vm_map(vm, BASE, 64 * PAGE_SIZE, VM_READ | VM_WRITE, VM_BSS) == 0);
	KCHECK(vm_map(vm, BASE + 64 * PAGE_SIZE, PAGE_SIZE, VM_READ, VM_BSS) == 0);
	KCHECK(snap().page_tables == t0 + 1 && snap().free_frames == f0 - 65 - 1);
	KCHECK(vm_pages(vm) == 65 + 1);
	KCHECK(vm_map(vm, BASE - PAGE_SIZE, 2 * PAGE_SIZE, VM_READ, VM_BSS) == -EEXIST);
	KCHECK(vm_map(vm, BASE - PAGE_SIZE, PAGE_SIZE, VM_READ, VM_BSS) == 0);
	KCHECK(snap().page_tables == t0 + 2);	/* the span below */
	struct vm *child = vm_fork(vm);
	KCHECK(snap().page_tables == t0 + 4 && snap().page_dirs == d0 + 2);
	KCHECK(snap().free_frames == f0 - 2 * (66 + 2) && vm_pages(child) == 66 + 2);
	KCHECK(vm_unmap(vm, BASE - PAGE_SIZE, VM_BSS) == 0);	/* its table goes with it */
	KCHECK(snap().page_tables == t0 + 3 && vm_pages(vm) == 65 + 1);
	KCHECK(snap().free_frames == f0 - 2 * (66 + 2) + 2);
	KCHECK(vm_map(vm, BASE - PAGE_SIZE, PAGE_SIZE, VM_READ, VM_BSS) == 0);
	KCHECK(snap().free_frames == f0 - 2 * (66 + 2) && snap().page_tables == t0 + 4);
	KCHECK(vm_unmap(vm, BASE - PAGE_SIZE, VM_BSS) == 0 && snap().page_tables == t0 + 3);
	KCHECK(vm_unmap(vm, BASE, VM_BSS) == 0 && snap().page_tables == t0 + 3);	/* still used */
	vm_destroy(child);
	KCHECK(snap().page_tables == t0 + 1 && snap().page_dirs == d0 + 1);
	vm_destroy(vm);
	struct mm_stats s1 = snap();
	KCHECK(same_usage(&s0, &s1));
}

/* Page tables are paid for in user frames, not kernel memory: a page in
 * each of many 4 MiB spans costs two frames apiece and no kernel page,
 * a fork the same again, and the tables come back (all zeros, for the
 * next ones) when the regions go. */
KTEST(mm_table_charge)
{
	enum { N = 600 };	/* tables: more than the kernel pages a test may use */
	struct mm_stats s0 = snap();
	struct vm *vm = vm_create();
	unsigned heap0 = snap().heap_bytes_in_use, kfree0 = snap().kernel_pages_free;
	for (unsigned i = 0; i < N; i++)
		KCHECK(vm_map(vm, BASE + (i << 22) + PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE,
			      VM_NEW_PAGES) == 0);
	struct mm_stats s1 = snap();
	unsigned region_pages = (s1.heap_bytes_in_use - heap0 + PAGE_SIZE - 1) / PAGE_SIZE;
	KCHECK(s1.page_tables == s0.page_tables + N && s1.free_frames == s0.free_frames - 2 * N);
	KCHECK(s1.kernel_pages_free + region_pages + 1 >= kfree0);	/* regions' slabs only */
	KCHECK(vm_pages(vm) == 2 * N);
	vm_activate(vm);
	for (unsigned i = 0; i < N; i += 7)
		KCHECK(poke(BASE + (i << 22) + PAGE_SIZE, i) == 0);
	struct vm *child = vm_fork(vm);
	KCHECK(child && snap().page_tables == s0.page_tables + 2 * N);
	vm_activate(child);
	for (unsigned i = 0; i < N; i += 7)
		KCHECK(peek(BASE + (i << 22) + PAGE_SIZE) == i);
	vm_activate(NULL);
	vm_destroy(child);
	for (unsigned i = 0; i < N; i++)
		KCHECK(vm_unmap(vm, BASE + (i << 22) + PAGE_SIZE, VM_NEW_PAGES) == 0);
	KCHECK(snap().page_tables == s0.page_tables && vm_pages(vm) == 0);
	/* The freed tables come back from the clean list: nothing of the
	 * pages they mapped may show through. */
	for (unsigned i = 0; i < N; i += 7)
		KCHECK(vm_map(vm, BASE + (i << 22), 2 * PAGE_SIZE, VM_READ, VM_NEW_PAGES) == 0);
	vm_activate(vm);
	for (unsigned i = 0; i < N; i += 7)
		KCHECK(peek(BASE + (i << 22) + PAGE_SIZE) == 0);
	vm_activate(NULL);
	vm_destroy(vm);
	struct mm_stats s2 = snap();
	KCHECK(same_usage(&s0, &s2));
	KCHECK(mm_check());
}

/* Frames are counted when a region is made, a page table's with its
 * region's pages: running out is an error of vm_map or vm_fork, never of
 * a later fault. */
KTEST(mm_reservation)
{
	struct mm_stats s0 = snap();
	struct vm *vm = vm_create();
	int big = vm_map(vm, BASE, 1u << 30, VM_READ | VM_WRITE, VM_NEW_PAGES);
	KCHECK(s0.free_frames < (1u << 18) + 256 ? big == -ENOMEM : big == 0);	/* 1 GiB */
	if (big == 0)
		KCHECK(vm_unmap(vm, BASE, VM_NEW_PAGES) == 0);
	unsigned half = ((s0.free_frames / 2 + 1023) & ~1023u) | 1;	/* over half; room in its last table */
	KCHECK(vm_map(vm, USER_MEM_START, (s0.free_frames + 1) * PAGE_SIZE, VM_READ,
		      VM_NEW_PAGES) == -ENOMEM);
	KCHECK(vm_map(vm, USER_MEM_START, half * PAGE_SIZE, VM_READ | VM_WRITE,
		      VM_NEW_PAGES) == 0);
	unsigned rest = snap().free_frames;
	KCHECK(rest == s0.free_frames - half - spans(USER_MEM_START, half));
	KCHECK(vm_fork(vm) == NULL);	/* the copy would need more than is left */
	KCHECK(snap().free_frames == rest);
	/* From a 4 MiB boundary, n pages cost n + ceil(n / 1024): leave a
	 * frame or two, enough for as many pages, not for their table too. */
	uintptr_t second = (USER_MEM_START + half * PAGE_SIZE + (4u << 20) - 1) & ~((4u << 20) - 1);
	unsigned n = (rest - 1) - ((rest - 1) + 1024) / 1025, left = rest - n - spans(second, n);
	KCHECK(left == 1 || left == 2);
	KCHECK(vm_map(vm, second, n * PAGE_SIZE, VM_READ | VM_WRITE, VM_NEW_PAGES) == 0);
	KCHECK(snap().free_frames == left);
	KCHECK(vm_map(vm, 0x100000000ull - left * PAGE_SIZE, left * PAGE_SIZE, VM_READ,
		      VM_NEW_PAGES) == -ENOMEM);	/* and a table */
	KCHECK(vm_map(vm, USER_MEM_START + half * PAGE_SIZE, left * PAGE_SIZE, VM_READ,
		      VM_NEW_PAGES) == 0);		/* in a table it has */
	KCHECK(snap().free_frames == 0);
	KCHECK(vm_map(vm, 0xFFFFF000, PAGE_SIZE, VM_READ, VM_NEW_PAGES) == -ENOMEM);
	vm_activate(vm);
	KCHECK(poke(USER_MEM_START + (half - 1) * PAGE_SIZE, 1) == 0);	/* frames are there */
	KCHECK(poke(second + (n - 1) * PAGE_SIZE, 1) == 0);
	vm_activate(NULL);
	vm_destroy(vm);
	struct mm_stats s1 = snap();
	KCHECK(same_usage(&s0, &s1));
	KCHECK(mm_check());
}
