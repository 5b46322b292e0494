/*
 * free.c: how much memory there is and who has it, from kstat: the
 * frames that back user memory (and the page tables that map it, which
 * tasks pay for like pages), the kernel's heap, and the tasks and
 * threads that hold them.
 */
#include <fable.h>
#include <stdio.h>
#include <syscall.h>

#define KIB_PER_FRAME (PAGE_SIZE / 1024)

int main(void)
{
	kstat_t k = { .size = sizeof k };
	if (kstat(&k) < 0) {
		printf("free: kstat failed\n");
		return 1;
	}
	unsigned used = k.total_frames - k.free_frames;
	printf("%-12s %10s %10s %10s\n", "", "total", "used", "free");
	printf("%-12s %10u %10u %10u\n", "frames", k.total_frames, used, k.free_frames);
	printf("%-12s %10u %10u %10u\n", "KiB", k.total_frames * KIB_PER_FRAME,
	       used * KIB_PER_FRAME, k.free_frames * KIB_PER_FRAME);
	printf("page tables: %u frames (%u KiB) of the used\n", k.page_table_frames,
	       k.page_table_frames * KIB_PER_FRAME);
	printf("kernel heap: %u bytes in use\n", k.kernel_heap_bytes_in_use);
	printf("tasks: %u, threads: %u\n", k.tasks, k.threads);
	return 0;
}
