/*
 * df.c: the mounted file systems: where, what kind, whether writable,
 * and for the kernel-memory file system the pages its files hold; for
 * the disk's, the block cache's hits and misses since boot (the VFS
 * knows no more about the others yet).
 */
#include <fable.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	fable_mount_t m;
	kstat_t k = { .size = sizeof k };
	int have_k = kstat(&k) == 0;
	printf("%-16s %-8s %-3s %s\n", "mounted on", "type", "rw", "used");
	for (int i = 0; getmount(i, &m) == 1; i++) {
		printf("%-16s %-8s %-3s ", m.path, m.type, m.readonly ? "ro" : "rw");
		if (strcmp(m.type, "tmpfs") == 0 && have_k)
			printf("%u KiB in %u pages\n", k.fs_pages * 4, k.fs_pages);
		else if (strcmp(m.type, "ext2") == 0 && have_k)
			printf("block cache: %u hits, %u misses\n", k.bcache_hits,
			       k.bcache_misses);
		else
			printf("-\n");
	}
	return 0;
}
