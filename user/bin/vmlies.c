/*
 * vmlies.c: the lie "every process owns the machine" (docs/lie-vm.md).
 *
 * Four short scenes, each printing the evidence for what really happens:
 *   same address   parent and child print one virtual address, two values
 *   copy-on-write  fork copies nothing: the child's first write to a page
 *                  takes a page fault, which makes the copy
 *   lazy memory    a huge new_pages region is promised at once, but a page
 *                  gets a frame only when it is first written
 *   kernel memory  a program that reads the kernel's memory is killed
 */
#include <fable.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

#define COW_PAGES 64		/* pages the child reads, then writes */
#define EXTRA_BASE 0x50000000u	/* 4 MiB the second fork must also reserve */
#define EXTRA_PAGES 1024
#define HUGE_BASE 0x60000000u	/* the lazy region: 64 MiB, or half */
#define HUGE_PAGES 16384	/* the free memory if that is less */
#define PAGES_PER_MIB 256
#define TOUCHED 16		/* pages of it written, and as many read */
#define KERNEL_ADDR 0x00500000u	/* inside the kernel's low 16 MiB */

static int secret = 1111;	/* .data: one address, a copy per task */
static char shared[COW_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* The kernel's counters, now. */
static kstat_t snapshot(void)
{
	kstat_t k = { .size = sizeof k };
	kstat(&k);
	return k;
}

/* fork, or end the demo if there is no memory for a child. */
static int fork_or_exit(void)
{
	int pid = fork();
	if (pid < 0) {
		printf("vmlies: fork failed\n");
		exit(-1);
	}
	return pid;
}

/* Wait for the child pid; returns its exit status. */
static int reap(int pid)
{
	int status = 0;
	while (wait(&status) != pid)
		continue;
	return status;
}

/* Scene 1: the same virtual address holds different values. */
static void same_address(void)
{
	int pid = fork_or_exit();
	if (pid == 0) {
		secret = 2222;
		printf("child:  &secret = %p holds %d\n", (void *)&secret, secret);
		exit(0);
	}
	reap(pid);
	printf("parent: &secret = %p holds %d\n", (void *)&secret, secret);
	printf("  One address, two values: each task's page tables map it to its\n");
	printf("  own frame, and the child's write made its copy.\n");
}

/* Frames a fork reserves right now. Fable runs a new child before its
 * parent goes on, so the child measures and reports by exit status. */
static unsigned fork_reservation(void)
{
	unsigned before = snapshot().free_frames;
	int pid = fork_or_exit();
	if (pid == 0)
		exit((int)(before - snapshot().free_frames));
	return (unsigned)reap(pid);
}

/* Fork's cost follows the size of the address space, not what it copies. */
static void fork_cost(void)
{
	unsigned small = fork_reservation(), t0 = snapshot().page_table_frames;
	if (new_pages((void *)EXTRA_BASE, EXTRA_PAGES * PAGE_SIZE) < 0) {
		printf("cow: new_pages of %d pages failed\n", EXTRA_PAGES);
		return;
	}
	unsigned tables = snapshot().page_table_frames - t0;
	unsigned big = fork_reservation();
	remove_pages((void *)EXTRA_BASE);
	printf("cow: fork reserved %u frames; with %d more pages mapped, %u\n", small,
	       EXTRA_PAGES, big);
	printf("cow: difference %u: the pages and %u page table\n", big - small, tables);
	printf("  fork promises a frame for every page of the child's regions\n");
	printf("  and for every page table the child needs, so that no later\n");
	printf("  write can fail; it copies none of the pages.\n");
}

/* In the child: reading shared pages costs nothing, the first write to
 * each page takes a page fault that copies it. */
static void child_touches(void)
{
	kstat_t k0 = snapshot();	/* also makes the stack page private */
	k0 = snapshot();
	int sum = 0;
	for (int i = 0; i < COW_PAGES; i++)
		sum += shared[i][0];
	kstat_t k1 = snapshot();
	for (int i = 0; i < COW_PAGES; i++)
		shared[i][0] = 'c';
	kstat_t k2 = snapshot();
	printf("cow: child read %d shared pages: %u page faults; wrote them: %u page faults\n",
	       COW_PAGES, k1.page_faults - k0.page_faults, k2.page_faults - k1.page_faults);
	printf("cow: free frames %u before the writes, %u after (copies use fork's promise)\n",
	       k1.free_frames, k2.free_frames);
	exit(sum == 'p' * COW_PAGES ? 0 : 1);
}

/* Scene 2: copy-on-write, made visible by the page-fault counter. */
static void copy_on_write(void)
{
	for (int i = 0; i < COW_PAGES; i++)
		shared[i][0] = 'p';	/* the parent's own frames, before fork */
	fork_cost();
	int pid = fork_or_exit();
	if (pid == 0)
		child_touches();
	int status = reap(pid);
	printf("cow: parent still sees '%c' (child exit status %d)\n", shared[0][0], status);
	printf("  After fork both tasks map the same frames read-only. A read\n");
	printf("  just reads; the first write to a page faults, and the kernel\n");
	printf("  gives the writer its own copy of that one page.\n");
}

/* Scene 3: new_pages promises frames; pages get them when written. */
static void lazy_memory(void)
{
	char *huge = (char *)HUGE_BASE;
	kstat_t k0 = snapshot();
	unsigned f0 = k0.free_frames;
	int pages = f0 / 2 / PAGES_PER_MIB * PAGES_PER_MIB;
	pages = pages < HUGE_PAGES ? pages : HUGE_PAGES;
	if (new_pages(huge, pages * PAGE_SIZE) < 0) {
		printf("lazy: new_pages of %d pages failed\n", pages);
		return;
	}
	kstat_t k1 = snapshot();
	unsigned tables = k1.page_table_frames - k0.page_table_frames;
	int zeros = 0, stride = pages / TOUCHED;
	for (int i = 0; i < TOUCHED; i++)
		huge[i * stride * PAGE_SIZE] = 'w';
	kstat_t k2 = snapshot();
	for (int i = 0; i < TOUCHED; i++)
		zeros += huge[(i * stride + stride / 2) * PAGE_SIZE] == 0;
	kstat_t k3 = snapshot();
	printf("lazy: new_pages(%d MiB) promised %u frames at once (%d + %u page tables)\n",
	       pages / PAGES_PER_MIB, f0 - k1.free_frames, pages, tables);
	printf("lazy: wrote %d pages: %u page faults; read %d others: %u page faults, %d zero\n",
	       TOUCHED, k2.page_faults - k1.page_faults, TOUCHED,
	       k3.page_faults - k2.page_faults, zeros);
	printf("  Only a written page gets a frame of its own (one fault each);\n");
	printf("  pages only read all map one shared frame of zeros. The promise\n");
	printf("  is counted at once so that the ABI's \"new_pages fails, later\n");
	printf("  writes never do\" holds.\n");
	remove_pages(huge);
}

/* Scene 4: kernel memory is in every address space, and out of reach. */
static void kernel_memory(void)
{
	int pid = fork_or_exit();
	if (pid == 0) {
		printf("kernel: child reads %p...\n", (void *)KERNEL_ADDR);
		volatile int *p = (volatile int *)KERNEL_ADDR;
		printf("kernel: child read %d: the kernel is NOT protected\n", *p);
		exit(0);
	}
	int status = reap(pid);
	printf("kernel: child reading %p ended with exit status %d\n",
	       (void *)KERNEL_ADDR, status);
	printf("  The kernel's pages are mapped in every task, but only for\n");
	printf("  ring 0: a user access faults and the kernel kills the thread.\n");
}

int main(void)
{
	same_address();
	copy_on_write();
	lazy_memory();
	kernel_memory();
	return 0;
}
